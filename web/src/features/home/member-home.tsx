import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { type TypedDocumentNode, useMutation, useQuery, useSubscription } from 'urql';
import type { ResultOf } from '../../app/graphql';
import { Alert } from '../../ui/alert';
import { Avatar } from '../../ui/avatar';
import { Button, ButtonLink } from '../../ui/button';
import { usePageTitle } from '../../ui/use-page-title';
import { formatDateTime, formatRelative } from '../../lib/time';
import { InboxEventsSubscription } from '../chat/documents';
import { eventPath } from '../events/event-link';
import { ApproveJoinRequestMutation, DeclineJoinRequestMutation } from '../groups/documents';
import { IntroductionEventsSubscription } from '../introductions/documents';
import { firstName, introductionPath } from '../introductions/labels';
import { mentorshipPath, REQUESTS_PATH } from '../mentorship/request-labels';
import { MentorshipActivitySubscription } from '../mentorship/requests.documents';
import { MarkNotificationReadMutation, NotificationEventsSubscription } from '../notifications/documents';
import { AcceptOfferMutation } from '../office-hours/documents';
import { personPath } from '../people/person-link';
import { HomeGroupsQuery, HomeNeedsYouQuery, HomeNextQuery } from './documents';
import './member-home.css';

type NeedsYouHome = ResultOf<typeof HomeNeedsYouQuery>['home'];
type NextHome = ResultOf<typeof HomeNextQuery>['home'];

// Bumped on every live event that may change the home: each card then reads its part again.
const HomeVersion = createContext(0);

/** One card's part of Query.home (under HomeVersion), read again whenever the version moves. */
function useHomePart<Data>(query: TypedDocumentNode<Data, Record<string, never>>) {
  return useHomePartAt(query, useContext(HomeVersion));
}

function useHomePartAt<Data>(query: TypedDocumentNode<Data, Record<string, never>>, version: number) {
  const [result, reexecute] = useQuery({ query });
  const refetch = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (version > 0) refetch();
  }, [version, refetch]);
  return [result, refetch] as const;
}

function Loading({ error, retry }: { error: boolean; retry: () => void }) {
  if (error)
    return (
      <Alert tone="error" actions={<Button onClick={retry}>Try again</Button>}>
        This part of your home could not be loaded.
      </Alert>
    );
  return (
    <p role="status" className="muted">
      Loading…
    </p>
  );
}

// A burst of live events (a message with three mentions, a cancelled series) reads the home once.
const REFETCH_DELAY_MS = 250;

/** Reads the home again whenever something that may change it arrives on one of the member's live streams. */
function useLiveHome(refetch: () => void): void {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const soon = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(refetch, REFETCH_DELAY_MS);
  }, [refetch]);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  const nudge = (_previous: null = null) => {
    soon();
    return null;
  };
  // Join requests, mentions, waitlist offers, bookings and every other notified change.
  useSubscription({ query: NotificationEventsSubscription }, nudge);
  // New messages in the member's group channels (recent activity).
  useSubscription({ query: InboxEventsSubscription }, nudge);
  useSubscription({ query: IntroductionEventsSubscription }, nudge);
  useSubscription({ query: MentorshipActivitySubscription }, nudge);
}

function when(iso: string): ReactNode {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatDateTime(iso)}
    </time>
  );
}

function Item({ children, action }: { children: ReactNode; action?: ReactNode }) {
  return (
    <li className="home-item">
      <div className="home-item__text">{children}</div>
      {action && <div className="home-item__action">{action}</div>}
    </li>
  );
}

function Section({ id, title, count, children }: { id: string; title: string; count?: number; children: ReactNode }) {
  return (
    <section className="card home-card" aria-labelledby={id}>
      <h2 className="card__title home-card__title" id={id}>
        {title}
        {count ? <span className="home-card__count">{count}</span> : null}
      </h2>
      {children}
    </section>
  );
}

function JoinRequestItem({ request, onDone }: { request: NeedsYouHome['joinRequests'][number]; onDone: () => void }) {
  const [approving, approve] = useMutation(ApproveJoinRequestMutation);
  const [declining, decline] = useMutation(DeclineJoinRequestMutation);
  const [error, setError] = useState<string | null>(null);
  // Both answers return the request, or a typed error whose words are shown beside it.
  const settle = (failed: boolean, payload: { __typename: string; message?: string } | undefined) => {
    if (!failed && payload?.__typename === 'JoinRequestPayload') return onDone();
    setError(payload?.message ?? 'That did not work. Try again.');
  };
  const onApprove = async () => {
    const result = await approve({ input: { requestId: request.id } });
    settle(Boolean(result.error), result.data?.approveJoinRequest);
  };
  const onDecline = async () => {
    const result = await decline({ input: { requestId: request.id } });
    settle(Boolean(result.error), result.data?.declineJoinRequest);
  };
  return (
    <Item
      action={
        <>
          <Button size="sm" busy={approving.fetching} onClick={onApprove}>
            Approve
          </Button>
          <Button size="sm" variant="secondary" busy={declining.fetching} onClick={onDecline}>
            Decline
          </Button>
        </>
      }
    >
      <Avatar name={request.person.name} initials={request.person.initials} size="sm" />
      <span>
        <Link to={personPath(request.person.id)}>{request.person.name}</Link> asked to join{' '}
        <Link to={`/groups/${encodeURIComponent(request.group.slug)}/admin`}>{request.group.name}</Link>
        {request.message ? <span className="home-item__quote"> “{request.message}”</span> : null}
        {error && (
          <span className="home-item__error" role="alert">
            {' '}
            {error}
          </span>
        )}
      </span>
    </Item>
  );
}

function WaitlistOfferItem({ offer, onDone }: { offer: NeedsYouHome['waitlistOffers'][number]; onDone: () => void }) {
  const [accepting, accept] = useMutation(AcceptOfferMutation);
  const [error, setError] = useState<string | null>(null);
  const take = async () => {
    const result = await accept({ input: { entryId: offer.id } });
    const payload = result.data?.acceptWaitlistOffer;
    if (result.error || !payload || payload.__typename !== 'BookingPayload') {
      setError(payload && 'message' in payload ? String(payload.message) : 'That did not work. Try again.');
      return;
    }
    onDone();
  };
  const { officeHours } = offer.slot;
  return (
    <Item
      action={
        <Button size="sm" busy={accepting.fetching} onClick={take}>
          Take the seat
        </Button>
      }
    >
      A seat is free in {officeHours.host.name}’s{' '}
      <Link to={`/office-hours/slots/${encodeURIComponent(offer.slot.id)}`}>{officeHours.topic}</Link> on{' '}
      {when(offer.slot.startsAt)}
      {offer.offerExpiresAt && <span className="muted"> — yours until {formatRelative(offer.offerExpiresAt)}</span>}
      {error && (
        <span className="home-item__error" role="alert">
          {' '}
          {error}
        </span>
      )}
    </Item>
  );
}

function NeedsYou() {
  const [, markRead] = useMutation(MarkNotificationReadMutation);
  const [result, refetch] = useHomePart(HomeNeedsYouQuery);
  const home = result.data?.home;
  if (!home)
    return (
      <Section id="home-needs-you" title="Needs you now">
        <Loading error={Boolean(result.error)} retry={refetch} />
      </Section>
    );
  const count =
    home.joinRequests.length +
    home.mentorshipRequests.length +
    home.introductions.length +
    home.waitlistOffers.length +
    home.unreadMentions.length;
  return (
    <Section id="home-needs-you" title="Needs you now" count={count}>
      {count === 0 ? (
        <p className="muted home-empty">
          Nothing is waiting for you. Requests to join your groups, mentorship requests, introductions to make and seats
          offered from a waitlist will show up here as they arrive.
        </p>
      ) : (
        <ul className="home-list">
          {home.joinRequests.map((request) => (
            <JoinRequestItem key={request.id} request={request} onDone={refetch} />
          ))}
          {home.mentorshipRequests.map((request) => (
            <Item
              key={request.id}
              action={
                <ButtonLink size="sm" to={REQUESTS_PATH}>
                  Answer
                </ButtonLink>
              }
            >
              {request.origin === 'PROGRAM_ADMIN' ? (
                <>
                  {request.group?.name ?? 'A program'} proposes pairing you with{' '}
                  {request.viewerRole === 'MENTOR' ? request.mentee.name : request.mentor.name}
                </>
              ) : (
                <>
                  <Link to={personPath(request.mentee.id)}>{request.mentee.name}</Link> asked you to be their mentor
                </>
              )}
              <span className="muted"> — answer by {formatDateTime(request.expiresAt)}</span>
            </Item>
          ))}
          {home.introductions.map((introduction) => {
            const requester = introduction.requester.name;
            const target = firstName(introduction.target.name);
            const words = introduction.viewerCanForward
              ? `${requester} asks you to introduce them to ${target}`
              : introduction.viewerCanAccept
                ? `${firstName(introduction.broker.name)} would like to introduce you to ${requester}`
                : `Did you connect? Tell ${firstName(introduction.broker.name)} how the introduction went`;
            const label = introduction.viewerCanForward
              ? 'Pass it on'
              : introduction.viewerCanAccept
                ? 'Answer'
                : 'Tell them';
            return (
              <Item
                key={introduction.id}
                action={
                  <ButtonLink size="sm" to={introductionPath(introduction.id)}>
                    {label}
                  </ButtonLink>
                }
              >
                {words}
              </Item>
            );
          })}
          {home.waitlistOffers.map((offer) => (
            <WaitlistOfferItem key={offer.id} offer={offer} onDone={refetch} />
          ))}
          {home.unreadMentions.map((mention) => (
            <Item
              key={mention.id}
              action={
                <ButtonLink
                  size="sm"
                  variant="secondary"
                  to={mention.href}
                  onClick={() => void markRead({ input: { notificationId: mention.id } })}
                >
                  Read
                </ButtonLink>
              }
            >
              {mention.text} <span className="muted">· {formatRelative(mention.createdAt)}</span>
            </Item>
          ))}
        </ul>
      )}
    </Section>
  );
}

function ComingUp() {
  const [result, refetch] = useHomePart(HomeNextQuery);
  const home: NextHome | undefined = result.data?.home;
  if (!home)
    return (
      <Section id="home-next" title="Coming up">
        <Loading error={Boolean(result.error)} retry={refetch} />
      </Section>
    );
  const count =
    home.bookings.length +
    home.hostedSlots.length +
    home.events.length +
    home.checkInsDue.length +
    home.goalsDue.length +
    home.introductionsUnderway.length;
  return (
    <Section id="home-next" title="Coming up">
      {count === 0 ? (
        <div className="home-empty">
          <p className="muted">
            Nothing booked yet. Sessions you book, office hours you host, events you go to and your mentorships’
            check-ins and goals will line up here.
          </p>
          <p className="row">
            <ButtonLink size="sm" variant="secondary" to="/mentors">
              Book your first office hour
            </ButtonLink>
            <ButtonLink size="sm" variant="secondary" to="/events">
              See upcoming events
            </ButtonLink>
          </p>
        </div>
      ) : (
        <ul className="home-list">
          {home.checkInsDue.map((due) => (
            <Item
              key={due.mentorship.id}
              action={
                <ButtonLink size="sm" to={mentorshipPath(due.mentorship.id)}>
                  Record a check-in
                </ButtonLink>
              }
            >
              {due.overdue ? 'Check-in overdue' : 'Check-in due'} with {due.mentorship.partner.name}{' '}
              <span className="muted">({formatRelative(due.dueAt)})</span>
            </Item>
          ))}
          {home.goalsDue.map((goal) => (
            <Item key={goal.id}>
              Goal <Link to={mentorshipPath(goal.mentorshipId)}>{goal.title}</Link>{' '}
              <span className={goal.overdue ? 'home-item__error' : 'muted'}>
                {goal.overdue ? 'is overdue' : 'is due'} on {goal.dueOn}
              </span>
            </Item>
          ))}
          {datedItems(home).map((item) => (
            <Item key={item.key}>{item.node}</Item>
          ))}
          {home.introductionsUnderway.map((introduction) => (
            <Item key={introduction.id}>
              <Link to={introductionPath(introduction.id)}>Your introduction to {introduction.target.name}</Link>{' '}
              <span className="muted">
                {introduction.state === 'FORWARDED'
                  ? `— ${firstName(introduction.broker.name)} passed it on`
                  : `— waiting for ${firstName(introduction.broker.name)}`}
              </span>
            </Item>
          ))}
        </ul>
      )}
    </Section>
  );
}

/** Bookings, sessions you host and events, merged into one list by start time (soonest first). */
function datedItems(home: NextHome): { key: string; startsAt: string; node: ReactNode }[] {
  const items = [
    ...home.bookings.map((booking) => ({
      key: booking.id,
      startsAt: booking.slot.startsAt,
      node: (
        <>
          {when(booking.slot.startsAt)} ·{' '}
          <Link to={`/office-hours/slots/${encodeURIComponent(booking.slot.id)}`}>
            {booking.slot.officeHours.topic}
          </Link>{' '}
          with {booking.slot.officeHours.host.name}
        </>
      ),
    })),
    ...home.hostedSlots.map((slot) => ({
      key: slot.id,
      startsAt: slot.startsAt,
      node: (
        <>
          {when(slot.startsAt)} · You host{' '}
          {slot.officeHours.mentorship ? (
            <Link to={mentorshipPath(slot.officeHours.mentorship.id)}>
              a session with {slot.officeHours.mentorship.partner.name}
            </Link>
          ) : (
            <>
              <Link to="/office-hours/manage">{slot.officeHours.topic}</Link>{' '}
              <span className="muted">
                ({slot.seatsTaken} of {slot.seats} seats taken)
              </span>
            </>
          )}
        </>
      ),
    })),
    ...home.events.map((event) => ({
      key: event.id,
      startsAt: event.startsAt,
      node: (
        <>
          {when(event.startsAt)} · <Link to={eventPath(event.id)}>{event.title}</Link>{' '}
          <span className="muted">in {event.group.name}</span>
        </>
      ),
    })),
  ];
  return items.sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
}

function YourGroups({ home, groupCount }: { home: ResultOf<typeof HomeGroupsQuery>['home']; groupCount: number }) {
  return (
    <Section id="home-groups" title="Your groups">
      {home.groupActivity.length === 0 ? (
        <div className="home-empty">
          <p className="muted">
            {groupCount === 0
              ? 'You are not in a group yet. Groups are where members meet, talk and plan events.'
              : 'Your groups have been quiet for the last two weeks.'}
          </p>
          <p className="row">
            <ButtonLink size="sm" variant="secondary" to="/groups">
              {groupCount === 0 ? 'Find your first group' : 'Browse groups'}
            </ButtonLink>
          </p>
        </div>
      ) : (
        <ul className="home-list">
          {home.groupActivity.map((channel) => (
            <Item key={channel.id}>
              <Link to={`/chat/${encodeURIComponent(channel.id)}`}>
                #{channel.title} <span className="muted">in {channel.group?.name}</span>
              </Link>
              {channel.unreadCount > 0 ? (
                <span className="home-card__count" title="Unread messages">
                  {channel.unreadCount} new
                </span>
              ) : null}
              {channel.lastMessageAt && <span className="muted"> · {formatRelative(channel.lastMessageAt)}</span>}
            </Item>
          ))}
        </ul>
      )}
    </Section>
  );
}

/** The first steps, while a member has none of the three yet. */
function GettingStarted({ groupCount }: { groupCount: number }) {
  return (
    <section className="card home-start" aria-labelledby="home-start">
      <h2 className="card__title" id="home-start">
        Get started
      </h2>
      <ol className="home-start__steps">
        <li className={groupCount > 0 ? 'home-start__done' : undefined}>
          <Link to="/groups">Join your first group</Link>
          <span className="muted"> — meet people who do what you do.</span>
        </li>
        <li>
          <Link to="/mentors">Find your first mentor</Link>
          <span className="muted"> — suggestions come with the reasons they fit.</span>
        </li>
        <li>
          <Link to="/mentors">Book your first office hour</Link>
          <span className="muted"> — a short session with someone a step ahead.</span>
        </li>
      </ol>
    </section>
  );
}

export function MemberHome({ name }: { name: string }) {
  usePageTitle('Home');
  const [version, setVersion] = useState(0);
  const bump = useCallback(() => setVersion((v) => v + 1), []);
  useLiveHome(bump);
  const [groups, refetchGroups] = useHomePartAt(HomeGroupsQuery, version);
  const groupCount = groups.data?.viewer?.groups.totalCount;
  return (
    <HomeVersion.Provider value={version}>
      <div className="page member-home">
        <header className="page-header">
          <div>
            <p className="eyebrow">Home</p>
            <h1 className="page-header__title">Welcome back, {firstName(name)}</h1>
          </div>
        </header>
        {groupCount === 0 && <GettingStarted groupCount={groupCount} />}
        <div className="member-home__grid">
          <NeedsYou />
          <ComingUp />
          {groups.data?.home && groupCount !== undefined ? (
            <YourGroups home={groups.data.home} groupCount={groupCount} />
          ) : (
            <Section id="home-groups" title="Your groups">
              <Loading error={Boolean(groups.error)} retry={refetchGroups} />
            </Section>
          )}
        </div>
      </div>
    </HomeVersion.Provider>
  );
}
