import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, setClockOffset } from '../../server/src/lib/clock.js';
import { runDueJobs } from '../../server/src/modules/jobs/index.js';
import { backendFromEnv } from '../support/backend.js';
import {
  type ChatMember,
  chatMember,
  codesOf,
  memberSocket,
  openStream,
  type Stream,
  WAIT_MS,
} from '../support/chat.js';
import { gql, type UntypedData, wsClient } from '../support/graphql.js';
import { mutate } from '../support/groups.js';
import {
  buildIntroductionsWorld,
  FORWARDED_STATES,
  forward,
  type IntroductionsWorld,
  introMutation,
  openToIntroductions,
  request,
  STATES,
  STATUS_OF,
  WORDS,
  WORLD_ENV,
  type WorldState,
} from '../support/introductions-world.js';
import { startServer, type TestServer } from '../support/server.js';

// Who sees and does what in introductions, as tables: every actor (the requester, the broker, the
// target of that introduction, another member of the same group, signed out) against every field of
// the Introduction node, node(id), the lists, every mutation and the live events, over one
// introduction in every state (support/introductions-world.ts).
//
// The rules the tables restate (the contract of issue 12, not the policy file's code):
// - the requester and the broker see an introduction always; the target only once it was forwarded;
//   anyone else, and signed out, never (node null, not listed, NOT_FOUND, no events);
// - the requester's state hides who declined: TARGET_DECLINED and TARGET_EXPIRED read NOT_HAPPENED
//   (with no closedAt), BROKER_DECLINED NOT_NOW, BROKER_EXPIRED EXPIRED; and a target's decline reaches
//   the requester only when a lapse would: until the end of the target's step they read it as still
//   forwarded (open, the same deadline, theirs to withdraw);
// - reason and hopes: requester and broker; presentation: all three (the reason until edited);
//   brokerNote: broker and target, the requester once accepted; brokerMessage: requester and broker;
//   targetNote: target and broker, the requester once accepted; expiresAt: the requester and whoever's
//   turn it is; the conversation: the three once accepted; each follow-up answer: its author and the broker;
// - a step by the wrong person or in the wrong state is INTRODUCTION_CLOSED for those who see the
//   introduction, NOT_FOUND for those who do not, and writes nothing.

type Actor = 'signedOut' | 'other' | 'target' | 'broker' | 'requester';
const ACTORS: readonly Actor[] = ['signedOut', 'other', 'target', 'broker', 'requester'];
type Role = 'requester' | 'broker' | 'target';

let server: TestServer;
/** Where the subscribers connect: on PostgreSQL + Redis a second instance, so every event crosses Redis. */
let live: TestServer;
let url: string;
let w: IntroductionsWorld;
const db = () => server.app.services.db;
const sockets: Client[] = [];

beforeAll(async () => {
  server = await startServer({ env: WORLD_ENV });
  live =
    backendFromEnv().kind === 'scale-out' ? await startServer({ env: WORLD_ENV, database: server.database }) : server;
  url = server.graphqlUrl;
  w = await buildIntroductionsWorld(url, server.app.services, 'auth');
});
afterEach(async () => {
  while (sockets.length) await sockets.pop()!.dispose();
});
afterAll(async () => {
  setClockOffset(0);
  if (live !== server) await live?.stop();
  await server?.stop();
});

/** The member playing `actor` for the introduction in `state` (null: signed out). */
function memberFor(actor: Actor, state: WorldState): ChatMember | null {
  if (actor === 'signedOut') return null;
  if (actor === 'target') return w.targets[state];
  return w.people[actor];
}

/**
 * The status an actor's view is made from: the requester reads a target's decline as still forwarded
 * until the end of the target's step (when a lapse would have told them).
 */
function viewStatus(actor: Actor, state: WorldState): string {
  return actor === 'requester' && state === 'TARGET_DECLINED_HIDDEN' ? 'FORWARDED' : STATUS_OF[state];
}

function roleOf(actor: Actor, state: WorldState): Role | null {
  if (actor === 'requester' || actor === 'broker') return actor;
  if (actor === 'target') return FORWARDED_STATES.includes(state) ? 'target' : null;
  return null;
}

// ── the expected projection, from the contract ───────────────────────────

const REQUESTER_STATE: Record<string, string> = {
  REQUESTED: 'REQUESTED',
  FORWARDED: 'FORWARDED',
  ACCEPTED: 'ACCEPTED',
  BROKER_DECLINED: 'NOT_NOW',
  TARGET_DECLINED: 'NOT_HAPPENED',
  BROKER_EXPIRED: 'EXPIRED',
  TARGET_EXPIRED: 'NOT_HAPPENED',
  WITHDRAWN: 'WITHDRAWN',
};
const OPEN = ['REQUESTED', 'FORWARDED'];

const NODE_FIELDS = /* GraphQL */ `
  id viewerRole state requester { id } broker { id } target { id }
  reason hopes presentation brokerNote brokerMessage targetNote
  createdAt forwardedAt closedAt expiresAt conversation { id }
  requesterFollowUp targetFollowUp followUpAskedAt
  viewerCanForward viewerCanDecline viewerCanAccept viewerCanWithdraw viewerCanAnswerFollowUp viewerCanLeaveConversation
`;

/** What a node reads, with instants reduced to whether they are set. */
function shape(node: UntypedData | null): UntypedData | null {
  if (!node) return null;
  const set = (value: unknown) => (value === null ? null : 'set');
  return {
    ...node,
    createdAt: set(node.createdAt),
    forwardedAt: set(node.forwardedAt),
    closedAt: set(node.closedAt),
    expiresAt: set(node.expiresAt),
    followUpAskedAt: set(node.followUpAskedAt),
    conversation: node.conversation === null ? null : 'set',
  };
}

function expectedNode(state: WorldState, actor: Actor): UntypedData | null {
  const role = roleOf(actor, state);
  if (role === null) return null;
  const status = viewStatus(actor, state);
  const forwarded = FORWARDED_STATES.includes(state);
  const accepted = status === 'ACCEPTED';
  const R = role === 'requester';
  const B = role === 'broker';
  const T = role === 'target';
  const when = (condition: boolean) => (condition ? 'set' : null);
  return {
    id: w.ids[state],
    viewerRole: role.toUpperCase(),
    state: R ? REQUESTER_STATE[status] : status,
    requester: { id: w.people.requester.personId },
    broker: { id: w.people.broker.personId },
    target: { id: w.targets[state].personId },
    reason: R || B ? WORDS.reason(state) : null,
    hopes: R || B ? WORDS.hopes(state) : null,
    presentation: forwarded ? WORDS.presentation(state) : WORDS.reason(state),
    brokerNote: forwarded && (B || T || accepted) ? WORDS.brokerNote(state) : null,
    brokerMessage: (R || B) && status === 'BROKER_DECLINED' ? WORDS.brokerMessage : null,
    targetNote:
      (B || T) && (accepted || status === 'TARGET_DECLINED')
        ? WORDS.targetNote(state)
        : R && accepted
          ? WORDS.targetNote(state)
          : null,
    createdAt: 'set',
    forwardedAt: when(forwarded),
    closedAt: when(!OPEN.includes(status) && !(R && (status === 'TARGET_DECLINED' || status === 'TARGET_EXPIRED'))),
    expiresAt: when(R ? OPEN.includes(status) : B ? status === 'REQUESTED' : status === 'FORWARDED'),
    conversation: when(accepted),
    requesterFollowUp: accepted && (R || B) ? 'YES' : null,
    targetFollowUp: accepted && (T || B) ? 'NOT_YET' : null,
    followUpAskedAt: null,
    viewerCanForward: B && status === 'REQUESTED',
    viewerCanDecline: (B && status === 'REQUESTED') || (T && status === 'FORWARDED'),
    viewerCanAccept: T && status === 'FORWARDED',
    viewerCanWithdraw: R && OPEN.includes(status),
    viewerCanAnswerFollowUp: (R || T) && accepted,
    viewerCanLeaveConversation: B && accepted,
  };
}

async function asActor(actor: Actor, state: WorldState, query: string, variables: Record<string, unknown> = {}) {
  const who = memberFor(actor, state);
  const response = await gql(url, query, variables, who ? { token: who.token } : {});
  return { data: response.body.data ?? null, codes: codesOf(response.body.errors ?? []) };
}

// ── node(id) and every field ─────────────────────────────────────────────

describe('node(id) of every introduction in every state, every field', () => {
  for (const state of STATES) {
    it.each(ACTORS)(`${state} as %s`, async (actor) => {
      const answer = await asActor(
        actor,
        state,
        `query ($id: ID!) { node(id: $id) { ... on Introduction { ${NODE_FIELDS} } } }`,
        {
          id: w.ids[state],
        },
      );
      expect(answer.codes).toEqual([]);
      expect(shape(answer.data?.node ?? null)).toEqual(expectedNode(state, actor));
    });
  }
});

describe('the conversation of the accepted introduction', () => {
  it.each(ACTORS)(
    'as %s: the three reach it through the introduction, and through node(id) only they do',
    async (actor) => {
      const viaIntro = await asActor(
        actor,
        'ACCEPTED',
        'query ($id: ID!) { node(id: $id) { ... on Introduction { conversation { id kind } } } }',
        {
          id: w.ids.ACCEPTED,
        },
      );
      const conversationId = (
        await asActor(
          'requester',
          'ACCEPTED',
          'query ($id: ID!) { node(id: $id) { ... on Introduction { conversation { id } } } }',
          {
            id: w.ids.ACCEPTED,
          },
        )
      ).data?.node.conversation.id as string;
      const direct = await asActor(actor, 'ACCEPTED', 'query ($id: ID!) { node(id: $id) { id } }', {
        id: conversationId,
      });
      const sees = ['requester', 'broker', 'target'].includes(actor);
      expect(viaIntro.data?.node?.conversation ?? null).toEqual(
        sees ? { id: conversationId, kind: 'INTRODUCTION' } : null,
      );
      expect(direct.data?.node ?? null).toEqual(sees ? { id: conversationId } : null);
    },
  );
});

// ── the lists ────────────────────────────────────────────────────────────

const LIST = /* GraphQL */ `
  query ($role: IntroductionRole!, $open: Boolean) {
    introductions(role: $role, open: $open, first: 100) { edges { node { id viewerRole state } } }
  }
`;

describe('introductions(role, open): each list holds only what its role sees', () => {
  const ROLES = ['REQUESTER', 'BROKER', 'TARGET'] as const;
  for (const role of ROLES) {
    for (const open of [null, true, false] as const) {
      it.each(ACTORS)(`role ${role}, open ${open} as %s`, async (actor) => {
        // Every target holds one introduction of the world; ask as the one of each state in turn.
        const states: readonly WorldState[] = actor === 'target' ? STATES : [STATES[0]];
        for (const state of states) {
          const answer = await asActor(actor, state, LIST, { role, open });
          if (actor === 'signedOut') {
            expect(answer.codes).toEqual(['UNAUTHENTICATED']);
            continue;
          }
          expect(answer.codes).toEqual([]);
          const worldIds = new Set(Object.values(w.ids));
          const listed = (answer.data!.introductions.edges as Array<{ node: { id: string } }>)
            .map((edge) => edge.node.id)
            .filter((id) => worldIds.has(id));
          const wanted = STATES.filter((candidate) => {
            if (actor === 'target' && candidate !== state) return false;
            if (roleOf(actor, candidate)?.toUpperCase() !== role) return false;
            const isOpen = OPEN.includes(viewStatus(actor, candidate));
            return open === null || open === isOpen;
          }).map((candidate) => w.ids[candidate]);
          expect([...listed].sort()).toEqual([...wanted].sort());
        }
      });
    }
  }
});

// ── the mutations ────────────────────────────────────────────────────────

type Step =
  | 'forwardIntroduction'
  | 'declineIntroductionRequest'
  | 'acceptIntroduction'
  | 'declineIntroduction'
  | 'withdrawIntroduction'
  | 'answerIntroductionFollowUp'
  | 'leaveIntroductionConversation';

/** Who may take each step, in which real statuses. */
const MAY: Record<Step, Partial<Record<Role, readonly string[]>>> = {
  forwardIntroduction: { broker: ['REQUESTED'] },
  declineIntroductionRequest: { broker: ['REQUESTED'] },
  acceptIntroduction: { target: ['FORWARDED'] },
  declineIntroduction: { target: ['FORWARDED'] },
  withdrawIntroduction: { requester: ['REQUESTED', 'FORWARDED'] },
  answerIntroductionFollowUp: { requester: ['ACCEPTED'], target: ['ACCEPTED'] },
  leaveIntroductionConversation: { broker: ['ACCEPTED'] },
};

function inputOf(step: Step, introductionId: string): Record<string, unknown> {
  switch (step) {
    case 'forwardIntroduction':
      return { introductionId, note: 'Meet them.' };
    case 'declineIntroductionRequest':
      return { introductionId, messageToRequester: 'Not now.' };
    case 'acceptIntroduction':
    case 'declineIntroduction':
      return { introductionId, note: 'A note.' };
    case 'answerIntroductionFollowUp':
      return { introductionId, answer: 'NO' };
    default:
      return { introductionId };
  }
}

function expectedStep(step: Step, state: WorldState, actor: Actor): string {
  if (actor === 'signedOut') return 'UNAUTHENTICATED';
  const role = roleOf(actor, state);
  if (role === null) return 'NOT_FOUND';
  return MAY[step][role]?.includes(viewStatus(actor, state)) ? 'OK' : 'INTRODUCTION_CLOSED';
}

function outcome(result: UntypedData): string {
  if (result.__typename === 'IntroductionPayload') return 'OK';
  return String(result.code ?? result.__typename);
}

const SNAPSHOT = `SELECT coalesce(string_agg(concat_ws(' ', i."id", i."status", i."presentation", i."brokerNote", i."brokerMessage",
    i."targetNote", i."expiresAt", i."forwardedAt", i."closedAt", i."conversationId", i."requesterFollowUp", i."targetFollowUp",
    (SELECT string_agg(p."userId"::text, ',' ORDER BY p."userId") FROM "ConversationParticipant" p WHERE p."conversationId" = i."conversationId")),
    E'\\n' ORDER BY i."id"), '') AS introductions,
  (SELECT count(*)::text FROM "Notification") AS notifications,
  (SELECT count(*)::text FROM "Introduction") AS count
  FROM "Introduction" i`;
async function snapshot(): Promise<unknown> {
  return db().$queryRawUnsafe(SNAPSHOT);
}

let freshCount = 0;
/** A new introduction of the world's requester and broker, to a new target, brought to `status`. */
async function fresh(status: string): Promise<{ id: string; target: ChatMember }> {
  freshCount += 1;
  const target = await chatMember(url, `Fresh target ${freshCount}`);
  await openToIntroductions(url, target);
  const joined = await mutate(url, target, 'joinGroup', { groupId: w.group.id });
  expect(joined.__typename).toBe('GroupPayload');
  const asked = await request(url, w.people.requester, w.people.broker, target, 'REQUESTED');
  expect(asked.__typename, JSON.stringify(asked)).toBe('IntroductionPayload');
  const id = asked.introduction.id as string;
  if (status !== 'REQUESTED')
    expect((await forward(url, w.people.broker, id, 'FORWARDED')).__typename).toBe('IntroductionPayload');
  if (status === 'ACCEPTED')
    expect((await introMutation(url, target, 'acceptIntroduction', { introductionId: id })).__typename).toBe(
      'IntroductionPayload',
    );
  if (status === 'TARGET_DECLINED')
    expect((await introMutation(url, target, 'declineIntroduction', { introductionId: id })).__typename).toBe(
      'IntroductionPayload',
    );
  return { id, target };
}

describe('every step, by every actor, on the introduction in every state', () => {
  const STEPS = Object.keys(MAY) as Step[];
  for (const step of STEPS) {
    for (const state of STATES) {
      it.each(ACTORS)(`${step} on ${state} as %s`, async (actor) => {
        const expected = expectedStep(step, state, actor);
        if (expected === 'OK') {
          // Allowed: taken on a fresh introduction in the same state, so the world stays as built.
          const made = await fresh(STATUS_OF[state]);
          const who = actor === 'target' ? made.target : memberFor(actor, state);
          const result = await introMutation(url, who, step, inputOf(step, made.id));
          expect(outcome(result), JSON.stringify(result)).toBe('OK');
          return;
        }
        const before = await snapshot();
        const result = await introMutation(url, memberFor(actor, state), step, inputOf(step, w.ids[state]));
        expect(outcome(result), JSON.stringify(result)).toBe(expected);
        expect(await snapshot(), 'a refusal writes nothing').toEqual(before);
      });
    }
  }

  it('requestIntroduction signed out is refused and writes nothing', async () => {
    const before = await snapshot();
    const result = await introMutation(url, null, 'requestIntroduction', {
      brokerId: w.people.broker.personId,
      targetId: w.targets.REQUESTED.personId,
      reason: 'Signed out',
    });
    expect(outcome(result)).toBe('UNAUTHENTICATED');
    expect(await snapshot()).toEqual(before);
  });
});

// ── the live events ──────────────────────────────────────────────────────

interface LiveIntroduction {
  introduction: {
    id: string;
    viewerRole: string;
    state: string;
    closedAt: string | null;
    targetNote: string | null;
    reason: string | null;
    brokerMessage: string | null;
  };
}
const EVENTS = /* GraphQL */ `
  subscription { introductionEvents { introduction { id viewerRole state closedAt targetNote reason brokerMessage } } }
`;

describe('introductionEvents: who hears what', () => {
  it('refuses a signed-out subscriber', async () => {
    const socket = wsClient(live.wsUrl);
    sockets.push(socket);
    const stream = openStream<LiveIntroduction>(socket, EVENTS, {}, 'introductionEvents');
    const end = await stream.waitForEnd();
    expect(codesOf(end.errors)).toEqual(['UNAUTHENTICATED']);
  });

  it('tells the requester, the broker, and the target only once forwarded, each in their own projection; another member nothing', async () => {
    const target = await chatMember(url, 'Live target');
    await openToIntroductions(url, target);
    await mutate(url, target, 'joinGroup', { groupId: w.group.id });
    const streams = new Map<'requester' | 'broker' | 'target' | 'other', Stream<LiveIntroduction>>();
    const members = { requester: w.people.requester, broker: w.people.broker, target, other: w.people.other };
    for (const [name, member] of Object.entries(members) as Array<[keyof typeof members, ChatMember]>) {
      const socket = memberSocket(live.wsUrl, member);
      sockets.push(socket);
      streams.set(name, openStream<LiveIntroduction>(socket, EVENTS, {}, 'introductionEvents'));
    }
    // Every stream listens before the first change: each hears a warm-up of its own (a follow-up
    // answer to an accepted introduction the other member asked for, through the broker, to the live
    // target; the requester answers the world's accepted one) until it arrives.
    const warm = await introMutation(url, w.people.other, 'requestIntroduction', {
      brokerId: w.people.broker.personId,
      targetId: target.personId,
      reason: 'Warm-up',
    });
    expect(warm.__typename, JSON.stringify(warm)).toBe('IntroductionPayload');
    const warmId = warm.introduction.id as string;
    await forward(url, w.people.broker, warmId, 'warm');
    await introMutation(url, target, 'acceptIntroduction', { introductionId: warmId });
    const deadline = Date.now() + WAIT_MS;
    for (const [name, stream] of streams) {
      // Each answers a follow-up of their own (an answer reaches only those who read it: its author and the broker).
      const trigger =
        name === 'requester'
          ? () =>
              introMutation(url, w.people.requester, 'answerIntroductionFollowUp', {
                introductionId: w.ids.ACCEPTED,
                answer: 'YES',
              })
          : name === 'target'
            ? () => introMutation(url, target, 'answerIntroductionFollowUp', { introductionId: warmId, answer: 'YES' })
            : () =>
                introMutation(url, w.people.other, 'answerIntroductionFollowUp', {
                  introductionId: warmId,
                  answer: 'YES',
                });
      for (;;) {
        await trigger();
        try {
          await stream.waitFor((items) => items.length > 0, `${name} warmed up`, 300);
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
        }
      }
    }
    const seen = new Map([...streams].map(([name, stream]) => [name, stream.received.length]));
    const flow = (name: keyof typeof members) =>
      streams
        .get(name)!
        .received.slice(seen.get(name))
        .filter((event) => event.introduction.id === askedId)
        .map((event) => event.introduction);

    const asked = await request(url, w.people.requester, w.people.broker, target, 'live');
    const askedId = asked.introduction.id as string;
    await streams.get('broker')!.waitFor(() => flow('broker').length >= 1, 'the broker hears of the request');
    await streams.get('requester')!.waitFor(() => flow('requester').length >= 1, 'the requester hears of it');
    await forward(url, w.people.broker, askedId, 'live');
    await streams.get('target')!.waitFor(() => flow('target').length >= 1, 'the target hears of the forward');
    const declined = await introMutation(url, target, 'declineIntroduction', {
      introductionId: askedId,
      note: 'Not for me.',
    });
    expect(declined.__typename).toBe('IntroductionPayload');
    await streams.get('broker')!.waitFor(() => flow('broker').length >= 3, 'the broker hears the end');
    await streams.get('target')!.waitFor(() => flow('target').length >= 2, 'the target hears its own answer');
    // The requester hears nothing of the decline now: it reaches them when a lapse would, at the end
    // of the target's step, as what a lapse sends.
    expect(flow('requester').map((event) => [event.state, event.closedAt, event.targetNote])).toEqual([
      ['REQUESTED', null, null],
      ['FORWARDED', null, null],
    ]);
    advanceClock(Number(server.app.services.env.INTRODUCTIONS_STEP_DAYS) * 86_400_000 + 60_000);
    await runDueJobs(server.app.services);
    await streams.get('requester')!.waitFor(() => flow('requester').length >= 3, 'the requester hears the end');
    expect(flow('requester').map((event) => [event.state, event.closedAt, event.targetNote])).toEqual([
      ['REQUESTED', null, null],
      ['FORWARDED', null, null],
      ['NOT_HAPPENED', null, null],
    ]);
    expect(flow('broker').map((event) => [event.state, event.targetNote])).toEqual([
      ['REQUESTED', null],
      ['FORWARDED', null],
      ['TARGET_DECLINED', 'Not for me.'],
    ]);
    // Nothing before the forward, and never the requester's own words.
    expect(flow('target').map((event) => [event.state, event.reason, event.targetNote])).toEqual([
      ['FORWARDED', null, null],
      ['TARGET_DECLINED', null, 'Not for me.'],
    ]);
    expect(flow('other')).toEqual([]);

    // The other member asks the broker about the same target, who declines with words for them: the
    // asker hears "not now" with those words; the target (never forwarded) and the first requester
    // hear nothing of it.
    const before = new Map([...streams].map(([name, stream]) => [name, stream.received.length]));
    const second = await request(url, w.people.other, w.people.broker, target, 'live second');
    expect(second.__typename, JSON.stringify(second)).toBe('IntroductionPayload');
    const secondId = second.introduction.id as string;
    const declinedRequest = await introMutation(url, w.people.broker, 'declineIntroductionRequest', {
      introductionId: secondId,
      messageToRequester: 'Ask me again in spring.',
    });
    expect(declinedRequest.__typename).toBe('IntroductionPayload');
    const about = (name: keyof typeof members) =>
      streams
        .get(name)!
        .received.slice(before.get(name))
        .filter((event) => event.introduction.id === secondId)
        .map((event) => event.introduction);
    await streams.get('other')!.waitFor(() => about('other').length >= 2, 'the asker hears the decline');
    await streams.get('broker')!.waitFor(() => about('broker').length >= 2, 'the broker hears its own decline');
    expect(about('other').map((event) => [event.viewerRole, event.state, event.brokerMessage])).toEqual([
      ['REQUESTER', 'REQUESTED', null],
      ['REQUESTER', 'NOT_NOW', 'Ask me again in spring.'],
    ]);
    expect(about('broker').map((event) => event.state)).toEqual(['REQUESTED', 'BROKER_DECLINED']);
    expect(about('target')).toEqual([]);
    expect(about('requester')).toEqual([]);
    for (const stream of streams.values()) expect(stream.errors).toEqual([]);
  });
});
