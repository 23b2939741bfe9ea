import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClockOffset } from '../../server/src/lib/clock.js';
import { runDueJobs } from '../../server/src/modules/jobs/index.js';
import { renderNotificationForEmail } from '../../server/src/modules/notifications/index.js';
import { conversationEvents, memberSocket } from '../support/chat.js';
import { gql, type Member, type UntypedData } from '../support/graphql.js';
import { personId, userIdOf } from '../support/groups.js';
import {
  ask,
  block,
  DAY_MS,
  directConversationOf,
  forward,
  groupOf,
  INTRODUCTION_FIELDS,
  introductionMutation,
  member,
  mentorshipOf,
  openToIntroductions,
  requestInput,
  rowOf,
  type Trio,
  trio,
} from '../support/introductions.js';
import { startServer, type TestServer } from '../support/server.js';

// Introductions over real HTTP: asking with every typed refusal (nothing stored), the connection
// rules (a shared group the requester can see, a mentorship, a direct conversation with a message;
// whom the target accepts introductions through), blocks between any two of the three, the limits
// (one open request per pair, the cool-down after a decline, pending requests per requester,
// requests per broker per week), every step and who may take it, each step's expiry by the job
// runner with the clock moved, "did you connect?" 14 days after acceptance, the three's conversation
// opened by the broker's card, the broker leaving it, and what each of the three is told.

let server: TestServer;
const url = () => server.graphqlUrl;
const db = () => server.app.services.db;
const services = () => server.app.services;

const MAX_PENDING = 3;
const WEEKLY_MAX = 4;

const NODE = /* GraphQL */ `query ($id: ID!) { node(id: $id) { __typename ... on Introduction { ${INTRODUCTION_FIELDS} } } }`;
const NOTIFICATIONS = /* GraphQL */ `query { viewer { notifications(first: 50) { edges { node { kind text href subjectId actor { id } } } } } }`;
const CONVERSATION = /* GraphQL */ `
  query ($id: ID!) {
    node(id: $id) {
      ... on Conversation {
        id kind participants { id }
        messages(first: 10) { edges { node { author { id } body card { title lines href tone } } } }
      }
    }
  }
`;

async function run(who: Member | null, query: string, variables: Record<string, unknown> = {}): Promise<UntypedData> {
  const response = await gql(url(), query, variables, who ? { token: who.token } : {});
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data!;
}

const nodeAs = async (who: Member | null, id: string) => (await run(who, NODE, { id })).node as UntypedData | null;

interface Told {
  kind: string;
  text: string;
  href: string;
  subjectId: string;
  actor: { id: string } | null;
}
const toldTo = async (who: Member): Promise<Told[]> =>
  ((await run(who, NOTIFICATIONS)).viewer.notifications.edges as Array<{ node: Told }>).map((edge) => edge.node);
const kindsOf = async (who: Member) => (await toldTo(who)).map((n) => n.kind).sort();

const mutate = (who: Member, name: string, input: Record<string, unknown>) =>
  introductionMutation(url(), who, name, input);
const introductionCount = () => db().introduction.count();
const jobsOf = async (introductionId: string) =>
  (
    await db().job.findMany({
      where: { key: { endsWith: userIdOf(introductionId) }, state: 'PENDING' },
      select: { kind: true, key: true, runAt: true },
    })
  ).map((job) => ({ ...job, runAt: job.runAt.getTime() }));
const mailsTo = (who: Member) => db().emailOutbox.count({ where: { toUserId: rowOf(who), category: 'NOTIFICATION' } });
const nameOf = (who: Member) => who.name;

async function expectRefused(
  who: Member,
  input: Record<string, unknown>,
  code: string,
  message?: string | RegExp,
): Promise<UntypedData> {
  const before = await introductionCount();
  const result = await mutate(who, 'requestIntroduction', input);
  expect(result.__typename === 'IntroductionPayload' ? 'stored' : result.code, JSON.stringify(result)).toBe(code);
  if (message) expect(result.message).toMatch(message);
  expect(await introductionCount()).toBe(before);
  return result;
}

/** A trio whose request the broker forwarded; the introduction's id. */
async function forwarded(world: Trio, note = 'You two should talk.'): Promise<string> {
  const id = await ask(url(), world);
  await forward(url(), world.broker, id, note);
  return id;
}

beforeAll(async () => {
  server = await startServer({
    env: {
      INTRODUCTIONS_MAX_PENDING: String(MAX_PENDING),
      INTRODUCTIONS_BROKER_WEEKLY_MAX: String(WEEKLY_MAX),
      // The runner runs only when a test runs the due jobs (with the clock it moved).
      JOBS_ENABLED: 'false',
    },
  });
});
afterAll(async () => {
  await server?.stop();
});
afterEach(() => setClockOffset(0));

describe('asking for an introduction', () => {
  it('stores a REQUESTED introduction that waits 7 days for the broker, who is told and emailed', async () => {
    const world = await trio(url(), db());
    const before = Date.now();
    const result = await mutate(world.requester, 'requestIntroduction', requestInput(world));
    expect(result.__typename).toBe('IntroductionPayload');
    const introduction = result.introduction;
    expect(introduction).toMatchObject({
      state: 'REQUESTED',
      viewerRole: 'REQUESTER',
      reason: 'We both build community tools; I would value her view on moderation.',
      hopes: 'Half an hour on a call.',
      forwardedAt: null,
      closedAt: null,
      conversation: null,
      viewerCanWithdraw: true,
      viewerCanForward: false,
      viewerCanAccept: false,
      requester: { id: personId(world.requester) },
      broker: { id: personId(world.broker) },
      target: { id: personId(world.target) },
    });
    const expiresAt = new Date(introduction.expiresAt).getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(before + 7 * DAY_MS);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 7 * DAY_MS);
    expect(await jobsOf(introduction.id)).toEqual([
      { kind: 'introductions.step-expiry', key: `introductions.expiry:${userIdOf(introduction.id)}`, runAt: expiresAt },
    ]);
    const told = await toldTo(world.broker);
    expect(told).toEqual([
      {
        kind: 'INTRODUCTION_REQUESTED',
        text: `${nameOf(world.requester)} asked you to introduce them to ${nameOf(world.target)}`,
        href: `/introductions/${encodeURIComponent(introduction.id)}`,
        subjectId: introduction.id,
        actor: { id: personId(world.requester) },
      },
    ]);
    expect(await mailsTo(world.broker)).toBe(1);
    // The broker sees it with the words; the target does not see it at all before it is forwarded.
    expect(await nodeAs(world.broker, introduction.id)).toMatchObject({
      state: 'REQUESTED',
      viewerRole: 'BROKER',
      reason: introduction.reason,
      viewerCanForward: true,
      viewerCanDecline: true,
    });
    expect(await nodeAs(world.target, introduction.id)).toBeNull();
    expect(await kindsOf(world.target)).toEqual([]);
  });

  it('refuses input out of bounds (VALIDATION), storing nothing', async () => {
    const world = await trio(url(), db());
    const problems = await expectRefused(world.requester, requestInput(world, { reason: '   ' }), 'VALIDATION');
    expect(problems.fieldErrors).toEqual([{ path: 'reason', message: expect.any(String) }]);
    await expectRefused(world.requester, requestInput(world, { reason: 'x'.repeat(1001) }), 'VALIDATION');
    await expectRefused(world.requester, requestInput(world, { hopes: 'x'.repeat(1001) }), 'VALIDATION');
    // Trimmed: 1000 characters of words with spaces around them fit.
    const fits = await mutate(world.requester, 'requestIntroduction', {
      ...requestInput(world, { reason: `  ${'x'.repeat(1000)}  `, hopes: '' }),
    });
    expect(fits.__typename).toBe('IntroductionPayload');
    expect(fits.introduction.reason).toBe('x'.repeat(1000));
    expect(fits.introduction.hopes).toBe('');
  });

  it('answers NOT_FOUND for an unknown or suspended member, oneself, or a broker who is the target', async () => {
    const world = await trio(url(), db());
    const ghost = Buffer.from('Person:0190aaaa-0000-7000-8000-000000000000').toString('base64');
    await expectRefused(world.requester, requestInput(world, { brokerId: ghost }), 'NOT_FOUND');
    await expectRefused(world.requester, requestInput(world, { targetId: ghost }), 'NOT_FOUND');
    await expectRefused(world.requester, requestInput(world, { brokerId: personId(world.requester) }), 'NOT_FOUND');
    await expectRefused(world.requester, requestInput(world, { targetId: personId(world.requester) }), 'NOT_FOUND');
    await expectRefused(world.requester, requestInput(world, { brokerId: 'not-an-id' }), 'NOT_FOUND');
    await expectRefused(world.requester, requestInput(world, { brokerId: personId(world.target) }), 'VALIDATION');
    await db().user.update({ where: { id: rowOf(world.target) }, data: { suspendedAt: new Date() } });
    await expectRefused(world.requester, requestInput(world), 'NOT_FOUND');
    await db().user.update({ where: { id: rowOf(world.target) }, data: { suspendedAt: null } });
    await db().user.update({ where: { id: rowOf(world.broker) }, data: { suspendedAt: new Date() } });
    await expectRefused(world.requester, requestInput(world), 'NOT_FOUND');
  });

  it('tells NOT_OPEN_TO_INTRODUCTIONS only when the target does not take introductions', async () => {
    const world = await trio(url(), db());
    await db().user.update({ where: { id: rowOf(world.target) }, data: { openTo: ['MENTORING'] } });
    await expectRefused(
      world.requester,
      requestInput(world),
      'NOT_OPEN_TO_INTRODUCTIONS',
      `${nameOf(world.target)} is not taking introductions right now.`,
    );
    // openTo as the requester may see it: hidden from them, it reads as not taking introductions
    // (whatever it holds: tests/api/introductions-review.test.ts); seen through a shared group, it counts.
    await db().user.update({
      where: { id: rowOf(world.target) },
      data: { openTo: ['INTRODUCTIONS'], openToVisibility: 'ONLY_ME' },
    });
    await expectRefused(world.requester, requestInput(world), 'NOT_OPEN_TO_INTRODUCTIONS');
    await db().user.update({ where: { id: rowOf(world.target) }, data: { openToVisibility: 'SHARED_GROUPS' } });
    expect((await mutate(world.requester, 'requestIntroduction', requestInput(world))).__typename).toBe(
      'IntroductionPayload',
    );
  });

  describe('the broker must be connected with both', () => {
    it('refuses NO_CONNECTION in words when the broker shares nothing with the requester or the target', async () => {
      const [requester, broker, target] = [
        await member(url(), 'Rita'),
        await member(url(), 'Bruno'),
        await member(url(), 'Tess'),
      ];
      await openToIntroductions(db(), target);
      const input = requestInput({ broker, target });
      const words = `${nameOf(broker)} is not connected to both of you: introducers must share a group, a mentorship or a conversation with each of you.`;
      await expectRefused(requester, input, 'NO_CONNECTION', words);
      await groupOf(db(), [broker, target]);
      await expectRefused(requester, input, 'NO_CONNECTION', words);
      // A direct conversation without a message is no connection yet.
      await directConversationOf(db(), requester, broker, 0);
      await expectRefused(requester, input, 'NO_CONNECTION', words);
      await directConversationOf(db(), broker, requester, 1);
      expect((await mutate(requester, 'requestIntroduction', input)).__typename).toBe('IntroductionPayload');
    });

    it('counts a mentorship, active or ended, with either side', async () => {
      const [requester, broker, target, target2] = [
        await member(url(), 'Rita'),
        await member(url(), 'Bruno'),
        await member(url(), 'Tess'),
        await member(url(), 'Theo'),
      ];
      await openToIntroductions(db(), target);
      await openToIntroductions(db(), target2);
      await mentorshipOf(db(), broker, requester, 'ENDED');
      await mentorshipOf(db(), target, broker);
      expect((await mutate(requester, 'requestIntroduction', requestInput({ broker, target }))).__typename).toBe(
        'IntroductionPayload',
      );
      await expectRefused(requester, requestInput({ broker, target: target2 }), 'NO_CONNECTION');
    });

    it('does not count a SECRET group the requester is not in, and counts one they are in', async () => {
      const [requester, broker, target] = [
        await member(url(), 'Rita'),
        await member(url(), 'Bruno'),
        await member(url(), 'Tess'),
      ];
      await openToIntroductions(db(), target);
      await groupOf(db(), [broker, requester]);
      await groupOf(db(), [broker, target], 'SECRET');
      await expectRefused(requester, requestInput({ broker, target }), 'NO_CONNECTION');
      // A PRIVATE group still shows to every member: it counts.
      await groupOf(db(), [broker, target], 'PRIVATE');
      expect((await mutate(requester, 'requestIntroduction', requestInput({ broker, target }))).__typename).toBe(
        'IntroductionPayload',
      );
    });

    it('takes only connections the target accepts introductions through (NOT_THROUGH_THIS_BROKER)', async () => {
      const world = await trio(url(), db());
      await openToIntroductions(db(), world.target, 'MENTORSHIPS');
      await expectRefused(
        world.requester,
        requestInput(world),
        'NOT_THROUGH_THIS_BROKER',
        `${nameOf(world.target)} takes introductions only through people they mentor or are mentored by.`,
      );
      await mentorshipOf(db(), world.target, world.broker);
      expect((await mutate(world.requester, 'requestIntroduction', requestInput(world))).__typename).toBe(
        'IntroductionPayload',
      );
      // Through shared groups: a conversation alone between broker and target is not enough, and
      // reads as no connection (the conversation is theirs alone: tests/api/introductions-review.test.ts).
      const [requester, broker, target] = [
        await member(url(), 'Rita'),
        await member(url(), 'Bruno'),
        await member(url(), 'Tess'),
      ];
      await openToIntroductions(db(), target);
      await groupOf(db(), [broker, requester]);
      await directConversationOf(db(), broker, target);
      await expectRefused(requester, requestInput({ broker, target }), 'NO_CONNECTION');
    });
  });

  describe('a block between any two of the three stops the request, looking like "not found"', () => {
    const pairs: Array<[string, (world: Trio) => [Member, Member]]> = [
      ['the requester blocked the broker', (w) => [w.requester, w.broker]],
      ['the broker blocked the requester', (w) => [w.broker, w.requester]],
      ['the requester blocked the target', (w) => [w.requester, w.target]],
      ['the target blocked the requester', (w) => [w.target, w.requester]],
      ['the broker blocked the target', (w) => [w.broker, w.target]],
      ['the target blocked the broker', (w) => [w.target, w.broker]],
    ];
    for (const [what, pair] of pairs) {
      it(`refuses when ${what}`, async () => {
        const world = await trio(url(), db());
        const [blocker, blocked] = pair(world);
        await block(db(), blocker, blocked);
        const refused = await expectRefused(world.requester, requestInput(world), 'NOT_FOUND');
        expect(refused.message).not.toMatch(/block/i);
        expect(await kindsOf(world.broker)).toEqual([]);
      });
    }

    it('stops forwarding and accepting when a block arises after the request (NOT_FOUND to the actor)', async () => {
      const world = await trio(url(), db());
      const id = await ask(url(), world);
      await block(db(), world.target, world.requester);
      const refused = await mutate(world.broker, 'forwardIntroduction', { introductionId: id, note: 'Meet!' });
      expect(refused.code).toBe('NOT_FOUND');
      expect((await nodeAs(world.broker, id))?.state).toBe('REQUESTED');

      const other = await trio(url(), db());
      const otherId = await forwarded(other);
      await block(db(), other.broker, other.requester);
      expect((await mutate(other.target, 'acceptIntroduction', { introductionId: otherId })).code).toBe('NOT_FOUND');
      expect((await nodeAs(other.target, otherId))?.state).toBe('FORWARDED');
      expect(await db().introduction.count({ where: { id: userIdOf(otherId), conversationId: { not: null } } })).toBe(
        0,
      );
    });
  });

  describe('limits', () => {
    it('refuses a second open request about the same person, whoever brokers it (ALREADY_REQUESTED)', async () => {
      const world = await trio(url(), db());
      await ask(url(), world);
      await expectRefused(world.requester, requestInput(world), 'ALREADY_REQUESTED');
      const broker2 = await member(url(), 'Bea');
      await groupOf(db(), [broker2, world.requester, world.target]);
      await expectRefused(
        world.requester,
        requestInput({ broker: broker2, target: world.target }),
        'ALREADY_REQUESTED',
      );
    });

    it(`refuses more than ${MAX_PENDING} waiting requests (TOO_MANY_PENDING); a withdrawn one frees a place`, async () => {
      const world = await trio(url(), db());
      const targets = [world.target];
      for (let i = 1; i <= MAX_PENDING; i += 1) {
        const target = await member(url(), `Target${i}`);
        await groupOf(db(), [world.broker, target]);
        await openToIntroductions(db(), target);
        targets.push(target);
      }
      const ids: string[] = [];
      for (const target of targets.slice(0, MAX_PENDING)) {
        ids.push(await ask(url(), { requester: world.requester, broker: world.broker, target }));
      }
      // A forwarded one still waits.
      await forward(url(), world.broker, ids[0]!);
      const last = requestInput({ broker: world.broker, target: targets[MAX_PENDING]! });
      await expectRefused(
        world.requester,
        last,
        'TOO_MANY_PENDING',
        `You have ${MAX_PENDING} introduction requests waiting: withdraw one or wait for an answer first.`,
      );
      expect((await mutate(world.requester, 'withdrawIntroduction', { introductionId: ids[1] })).__typename).toBe(
        'IntroductionPayload',
      );
      expect((await mutate(world.requester, 'requestIntroduction', last)).__typename).toBe('IntroductionPayload');
    });

    it(`refuses a broker who received ${WEEKLY_MAX} requests in 7 days (BROKER_BUSY), counted by when they were asked`, async () => {
      const broker = await member(url(), 'Bruno');
      const target = await member(url(), 'Tess');
      await openToIntroductions(db(), target);
      const requesters: Member[] = [];
      for (let i = 0; i <= WEEKLY_MAX + 1; i += 1) requesters.push(await member(url(), `Asker${i}`));
      await groupOf(db(), [broker, target, ...requesters]);
      // One of them, withdrawn, still counts: the broker was asked.
      const first = await ask(url(), { requester: requesters[0]!, broker, target });
      await mutate(requesters[0]!, 'withdrawIntroduction', { introductionId: first });
      setClockOffset(2 * DAY_MS);
      for (const requester of requesters.slice(1, WEEKLY_MAX)) await ask(url(), { requester, broker, target });
      await expectRefused(
        requesters[WEEKLY_MAX]!,
        requestInput({ broker, target }),
        'BROKER_BUSY',
        `${nameOf(broker)} has had many requests this week; try again later or ask someone else.`,
      );
      // Seven days after the first request, it no longer counts.
      setClockOffset(7 * DAY_MS + 60_000);
      await ask(url(), { requester: requesters[WEEKLY_MAX]!, broker, target });
      await expectRefused(requesters[WEEKLY_MAX + 1]!, requestInput({ broker, target }), 'BROKER_BUSY');
    });

    it('holds a cool-down after a decline by the broker, or the end of a target’s step (a decline dated like a lapse), then allows asking again', async () => {
      const world = await trio(url(), db());
      const id = await ask(url(), world);
      expect((await mutate(world.broker, 'declineIntroductionRequest', { introductionId: id })).__typename).toBe(
        'IntroductionPayload',
      );
      const words = (who: Member) =>
        new RegExp(`^You can ask again about ${nameOf(who)} after \\d{1,2} [A-Z][a-z]+ \\d{4}\\.$`);
      const byBroker = await expectRefused(world.requester, requestInput(world), 'COOL_DOWN', words(world.target));

      // A target's decline: the requester cannot know of it before the target's step ends (it still
      // waits), then reads the same cool-down, to the day, as after a lapse.
      const declined = await trio(url(), db());
      const declinedId = await forwarded(declined);
      const lapsed = await trio(url(), db());
      await forwarded(lapsed);
      await mutate(declined.target, 'declineIntroduction', { introductionId: declinedId, note: 'Not for me.' });
      await expectRefused(declined.requester, requestInput(declined), 'ALREADY_REQUESTED');
      setClockOffset(7 * DAY_MS + 60_000);
      await runDueJobs(services());
      const byTarget = await expectRefused(
        declined.requester,
        requestInput(declined),
        'COOL_DOWN',
        words(declined.target),
      );
      const byLapse = await expectRefused(lapsed.requester, requestInput(lapsed), 'COOL_DOWN', words(lapsed.target));
      expect(byTarget.message.replace(nameOf(declined.target), 'T')).toBe(
        byLapse.message.replace(nameOf(lapsed.target), 'T'),
      );
      expect(byTarget.message).not.toBe(byBroker.message.replace(nameOf(world.target), nameOf(declined.target)));

      // It is the pair's, whoever brokers: another broker does not get round it. 30 days on, asking is allowed again.
      const broker2 = await member(url(), 'Bea');
      await groupOf(db(), [broker2, world.requester, world.target]);
      await expectRefused(world.requester, requestInput({ broker: broker2, target: world.target }), 'COOL_DOWN');
      setClockOffset(30 * DAY_MS - 60_000);
      await expectRefused(world.requester, requestInput(world), 'COOL_DOWN');
      setClockOffset(30 * DAY_MS + 60_000);
      expect((await mutate(world.requester, 'requestIntroduction', requestInput(world))).__typename).toBe(
        'IntroductionPayload',
      );
    });

    it('holds no cool-down after a withdrawal or an expiry', async () => {
      const world = await trio(url(), db());
      const id = await ask(url(), world);
      await mutate(world.requester, 'withdrawIntroduction', { introductionId: id });
      const again = await ask(url(), world);
      setClockOffset(7 * DAY_MS + 60_000);
      await runDueJobs(services());
      expect((await nodeAs(world.requester, again))?.state).toBe('EXPIRED');
      expect((await mutate(world.requester, 'requestIntroduction', requestInput(world))).__typename).toBe(
        'IntroductionPayload',
      );
    });
  });
});

describe('the broker', () => {
  it('forwards with a note: the target now sees it with the presentation (the reason by default); both told', async () => {
    const world = await trio(url(), db());
    const id = await ask(url(), world);
    setClockOffset(DAY_MS);
    const result = await mutate(world.broker, 'forwardIntroduction', { introductionId: id, note: '  Meet Rita!  ' });
    expect(result.introduction).toMatchObject({
      state: 'FORWARDED',
      brokerNote: 'Meet Rita!',
      presentation: 'We both build community tools; I would value her view on moderation.',
      viewerCanForward: false,
      viewerCanDecline: false,
    });
    // The broker's step is over: only the target (and the requester) read when the target's runs out.
    expect(result.introduction.expiresAt).toBeNull();
    const forwardedAt = new Date(result.introduction.forwardedAt).getTime();
    expect(await jobsOf(id)).toEqual([
      {
        kind: 'introductions.step-expiry',
        key: `introductions.expiry:${userIdOf(id)}`,
        runAt: forwardedAt + 7 * DAY_MS,
      },
    ]);
    const asTarget = await nodeAs(world.target, id);
    expect(asTarget).toMatchObject({
      state: 'FORWARDED',
      viewerRole: 'TARGET',
      reason: null,
      hopes: null,
      presentation: 'We both build community tools; I would value her view on moderation.',
      brokerNote: 'Meet Rita!',
      viewerCanAccept: true,
      viewerCanDecline: true,
      expiresAt: new Date(forwardedAt + 7 * DAY_MS).toISOString(),
    });
    // The requester sees it was forwarded, not the note to the target.
    expect(await nodeAs(world.requester, id)).toMatchObject({ state: 'FORWARDED', brokerNote: null });
    const [toTarget] = await toldTo(world.target);
    expect(toTarget).toMatchObject({
      kind: 'INTRODUCTION_FORWARDED',
      text: `${nameOf(world.broker)} would like to introduce you to ${nameOf(world.requester)}`,
    });
    expect(await mailsTo(world.target)).toBe(1);
    expect((await toldTo(world.requester)).map((n) => [n.kind, n.text])).toEqual([
      ['INTRODUCTION_FORWARDED', `${nameOf(world.broker)} forwarded your request to meet ${nameOf(world.target)}`],
    ]);
    // One kind, but the target's email asks for an answer and the requester's only tells.
    const emailOf = async (who: Member) => {
      const row = await db().notification.findFirstOrThrow({
        where: { recipientId: rowOf(who), kind: 'INTRODUCTION_FORWARDED' },
        select: { id: true },
      });
      return (await renderNotificationForEmail(db(), rowOf(who), row.id))?.email.subject;
    };
    expect(await emailOf(world.target)).toBe('An introduction for you');
    expect(await emailOf(world.requester)).toBe('Your introduction request was passed on');
  });

  it('may present the requester in their own words (1–1000 characters)', async () => {
    const world = await trio(url(), db());
    const id = await ask(url(), world);
    const tooLong = await mutate(world.broker, 'forwardIntroduction', {
      introductionId: id,
      note: 'Meet!',
      presentation: 'x'.repeat(1001),
    });
    expect(tooLong.code).toBe('VALIDATION');
    expect((await mutate(world.broker, 'forwardIntroduction', { introductionId: id, note: ' ' })).code).toBe(
      'VALIDATION',
    );
    const result = await mutate(world.broker, 'forwardIntroduction', {
      introductionId: id,
      note: 'Meet!',
      presentation: 'Rita runs the meetup I told you about.',
    });
    expect((await nodeAs(world.target, result.introduction.id))?.presentation).toBe(
      'Rita runs the meetup I told you about.',
    );
  });

  it('declines "not now": the requester reads NOT_NOW and the message, if any; nothing reaches the target', async () => {
    const world = await trio(url(), db());
    const id = await ask(url(), world);
    const result = await mutate(world.broker, 'declineIntroductionRequest', {
      introductionId: id,
      messageToRequester: 'She is swamped this month.',
    });
    expect(result.introduction).toMatchObject({
      state: 'BROKER_DECLINED',
      brokerMessage: 'She is swamped this month.',
    });
    expect(await nodeAs(world.requester, id)).toMatchObject({
      state: 'NOT_NOW',
      brokerMessage: 'She is swamped this month.',
      expiresAt: null,
      viewerCanWithdraw: false,
    });
    expect((await nodeAs(world.requester, id))?.closedAt).not.toBeNull();
    expect(await jobsOf(id)).toEqual([]);
    expect((await toldTo(world.requester)).map((n) => [n.kind, n.text])).toEqual([
      [
        'INTRODUCTION_NOT_NOW',
        `${nameOf(world.broker)} cannot introduce you to ${nameOf(world.target)} now: “She is swamped this month.”`,
      ],
    ]);
    expect(await nodeAs(world.target, id)).toBeNull();
    expect(await kindsOf(world.target)).toEqual([]);

    const silent = await trio(url(), db());
    const silentId = await ask(url(), silent);
    await mutate(silent.broker, 'declineIntroductionRequest', { introductionId: silentId });
    expect(await nodeAs(silent.requester, silentId)).toMatchObject({ state: 'NOT_NOW', brokerMessage: null });
    expect((await toldTo(silent.requester))[0]?.text).toBe(
      `${nameOf(silent.broker)} cannot introduce you to ${nameOf(silent.target)} now`,
    );
  });

  it('lets the step run out: at 7 days the job expires it (BROKER_EXPIRED; the requester reads EXPIRED), not before', async () => {
    const world = await trio(url(), db());
    const id = await ask(url(), world);
    setClockOffset(7 * DAY_MS - 60_000);
    await runDueJobs(services());
    expect((await nodeAs(world.broker, id))?.state).toBe('REQUESTED');
    setClockOffset(7 * DAY_MS + 60_000);
    await runDueJobs(services());
    expect(await nodeAs(world.broker, id)).toMatchObject({ state: 'BROKER_EXPIRED', viewerCanForward: false });
    expect(await nodeAs(world.requester, id)).toMatchObject({ state: 'EXPIRED', expiresAt: null });
    expect((await toldTo(world.requester)).map((n) => [n.kind, n.text, n.actor])).toEqual([
      [
        'INTRODUCTION_EXPIRED',
        `${nameOf(world.broker)} did not get to your request to meet ${nameOf(world.target)}`,
        null,
      ],
    ]);
    expect(await kindsOf(world.broker)).toEqual(['INTRODUCTION_EXPIRED', 'INTRODUCTION_REQUESTED']);
    expect(await nodeAs(world.target, id)).toBeNull();
    expect(await kindsOf(world.target)).toEqual([]);
    // A late answer: the step is no longer the broker's.
    expect((await mutate(world.broker, 'forwardIntroduction', { introductionId: id, note: 'Sorry!' })).code).toBe(
      'INTRODUCTION_CLOSED',
    );
  });

  it('cannot answer once the step ran out, even before the job ran', async () => {
    const world = await trio(url(), db());
    const id = await ask(url(), world);
    setClockOffset(7 * DAY_MS + 60_000);
    const late = await mutate(world.broker, 'forwardIntroduction', { introductionId: id, note: 'Meet!' });
    expect(late).toMatchObject({
      code: 'INTRODUCTION_CLOSED',
      message: 'This introduction is no longer waiting for you.',
    });
  });
});

describe('the target', () => {
  it('accepts: the three share an INTRODUCTION conversation opened by the broker’s card; all told; follow-up scheduled', async () => {
    const world = await trio(url(), db());
    const id = await forwarded(world, 'Rita and you both run meetups.');
    const result = await mutate(world.target, 'acceptIntroduction', { introductionId: id, note: 'Happy to!' });
    expect(result.introduction).toMatchObject({ state: 'ACCEPTED', targetNote: 'Happy to!', expiresAt: null });
    const conversationId = result.introduction.conversation.id as string;
    const people = [world.requester, world.broker, world.target];
    for (const who of people) {
      const seen = await nodeAs(who, id);
      expect(seen?.conversation?.id, `${who.name} sees the conversation`).toBe(conversationId);
      expect(seen?.conversation.kind).toBe('INTRODUCTION');
      const conversation = (await run(who, CONVERSATION, { id: conversationId })).node;
      expect(conversation.participants.map((p: { id: string }) => p.id).sort()).toEqual(people.map(personId).sort());
      expect(conversation.messages.edges).toEqual([
        {
          node: {
            author: { id: personId(world.broker) },
            body: expect.any(String),
            card: {
              title: `${nameOf(world.broker)} introduced ${nameOf(world.requester)} and ${nameOf(world.target)}`,
              lines: ['Rita and you both run meetups.'],
              href: `/introductions/${encodeURIComponent(id)}`,
              tone: 'SUCCESS',
            },
          },
        },
      ]);
    }
    // The requester now reads the broker's note and the target's.
    expect(await nodeAs(world.requester, id)).toMatchObject({
      state: 'ACCEPTED',
      brokerNote: 'Rita and you both run meetups.',
      targetNote: 'Happy to!',
    });
    const accepted = (who: Member) => toldTo(who).then((all) => all.filter((n) => n.kind === 'INTRODUCTION_ACCEPTED'));
    expect((await accepted(world.requester)).map((n) => n.text)).toEqual([
      `${nameOf(world.target)} accepted: ${nameOf(world.broker)} introduced you`,
    ]);
    expect((await accepted(world.broker)).map((n) => n.text)).toEqual([
      `${nameOf(world.target)} accepted your introduction of ${nameOf(world.requester)}`,
    ]);
    expect(await accepted(world.target)).toEqual([]);
    const closedAt = new Date(result.introduction.closedAt).getTime();
    expect(await jobsOf(id)).toEqual([
      {
        kind: 'introductions.follow-up',
        key: `introductions.follow-up:${userIdOf(id)}`,
        runAt: closedAt + 14 * DAY_MS,
      },
    ]);
  });

  it('declines privately: the broker reads it at once; the requester only that it did not happen, when a lapse would tell them', async () => {
    const world = await trio(url(), db());
    const id = await forwarded(world);
    const deadline = (await nodeAs(world.target, id))!.expiresAt as string;
    const result = await mutate(world.target, 'declineIntroduction', { introductionId: id, note: 'Not this year.' });
    expect(result.introduction).toMatchObject({ state: 'TARGET_DECLINED', targetNote: 'Not this year.' });
    expect(await nodeAs(world.broker, id)).toMatchObject({ state: 'TARGET_DECLINED', targetNote: 'Not this year.' });
    expect((await toldTo(world.broker)).find((n) => n.kind === 'INTRODUCTION_DECLINED')).toMatchObject({
      text: `${nameOf(world.target)} declined the introduction to ${nameOf(world.requester)}: “Not this year.”`,
      actor: { id: personId(world.target) },
    });
    // Until the end of the target's step the requester reads it as waiting for the target.
    const waiting = {
      state: 'FORWARDED',
      targetNote: null,
      closedAt: null,
      expiresAt: deadline,
      conversation: null,
      viewerCanWithdraw: true,
    };
    expect(await nodeAs(world.requester, id)).toMatchObject(waiting);
    expect(await kindsOf(world.requester)).toEqual(['INTRODUCTION_FORWARDED']);
    expect((await jobsOf(id)).map((job) => [job.kind, new Date(job.runAt).toISOString()])).toEqual([
      ['introductions.step-expiry', deadline],
    ]);
    setClockOffset(7 * DAY_MS - 60_000);
    await runDueJobs(services());
    expect(await nodeAs(world.requester, id)).toMatchObject(waiting);
    expect(await kindsOf(world.requester)).toEqual(['INTRODUCTION_FORWARDED']);
    // At the step's end: told, as of a lapse; the broker and the target, who knew, hear nothing more.
    setClockOffset(7 * DAY_MS + 60_000);
    await runDueJobs(services());
    expect(await nodeAs(world.requester, id)).toMatchObject({
      state: 'NOT_HAPPENED',
      targetNote: null,
      closedAt: null,
      expiresAt: null,
      viewerCanWithdraw: false,
    });
    const [didNotHappen] = (await toldTo(world.requester)).filter((n) => n.kind !== 'INTRODUCTION_FORWARDED');
    expect(didNotHappen).toEqual({
      kind: 'INTRODUCTION_DID_NOT_HAPPEN',
      text: `Your introduction to ${nameOf(world.target)} did not happen`,
      href: `/introductions/${encodeURIComponent(id)}`,
      subjectId: id,
      actor: null,
    });
    expect(await nodeAs(world.broker, id)).toMatchObject({ state: 'TARGET_DECLINED' });
    expect(await kindsOf(world.broker)).toEqual(['INTRODUCTION_DECLINED', 'INTRODUCTION_REQUESTED']);
    expect(await kindsOf(world.target)).toEqual(['INTRODUCTION_FORWARDED']);
    // Run again (as after a crash): told once.
    await runDueJobs(services());
    expect(await kindsOf(world.requester)).toEqual(['INTRODUCTION_DID_NOT_HAPPEN', 'INTRODUCTION_FORWARDED']);
  });

  it('a decline and a lapse read exactly alike for the requester at every moment (TARGET_EXPIRED)', async () => {
    const declined = await trio(url(), db(), ['Rita', 'Bruno', 'Same Target']);
    const declinedId = await forwarded(declined);
    const lapsed = await trio(url(), db(), ['Rita', 'Bruno', 'Same Target']);
    const lapsedId = await forwarded(lapsed);

    // What each requester reads, with names, ids and the moment of forwarding put aside.
    const seenBy = async (world: Trio, id: string) => {
      const node = (await nodeAs(world.requester, id))!;
      const forwardedAt = Date.parse(node.forwardedAt);
      const told = (await toldTo(world.requester)).filter((n) => n.kind !== 'INTRODUCTION_FORWARDED');
      const rows = await db().notification.findMany({
        where: { recipientId: rowOf(world.requester), kind: 'INTRODUCTION_DID_NOT_HAPPEN' },
        select: { data: true, actorId: true },
      });
      return {
        node: {
          ...node,
          id: null,
          createdAt: null,
          forwardedAt: null,
          expiresAt: node.expiresAt ? Date.parse(node.expiresAt) - forwardedAt : null,
          requester: null,
          broker: null,
          target: null,
        },
        told: told.map((n) => ({
          ...n,
          text: n.text.replace(nameOf(world.target).split(' ').pop()!, '#'),
          href: null,
          subjectId: null,
        })),
        rows: rows.map((row) => ({ keys: Object.keys(row.data as object), actorId: row.actorId })),
      };
    };
    const alike = async (state: string) => {
      const lapsedView = await seenBy(lapsed, lapsedId);
      expect(lapsedView).toEqual(await seenBy(declined, declinedId));
      expect((lapsedView.node as UntypedData).state).toBe(state);
    };

    await mutate(declined.target, 'declineIntroduction', { introductionId: declinedId });
    await alike('FORWARDED');
    setClockOffset(7 * DAY_MS - 60_000);
    await runDueJobs(services());
    await alike('FORWARDED');
    expect((await nodeAs(lapsed.target, lapsedId))?.state).toBe('FORWARDED');
    setClockOffset(7 * DAY_MS + 60_000);
    await runDueJobs(services());
    await alike('NOT_HAPPENED');
    expect((await nodeAs(lapsed.target, lapsedId))?.state).toBe('TARGET_EXPIRED');
    expect(await kindsOf(lapsed.target)).toEqual(['INTRODUCTION_EXPIRED', 'INTRODUCTION_FORWARDED']);
    expect(await kindsOf(lapsed.broker)).toEqual(['INTRODUCTION_EXPIRED', 'INTRODUCTION_REQUESTED']);
  });

  it('a decline the requester cannot know of yet is theirs to withdraw until the step ends; the target is not told again', async () => {
    const world = await trio(url(), db());
    const id = await forwarded(world);
    await mutate(world.target, 'declineIntroduction', { introductionId: id, note: 'No.' });
    const withdrawn = await mutate(world.requester, 'withdrawIntroduction', { introductionId: id });
    expect(withdrawn.introduction).toMatchObject({ state: 'WITHDRAWN', viewerCanWithdraw: false });
    expect(await jobsOf(id)).toEqual([]);
    expect(await kindsOf(world.broker)).toContain('INTRODUCTION_WITHDRAWN');
    expect(await kindsOf(world.target)).toEqual(['INTRODUCTION_FORWARDED']);
    // Withdrawn, the pair has no cool-down, as after withdrawing one still waiting.
    expect((await mutate(world.requester, 'requestIntroduction', requestInput(world))).__typename).toBe(
      'IntroductionPayload',
    );

    // Once the step's time is up, neither a lapse nor a decline is the requester's to withdraw.
    const late = await trio(url(), db());
    const lateId = await forwarded(late);
    const lapsing = await trio(url(), db());
    const lapsingId = await forwarded(lapsing);
    await mutate(late.target, 'declineIntroduction', { introductionId: lateId });
    setClockOffset(7 * DAY_MS + 60_000);
    expect((await mutate(late.requester, 'withdrawIntroduction', { introductionId: lateId })).code).toBe(
      'INTRODUCTION_CLOSED',
    );
    expect((await mutate(lapsing.requester, 'withdrawIntroduction', { introductionId: lapsingId })).code).toBe(
      'INTRODUCTION_CLOSED',
    );
  });
});

describe('the requester', () => {
  it('withdraws before forwarding: the broker is told, the target never hears of it', async () => {
    const world = await trio(url(), db());
    const id = await ask(url(), world);
    const result = await mutate(world.requester, 'withdrawIntroduction', { introductionId: id });
    expect(result.introduction).toMatchObject({ state: 'WITHDRAWN', viewerCanWithdraw: false, expiresAt: null });
    expect(await jobsOf(id)).toEqual([]);
    expect((await toldTo(world.broker)).find((n) => n.kind === 'INTRODUCTION_WITHDRAWN')?.text).toBe(
      `${nameOf(world.requester)} withdrew their request to meet ${nameOf(world.target)}`,
    );
    expect(await nodeAs(world.target, id)).toBeNull();
    expect(await kindsOf(world.target)).toEqual([]);
  });

  it('withdraws after forwarding: the broker and the target are told', async () => {
    const world = await trio(url(), db());
    const id = await forwarded(world);
    await mutate(world.requester, 'withdrawIntroduction', { introductionId: id });
    expect(await nodeAs(world.target, id)).toMatchObject({ state: 'WITHDRAWN', viewerCanAccept: false });
    expect((await toldTo(world.target)).find((n) => n.kind === 'INTRODUCTION_WITHDRAWN')?.text).toBe(
      `${nameOf(world.requester)} withdrew their request to meet you`,
    );
    expect(await kindsOf(world.broker)).toContain('INTRODUCTION_WITHDRAWN');
    expect((await mutate(world.target, 'acceptIntroduction', { introductionId: id })).code).toBe('INTRODUCTION_CLOSED');
  });
});

describe('who may take which step', () => {
  it('answers INTRODUCTION_CLOSED to a party whose turn it is not, and NOT_FOUND to anyone who cannot see it', async () => {
    const world = await trio(url(), db());
    const stranger = await member(url(), 'Stella');
    const id = await ask(url(), world);
    const closed = { code: 'INTRODUCTION_CLOSED', message: 'This introduction is no longer waiting for you.' };
    expect(await mutate(world.requester, 'forwardIntroduction', { introductionId: id, note: 'Me!' })).toMatchObject(
      closed,
    );
    expect(await mutate(world.requester, 'declineIntroductionRequest', { introductionId: id })).toMatchObject(closed);
    expect(await mutate(world.broker, 'withdrawIntroduction', { introductionId: id })).toMatchObject(closed);
    expect(await mutate(world.broker, 'acceptIntroduction', { introductionId: id })).toMatchObject(closed);
    // The target cannot see it before it is forwarded.
    expect((await mutate(world.target, 'acceptIntroduction', { introductionId: id })).code).toBe('NOT_FOUND');
    expect((await mutate(world.target, 'declineIntroduction', { introductionId: id })).code).toBe('NOT_FOUND');
    expect((await mutate(stranger, 'forwardIntroduction', { introductionId: id, note: 'x' })).code).toBe('NOT_FOUND');
    for (const name of ['declineIntroductionRequest', 'withdrawIntroduction']) {
      expect((await mutate(stranger, name, { introductionId: id })).code, name).toBe('NOT_FOUND');
    }
    expect((await mutate(world.broker, 'forwardIntroduction', { introductionId: 'bogus', note: 'x' })).code).toBe(
      'NOT_FOUND',
    );
    await forward(url(), world.broker, id);
    expect(await mutate(world.broker, 'forwardIntroduction', { introductionId: id, note: 'Again' })).toMatchObject(
      closed,
    );
    expect(await mutate(world.broker, 'declineIntroductionRequest', { introductionId: id })).toMatchObject(closed);
    expect(await mutate(world.requester, 'acceptIntroduction', { introductionId: id })).toMatchObject(closed);
    expect(await mutate(world.target, 'declineIntroductionRequest', { introductionId: id })).toMatchObject(closed);
    expect(await mutate(world.broker, 'declineIntroduction', { introductionId: id })).toMatchObject(closed);
    expect(
      await mutate(world.target, 'answerIntroductionFollowUp', { introductionId: id, answer: 'YES' }),
    ).toMatchObject(closed);
    expect(await mutate(world.broker, 'leaveIntroductionConversation', { introductionId: id })).toMatchObject(closed);
    await mutate(world.target, 'acceptIntroduction', { introductionId: id });
    expect(await mutate(world.target, 'acceptIntroduction', { introductionId: id })).toMatchObject(closed);
    expect(await mutate(world.requester, 'withdrawIntroduction', { introductionId: id })).toMatchObject(closed);
    expect(
      await mutate(world.broker, 'answerIntroductionFollowUp', { introductionId: id, answer: 'YES' }),
    ).toMatchObject(closed);
    expect(await mutate(world.requester, 'leaveIntroductionConversation', { introductionId: id })).toMatchObject(
      closed,
    );
    expect((await mutate(stranger, 'answerIntroductionFollowUp', { introductionId: id, answer: 'YES' })).code).toBe(
      'NOT_FOUND',
    );
  });
});

describe('after the introduction', () => {
  it('asks requester and target "did you connect?" 14 days after acceptance; each answers, may change it; the broker sees both', async () => {
    const world = await trio(url(), db());
    const id = await forwarded(world);
    await mutate(world.target, 'acceptIntroduction', { introductionId: id });
    expect((await nodeAs(world.requester, id))?.followUpAskedAt).toBeNull();
    setClockOffset(14 * DAY_MS - 60_000);
    await runDueJobs(services());
    expect(await kindsOf(world.requester)).not.toContain('INTRODUCTION_FOLLOW_UP');
    setClockOffset(14 * DAY_MS + 60_000);
    await runDueJobs(services());
    const followUp = (who: Member) => toldTo(who).then((all) => all.filter((n) => n.kind === 'INTRODUCTION_FOLLOW_UP'));
    expect((await followUp(world.requester)).map((n) => n.text)).toEqual([
      `Did you connect with ${nameOf(world.target)}?`,
    ]);
    expect((await followUp(world.target)).map((n) => n.text)).toEqual([
      `Did you connect with ${nameOf(world.requester)}?`,
    ]);
    expect(await followUp(world.broker)).toEqual([]);
    expect(await mailsTo(world.requester)).toBeGreaterThanOrEqual(1);
    expect((await nodeAs(world.target, id))?.followUpAskedAt).not.toBeNull();
    // Run again (as after a crash): nobody is asked twice.
    await runDueJobs(services());
    expect(await followUp(world.requester)).toHaveLength(1);

    expect(
      (await mutate(world.requester, 'answerIntroductionFollowUp', { introductionId: id, answer: 'NOT_YET' }))
        .introduction,
    ).toMatchObject({ requesterFollowUp: 'NOT_YET', targetFollowUp: null, viewerCanAnswerFollowUp: true });
    await mutate(world.requester, 'answerIntroductionFollowUp', { introductionId: id, answer: 'YES' });
    await mutate(world.target, 'answerIntroductionFollowUp', { introductionId: id, answer: 'NO' });
    expect(await nodeAs(world.broker, id)).toMatchObject({ requesterFollowUp: 'YES', targetFollowUp: 'NO' });
    expect(await nodeAs(world.requester, id)).toMatchObject({ requesterFollowUp: 'YES', targetFollowUp: null });
    expect(await nodeAs(world.target, id)).toMatchObject({ requesterFollowUp: null, targetFollowUp: 'NO' });
    const invalid = await gql(
      url(),
      'mutation ($input: AnswerIntroductionFollowUpInput!) { answerIntroductionFollowUp(input: $input) { __typename } }',
      { input: { introductionId: id, answer: 'MAYBE' } },
      { token: world.requester.token },
    );
    expect(invalid.body.errors).toBeDefined();
  });

  it('lets an answer come before it is asked, and then asks only who has not answered', async () => {
    const world = await trio(url(), db());
    const id = await forwarded(world);
    await mutate(world.target, 'acceptIntroduction', { introductionId: id });
    await mutate(world.target, 'answerIntroductionFollowUp', { introductionId: id, answer: 'YES' });
    setClockOffset(14 * DAY_MS + 60_000);
    await runDueJobs(services());
    expect(await kindsOf(world.target)).not.toContain('INTRODUCTION_FOLLOW_UP');
    expect(await kindsOf(world.requester)).toContain('INTRODUCTION_FOLLOW_UP');
  });

  it('lets the broker leave the conversation (their live stream of it ends at once); the two carry on; leaving twice is refused', async () => {
    const world = await trio(url(), db());
    const id = await forwarded(world);
    const accepted = await mutate(world.target, 'acceptIntroduction', { introductionId: id });
    const conversationId = accepted.introduction.conversation.id as string;
    expect((await nodeAs(world.broker, id))?.viewerCanLeaveConversation).toBe(true);
    expect((await nodeAs(world.requester, id))?.viewerCanLeaveConversation).toBe(false);
    // The broker's live stream of the conversation, listening (it replays the opening card).
    const socket = memberSocket(server.wsUrl, world.broker);
    try {
      const stream = conversationEvents(socket, conversationId, 0);
      await stream.waitFor((events) => events.length > 0, 'the opening card');
      const left = await mutate(world.broker, 'leaveIntroductionConversation', { introductionId: id });
      expect(left.introduction).toMatchObject({
        state: 'ACCEPTED',
        conversation: null,
        viewerCanLeaveConversation: false,
      });
      // Leaving ends it at once (chat's access re-check after commit).
      const end = await stream.waitForEnd();
      expect(end.errors.map((error) => error.extensions?.code)).toContain('NOT_FOUND');
    } finally {
      await socket.dispose();
    }
    expect((await run(world.broker, CONVERSATION, { id: conversationId })).node).toBeNull();
    for (const who of [world.requester, world.target]) {
      const conversation = (await run(who, CONVERSATION, { id: conversationId })).node;
      expect(conversation.participants.map((p: { id: string }) => p.id).sort()).toEqual(
        [personId(world.requester), personId(world.target)].sort(),
      );
      // The opening card stays.
      expect(conversation.messages.edges).toHaveLength(1);
    }
    expect((await mutate(world.broker, 'leaveIntroductionConversation', { introductionId: id })).code).toBe(
      'ALREADY_LEFT',
    );
  });
});
