import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { publishMentorshipActivity } from '../../server/src/modules/mentorship/index.js';
import {
  codesOf,
  conversationEvents,
  memberSocket,
  openStream,
  type Stream,
  send,
  setTyping,
  typingIndicators,
  warmUp,
} from '../support/chat.js';
import { gql, wsClient } from '../support/graphql.js';
import { mentorshipMutation, requestMentorship } from '../support/mentorship.js';
import { ACTORS, type Actor, buildWorld, makeCheckIn, rowId, type World } from '../support/mentorship-world.js';
import { backendFromEnv } from '../support/backend.js';
import { startServer, type TestServer } from '../support/server.js';

// The mentorship authorization table, live: for each actor of mentorship-authorization.test.ts, which
// mentorshipActivity events arrive (each re-read with the recipient's access at delivery, so nudges
// about what they may not see are dropped), what the private notes in them are (their author's
// only), who may follow the mentorship conversation (events and typing), and who is notified of
// feedback (and never of a private note).

type SignedIn = Exclude<Actor, 'signedOut'>;
const SIGNED_IN = ACTORS.filter((actor): actor is SignedIn => actor !== 'signedOut');

let server: TestServer;
/** Where the subscribers connect: on PostgreSQL + Redis a second instance, so every event crosses Redis. */
let live: TestServer;
let url: string;
let w: World;
/** A request each actor sees, for the sentinels that show their stream is live. */
const sentinel = {} as Record<SignedIn, string>;
const sockets: Client[] = [];
const uid = (actor: SignedIn) => rowId(w.people[actor].id);

beforeAll(async () => {
  server = await startServer();
  live = backendFromEnv().kind === 'scale-out' ? await startServer({ database: server.database }) : server;
  url = server.graphqlUrl;
  w = await buildWorld(url);
  sentinel.mentee = w.pending;
  sentinel.mentor = w.ended.requestId;
  sentinel.admin = w.pendingPairing;
  sentinel.other = await requestMentorship(url, w.people.other, w.people.mentor3);
  sentinel.banned = await requestMentorship(url, w.people.banned, w.people.mentor3);
});
afterEach(async () => {
  while (sockets.length) await sockets.pop()!.dispose();
});
afterAll(async () => {
  if (live !== server) await live?.stop();
  await server?.stop();
});

function socketOf(actor: Actor): Client {
  const socket = actor === 'signedOut' ? wsClient(live.wsUrl) : memberSocket(live.wsUrl, w.people[actor]);
  sockets.push(socket);
  return socket;
}

interface ActivityEvent {
  kind: string;
  request: { id: string; viewerRole: string | null } | null;
  mentorship: {
    id: string;
    checkIns: Array<{ privateNote: string | null }>;
    conversation: { id: string } | null;
  } | null;
}
const ACTIVITY = /* GraphQL */ `
  subscription { mentorshipActivity {
    kind
    request { id viewerRole }
    mentorship { id checkIns { privateNote } conversation { id } }
  } }
`;

const nudge = (actor: SignedIn, kind: 'REQUEST_CREATED' | 'REQUEST_EXPIRED') =>
  publishMentorshipActivity(server.app.services.pubsub, {
    userIds: [uid(actor)],
    kind,
    requestId: rowId(sentinel[actor]),
  });
const isSentinel = (actor: SignedIn, kind: string) => (event: ActivityEvent) =>
  event.kind === kind && event.request?.id === sentinel[actor];

describe('mentorshipActivity', () => {
  it('signed out: refused', async () => {
    const stream = openStream<ActivityEvent>(socketOf('signedOut'), ACTIVITY, {}, 'mentorshipActivity');
    const end = await stream.waitForEnd();
    expect(codesOf(end.errors)).toContain('UNAUTHENTICATED');
  });

  it('each actor gets the events of what they may see, with their own private notes only', async () => {
    const streams = {} as Record<SignedIn, Stream<ActivityEvent>>;
    for (const actor of SIGNED_IN) {
      streams[actor] = openStream<ActivityEvent>(socketOf(actor), ACTIVITY, {}, 'mentorshipActivity');
    }
    for (const actor of SIGNED_IN) {
      await warmUp(
        streams[actor],
        async () => nudge(actor, 'REQUEST_CREATED'),
        isSentinel(actor, 'REQUEST_CREATED'),
        `${actor} warm-up`,
      );
    }

    // Real changes: the mentor records a check-in with a private note, the mentee gives feedback on it.
    const liveNote = `LIVE-MENTOR-PRIVATE-${w.tag}`;
    const checkInId = await makeCheckIn(url, w.people.mentor, w.active.id, liveNote);
    const feedback = await mentorshipMutation(url, w.people.mentee, 'giveCheckInFeedback', {
      checkInId,
      rating: 3,
      pairingWorking: true,
    });
    expect(feedback.__typename).toBe('CheckInPayload');
    // Forged nudges to everyone about each subject: delivery re-checks access, so only those who
    // may see the subject get them.
    const everyone = SIGNED_IN.map(uid);
    const pubsub = server.app.services.pubsub;
    publishMentorshipActivity(pubsub, { userIds: everyone, kind: 'GOAL_CHANGED', mentorshipId: rowId(w.active.id) });
    publishMentorshipActivity(pubsub, { userIds: everyone, kind: 'REVIEW_GIVEN', mentorshipId: rowId(w.ended.id) });
    publishMentorshipActivity(pubsub, { userIds: everyone, kind: 'REQUEST_DECLINED', requestId: rowId(w.pending) });
    publishMentorshipActivity(pubsub, {
      userIds: everyone,
      kind: 'REQUEST_AGREED',
      requestId: rowId(w.pendingPairing),
    });
    publishMentorshipActivity(pubsub, {
      userIds: everyone,
      kind: 'REQUEST_ACCEPTED',
      requestId: rowId(w.active.requestId),
    });
    for (const actor of SIGNED_IN) nudge(actor, 'REQUEST_EXPIRED');

    const M = `M:${w.active.id}`;
    const E = `M:${w.ended.id}`;
    const EXPECTED: Record<SignedIn, string[]> = {
      mentee: [
        `CHECK_IN_CHANGED ${M}`,
        `FEEDBACK_GIVEN ${M}`,
        `GOAL_CHANGED ${M}`,
        `REVIEW_GIVEN ${E}`,
        `REQUEST_DECLINED R:${w.pending}`,
        `REQUEST_ACCEPTED R:${w.active.requestId}`,
      ],
      mentor: [
        `CHECK_IN_CHANGED ${M}`,
        `FEEDBACK_GIVEN ${M}`,
        `GOAL_CHANGED ${M}`,
        `REVIEW_GIVEN ${E}`,
        `REQUEST_ACCEPTED R:${w.active.requestId}`,
      ],
      // The program admin sees the pairings of the program (both), never the mentorship itself.
      admin: [`REQUEST_AGREED R:${w.pendingPairing}`, `REQUEST_ACCEPTED R:${w.active.requestId}`],
      other: [],
      banned: [],
    };
    // Whose private notes each may read in what arrives.
    const OWN_NOTES: Record<SignedIn, Array<string | null>> = {
      mentee: [w.notes.mentee, null],
      mentor: [w.notes.mentor, liveNote],
      admin: [],
      other: [],
      banned: [],
    };

    for (const actor of SIGNED_IN) {
      const all = await streams[actor].waitFor(
        (items) => items.some(isSentinel(actor, 'REQUEST_EXPIRED')),
        `${actor} final sentinel`,
      );
      const events = all.filter(
        (event) => !isSentinel(actor, 'REQUEST_CREATED')(event) && !isSentinel(actor, 'REQUEST_EXPIRED')(event),
      );
      const seen = events.map(
        (event) => `${event.kind} ${event.mentorship ? `M:${event.mentorship.id}` : `R:${event.request?.id}`}`,
      );
      expect(seen.sort(), actor).toEqual([...EXPECTED[actor]].sort());
      expect(streams[actor].errors, actor).toEqual([]);
      // Requests reach the admin without the mentorship; mentorships carry their own conversation.
      for (const event of events) {
        if (event.mentorship) expect(event.mentorship.conversation?.id).toBeTruthy();
        if (actor === 'admin') expect(event.request?.viewerRole).toBeNull();
      }
      const notes = new Set(events.flatMap((event) => event.mentorship?.checkIns.map((c) => c.privateNote) ?? []));
      for (const note of notes) expect(OWN_NOTES[actor], `${actor} read ${note}`).toContain(note);
      if (actor === 'mentor') expect(notes).toContain(liveNote);
      if (actor === 'mentee') expect(notes).toContain(w.notes.mentee);
    }
  });
});

describe('the mentorship conversation, live', () => {
  const OUTCOME: Record<Actor, 'LIVE' | 'NOT_FOUND' | 'UNAUTHENTICATED'> = {
    signedOut: 'UNAUTHENTICATED',
    other: 'NOT_FOUND',
    admin: 'NOT_FOUND',
    banned: 'NOT_FOUND',
    mentee: 'LIVE',
    mentor: 'LIVE',
  };

  it.each(ACTORS)('conversationEvents as %s', async (actor) => {
    const stream = conversationEvents(socketOf(actor), w.active.conversationId, 0);
    if (OUTCOME[actor] !== 'LIVE') {
      const end = await stream.waitForEnd();
      expect(codesOf(end.errors)).toEqual([OUTCOME[actor]]);
      expect(stream.received).toEqual([]);
      return;
    }
    const body = `Hello ${actor} ${Date.now()}`;
    await send(url, actor === 'mentee' ? w.people.mentor : w.people.mentee, w.active.conversationId, body);
    const events = await stream.waitFor((items) => items.some((e) => e.message?.body === body), `${actor} message`);
    // The replay holds the goal cards too; none of them carries a private note.
    const text = JSON.stringify(events);
    for (const note of Object.values(w.notes)) expect(text).not.toContain(note);
  });

  it.each(ACTORS)('typingIndicators as %s', async (actor) => {
    const stream = typingIndicators(socketOf(actor), w.active.conversationId);
    if (OUTCOME[actor] !== 'LIVE') {
      const end = await stream.waitForEnd();
      expect(codesOf(end.errors)).toEqual([OUTCOME[actor]]);
      return;
    }
    const typist = actor === 'mentee' ? w.people.mentor : w.people.mentee;
    await warmUp(
      stream,
      () => setTyping(url, typist, w.active.conversationId, true),
      (event) => event.typing && event.person.id === typist.personId,
      `${actor} sees typing`,
    );
  });
});

describe('notifications of feedback', () => {
  it('reach the other side only, and never carry a private note', async () => {
    const note = `NOTIFIED-PRIVATE-${w.tag}`;
    const checkInId = await makeCheckIn(url, w.people.mentee, w.active.id, note);
    const given = await mentorshipMutation(url, w.people.mentor, 'giveCheckInFeedback', {
      checkInId,
      rating: 2,
      words: 'Shared words',
      pairingWorking: false,
    });
    expect(given.__typename).toBe('CheckInPayload');
    const row = await server.app.services.db.notification.findFirstOrThrow({
      where: {
        kind: 'MENTORSHIP_CHECK_IN_FEEDBACK',
        recipientId: uid('mentee'),
        subjectId: `${Buffer.from(`CheckIn:${rowId(checkInId)}`).toString('base64')}`,
      },
      orderBy: { createdAt: 'desc' },
    });
    const notificationId = Buffer.from(`Notification:${row.id}`).toString('base64');
    for (const actor of ACTORS) {
      const member = actor === 'signedOut' ? null : w.people[actor];
      const response = await gql(
        url,
        'query ($id: ID!) { node(id: $id) { id ... on Notification { kind text href } } }',
        { id: notificationId },
        member ? { token: member.token } : {},
      );
      const node = response.body.data?.node ?? null;
      expect(node?.id ?? null, actor).toBe(actor === 'mentee' ? notificationId : null);
      if (node) {
        expect(node.kind).toBe('MENTORSHIP_CHECK_IN_FEEDBACK');
        expect(JSON.stringify(node)).not.toContain(note);
      }
    }
    const stored = JSON.stringify(await server.app.services.db.notification.findMany());
    expect(stored).not.toContain(note);
  });
});
