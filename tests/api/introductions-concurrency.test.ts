import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/src/db.js';
import type { DbClient } from '../../server/src/db.js';
import { backendFromEnv } from '../support/backend.js';
import { createTestDatabase } from '../support/database.js';
import type { Member, UntypedData } from '../support/graphql.js';
import { userIdOf } from '../support/groups.js';
import { groupOf, introductionMutation, openToIntroductions, requestInput, rowOf } from '../support/introductions.js';
import { crowdIn } from '../support/office-hours.js';
import { spawnServer, startServer } from '../support/server.js';

// The introductions' limits and steps under concurrency: many requests at once never exceed the
// requester's pending limit or the broker's weekly limit, nor make two open requests for one pair;
// the steps of one introduction taken at once (accept against decline or withdraw; forward against
// the broker's decline) have exactly one winner. On one server of the run's back-end, and on PostgreSQL across
// two server processes. PGlite serialises everything; on PostgreSQL the row locks are what holds it
// (the requester's and the broker's User rows when asking, the Introduction row for each step):
// with them removed these tests failed there.

const backend = backendFromEnv();
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const MAX_PENDING = 3;
const WEEKLY_MAX = 6;
const RACERS = 12;
const ROUNDS = 4;
const LIMITS = {
  INTRODUCTIONS_MAX_PENDING: String(MAX_PENDING),
  INTRODUCTIONS_BROKER_WEEKLY_MAX: String(WEEKLY_MAX),
};

interface Arena {
  /** GraphQL URLs to spread the requests over (one per server). */
  urls: string[];
  db: DbClient;
}

const urlOf = (arena: Arena, index: number) => arena.urls[index % arena.urls.length]!;

function tally(results: UntypedData[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) {
    const key = result.__typename === 'IntroductionPayload' ? 'STORED' : String(result.code ?? result.__typename);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

const openCount = (arena: Arena, where: Record<string, unknown>) =>
  arena.db.introduction.count({ where: { ...where, status: { in: ['REQUESTED', 'FORWARDED'] } } });

/** Three members in one group, the target open to introductions. */
async function trio(arena: Arena) {
  const [requester, broker, target] = await crowdIn(arena.db, 3, 'Trio');
  await groupOf(arena.db, [broker!, requester!, target!]);
  await openToIntroductions(arena.db, target!);
  return { requester: requester!, broker: broker!, target: target! };
}

async function step(arena: Arena, index: number, who: Member, name: string, input: Record<string, unknown>) {
  const result = await introductionMutation(urlOf(arena, index), who, name, input);
  expect(result.__typename, JSON.stringify(result)).toBe('IntroductionPayload');
  return result.introduction.id as string;
}

async function pendingRace(arena: Arena): Promise<void> {
  const [requester, ...targets] = await crowdIn(arena.db, RACERS + 1, 'Pending');
  // Each through a broker of its own, so only the requester's limit is in play.
  const brokers = await crowdIn(arena.db, RACERS, 'Broker');
  await groupOf(arena.db, [...brokers, requester!, ...targets]);
  for (const target of targets) await openToIntroductions(arena.db, target);
  const results = await Promise.all(
    targets.map((target, index) =>
      introductionMutation(
        urlOf(arena, index),
        requester!,
        'requestIntroduction',
        requestInput({ broker: brokers[index]!, target }),
      ),
    ),
  );
  expect(tally(results)).toEqual({ STORED: MAX_PENDING, TOO_MANY_PENDING: RACERS - MAX_PENDING });
  expect(await openCount(arena, { requesterId: rowOf(requester!) })).toBe(MAX_PENDING);
}

async function brokerWeekRace(arena: Arena): Promise<void> {
  const [broker, target, ...requesters] = await crowdIn(arena.db, RACERS + 2, 'Week');
  await groupOf(arena.db, [broker!, target!, ...requesters]);
  await openToIntroductions(arena.db, target!);
  const results = await Promise.all(
    requesters.map((requester, index) =>
      introductionMutation(
        urlOf(arena, index),
        requester,
        'requestIntroduction',
        requestInput({ broker: broker!, target: target! }),
      ),
    ),
  );
  expect(tally(results)).toEqual({ STORED: WEEKLY_MAX, BROKER_BUSY: RACERS - WEEKLY_MAX });
  expect(await arena.db.introduction.count({ where: { brokerId: rowOf(broker!) } })).toBe(WEEKLY_MAX);
}

async function pairRace(arena: Arena): Promise<void> {
  const world = await trio(arena);
  const brokers = [world.broker, ...(await crowdIn(arena.db, MAX_PENDING - 1, 'Pair'))];
  await groupOf(arena.db, [...brokers, world.requester, world.target]);
  const twice = [...brokers, ...brokers];
  const results = await Promise.all(
    twice.map((broker, index) =>
      introductionMutation(
        urlOf(arena, index),
        world.requester,
        'requestIntroduction',
        requestInput({ broker, target: world.target }),
      ),
    ),
  );
  expect(tally(results)).toEqual({ STORED: 1, ALREADY_REQUESTED: twice.length - 1 });
  expect(await openCount(arena, { requesterId: rowOf(world.requester), targetId: rowOf(world.target) })).toBe(1);
}

type Step = [string, Member, Record<string, unknown>];

/** The steps twice or three times each, in an order that changes from round to round, spread over the servers. */
async function race(arena: Arena, steps: Step[], copies: number, round: number) {
  const all = Array.from({ length: copies }, () => steps).flat();
  const order = all.map((_, index) => all[(index + round) % all.length]!);
  const results = await Promise.all(
    order.map(([name, who, input], index) => introductionMutation(urlOf(arena, index), who, name, input)),
  );
  expect(tally(results)).toEqual({ STORED: 1, INTRODUCTION_CLOSED: order.length - 1 });
  return order[results.findIndex((result) => result.__typename === 'IntroductionPayload')]![0];
}

async function answerRace(arena: Arena): Promise<void> {
  for (let round = 0; round < ROUNDS; round += 1) {
    const world = await trio(arena);
    const id = await step(arena, 0, world.requester, 'requestIntroduction', requestInput(world));
    await step(arena, 1, world.broker, 'forwardIntroduction', { introductionId: id, note: 'Meet!' });
    // Acceptance against the target's decline, and against the requester's withdrawal (a withdrawal
    // may lawfully follow a decline the requester cannot know of yet, so those two are not raced).
    const against: Step =
      round % 2 === 0
        ? ['declineIntroduction', world.target, { introductionId: id, note: 'No.' }]
        : ['withdrawIntroduction', world.requester, { introductionId: id }];
    const winner = await race(
      arena,
      [['acceptIntroduction', world.target, { introductionId: id, note: 'Yes!' }], against],
      3,
      round,
    );
    const row = await arena.db.introduction.findUniqueOrThrow({ where: { id: userIdOf(id) } });
    const expected = { acceptIntroduction: 'ACCEPTED', declineIntroduction: 'TARGET_DECLINED' }[winner];
    expect(row.status).toBe(expected ?? 'WITHDRAWN');
    // A conversation only for an acceptance, and only one.
    const conversations = await arena.db.conversation.count({
      where: { kind: 'INTRODUCTION', participants: { some: { userId: rowOf(world.requester) } } },
    });
    expect(conversations).toBe(row.status === 'ACCEPTED' ? 1 : 0);
    expect(row.conversationId !== null).toBe(row.status === 'ACCEPTED');
    // Its jobs follow the one outcome: a follow-up if accepted; the step's expiry kept after a decline
    // (it tells the requester at the step's end); none after a withdrawal.
    const jobs = await arena.db.job.findMany({
      where: { key: { endsWith: row.id }, state: 'PENDING' },
      select: { kind: true },
    });
    const expectedJobs = { ACCEPTED: ['introductions.follow-up'], TARGET_DECLINED: ['introductions.step-expiry'] };
    expect(jobs.map((job) => job.kind)).toEqual(expectedJobs[row.status as keyof typeof expectedJobs] ?? []);
  }
}

// (A withdrawal may lawfully follow a forward: it is raced against accept and decline above.)
async function brokerAnswerRace(arena: Arena): Promise<void> {
  for (let round = 0; round < ROUNDS; round += 1) {
    const world = await trio(arena);
    const id = await step(arena, 0, world.requester, 'requestIntroduction', requestInput(world));
    await race(
      arena,
      [
        ['forwardIntroduction', world.broker, { introductionId: id, note: 'Meet!' }],
        ['declineIntroductionRequest', world.broker, { introductionId: id }],
      ],
      3,
      round,
    );
    const row = await arena.db.introduction.findUniqueOrThrow({ where: { id: userIdOf(id) } });
    const jobs = await arena.db.job.count({ where: { key: { endsWith: row.id }, state: 'PENDING' } });
    // Forwarded: one expiry job for the target's step; declined: none.
    expect(jobs).toBe(row.status === 'FORWARDED' ? 1 : 0);
  }
}

/** The races, each with members of its own, on one arena made for them all (at the first test). */
function races(make: () => Promise<Arena>, timeout?: number) {
  let made: Promise<Arena> | undefined;
  const arena = () => (made ??= make());
  it(
    `stores at most ${MAX_PENDING} waiting requests of one requester when ${RACERS} are sent at once`,
    async () => pendingRace(await arena()),
    timeout,
  );
  it(
    `stores at most ${WEEKLY_MAX} requests to one broker in a week when ${RACERS} requesters ask at once`,
    async () => brokerWeekRace(await arena()),
    timeout,
  );
  it(
    'stores one open request for a requester and a target when they ask through several brokers at once',
    async () => pairRace(await arena()),
    timeout,
  );
  it(
    `has one winner when the target accepts while declining or the requester withdraws (${ROUNDS} rounds)`,
    async () => answerRace(await arena()),
    timeout,
  );
  it(
    `has one winner when the broker forwards and declines at once (${ROUNDS} rounds)`,
    async () => brokerAnswerRace(await arena()),
    timeout,
  );
}

describe('on one server (the run’s back-end)', () => {
  races(async () => {
    const server = await startServer({ env: { ...LIMITS, JOBS_ENABLED: 'false' } });
    cleanups.push(() => server.stop());
    return { urls: [server.graphqlUrl], db: server.app.services.db };
  });
});

describe.runIf(backend.kind === 'scale-out')('across two server processes on PostgreSQL', () => {
  races(async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const opened = await openDatabase({ DATA_DIR: '', DATABASE_URL: database.env.DATABASE_URL });
    cleanups.push(() => opened.close());
    const servers = await Promise.all([
      spawnServer({ ...database.env, ...LIMITS }),
      spawnServer({ ...database.env, ...LIMITS }),
    ]);
    for (const server of servers) cleanups.push(() => server.stop());
    return { urls: servers.map((server) => server.graphqlUrl), db: opened.prisma };
  }, 120_000);
});
