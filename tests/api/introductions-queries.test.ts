import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, setClockOffset } from '../../server/src/lib/clock.js';
import { type App, buildApp } from '../../server/src/app.js';
import { loadEnv } from '../../server/src/env.js';
import { runDueJobs } from '../../server/src/modules/jobs/index.js';
import { backendFromEnv } from '../support/backend.js';
import {
  type ChatMember,
  chatMember,
  directConversation,
  memberSocket,
  openStream,
  type Stream,
  send,
  WAIT_MS,
} from '../support/chat.js';
import { gql, type UntypedData } from '../support/graphql.js';
import { createGroup, mutate } from '../support/groups.js';
import {
  buildIntroductionsWorld,
  forward,
  type IntroductionsWorld,
  introMutation,
  openToIntroductions,
  request,
  STATES,
  WORDS,
  WORLD_ENV,
} from '../support/introductions-world.js';
import { activeMentorship } from '../support/mentorship.js';
import { block } from '../support/safety.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startServer, type TestServer } from '../support/server.js';
import { trackInProcessServer } from '../support/sign-up.js';

// The read side of introductions: the Introduction node as each of its people reads it, the lists
// by role, the suggested brokers with their reasons and exclusions, Person.viewerCanAskIntroduction,
// and the live events. Who may see what, exhaustively: introductions-authorization.test.ts.

let server: TestServer;
let live: TestServer;
let url: string;
let w: IntroductionsWorld;
const sockets: Client[] = [];

beforeAll(async () => {
  server = await startServer({ env: WORLD_ENV });
  live =
    backendFromEnv().kind === 'scale-out' ? await startServer({ env: WORLD_ENV, database: server.database }) : server;
  url = server.graphqlUrl;
  w = await buildIntroductionsWorld(url, server.app.services, 'queries');
});
afterEach(async () => {
  while (sockets.length) await sockets.pop()!.dispose();
});
afterAll(async () => {
  setClockOffset(0);
  if (live !== server) await live?.stop();
  await server?.stop();
});

async function read(who: ChatMember, query: string, variables: Record<string, unknown> = {}): Promise<UntypedData> {
  const response = await gql(url, query, variables, { token: who.token });
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data as UntypedData;
}

const NODE = (fields: string) => `query ($id: ID!) { node(id: $id) { ... on Introduction { ${fields} } } }`;
/** The node's fields as `who` reads them (null at run time when they may not see it). */
async function nodeAs(who: ChatMember, id: string, fields: string): Promise<UntypedData> {
  return (await read(who, NODE(fields), { id })).node as UntypedData;
}

// ── the projection ───────────────────────────────────────────────────────

describe('the Introduction as each of its people reads it', () => {
  const ANSWER_FIELDS =
    'state closedAt targetNote brokerNote brokerMessage expiresAt conversation { id } viewerCanWithdraw viewerCanAnswerFollowUp';

  it('the requester reads a target’s decline and a target’s silence alike: NOT_HAPPENED, no closing time, no note', async () => {
    const declined = await nodeAs(w.people.requester, w.ids.TARGET_DECLINED, ANSWER_FIELDS);
    const lapsed = await nodeAs(w.people.requester, w.ids.TARGET_EXPIRED, ANSWER_FIELDS);
    expect(declined).toEqual(lapsed);
    expect(declined).toMatchObject({ state: 'NOT_HAPPENED', closedAt: null, targetNote: null, brokerNote: null });
  });

  it('until the end of the target’s step the requester reads a decline as still forwarded: open, the same deadline, theirs to withdraw', async () => {
    const id = w.ids.TARGET_DECLINED_HIDDEN;
    const view = await nodeAs(
      w.people.requester,
      id,
      'state closedAt expiresAt forwardedAt targetNote brokerNote viewerCanWithdraw',
    );
    const stepMs = Number(server.app.services.env.INTRODUCTIONS_STEP_DAYS) * 86_400_000;
    expect(view).toMatchObject({
      state: 'FORWARDED',
      closedAt: null,
      targetNote: null,
      brokerNote: null,
      viewerCanWithdraw: true,
    });
    expect(Date.parse(view.expiresAt)).toBe(Date.parse(view.forwardedAt) + stepMs);
    const open = await list(w.people.requester, { role: 'REQUESTER', open: true, first: 100 });
    expect(open.edges.map((edge) => edge.node.id)).toContain(id);
    const closed = await list(w.people.requester, { role: 'REQUESTER', open: false, first: 100 });
    expect(closed.edges.map((edge) => edge.node.id)).not.toContain(id);
    // The broker and the target read the decline at once.
    expect((await nodeAs(w.people.broker, id, 'state')).state).toBe('TARGET_DECLINED');
    expect((await nodeAs(w.targets.TARGET_DECLINED_HIDDEN, id, 'state')).state).toBe('TARGET_DECLINED');
  });

  it('the broker and the target read what really happened', async () => {
    for (const who of [w.people.broker, w.targets.TARGET_DECLINED]) {
      expect(await nodeAs(who, w.ids.TARGET_DECLINED, 'state targetNote closedAt')).toMatchObject({
        state: 'TARGET_DECLINED',
        targetNote: WORDS.targetNote('TARGET_DECLINED'),
      });
    }
    expect((await nodeAs(w.people.broker, w.ids.TARGET_EXPIRED, 'state')).state).toBe('TARGET_EXPIRED');
    expect((await nodeAs(w.targets.TARGET_EXPIRED, w.ids.TARGET_EXPIRED, 'state')).state).toBe('TARGET_EXPIRED');
  });

  it('the requester reads "not now" with the broker’s words, and "expired" when the broker never answered', async () => {
    expect(await nodeAs(w.people.requester, w.ids.BROKER_DECLINED, 'state brokerMessage closedAt')).toMatchObject({
      state: 'NOT_NOW',
      brokerMessage: WORDS.brokerMessage,
    });
    expect((await nodeAs(w.people.requester, w.ids.BROKER_DECLINED, 'closedAt')).closedAt).not.toBeNull();
    expect((await nodeAs(w.people.broker, w.ids.BROKER_DECLINED, 'state')).state).toBe('BROKER_DECLINED');
    expect((await nodeAs(w.people.requester, w.ids.BROKER_EXPIRED, 'state')).state).toBe('EXPIRED');
    expect((await nodeAs(w.people.broker, w.ids.BROKER_EXPIRED, 'state')).state).toBe('BROKER_EXPIRED');
  });

  it('the target reads the presentation and the broker’s note, never the requester’s own reason and hopes', async () => {
    expect(await nodeAs(w.targets.FORWARDED, w.ids.FORWARDED, 'reason hopes presentation brokerNote')).toEqual({
      reason: null,
      hopes: null,
      presentation: WORDS.presentation('FORWARDED'),
      brokerNote: WORDS.brokerNote('FORWARDED'),
    });
  });

  it('the requester reads the broker’s and the target’s notes once accepted, and the conversation of the three', async () => {
    const accepted = await nodeAs(
      w.people.requester,
      w.ids.ACCEPTED,
      'state brokerNote targetNote conversation { id kind }',
    );
    expect(accepted).toMatchObject({
      state: 'ACCEPTED',
      brokerNote: WORDS.brokerNote('ACCEPTED'),
      targetNote: WORDS.targetNote('ACCEPTED'),
      conversation: { kind: 'INTRODUCTION' },
    });
    // Before acceptance the broker's note to the target is not the requester's to read.
    expect((await nodeAs(w.people.requester, w.ids.FORWARDED, 'brokerNote')).brokerNote).toBeNull();
  });

  it('each side reads its own follow-up answer; the broker reads both', async () => {
    const fields = 'requesterFollowUp targetFollowUp';
    expect(await nodeAs(w.people.requester, w.ids.ACCEPTED, fields)).toEqual({
      requesterFollowUp: 'YES',
      targetFollowUp: null,
    });
    expect(await nodeAs(w.targets.ACCEPTED, w.ids.ACCEPTED, fields)).toEqual({
      requesterFollowUp: null,
      targetFollowUp: 'NOT_YET',
    });
    expect(await nodeAs(w.people.broker, w.ids.ACCEPTED, fields)).toEqual({
      requesterFollowUp: 'YES',
      targetFollowUp: 'NOT_YET',
    });
  });

  it('the presentation is the requester’s reason until the broker writes one', async () => {
    const target = await freshTarget('plain forward');
    const asked = await request(url, w.people.requester, w.people.broker, target, 'plain');
    const id = asked.introduction.id as string;
    expect((await nodeAs(w.people.broker, id, 'presentation')).presentation).toBe(WORDS.reason('plain' as never));
    await introMutation(url, w.people.broker, 'forwardIntroduction', { introductionId: id, note: 'Hi' });
    expect((await nodeAs(target, id, 'presentation reason')).presentation).toBe(WORDS.reason('plain' as never));
  });

  it('the target does not find a request that was never forwarded, whatever became of it', async () => {
    for (const state of ['REQUESTED', 'BROKER_DECLINED', 'BROKER_EXPIRED', 'WITHDRAWN'] as const) {
      expect(await nodeAs(w.targets[state], w.ids[state], 'id'), state).toBeNull();
    }
    // Withdrawn after the forward: it was theirs to see, and stays so.
    expect(await nodeAs(w.targets.WITHDRAWN_AFTER_FORWARD, w.ids.WITHDRAWN_AFTER_FORWARD, 'state')).toEqual({
      state: 'WITHDRAWN',
    });
  });

  it('someone else finds none of them', async () => {
    for (const state of STATES) expect(await nodeAs(w.people.other, w.ids[state], 'id'), state).toBeNull();
  });
});

// ── the lists ────────────────────────────────────────────────────────────

const LIST = /* GraphQL */ `
  query ($role: IntroductionRole!, $open: Boolean, $first: Int, $after: String) {
    introductions(role: $role, open: $open, first: $first, after: $after) {
      edges { cursor node { id state viewerRole } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;
async function list(who: ChatMember, variables: Record<string, unknown>) {
  const data = await read(who, LIST, variables);
  return data.introductions as {
    edges: Array<{ cursor: string; node: { id: string; state: string; viewerRole: string } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}
const worldIds = () => new Set(Object.values(w.ids));

describe('introductions(role, open)', () => {
  it('lists the requester’s own, newest first, in their projection', async () => {
    const page = await list(w.people.requester, { role: 'REQUESTER', first: 100 });
    const mine = page.edges.map((edge) => edge.node).filter((node) => worldIds().has(node.id));
    expect(mine.map((node) => node.id).sort()).toEqual([...worldIds()].sort());
    expect(mine.every((node) => node.viewerRole === 'REQUESTER')).toBe(true);
    const states = new Set(mine.map((node) => node.state));
    expect(states.has('TARGET_DECLINED') || states.has('TARGET_EXPIRED') || states.has('BROKER_DECLINED')).toBe(false);
    expect(states).toContain('NOT_HAPPENED');
    // Newest first: the three whose step ended first were asked first, so they come last.
    const order = page.edges.map((edge) => edge.node.id).filter((id) => worldIds().has(id));
    expect(order.slice(-3).sort()).toEqual([w.ids.BROKER_EXPIRED, w.ids.TARGET_EXPIRED, w.ids.TARGET_DECLINED].sort());
  });

  it('open: true holds those still waiting for someone; false the rest', async () => {
    const open = await list(w.people.broker, { role: 'BROKER', open: true, first: 100 });
    const openIds = open.edges.map((edge) => edge.node.id).filter((id) => worldIds().has(id));
    expect(openIds.sort()).toEqual([w.ids.REQUESTED, w.ids.FORWARDED].sort());
    const closed = await list(w.people.broker, { role: 'BROKER', open: false, first: 100 });
    const closedIds = closed.edges.map((edge) => edge.node.id).filter((id) => worldIds().has(id));
    expect(closedIds).toHaveLength(STATES.length - 2);
    expect(closedIds).not.toContain(w.ids.REQUESTED);
  });

  it('the target’s list holds only what was forwarded to them', async () => {
    expect((await list(w.targets.REQUESTED, { role: 'TARGET' })).edges).toEqual([]);
    const forwarded = await list(w.targets.FORWARDED, { role: 'TARGET', open: true });
    expect(forwarded.edges.map((edge) => edge.node)).toEqual([
      { id: w.ids.FORWARDED, state: 'FORWARDED', viewerRole: 'TARGET' },
    ]);
    // The requester's and the broker's tabs of the target are empty.
    expect((await list(w.targets.FORWARDED, { role: 'REQUESTER' })).edges).toEqual([]);
    expect((await list(w.targets.FORWARDED, { role: 'BROKER' })).edges).toEqual([]);
  });

  it('pages with first and after', async () => {
    const all = await list(w.people.requester, { role: 'REQUESTER', first: 100 });
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await list(w.people.requester, { role: 'REQUESTER', first: 4, after });
      seen.push(...page.edges.map((edge) => edge.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.edges.map((edge) => edge.node.id));
  });

  it('is refused signed out', async () => {
    const response = await gql(url, LIST, { role: 'REQUESTER' });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

// ── suggested brokers ────────────────────────────────────────────────────

const BROKERS = /* GraphQL */ `
  query ($targetId: ID!) {
    introductionBrokers(targetId: $targetId) {
      target { id } canAsk reason brokers { person { id name } reasons score }
    }
  }
`;
interface Suggestions {
  target: { id: string } | null;
  canAsk: boolean;
  reason: string | null;
  brokers: Array<{ person: { id: string; name: string }; reasons: string[]; score: number }>;
}
async function brokersFor(who: ChatMember, target: ChatMember | string): Promise<Suggestions> {
  const targetId = typeof target === 'string' ? target : target.personId;
  return (await read(who, BROKERS, { targetId })).introductionBrokers as Suggestions;
}
const reasonsOf = (suggestions: Suggestions) =>
  Object.fromEntries(suggestions.brokers.map((broker) => [broker.person.name, broker.reasons]));

let freshCount = 0;
async function freshTarget(name: string): Promise<ChatMember> {
  freshCount += 1;
  const target = await chatMember(url, `${name} ${freshCount}`);
  await openToIntroductions(url, target);
  expect((await mutate(url, target, 'joinGroup', { groupId: w.group.id })).__typename).toBe('GroupPayload');
  return target;
}

async function joinAll(groupId: string, members: ChatMember[]) {
  for (const member of members) {
    const joined = await mutate(url, member, 'joinGroup', { groupId });
    expect(joined.__typename, JSON.stringify(joined)).toBe('GroupPayload');
  }
}

/** A SECRET group of `owner` that `members` join by direct invite. */
async function secretGroup(owner: ChatMember, name: string, members: ChatMember[]) {
  const group = await createGroup(url, owner, { name, visibility: 'SECRET' });
  for (const member of members) {
    const invited = await mutate(
      url,
      owner,
      'inviteMember',
      { groupId: group.id, personId: member.personId },
      '... on GroupInvitePayload { invite { id } }',
    );
    expect(invited.__typename, JSON.stringify(invited)).toBe('GroupInvitePayload');
    const accepted = await mutate(url, member, 'acceptInvite', { inviteId: invited.invite.id });
    expect(accepted.__typename, JSON.stringify(accepted)).toBe('GroupPayload');
  }
  return group;
}

describe('introductionBrokers: whom to ask, ranked, with the reasons in words', () => {
  let rita: ChatMember;
  let mira: ChatMember;
  let mentor: ChatMember;
  let classmate: ChatMember;
  let chatty: ChatMember;
  let acquaintance: ChatMember;
  let introducer: ChatMember;
  let blockedByMira: ChatMember;
  let blockedByRita: ChatMember;
  let secretOnly: ChatMember;
  let dmOnly: ChatMember;
  let cohortName: string;
  let institution: string;

  beforeAll(async () => {
    const tag = Date.now().toString(36);
    rita = await chatMember(url, `Rita Asker ${tag}`);
    mira = await chatMember(url, `Mira Novak ${tag}`);
    mentor = await chatMember(url, `Mentor Mo ${tag}`);
    classmate = await chatMember(url, `Classmate Cleo ${tag}`);
    chatty = await chatMember(url, `Chatty Chen ${tag}`);
    acquaintance = await chatMember(url, `Acquaintance Al ${tag}`);
    introducer = await chatMember(url, `Introducer Ida ${tag}`);
    blockedByMira = await chatMember(url, `Blocked Bea ${tag}`);
    blockedByRita = await chatMember(url, `Blocked Bob ${tag}`);
    secretOnly = await chatMember(url, `Secret Sam ${tag}`);
    dmOnly = await chatMember(url, `Direct Dora ${tag}`);
    await openToIntroductions(url, mira);

    // A large group with everyone (it connects each of them with both Rita and Mira), but the two
    // who are connected with Mira only in ways that do not count.
    const big = await createGroup(url, mentor, { name: `Berlin Tech Association ${tag}` });
    await joinAll(big.id, [rita, mira, classmate, chatty, acquaintance, introducer, blockedByMira, blockedByRita]);
    // Make it large, so the small and closer ties rank above it.
    for (let i = 0; i < 6; i += 1) await joinAll(big.id, [await chatMember(url, `Extra ${i} ${tag}`)]);

    await activeMentorship(url, rita, mentor);
    cohortName = 'Autumn 2024';
    institution = `Launchpad ${tag}`;
    const cohort = await createGroup(url, classmate, {
      name: `Launchpad · Autumn 2024 cohort ${tag}`,
      kind: 'ALUMNI',
      institution,
      cohort: cohortName,
    });
    await joinAll(cohort.id, [rita]);
    const direct = await directConversation(url, chatty, [rita]);
    await send(url, chatty, direct.id, 'Good to see you at the meetup!');

    // Ida made an introduction before that connected (the requester said yes).
    const x = await chatMember(url, `Earlier Requester ${tag}`);
    const y = await chatMember(url, `Earlier Target ${tag}`);
    await openToIntroductions(url, y);
    await joinAll(big.id, [x, y]);
    const earlier = await request(url, x, introducer, y, 'earlier');
    expect(earlier.__typename, JSON.stringify(earlier)).toBe('IntroductionPayload');
    await forward(url, introducer, earlier.introduction.id, 'earlier');
    await introMutation(url, y, 'acceptIntroduction', { introductionId: earlier.introduction.id });
    await introMutation(url, x, 'answerIntroductionFollowUp', {
      introductionId: earlier.introduction.id,
      answer: 'YES',
    });

    await block(url, mira, blockedByMira);
    await block(url, rita, blockedByRita);

    // Sam shares a small group with Rita, and with Mira only a SECRET group Rita is not in.
    const small = await createGroup(url, secretOnly, { name: `Rita's reading circle ${tag}` });
    await joinAll(small.id, [rita, dmOnly]);
    await secretGroup(mira, `Mira's secret circle ${tag}`, [secretOnly]);
    // Dora shares a small group with Rita and only a direct conversation with Mira: Mira takes
    // introductions through people she shares a group or a mentorship with.
    const dora = await directConversation(url, dmOnly, [mira]);
    await send(url, dmOnly, dora.id, 'Hi Mira');
  });

  it('ranks the mentor first, and gives each one its reasons', async () => {
    const suggestions = await brokersFor(rita, mira);
    expect(suggestions.canAsk).toBe(true);
    expect(suggestions.reason).toBeNull();
    expect(suggestions.target).toEqual({ id: mira.personId });
    expect(suggestions.brokers[0]!.person.id).toBe(mentor.personId);
    const reasons = reasonsOf(suggestions);
    const miraName = mira.name;
    expect(reasons[mentor.name]).toEqual([
      'mentors you',
      expect.stringMatching(/^you are both in Berlin Tech Association/),
      expect.stringMatching(new RegExp(`^is in Berlin Tech Association .* with ${miraName}$`)),
    ]);
    expect(reasons[classmate.name]![0]).toBe(`you were both in the ${cohortName} cohort of ${institution}`);
    // Chat dates its messages by the database's clock, not the test's moved one: today or a week ago.
    expect(reasons[chatty.name]).toContainEqual(expect.stringMatching(/^talked with you (today|last week)$/));
    expect(reasons[introducer.name]).toContain('made an introduction that connected');
    expect(reasons[acquaintance.name]).toHaveLength(2);
    // Best first, by score.
    const scores = suggestions.brokers.map((broker) => broker.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const name of [classmate.name, chatty.name, introducer.name]) {
      expect(suggestions.brokers.find((broker) => broker.person.name === name)!.score).toBeGreaterThan(
        suggestions.brokers.find((broker) => broker.person.name === acquaintance.name)!.score,
      );
    }
  });

  it('never suggests someone kept apart by a block, someone tied to the target only in ways that do not count, or the two themselves', async () => {
    const ids = (await brokersFor(rita, mira)).brokers.map((broker) => broker.person.id);
    for (const excluded of [blockedByMira, blockedByRita, secretOnly, dmOnly, rita, mira]) {
      expect(ids, excluded.name).not.toContain(excluded.personId);
    }
  });

  it('only mentors and mentees when the target takes introductions through mentorships only', async () => {
    await openToIntroductions(url, mira, 'MENTORSHIPS');
    try {
      expect((await read(mira, 'query { viewer { introductionsThrough } }')).viewer).toEqual({
        introductionsThrough: 'MENTORSHIPS',
      });
      expect((await brokersFor(rita, mira)).brokers).toEqual([]);
      expect((await brokersFor(rita, mira)).reason).toBe(
        `${mira.name} takes introductions only through people they mentor or are mentored by, and none of them is connected to you.`,
      );
      // Mo mentors Mira too now: Mo may introduce Rita.
      await activeMentorship(url, mira, mentor, { mentorProfile: false });
      const suggestions = await brokersFor(rita, mira);
      expect(suggestions.brokers.map((broker) => broker.person.id)).toEqual([mentor.personId]);
      // Their mentorship is theirs: the words name the group Mo and Mira share, not it.
      expect(suggestions.brokers[0]!.reasons[0]).toBe('mentors you');
      expect(suggestions.brokers[0]!.reasons).toContainEqual(expect.stringMatching(new RegExp(`with ${mira.name}$`)));
      expect(suggestions.brokers[0]!.reasons.join(' ')).not.toMatch(new RegExp(`(mentors|knows) ${mira.name}`));
    } finally {
      await openToIntroductions(url, mira, 'SHARED_GROUPS');
    }
  });

  it('says in words when the target takes no introductions, and lists nobody', async () => {
    const closed = await chatMember(url, 'Closed Clara');
    await joinAll(w.group.id, [closed]);
    const suggestions = await brokersFor(w.people.requester, closed);
    expect(suggestions).toEqual({
      target: { id: closed.personId },
      canAsk: false,
      reason: `${closed.name} is not taking introductions right now.`,
      brokers: [],
    });
  });

  it('says in words when nobody the requester knows is connected with the target', async () => {
    const stranger = await chatMember(url, 'Stranger Stella');
    await openToIntroductions(url, stranger);
    expect(await brokersFor(rita, stranger)).toEqual({
      target: { id: stranger.personId },
      canAsk: false,
      reason: `Nobody you know is connected to ${stranger.name} yet.`,
      brokers: [],
    });
  });

  it('a target who blocked the requester (or was blocked) looks like nobody at all, as does an unknown id', async () => {
    const notFound = { target: null, canAsk: false, reason: 'This member was not found.', brokers: [] };
    expect(await brokersFor(blockedByRita, rita)).toEqual(notFound);
    expect(await brokersFor(blockedByMira, mira)).toEqual(notFound);
    expect(await brokersFor(rita, rita)).toEqual(notFound);
    expect(await brokersFor(rita, 'UGVyc29uOjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA==')).toEqual(notFound);
    expect(await brokersFor(rita, 'not an id')).toEqual(notFound);
  });

  it('Person.viewerCanAskIntroduction: someone else, open to introductions, not kept apart', async () => {
    const can = async (who: ChatMember, whom: ChatMember) =>
      (
        await read(who, 'query ($id: ID!) { node(id: $id) { ... on Person { viewerCanAskIntroduction } } }', {
          id: whom.personId,
        })
      ).node?.viewerCanAskIntroduction ?? null;
    expect(await can(rita, mira)).toBe(true);
    expect(await can(rita, rita)).toBe(false);
    expect(await can(rita, mentor)).toBe(false); // not open to introductions
    // A block either way: the button is not offered (and asking would be "not found").
    expect(await can(blockedByMira, mira)).toBe(false);
    expect(await can(mira, blockedByMira)).toBe(false);
  });

  it('is refused signed out', async () => {
    const response = await gql(url, BROKERS, { targetId: mira.personId });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

// ── statements per request ───────────────────────────────────────────────

describe('statements do not grow with the rows', () => {
  let app: App;
  let database: TestDatabase;
  let untrack = () => {};
  let countingUrl: string;
  const statements: string[] = [];
  const few = { requester: null as unknown as ChatMember, target: null as unknown as ChatMember };
  const many = { requester: null as unknown as ChatMember, target: null as unknown as ChatMember };

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = loadEnv({
      LOG_LEVEL: 'silent',
      SEED_DEMO: 'never',
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      MUTATIONS_MAX_PER_MINUTE: '1000000',
      GROUPS_CREATED_MAX_PER_HOUR: '1000000',
      // The job runner's polls would be counted with the statements of the requests under test.
      JOBS_ENABLED: 'false',
      ...WORLD_ENV,
      ...database.env,
    });
    // The viewer's session is read or not depending on the session cache (10 s): not what is counted here.
    app = await buildApp(env, { onQuery: (sql) => void (sql.includes('"Session"') || statements.push(sql)) });
    await app.start();
    untrack = trackInProcessServer(app);
    countingUrl = `${app.url}/graphql`;
    for (const [side, count] of [
      [few, 2],
      [many, 6],
    ] as const) {
      side.requester = await chatMember(countingUrl, `Counting Requester ${count}`);
      side.target = await chatMember(countingUrl, `Counting Target ${count}`);
      // A group of each side's own: its members are the candidates.
      const group = await createGroup(countingUrl, side.requester, { name: `Counting group ${count}` });
      const join = async (member: ChatMember) =>
        expect((await mutate(countingUrl, member, 'joinGroup', { groupId: group.id })).__typename).toBe('GroupPayload');
      await join(side.target);
      await openToIntroductions(countingUrl, side.target);
      for (let i = 0; i < count; i += 1) {
        // Brokers, each connected with the requester and the target, and each one's accepted introduction.
        const other = await chatMember(countingUrl, `Counting Broker ${count}.${i}`);
        await join(other);
        const target = await chatMember(countingUrl, `Counting Met ${count}.${i}`);
        await join(target);
        await openToIntroductions(countingUrl, target);
        const asked = await request(countingUrl, side.requester, other, target, `count ${i}`);
        expect(asked.__typename, JSON.stringify(asked)).toBe('IntroductionPayload');
        await forward(countingUrl, other, asked.introduction.id, `count ${i}`);
        await introMutation(countingUrl, target, 'acceptIntroduction', { introductionId: asked.introduction.id });
        await introMutation(countingUrl, side.requester, 'answerIntroductionFollowUp', {
          introductionId: asked.introduction.id,
          answer: 'YES',
        });
      }
    }
  }, 180_000);

  afterAll(async () => {
    untrack();
    await app?.stop();
    await database?.drop();
  });

  async function counted(who: ChatMember, query: string, variables: Record<string, unknown>) {
    statements.length = 0;
    const response = await gql(countingUrl, query, variables, { token: who.token });
    expect(response.body.errors).toBeUndefined();
    return { data: response.body.data as UntypedData, statements: statements.length };
  }

  it('a list of introductions, every field with the people and the conversation: as many for 6 as for 2', async () => {
    const LIST_ALL = `query { introductions(role: REQUESTER, first: 50) { edges { node {
      id state reason presentation brokerNote targetNote closedAt expiresAt requesterFollowUp followUpAskedAt
      requester { name } broker { name } target { name } conversation { id kind }
      viewerCanWithdraw viewerCanLeaveConversation viewerCanAnswerFollowUp } } } }`;
    const small = await counted(few.requester, LIST_ALL, {});
    const large = await counted(many.requester, LIST_ALL, {});
    expect(small.data.introductions.edges).toHaveLength(2);
    expect(large.data.introductions.edges).toHaveLength(6);
    expect(
      large.data.introductions.edges.every((edge: UntypedData) => edge.node.conversation?.kind === 'INTRODUCTION'),
    ).toBe(true);
    expect(large.statements).toBe(small.statements);
  });

  it('suggested brokers: as many for 12 candidates as for 4', async () => {
    const small = await counted(few.requester, BROKERS, { targetId: few.target.personId });
    const large = await counted(many.requester, BROKERS, { targetId: many.target.personId });
    // Each side's brokers and the members they introduced: 4 and 12 candidates (at most 10 listed).
    expect(small.data.introductionBrokers.brokers).toHaveLength(4);
    expect(large.data.introductionBrokers.brokers).toHaveLength(10);
    expect(large.statements).toBe(small.statements);
  });
});

// ── the live events ──────────────────────────────────────────────────────

interface LiveEvent {
  introduction: { id: string; state: string; closedAt: string | null; targetNote: string | null };
}
const EVENTS = /* GraphQL */ `subscription { introductionEvents { introduction { id state closedAt targetNote } } }`;

function follow(member: ChatMember): Stream<LiveEvent> {
  const socket = memberSocket(live.wsUrl, member);
  sockets.push(socket);
  return openStream<LiveEvent>(socket, EVENTS, {}, 'introductionEvents');
}

/** Repeats a harmless change the stream's member hears (a follow-up answer) until one arrives. */
async function warm(stream: Stream<LiveEvent>, who: ChatMember, acceptedId: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    await introMutation(url, who, 'answerIntroductionFollowUp', { introductionId: acceptedId, answer: 'YES' });
    try {
      await stream.waitFor((items) => items.some((item) => item.introduction.id === acceptedId), 'warm', 300);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}

describe('introductionEvents', () => {
  it('the target hears nothing of a request until it is forwarded, and nothing of one withdrawn before that', async () => {
    const target = await freshTarget('Live target');
    // An accepted introduction of the target's own, to know their stream is listening.
    const other = w.people.other;
    const mine = await request(url, other, w.people.broker, target, 'warm');
    await forward(url, w.people.broker, mine.introduction.id, 'warm');
    await introMutation(url, target, 'acceptIntroduction', { introductionId: mine.introduction.id });
    const stream = follow(target);
    await warm(stream, target, mine.introduction.id);

    const withdrawn = await request(url, w.people.requester, w.people.broker, target, 'live withdrawn');
    await introMutation(url, w.people.requester, 'withdrawIntroduction', { introductionId: withdrawn.introduction.id });
    const asked = await request(url, w.people.requester, w.people.broker, target, 'live asked');
    await forward(url, w.people.broker, asked.introduction.id, 'live asked');
    await stream.waitFor(
      (items) => items.some((item) => item.introduction.id === asked.introduction.id),
      'the target hears of the forward',
    );
    const about = (id: string) =>
      stream.received.filter((item) => item.introduction.id === id).map((item) => item.introduction.state);
    expect(about(withdrawn.introduction.id)).toEqual([]);
    expect(about(asked.introduction.id)).toEqual(['FORWARDED']);
  });

  // Near the end of the file: it moves the clock, and every open introduction of the world lapses with it.
  it('the requester’s live view of a target’s decline and of a target’s silence is the same', async () => {
    const stream = follow(w.people.requester);
    await warm(stream, w.people.requester, w.ids.ACCEPTED);
    const declinedTarget = await freshTarget('Live decliner');
    const silentTarget = await freshTarget('Live silent');
    const declined = await request(url, w.people.requester, w.people.broker, declinedTarget, 'live declined');
    const silent = await request(url, w.people.requester, w.people.broker, silentTarget, 'live silent');
    await forward(url, w.people.broker, declined.introduction.id, 'live declined');
    await forward(url, w.people.broker, silent.introduction.id, 'live silent');
    await introMutation(url, declinedTarget, 'declineIntroduction', {
      introductionId: declined.introduction.id,
      note: 'No, thanks.',
    });
    advanceClock(Number(server.app.services.env.INTRODUCTIONS_STEP_DAYS) * 86_400_000 + 60_000);
    await runDueJobs(server.app.services);
    const last = (id: string) =>
      stream.received.filter((item) => item.introduction.id === id).at(-1)?.introduction ?? null;
    await stream.waitFor(
      () =>
        last(declined.introduction.id)?.state === 'NOT_HAPPENED' &&
        last(silent.introduction.id)?.state === 'NOT_HAPPENED',
      'the requester hears both end',
    );
    const { id: _a, ...declinedView } = last(declined.introduction.id)!;
    const { id: _b, ...silentView } = last(silent.introduction.id)!;
    expect(declinedView).toEqual(silentView);
    expect(declinedView).toEqual({ state: 'NOT_HAPPENED', closedAt: null, targetNote: null });
  });

  it('followUpAskedAt appears once the follow-up is due', async () => {
    const fields = 'followUpAskedAt closedAt';
    const before = await nodeAs(w.people.requester, w.ids.ACCEPTED, fields);
    expect(before!.followUpAskedAt).toBeNull();
    advanceClock(Number(server.app.services.env.INTRODUCTIONS_FOLLOW_UP_DAYS) * 86_400_000);
    const after = await nodeAs(w.people.requester, w.ids.ACCEPTED, fields);
    const days = (Date.parse(after!.followUpAskedAt) - Date.parse(after!.closedAt)) / 86_400_000;
    expect(days).toBe(Number(server.app.services.env.INTRODUCTIONS_FOLLOW_UP_DAYS));
    expect((await nodeAs(w.targets.ACCEPTED, w.ids.ACCEPTED, fields))!.followUpAskedAt).toBe(after!.followUpAskedAt);
  });
});
