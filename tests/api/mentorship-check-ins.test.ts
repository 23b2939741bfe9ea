import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, nowMs, setClockOffset } from '../../server/src/lib/clock.js';
import { runDueJobs } from '../../server/src/modules/jobs/index.js';
import {
  type ChatMember,
  chatMember,
  memberSocket,
  notificationKinds,
  openStream,
  query,
  warmUp,
} from '../support/chat.js';
import {
  activeMentorship,
  agreedMentorship,
  mentorshipMutation,
  proposeAgreement,
  rowIdOf,
  tag,
} from '../support/mentorship.js';
import { startServer, type TestServer } from '../support/server.js';

// Check-ins over HTTP and WebSocket: a private note is seen by its author alone on every path
// (the payload, node(id), the mentorship's list, the live activity stream, notifications, email,
// search, the conversation); feedback once per side, seen by the other side, and a poor fit offered
// as a way out; typed errors store nothing; a missed cadence nudges both when the clock moves on.

const CHECK_IN =
  'id heldAt sharedNotes nextSteps privateNote viewerMayGiveFeedback feedback { rating words pairingWorking byViewer author { id } }';
const MENTEE_SECRET = 'zanzibarquokka worried about the promotion';
const MENTOR_SECRET = 'xylophonewombat mentee seems tired';

let server: TestServer;
let url: string;
let mentee: ChatMember;
let mentor: ChatMember;
let stranger: ChatMember;
let mentorshipId: string;
let conversationId: string;

const checkInMutation = (who: ChatMember, name: string, input: Record<string, unknown>) =>
  mentorshipMutation(url, who, name, input, `... on CheckInPayload { checkIn { ${CHECK_IN} } }`);

async function checkInsSeenBy(who: ChatMember) {
  const data = await query<{ node: { checkIns: Array<{ id: string; privateNote: string | null }> } | null }>(
    url,
    who,
    `query ($id: ID!) { node(id: $id) { ... on Mentorship { checkIns { id privateNote } } } }`,
    { id: mentorshipId },
  );
  return data.node?.checkIns ?? null;
}

beforeAll(async () => {
  server = await startServer();
  url = server.graphqlUrl;
  const t = tag();
  mentee = await chatMember(url, `Mentee ${t}`);
  mentor = await chatMember(url, `Mentor ${t}`);
  stranger = await chatMember(url, `Stranger ${t}`);
  const made = await activeMentorship(url, mentee, mentor);
  mentorshipId = made.id;
  conversationId = made.conversationId;
});

afterEach(() => setClockOffset(0));
afterAll(async () => {
  setClockOffset(0);
  await server?.stop();
});

describe('recording check-ins', () => {
  it('refuses a session in the future or from a stranger, storing nothing', async () => {
    const future = await checkInMutation(mentee, 'recordCheckIn', {
      mentorshipId,
      heldAt: new Date(nowMs() + 3 * 24 * 3600_000).toISOString(),
    });
    expect(future).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: 'heldAt' }] });
    const foreign = await checkInMutation(stranger, 'recordCheckIn', {
      mentorshipId,
      heldAt: new Date().toISOString(),
    });
    expect(foreign.__typename).toBe('NotFoundError');
    expect(await server.app.services.db.checkIn.count({ where: { mentorshipId: rowIdOf(mentorshipId) } })).toBe(0);
  });
});

describe('private notes', () => {
  it('are seen by their author alone, on every path', async () => {
    const menteeSocket = memberSocket(server.wsUrl, mentee);
    const mentorSocket = memberSocket(server.wsUrl, mentor);
    const activity = `subscription { mentorshipActivity { kind mentorship { checkIns { id privateNote sharedNotes } } } }`;
    type Activity = {
      kind: string;
      mentorship: { checkIns: Array<{ privateNote: string | null; sharedNotes: string }> } | null;
    };
    const mentorLive = openStream<Activity>(mentorSocket, activity, {}, 'mentorshipActivity');
    const menteeLive = openStream<Activity>(menteeSocket, activity, {}, 'mentorshipActivity');
    try {
      const recorded = await checkInMutation(mentee, 'recordCheckIn', {
        mentorshipId,
        heldAt: new Date(nowMs() - 3600_000).toISOString(),
        sharedNotes: 'Talked about the promotion case',
        nextSteps: 'Draft the case by Friday',
        privateNote: MENTEE_SECRET,
      });
      expect(recorded.__typename).toBe('CheckInPayload');
      expect(recorded.checkIn.privateNote).toBe(MENTEE_SECRET);
      const checkInId = recorded.checkIn.id as string;
      const updated = await checkInMutation(mentor, 'updateCheckIn', { checkInId, privateNote: MENTOR_SECRET });
      expect(updated.checkIn).toMatchObject({
        privateNote: MENTOR_SECRET,
        sharedNotes: 'Talked about the promotion case',
      });

      // node(id)
      const node = `query ($id: ID!) { node(id: $id) { ... on CheckIn { privateNote sharedNotes } } }`;
      const asMentee = await query<{ node: { privateNote: string } }>(url, mentee, node, { id: checkInId });
      const asMentor = await query<{ node: { privateNote: string } }>(url, mentor, node, { id: checkInId });
      expect(asMentee.node.privateNote).toBe(MENTEE_SECRET);
      expect(asMentor.node.privateNote).toBe(MENTOR_SECRET);
      expect((await query<{ node: unknown }>(url, stranger, node, { id: checkInId })).node).toBeNull();
      // the mentorship's list
      expect((await checkInsSeenBy(mentee))!.map((c) => c.privateNote)).toEqual([MENTEE_SECRET]);
      expect((await checkInsSeenBy(mentor))!.map((c) => c.privateNote)).toEqual([MENTOR_SECRET]);
      expect(await checkInsSeenBy(stranger)).toBeNull();
      // live events: each delivered with the recipient's own access (a change of the shared notes
      // is what both hear of; repeated until both streams are listening)
      let round = 0;
      const touch = () =>
        checkInMutation(mentee, 'updateCheckIn', { checkInId, nextSteps: `Draft the case (${++round})` });
      const listedNotes = (event: Activity) => event.mentorship?.checkIns.map((c) => c.privateNote) ?? [];
      await warmUp(mentorLive, touch, (event) => event.kind === 'CHECK_IN_CHANGED', 'the mentor’s activity');
      await warmUp(menteeLive, touch, (event) => event.kind === 'CHECK_IN_CHANGED', 'the mentee’s activity');
      const notesIn = (events: Activity[]) => events.flatMap(listedNotes).filter((n) => n !== null);
      expect(new Set(notesIn(mentorLive.received))).toEqual(new Set([MENTOR_SECRET]));
      expect(new Set(notesIn(menteeLive.received))).toEqual(new Set([MENTEE_SECRET]));

      // Feedback (a notification, maybe an email) and the conversation never carry a note.
      await checkInMutation(mentor, 'giveCheckInFeedback', { checkInId, rating: 4, pairingWorking: true });
      const db = server.app.services.db;
      const leaks = async (secret: string) => {
        const word = secret.split(' ')[0]!;
        const [notifications, emails, messages] = await Promise.all([
          db.notification.count({ where: { data: { string_contains: word } } }),
          db.emailOutbox.findMany({ select: { data: true, subject: true } }),
          db.message.count({ where: { body: { contains: word } } }),
        ]);
        return notifications + messages + emails.filter((e) => JSON.stringify(e).includes(word)).length;
      };
      expect(await leaks(MENTEE_SECRET)).toBe(0);
      expect(await leaks(MENTOR_SECRET)).toBe(0);
      const texts = await query<{ viewer: { notifications: { edges: Array<{ node: { text: string } }> } } }>(
        url,
        mentee,
        '{ viewer { notifications(first: 20) { edges { node { text } } } } }',
      );
      expect(JSON.stringify(texts)).not.toContain('xylophonewombat');
      for (const who of [mentee, mentor]) {
        const search = await query<{ searchMessages: { edges: unknown[] } }>(
          url,
          who,
          `query { searchMessages(query: "zanzibarquokka", first: 5) { edges { cursor } } }`,
        );
        expect(search.searchMessages.edges).toEqual([]);
      }
      void conversationId;

      // Removing one's own note leaves the other's.
      await checkInMutation(mentee, 'updateCheckIn', { checkInId, privateNote: '' });
      expect((await checkInsSeenBy(mentee))!.map((c) => c.privateNote)).toEqual([null]);
      expect((await checkInsSeenBy(mentor))!.map((c) => c.privateNote)).toEqual([MENTOR_SECRET]);
    } finally {
      mentorLive.dispose();
      menteeLive.dispose();
      await menteeSocket.dispose();
      await mentorSocket.dispose();
    }
  });
});

describe('feedback both ways', () => {
  it('is given once per side, seen by the other side, and a poor fit offers either side a way out', async () => {
    const recorded = await checkInMutation(mentor, 'recordCheckIn', {
      mentorshipId,
      heldAt: new Date(nowMs() - 600_000).toISOString(),
      sharedNotes: 'Second session',
    });
    const checkInId = recorded.checkIn.id as string;
    const invalid = await checkInMutation(mentee, 'giveCheckInFeedback', {
      checkInId,
      rating: 6,
      pairingWorking: true,
    });
    expect(invalid).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: 'rating' }] });
    expect(await server.app.services.db.checkInFeedback.count({ where: { checkInId: rowIdOf(checkInId) } })).toBe(0);
    expect(
      (await checkInMutation(stranger, 'giveCheckInFeedback', { checkInId, rating: 3, pairingWorking: true }))
        .__typename,
    ).toBe('NotFoundError');

    const given = await checkInMutation(mentee, 'giveCheckInFeedback', {
      checkInId,
      rating: 2,
      words: 'We keep rescheduling',
      pairingWorking: false,
    });
    expect(given.checkIn.viewerMayGiveFeedback).toBe(false);
    const twice = await checkInMutation(mentee, 'giveCheckInFeedback', { checkInId, rating: 5, pairingWorking: true });
    expect(twice).toMatchObject({ __typename: 'ConflictError', code: 'FEEDBACK_ALREADY_GIVEN' });

    const seen = await query<{ node: { feedback: Array<Record<string, unknown>>; viewerMayGiveFeedback: boolean } }>(
      url,
      mentor,
      `query ($id: ID!) { node(id: $id) { ... on CheckIn { viewerMayGiveFeedback feedback { rating words pairingWorking byViewer author { id } } } } }`,
      { id: checkInId },
    );
    expect(seen.node.viewerMayGiveFeedback).toBe(true);
    expect(seen.node.feedback).toEqual([
      {
        rating: 2,
        words: 'We keep rescheduling',
        pairingWorking: false,
        byViewer: false,
        author: { id: mentee.personId },
      },
    ]);
    expect(await notificationKinds(url, mentor)).toContain('MENTORSHIP_CHECK_IN_FEEDBACK');

    const fit = `query ($id: ID!) { node(id: $id) { ... on Mentorship { viewerMayEndForFit } } }`;
    for (const who of [mentee, mentor]) {
      expect(
        (await query<{ node: { viewerMayEndForFit: boolean } }>(url, who, fit, { id: mentorshipId })).node
          .viewerMayEndForFit,
      ).toBe(true);
    }
    // The mentee's next feedback says it works again: no longer offered.
    const third = await checkInMutation(mentor, 'recordCheckIn', {
      mentorshipId,
      heldAt: new Date(nowMs() - 60_000).toISOString(),
    });
    await checkInMutation(mentee, 'giveCheckInFeedback', {
      checkInId: third.checkIn.id,
      rating: 4,
      pairingWorking: true,
    });
    expect(
      (await query<{ node: { viewerMayEndForFit: boolean } }>(url, mentor, fit, { id: mentorshipId })).node
        .viewerMayEndForFit,
    ).toBe(false);
  });
});

describe('notifications of both kinds in one read', () => {
  // Feedback (a nudge kind) and an agreement proposal (a request kind) are checked in one batch
  // of the same read: each kind's visibility must answer for itself, whichever is looked up first.
  it('lists an agreement proposal beside newer check-in feedback on the same mentorship', async () => {
    const t = tag();
    const a = await chatMember(url, `Both kinds mentee ${t}`);
    const b = await chatMember(url, `Both kinds mentor ${t}`);
    const pair = await activeMentorship(url, a, b);
    await proposeAgreement(url, a, pair.id);
    const recorded = await mentorshipMutation(
      url,
      a,
      'recordCheckIn',
      { mentorshipId: pair.id, heldAt: new Date(nowMs() - 3600_000).toISOString(), sharedNotes: 'First session' },
      '... on CheckInPayload { checkIn { id } }',
    );
    const feedback = await mentorshipMutation(url, a, 'giveCheckInFeedback', {
      checkInId: recorded.checkIn.id,
      rating: 5,
      pairingWorking: true,
    });
    expect(feedback.__typename).not.toMatch(/Error$/);
    expect(await notificationKinds(url, b)).toEqual(
      expect.arrayContaining(['MENTORSHIP_CHECK_IN_FEEDBACK', 'MENTORSHIP_AGREEMENT_PROPOSED']),
    );
  });
});

describe('the agreed cadence', () => {
  it('nudges both when it passes without a check-in (after a few days’ grace), and a check-in moves it', async () => {
    const t = tag();
    const a = await chatMember(url, `Cadence mentee ${t}`);
    const b = await chatMember(url, `Cadence mentor ${t}`);
    const pair = await agreedMentorship(url, a, b, { agreement: { cadence: 'WEEKLY' } });
    const missed = async (who: ChatMember) =>
      (await notificationKinds(url, who)).filter((k) => k === 'MENTORSHIP_CHECK_IN_MISSED');
    const day = 24 * 3600_000;

    advanceClock(8 * day); // a week passed, but within the grace
    await runDueJobs(server.app.services);
    expect(await missed(a)).toEqual([]);
    // A check-in on day 8 restarts the count.
    await checkInMutation(a, 'recordCheckIn', { mentorshipId: pair.id, heldAt: new Date(nowMs()).toISOString() });
    advanceClock(8 * day); // day 16: 8 days after it
    await runDueJobs(server.app.services);
    expect(await missed(a)).toEqual([]);
    advanceClock(3 * day); // day 19: 11 days after the last check-in (7 + 3 grace passed)
    await runDueJobs(server.app.services);
    expect(await missed(a)).toHaveLength(1);
    expect(await missed(b)).toHaveLength(1);
  });
});
