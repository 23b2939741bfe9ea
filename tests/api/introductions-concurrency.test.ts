import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Member, UntypedData } from '../support/graphql.js';
import { userIdOf } from '../support/groups.js';
import {
  ask,
  forward,
  groupOf,
  introductionMutation,
  member,
  openToIntroductions,
  requestInput,
  rowOf,
  trio,
} from '../support/introductions.js';
import { startServer, type TestServer } from '../support/server.js';

// The introductions' limits and steps under concurrency: many requests at once never exceed the
// requester's pending limit or the broker's weekly limit, nor make two open requests for one pair;
// the steps of one introduction taken at once (accept, decline, withdraw; forward and the broker's
// decline) have exactly one winner. On the embedded run PGlite serialises everything; on
// PostgreSQL the row locks are what holds it (the requester's and the broker's User rows when
// asking, the Introduction row for each step): without them these tests fail there.

let server: TestServer;
const url = () => server.graphqlUrl;
const db = () => server.app.services.db;

const MAX_PENDING = 3;
const WEEKLY_MAX = 6;
const RACERS = 12;
const ROUNDS = 4;

function tally(results: UntypedData[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) {
    const key = result.__typename === 'IntroductionPayload' ? 'STORED' : String(result.code ?? result.__typename);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

const openCount = (where: Record<string, unknown>) =>
  db().introduction.count({ where: { ...where, status: { in: ['REQUESTED', 'FORWARDED'] } } });

beforeAll(async () => {
  server = await startServer({
    env: {
      INTRODUCTIONS_MAX_PENDING: String(MAX_PENDING),
      INTRODUCTIONS_BROKER_WEEKLY_MAX: String(WEEKLY_MAX),
      JOBS_ENABLED: 'false',
    },
  });
});
afterAll(async () => {
  await server?.stop();
});

describe('asking at once', () => {
  it(`stores at most ${MAX_PENDING} waiting requests of one requester when ${RACERS} are sent at once`, async () => {
    const requester = await member(url(), 'Rita');
    const targets: Member[] = [];
    for (let i = 0; i < RACERS; i += 1) targets.push(await member(url(), `Target${i}`));
    for (const target of targets) await openToIntroductions(db(), target);
    // Each through a broker of its own, so only the requester's limit is in play.
    const brokers: Member[] = [];
    for (let i = 0; i < RACERS; i += 1) brokers.push(await member(url(), `Broker${i}`));
    await groupOf(db(), [...brokers, requester, ...targets]);
    const results = await Promise.all(
      targets.map((target, index) =>
        introductionMutation(
          url(),
          requester,
          'requestIntroduction',
          requestInput({ broker: brokers[index]!, target }),
        ),
      ),
    );
    expect(tally(results)).toEqual({ STORED: MAX_PENDING, TOO_MANY_PENDING: RACERS - MAX_PENDING });
    expect(await openCount({ requesterId: rowOf(requester) })).toBe(MAX_PENDING);
  });

  it(`stores at most ${WEEKLY_MAX} requests to one broker in a week when ${RACERS} requesters ask at once`, async () => {
    const broker = await member(url(), 'Bruno');
    const target = await member(url(), 'Tess');
    const requesters: Member[] = [];
    for (let i = 0; i < RACERS; i += 1) requesters.push(await member(url(), `Asker${i}`));
    await groupOf(db(), [broker, target, ...requesters]);
    await openToIntroductions(db(), target);
    const results = await Promise.all(
      requesters.map((requester) =>
        introductionMutation(url(), requester, 'requestIntroduction', requestInput({ broker, target })),
      ),
    );
    expect(tally(results)).toEqual({ STORED: WEEKLY_MAX, BROKER_BUSY: RACERS - WEEKLY_MAX });
    expect(await db().introduction.count({ where: { brokerId: rowOf(broker) } })).toBe(WEEKLY_MAX);
  });

  it('stores one open request for a requester and a target when they ask through several brokers at once', async () => {
    const world = await trio(url(), db());
    const brokers = [world.broker];
    for (let i = 1; i < MAX_PENDING; i += 1) brokers.push(await member(url(), `Broker${i}`));
    await groupOf(db(), [...brokers, world.requester, world.target]);
    const twice = [...brokers, ...brokers];
    const results = await Promise.all(
      twice.map((broker) =>
        introductionMutation(
          url(),
          world.requester,
          'requestIntroduction',
          requestInput({ broker, target: world.target }),
        ),
      ),
    );
    expect(tally(results)).toEqual({ STORED: 1, ALREADY_REQUESTED: twice.length - 1 });
    expect(await openCount({ requesterId: rowOf(world.requester), targetId: rowOf(world.target) })).toBe(1);
  });
});

describe('steps at once', () => {
  it(`has one winner when the target accepts and declines while the requester withdraws (${ROUNDS} rounds)`, async () => {
    const winners: string[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const world = await trio(url(), db());
      const id = await ask(url(), world);
      await forward(url(), world.broker, id);
      // Twice each, in an order that changes from round to round.
      const steps: Array<[string, Member, Record<string, unknown>]> = [
        ['acceptIntroduction', world.target, { introductionId: id, note: 'Yes!' }],
        ['declineIntroduction', world.target, { introductionId: id, note: 'No.' }],
        ['withdrawIntroduction', world.requester, { introductionId: id }],
      ];
      const order = [...steps, ...steps].map((_, index, all) => all[(index + round) % all.length]!);
      const results = await Promise.all(
        order.map(([name, who, input]) => introductionMutation(url(), who, name, input)),
      );
      expect(tally(results)).toEqual({ STORED: 1, INTRODUCTION_CLOSED: order.length - 1 });
      const won = results.findIndex((result) => result.__typename === 'IntroductionPayload');
      winners.push(order[won]![0]);
      const row = await db().introduction.findUniqueOrThrow({ where: { id: userIdOf(id) } });
      const expected = { acceptIntroduction: 'ACCEPTED', declineIntroduction: 'TARGET_DECLINED' }[order[won]![0]];
      expect(row.status).toBe(expected ?? 'WITHDRAWN');
      // A conversation only for an acceptance, and only one.
      const conversations = await db().conversation.count({
        where: { kind: 'INTRODUCTION', participants: { some: { userId: rowOf(world.requester) } } },
      });
      expect(conversations).toBe(row.status === 'ACCEPTED' ? 1 : 0);
      expect(row.conversationId !== null).toBe(row.status === 'ACCEPTED');
      // Its jobs follow the one outcome: a follow-up only if accepted, never an expiry left behind.
      const jobs = await db().job.findMany({
        where: { key: { endsWith: row.id }, state: 'PENDING' },
        select: { kind: true },
      });
      expect(jobs.map((job) => job.kind)).toEqual(row.status === 'ACCEPTED' ? ['introductions.follow-up'] : []);
    }
    expect(winners).toHaveLength(ROUNDS);
  });

  it(`has one winner when the broker forwards and declines at once (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const world = await trio(url(), db());
      const id = await ask(url(), world);
      const steps: Array<[string, Member, Record<string, unknown>]> = [
        ['forwardIntroduction', world.broker, { introductionId: id, note: 'Meet!' }],
        ['declineIntroductionRequest', world.broker, { introductionId: id }],
      ];
      const order = [...steps, ...steps].map((_, index, all) => all[(index + round) % all.length]!);
      const results = await Promise.all(
        order.map(([name, who, input]) => introductionMutation(url(), who, name, input)),
      );
      expect(tally(results)).toEqual({ STORED: 1, INTRODUCTION_CLOSED: order.length - 1 });
      const row = await db().introduction.findUniqueOrThrow({ where: { id: userIdOf(id) } });
      const jobs = await db().job.count({ where: { key: { endsWith: row.id }, state: 'PENDING' } });
      // Forwarded: one expiry job for the target's step; closed: none.
      expect(jobs).toBe(row.status === 'FORWARDED' ? 1 : 0);
    }
  });
});
