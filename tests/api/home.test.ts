import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, nowMs, setClockOffset } from '../../server/src/lib/clock.js';
import { type ChatMember, chatMember, groupWithMembers, send } from '../support/chat.js';
import { gql, type UntypedData } from '../support/graphql.js';
import { createGroup, mutate } from '../support/groups.js';
import { ask, forward, introductionMutation, openToIntroductions, groupOf } from '../support/introductions.js';
import { agreedMentorship, makeMentor, mentorshipMutation, requestMentorship } from '../support/mentorship.js';
import { goalInput } from '../support/mentorship-world.js';
import { book, cancelBooking, localDateIn, publishOneSlot, wait } from '../support/office-hours.js';
import { block } from '../support/safety.js';
import { startServer, type TestServer } from '../support/server.js';

// The member's home (Query.home) over real HTTP: every section filled by the actions that put
// something there, and each one keeping what the owning module's rules keep: another member's
// waiting asks, a secret group's channel, a blocked member's requests, a decline the requester may not
// learn of yet.

let server: TestServer;
const url = () => server.graphqlUrl;
const db = () => server.app.services.db;

beforeAll(async () => {
  server = await startServer();
});
afterEach(() => setClockOffset(0));
afterAll(async () => {
  setClockOffset(0);
  await server?.stop();
});

const HOME = /* GraphQL */ `
  query Home {
    home {
      joinRequests { id person { id } group { id } }
      mentorshipRequests { id mentee { id } viewerCanAccept }
      introductions { id viewerRole state viewerCanForward viewerCanAccept viewerCanAnswerFollowUp }
      waitlistOffers { id status slot { id } }
      unreadMentions { id kind href read }
      bookings { id slot { id } }
      hostedSlots { id }
      events { id title }
      checkInsDue { mentorship { id } dueAt overdue }
      goalsDue { id title overdue }
      introductionsUnderway { id state }
      groupActivity { id group { id } }
    }
  }
`;

type Home = Record<
  | 'joinRequests'
  | 'mentorshipRequests'
  | 'introductions'
  | 'waitlistOffers'
  | 'unreadMentions'
  | 'bookings'
  | 'hostedSlots'
  | 'events'
  | 'checkInsDue'
  | 'goalsDue'
  | 'introductionsUnderway'
  | 'groupActivity',
  UntypedData[]
>;

async function homeOf(who: ChatMember): Promise<Home> {
  const response = await gql(url(), HOME, {}, { token: who.token });
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data!.home as Home;
}
const ids = (list: UntypedData[]) => list.map((item) => item.id as string);

let counter = 0;
const member = (name: string) => chatMember(url(), `${name} ${++counter}`);

describe('the home', () => {
  it('asks to sign in when signed out', async () => {
    const response = await gql(url(), HOME);
    expect(response.body.data?.home ?? null).toBeNull();
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('is empty in every section for a new member', async () => {
    const home = await homeOf(await member('Newcomer'));
    for (const [section, list] of Object.entries(home)) expect(list, section).toEqual([]);
  });
});

describe('what needs you now', () => {
  it('join requests to decide: the owner and admins see them, a plain member does not, nor a blocked member’s', async () => {
    const [owner, admin, plain, asker, blocked] = [
      await member('Owner'),
      await member('Admin'),
      await member('Plain'),
      await member('Asker'),
      await member('Blocked'),
    ];
    const group = await groupWithMembers(url(), owner, [admin, plain], { roles: [[admin, 'ADMIN']] });
    expect(await mutate(url(), owner, 'updateGroup', { groupId: group.id, visibility: 'PRIVATE' })).toMatchObject({
      __typename: 'GroupPayload',
    });
    expect((await block(url(), owner, blocked)).__typename).toBe('BlockPayload');
    for (const who of [asker, blocked]) {
      const asked = await mutate(url(), who, 'requestToJoinGroup', { groupId: group.id, message: 'Hello!' });
      expect(asked.__typename, JSON.stringify(asked)).toBe('JoinRequestPayload');
    }
    const ownerSees = (await homeOf(owner)).joinRequests;
    expect(ownerSees.map((request) => request.person.id)).toEqual([asker.personId]);
    // The admin did not block anyone: both asks wait for them.
    expect((await homeOf(admin)).joinRequests.map((request) => request.person.id)).toEqual([
      asker.personId,
      blocked.personId,
    ]);
    expect((await homeOf(plain)).joinRequests).toEqual([]);
    expect((await homeOf(asker)).joinRequests).toEqual([]);

    // Deciding takes it off the home.
    expect(await mutate(url(), admin, 'approveJoinRequest', { requestId: ownerSees[0]!.id })).toMatchObject({
      __typename: 'JoinRequestPayload',
    });
    expect((await homeOf(owner)).joinRequests).toEqual([]);
  });

  it('mentorship requests to answer: the mentor’s, not the mentee’s own, none from a member the mentor blocked', async () => {
    const [mentor, mentee, blocked] = [await member('Mentor'), await member('Mentee'), await member('Pest')];
    await makeMentor(url(), mentor);
    const requestId = await requestMentorship(url(), mentee, mentor);
    await requestMentorship(url(), blocked, mentor);
    expect((await block(url(), mentor, blocked)).__typename).toBe('BlockPayload');

    const waiting = (await homeOf(mentor)).mentorshipRequests;
    expect(waiting).toEqual([{ id: requestId, mentee: { id: mentee.personId }, viewerCanAccept: true }]);
    expect((await homeOf(mentee)).mentorshipRequests).toEqual([]);

    const declined = await mentorshipMutation(url(), mentor, 'declineMentorshipRequest', { requestId });
    expect(declined.__typename, JSON.stringify(declined)).toBe('MentorshipRequestPayload');
    expect((await homeOf(mentor)).mentorshipRequests).toEqual([]);
  });

  it('introductions: the broker’s to pass on, then the target’s to answer; the requester never reads a decline early', async () => {
    const [requester, broker, target] = [await member('Rita'), await member('Bruno'), await member('Tess')];
    await groupOf(db(), [broker, requester, target]);
    await openToIntroductions(db(), target);
    const id = await ask(url(), { requester, broker, target });

    expect(ids((await homeOf(broker)).introductions)).toEqual([id]);
    expect((await homeOf(target)).introductions).toEqual([]);
    expect((await homeOf(requester)).introductions).toEqual([]);
    expect((await homeOf(requester)).introductionsUnderway).toEqual([{ id, state: 'REQUESTED' }]);

    await forward(url(), broker, id);
    expect((await homeOf(broker)).introductions).toEqual([]);
    expect((await homeOf(target)).introductions).toMatchObject([{ id, viewerRole: 'TARGET', viewerCanAccept: true }]);
    const forwarded = (await homeOf(requester)).introductionsUnderway;
    expect(forwarded).toEqual([{ id, state: 'FORWARDED' }]);

    const declined = await introductionMutation(url(), target, 'declineIntroduction', { introductionId: id });
    expect(declined.__typename, JSON.stringify(declined)).toBe('IntroductionPayload');
    expect((await homeOf(target)).introductions).toEqual([]);
    // Until the target's step would have run out, the requester reads it exactly as before.
    expect((await homeOf(requester)).introductionsUnderway).toEqual(forwarded);
  });

  it('waitlist offers: the seat offered when another gives theirs back', async () => {
    const [host, holder, waiting] = [await member('Host'), await member('Holder'), await member('Waiting')];
    const { slotId } = await publishOneSlot(url(), host, { seats: 1 });
    const bookingId = await book(url(), holder, slotId);
    const entryId = await wait(url(), waiting, slotId);
    expect((await homeOf(waiting)).waitlistOffers).toEqual([]);

    await cancelBooking(url(), holder, bookingId);
    expect((await homeOf(waiting)).waitlistOffers).toEqual([{ id: entryId, status: 'OFFERED', slot: { id: slotId } }]);
    expect((await homeOf(holder)).waitlistOffers).toEqual([]);
  });

  it('unread mentions, until read; none from a channel the member cannot see', async () => {
    const [owner, mentioned] = [await member('Speaker'), await member('Listener')];
    const group = await groupWithMembers(url(), owner, [mentioned]);
    await send(url(), owner, group.general, `Welcome @[${mentioned.name}](${mentioned.personId})!`);
    const mentions = (await homeOf(mentioned)).unreadMentions;
    expect(mentions).toMatchObject([{ kind: 'MENTIONED', read: false }]);
    expect(mentions[0]!.href).toContain('/chat/');

    const read = await gql(
      url(),
      'mutation ($id: ID!) { markNotificationRead(input: { notificationId: $id }) { __typename } }',
      { id: mentions[0]!.id },
      { token: mentioned.token },
    );
    expect(read.body.data?.markNotificationRead.__typename).toBe('MarkNotificationsReadPayload');
    expect((await homeOf(mentioned)).unreadMentions).toEqual([]);

    // Removed from the group: an old mention there is no longer theirs to read.
    await send(url(), owner, group.general, `Again @[${mentioned.name}](${mentioned.personId})`);
    expect((await homeOf(mentioned)).unreadMentions).toHaveLength(1);
    expect(await mutate(url(), mentioned, 'leaveGroup', { groupId: group.id })).toMatchObject({
      __typename: 'GroupPayload',
    });
    expect((await homeOf(mentioned)).unreadMentions).toEqual([]);
  });
});

describe('what is next', () => {
  it('bookings, the sessions one hosts, and the events one goes to', async () => {
    const [host, attendee, other] = [await member('Host'), await member('Attendee'), await member('Other')];
    const { slotId } = await publishOneSlot(url(), host, { seats: 2 });
    const bookingId = await book(url(), attendee, slotId);
    expect((await homeOf(attendee)).bookings).toEqual([{ id: bookingId, slot: { id: slotId } }]);
    expect(ids((await homeOf(host)).hostedSlots)).toEqual([slotId]);
    expect((await homeOf(other)).bookings).toEqual([]);
    expect((await homeOf(other)).hostedSlots).toEqual([]);

    const group = await groupWithMembers(url(), host, [attendee, other]);
    const created = await gql(
      url(),
      `mutation ($input: CreateEventInput!) { createEvent(input: $input) { __typename ... on EventPayload { event { id } } } }`,
      {
        input: {
          groupId: group.id,
          title: 'Evening meetup',
          startsAt: new Date(nowMs() + 48 * 3600_000).toISOString(),
          endsAt: new Date(nowMs() + 50 * 3600_000).toISOString(),
          timeZone: 'Europe/Berlin',
        },
      },
      { token: host.token },
    );
    const eventId = created.body.data?.createEvent.event.id as string;
    expect(eventId, JSON.stringify(created.body)).toBeTruthy();
    const rsvp = await gql(
      url(),
      'mutation ($input: RsvpInput!) { rsvp(input: $input) { __typename } }',
      { input: { eventId, status: 'GOING' } },
      { token: attendee.token },
    );
    expect(rsvp.body.data?.rsvp.__typename).toBe('EventPayload');
    expect((await homeOf(attendee)).events).toEqual([{ id: eventId, title: 'Evening meetup' }]);
    // In the group, not going: not theirs.
    expect((await homeOf(other)).events).toEqual([]);

    await cancelBooking(url(), attendee, bookingId);
    expect((await homeOf(attendee)).bookings).toEqual([]);
  });

  it('check-ins by the agreed cadence and goals due soon, to both of the pair and nobody else', async () => {
    const [mentor, mentee, outsider] = [await member('Guide'), await member('Learner'), await member('Outsider')];
    const mentorship = await agreedMentorship(url(), mentee, mentor, {
      agreement: { cadence: 'WEEKLY', startsOn: localDateIn(0, 'UTC'), plannedEndOn: localDateIn(90, 'UTC') },
    });
    // Weekly from today: due in 7 days, not yet on the home; 5 days on, due in 2.
    expect((await homeOf(mentee)).checkInsDue).toEqual([]);
    advanceClock(5 * 86_400_000);
    for (const who of [mentor, mentee]) {
      const due = (await homeOf(who)).checkInsDue;
      expect(due).toMatchObject([{ mentorship: { id: mentorship.id }, overdue: false }]);
      expect(Date.parse(due[0]!.dueAt) - nowMs()).toBeLessThan(3 * 86_400_000);
    }

    const soon = await mentorshipMutation(
      url(),
      mentee,
      'createGoal',
      goalInput(mentorship.id, { title: 'Ship the typed library', dueOn: localDateIn(5, 'UTC') }),
      '... on GoalPayload { goal { id } }',
    );
    expect(soon.__typename, JSON.stringify(soon)).toBe('GoalPayload');
    const later = await mentorshipMutation(
      url(),
      mentee,
      'createGoal',
      goalInput(mentorship.id, { title: 'Give a talk', dueOn: localDateIn(200, 'UTC') }),
      '... on GoalPayload { goal { id } }',
    );
    expect(later.__typename).toBe('GoalPayload');
    for (const who of [mentor, mentee]) {
      expect((await homeOf(who)).goalsDue).toEqual([
        { id: soon.goal.id, title: 'Ship the typed library', overdue: false },
      ]);
    }
    const outsiderHome = await homeOf(outsider);
    expect(outsiderHome.checkInsDue).toEqual([]);
    expect(outsiderHome.goalsDue).toEqual([]);

    // A check-in held today moves the next one a week away: off the home.
    const checkIn = await mentorshipMutation(
      url(),
      mentor,
      'recordCheckIn',
      { mentorshipId: mentorship.id, heldAt: new Date(nowMs()).toISOString(), sharedNotes: 'Good week.' },
      '... on CheckInPayload { checkIn { id } }',
    );
    expect(checkIn.__typename, JSON.stringify(checkIn)).toBe('CheckInPayload');
    expect((await homeOf(mentee)).checkInsDue).toEqual([]);
  });
});

describe('your groups', () => {
  it('recent activity lists the channels of one’s groups; a secret group’s never reaches a non-member', async () => {
    const [owner, insider, outsider] = [await member('Keeper'), await member('Insider'), await member('Outsider')];
    const secret = await createGroup(url(), owner, { name: `Secret ${counter}`, visibility: 'SECRET' });
    const open = await groupWithMembers(url(), owner, [insider, outsider]);
    const invited = await mutate(
      url(),
      owner,
      'inviteMember',
      { groupId: secret.id, personId: insider.personId },
      '... on GroupInvitePayload { invite { id } }',
    );
    expect(invited.__typename, JSON.stringify(invited)).toBe('GroupInvitePayload');
    const accepted = await mutate(url(), insider, 'acceptInvite', { inviteId: invited.invite.id });
    expect(accepted.__typename, JSON.stringify(accepted)).toBe('GroupPayload');
    const channels = await gql(
      url(),
      'query ($slug: String!) { group(slug: $slug) { channels { id isDefault } } }',
      { slug: secret.slug },
      { token: owner.token },
    );
    const secretChannels = (channels.body.data?.group?.channels ?? []) as UntypedData[];
    const secretGeneral = secretChannels.find((c) => c.isDefault)!.id;

    expect((await homeOf(insider)).groupActivity).toEqual([]);
    await send(url(), owner, open.general, 'Meetup on Thursday!');
    await send(url(), owner, secretGeneral, 'Board minutes are up.');

    expect((await homeOf(insider)).groupActivity).toEqual([
      { id: secretGeneral, group: { id: secret.id } },
      { id: open.general, group: { id: open.id } },
    ]);
    expect((await homeOf(outsider)).groupActivity).toEqual([{ id: open.general, group: { id: open.id } }]);
  });
});
