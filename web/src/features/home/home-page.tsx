import { useViewer } from '../accounts/use-viewer';
import { ButtonLink } from '../../ui/button';
import { usePageTitle } from '../../ui/use-page-title';
import './home-page.css';
import { MemberHome } from './member-home';

interface Pillar {
  title: string;
  body: string;
  icon: string; // an SVG path in a 24×24 box
}

const PILLARS: readonly Pillar[] = [
  {
    title: 'Community groups',
    body: 'Industry associations, alumni networks, employee resource groups and company mentorship programs, each with its own members, events and channels.',
    icon: 'M8 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6Zm8 0a3 3 0 1 0 0-6 3 3 0 0 0 0 6ZM2 19c0-3 2.7-5 6-5s6 2 6 5M14.5 14.2c.5-.1 1-.2 1.5-.2 3.3 0 6 2 6 5',
  },
  {
    title: 'Mentorship that goes somewhere',
    body: 'Find a mentor with reasons you can read: shared skills, groups, working hours across both time zones. Agree on cadence and expectations, set SMART goals whose progress shows up in your conversation, check in, give feedback both ways, close with a review and celebrate what you achieved.',
    icon: 'M4 19h16M6 16l4-5 3 3 5-7M18 7h-3m3 0v3',
  },
  {
    title: 'Office hours',
    body: 'Mentors publish sessions with a set number of seats, public or for their groups. Book one with a question, take the next free seat from the waitlist, see every time in your own time zone beside the host’s, and get reminders and a calendar feed. A mentorship’s agreement sets up its own session series.',
    icon: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18Zm0-13v4.5l3 2',
  },
  {
    title: 'Realtime conversation',
    body: 'Group channels and direct messages that arrive in order, once, even across reconnects, with unread counts you can trust.',
    icon: 'M5 18l-1 3 4-2h9a3 3 0 0 0 3-3V8a3 3 0 0 0-3-3H7a3 3 0 0 0-3 3v7c0 1.2.4 2.2 1 3Z',
  },
  {
    title: 'Private by default',
    body: 'No member ever sees another member’s email address. You choose who can see each part of your profile.',
    icon: 'M7 11V8a5 5 0 0 1 10 0v3M6 11h12v9H6z',
  },
  {
    title: 'Warm introductions',
    body: 'Ask a mutual connection to introduce you. They vet the request, the other person agrees, and only then does a conversation open.',
    icon: 'M10 14a4 4 0 0 0 5.66 0l3-3a4 4 0 0 0-5.66-5.66l-1 1M14 10a4 4 0 0 0-5.66 0l-3 3a4 4 0 0 0 5.66 5.66l1-1',
  },
];

// Signed in, `/` is the member's home (member-home.tsx); signed out, this page explains Guildhall, and
// says only what the product does today.
export function HomePage() {
  const viewer = useViewer();
  if (viewer.status === 'signed-in') return <MemberHome name={viewer.viewer.name} />;
  // Until the session is known, nothing: a signed-in member must not see the explainer flash by.
  if (viewer.status === 'loading') return null;
  return <Explainer />;
}

function Explainer() {
  usePageTitle(null);
  return (
    <div className="home">
      <section className="home-hero" aria-labelledby="home-title">
        <p className="home-hero__eyebrow">An open community platform for IT careers</p>
        <h1 className="home-hero__title" id="home-title">
          Grow your IT career in good company.
        </h1>
        <p className="home-hero__lead">
          Guildhall brings professionals together in community groups, matches members with mentors for reasons they can
          read, keeps each mentorship on track from the first agreement to the last review, lets mentors open office
          hours anyone can book, introduces members through someone they both know, and keeps the conversation going in
          realtime. It is open source, and any community can run its own.
        </p>
        <div className="home-hero__actions">
          <ButtonLink to="/sign-up">Create your account</ButtonLink>
          <ButtonLink to="/sign-in" variant="secondary">
            I already have an account
          </ButtonLink>
        </div>
      </section>

      <section className="home-section" aria-labelledby="home-pillars">
        <h2 className="home-section__title" id="home-pillars">
          Everything a career community needs, in one place
        </h2>
        <ul className="home-pillars">
          {PILLARS.map((pillar) => (
            <li key={pillar.title} className="home-pillar">
              <svg className="home-pillar__icon" viewBox="0 0 24 24" aria-hidden="true">
                <path
                  d={pillar.icon}
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="1.75"
                  strokeLinecap="round"
                  strokeLinejoin="round"
                />
              </svg>
              <h3 className="home-pillar__title">{pillar.title}</h3>
              <p className="home-pillar__body">{pillar.body}</p>
            </li>
          ))}
        </ul>
      </section>

      <section className="home-section home-open" aria-labelledby="home-open">
        <h2 className="home-section__title" id="home-open">
          Yours to run
        </h2>
        <p>
          Guildhall is self-hostable: start it on one machine with nothing else to set up, or run many instances against
          PostgreSQL and Redis when your community grows. Your members’ data stays with you.
        </p>
      </section>
    </div>
  );
}
