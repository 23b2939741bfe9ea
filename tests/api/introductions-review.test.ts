import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClockOffset } from '../../server/src/lib/clock.js';
import { runDueJobs } from '../../server/src/modules/jobs/index.js';
import { memberSocket, openStream } from '../support/chat.js';
import { gql, type Member, type UntypedData } from '../support/graphql.js';
import { personId } from '../support/groups.js';
import {
  ask,
  DAY_MS,
  directConversationOf,
  forward,
  groupOf,
  introductionMutation,
  member,
  mentorshipOf,
  requestInput,
  rowOf,
  type Trio,
  trio,
} from '../support/introductions.js';
import { startServer, type TestServer } from '../support/server.js';

// A review of introductions from outside, as a requester who would like to learn what the target
// answered and as a member probing what the target hid: each test here failed before its fix.

let server: TestServer;
const url = () => server.graphqlUrl;
const db = () => server.app.services.db;
const sockets: Client[] = [];

beforeAll(async () => {
  // The runner runs only when a test runs the due jobs (with the clock it moved).
  server = await startServer({ env: { JOBS_ENABLED: 'false' } });
});
afterEach(async () => {
  setClockOffset(0);
  while (sockets.length) await sockets.pop()!.dispose();
});
afterAll(async () => {
  await server?.stop();
});

async function read(who: Member, query: string, variables: Record<string, unknown> = {}): Promise<UntypedData> {
  const response = await gql(url(), query, variables, { token: who.token });
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data as UntypedData;
}

const mutate = (who: Member, name: string, input: Record<string, unknown>) =>
  introductionMutation(url(), who, name, input);

/** The code a request answers with (or STORED), and its words with the target's name made neutral. */
async function askAgain(world: Trio): Promise<{ code: string; message: string | null }> {
  const result = await mutate(world.requester, 'requestIntroduction', requestInput(world));
  if (result.__typename === 'IntroductionPayload') return { code: 'STORED', message: null };
  return { code: result.code, message: (result.message as string).replace(world.target.name, 'T') };
}

describe('the requester cannot tell a target’s decline from a target’s silence', () => {
  it('asking the same target again answers the same cool-down after either', async () => {
    const declined = await trio(url(), db());
    const silent = await trio(url(), db());
    const declinedId = await ask(url(), declined);
    const silentId = await ask(url(), silent);
    await forward(url(), declined.broker, declinedId);
    await forward(url(), silent.broker, silentId);
    // The target declines on the last day of their step; the other lets it run out.
    setClockOffset(7 * DAY_MS - 60_000);
    expect((await mutate(declined.target, 'declineIntroduction', { introductionId: declinedId })).__typename).toBe(
      'IntroductionPayload',
    );
    setClockOffset(7 * DAY_MS + 60_000);
    await runDueJobs(server.app.services);
    for (const [world, id] of [
      [declined, declinedId],
      [silent, silentId],
    ] as const) {
      expect(
        (await read(world.requester, 'query ($id: ID!) { node(id: $id) { ... on Introduction { state } } }', { id }))
          .node,
      ).toEqual({
        state: 'NOT_HAPPENED',
      });
    }
    // The same refusal; its date is 30 days after the requester was told (a minute or two apart here).
    const undated = ({ code, message }: { code: string; message: string | null }) => ({
      code,
      message: message?.replace(/after .*\.$/, 'after <date>.') ?? null,
    });
    const afterDecline = undated(await askAgain(declined));
    const afterSilence = undated(await askAgain(silent));
    expect(afterDecline).toEqual({ code: 'COOL_DOWN', message: 'You can ask again about T after <date>.' });
    expect(afterSilence).toEqual(afterDecline);
  });
});

describe('the follow-up answers', () => {
  it('the requester hears nothing when the target answers "did you connect?" (nor the target of the requester’s)', async () => {
    const world = await trio(url(), db());
    const id = await ask(url(), world);
    await forward(url(), world.broker, id);
    expect((await mutate(world.target, 'acceptIntroduction', { introductionId: id })).__typename).toBe(
      'IntroductionPayload',
    );
    const EVENTS = /* GraphQL */ `subscription { introductionEvents { introduction { id requesterFollowUp } } }`;
    const socket = memberSocket(server.wsUrl, world.requester);
    sockets.push(socket);
    const stream = openStream<{ introduction: { id: string; requesterFollowUp: string | null } }>(
      socket,
      EVENTS,
      {},
      'introductionEvents',
    );
    // Until the stream listens: the requester's own answers are theirs to hear.
    const deadline = Date.now() + 20_000;
    for (;;) {
      await mutate(world.requester, 'answerIntroductionFollowUp', { introductionId: id, answer: 'NOT_YET' });
      try {
        await stream.waitFor((items) => items.length > 0, 'the stream listens', 300);
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
    }
    const heard = stream.received.length;
    await mutate(world.target, 'answerIntroductionFollowUp', { introductionId: id, answer: 'NO' });
    await mutate(world.requester, 'answerIntroductionFollowUp', { introductionId: id, answer: 'YES' });
    await stream.waitFor(
      (items) => items.some((item) => item.introduction.requesterFollowUp === 'YES'),
      'the requester hears their own answer',
    );
    // Only the requester's own answer: nothing between the two.
    expect(stream.received.length).toBe(heard + 1);
  });
});

describe('a target who hides whether they take introductions', () => {
  const CAN_ASK = 'query ($id: ID!) { node(id: $id) { ... on Person { viewerCanAskIntroduction } } }';
  const BROKERS = /* GraphQL */ `query ($targetId: ID!) { introductionBrokers(targetId: $targetId) { canAsk reason brokers { person { id } } } }`;

  /** Everything the requester can learn about whether the target takes introductions. */
  async function whatTheRequesterLearns(world: Trio) {
    const canAsk = (await read(world.requester, CAN_ASK, { id: personId(world.target) })).node
      .viewerCanAskIntroduction as boolean;
    const brokers = (await read(world.requester, BROKERS, { targetId: personId(world.target) }))
      .introductionBrokers as { canAsk: boolean; reason: string | null; brokers: unknown[] };
    const asked = await askAgain(world);
    return {
      canAsk,
      brokers: { ...brokers, reason: brokers.reason?.replace(world.target.name, 'T') ?? null },
      asked,
    };
  }

  it('reads the same to a requester who may not see openTo, whether or not it holds INTRODUCTIONS', async () => {
    const open = await trio(url(), db());
    const closed = await trio(url(), db());
    await db().user.update({ where: { id: rowOf(open.target) }, data: { openToVisibility: 'ONLY_ME' } });
    await db().user.update({
      where: { id: rowOf(closed.target) },
      data: { openTo: [], openToVisibility: 'ONLY_ME' },
    });
    const hiddenOpen = await whatTheRequesterLearns(open);
    const hiddenClosed = await whatTheRequesterLearns(closed);
    expect(hiddenOpen).toEqual(hiddenClosed);
    // Taking introductions is said to the asker: hidden from them, it reads as not taking them.
    expect(hiddenOpen.asked.code).toBe('NOT_OPEN_TO_INTRODUCTIONS');
  });

  it('SHARED_GROUPS visibility: a requester sharing a group with the target may ask', async () => {
    const world = await trio(url(), db());
    await db().user.update({ where: { id: rowOf(world.target) }, data: { openToVisibility: 'SHARED_GROUPS' } });
    expect((await whatTheRequesterLearns(world)).asked.code).toBe('STORED');
  });
});

describe('the suggested brokers’ words', () => {
  it('never say that the broker and the target share a mentorship or a direct conversation', async () => {
    const requester = await member(url(), 'Rae');
    const mentor = await member(url(), 'Moe');
    const talker = await member(url(), 'Tal');
    const target = await member(url(), 'Tia');
    await db().user.update({ where: { id: rowOf(target) }, data: { openTo: ['INTRODUCTIONS'] } });
    // The requester knows both brokers through a group the target is not in.
    await groupOf(db(), [requester, mentor, talker]);
    await mentorshipOf(db(), mentor, target);
    await mentorshipOf(db(), talker, target, 'ENDED');
    await directConversationOf(db(), talker, target);
    const suggestions = (
      await read(
        requester,
        `query ($targetId: ID!) { introductionBrokers(targetId: $targetId) { canAsk brokers { person { name } reasons } } }`,
        {
          targetId: personId(target),
        },
      )
    ).introductionBrokers as { canAsk: boolean; brokers: Array<{ person: { name: string }; reasons: string[] }> };
    expect(suggestions.canAsk).toBe(true);
    expect(suggestions.brokers.map((broker) => broker.person.name).sort()).toEqual([mentor.name, talker.name].sort());
    for (const broker of suggestions.brokers) {
      const words = broker.reasons.join(' | ');
      expect(words).not.toMatch(/mentor|talked/i);
      expect(words).toContain(target.name);
    }
  });
});

describe('a refusal never tells a link the requester may not know of', () => {
  it('a broker who only has a direct conversation with the target reads as not connected with them (not NOT_THROUGH_THIS_BROKER)', async () => {
    const refusalFor = async (talks: boolean) => {
      const [requester, broker, target] = [
        await member(url(), 'Rae'),
        await member(url(), 'Bo'),
        await member(url(), 'Tia'),
      ];
      await db().user.update({ where: { id: rowOf(target) }, data: { openTo: ['INTRODUCTIONS'] } });
      await groupOf(db(), [broker, requester]);
      // A direct conversation is the broker's and the target's alone.
      if (talks) await directConversationOf(db(), broker, target);
      const result = await mutate(requester, 'requestIntroduction', requestInput({ broker, target }));
      return { code: result.code, message: (result.message as string).replace(broker.name, 'B') };
    };
    const talking = await refusalFor(true);
    expect(talking).toEqual(await refusalFor(false));
    expect(talking.code).toBe('NO_CONNECTION');
  });
});

describe('a member suspended after asking', () => {
  it('a request of a member suspended since is not forwarded, and one forwarded is not accepted (NOT_FOUND), storing nothing', async () => {
    const asked = await trio(url(), db());
    const askedId = await ask(url(), asked);
    const passed = await trio(url(), db());
    const passedId = await ask(url(), passed);
    await forward(url(), passed.broker, passedId);
    for (const world of [asked, passed]) {
      await db().user.update({ where: { id: rowOf(world.requester) }, data: { suspendedAt: new Date() } });
    }
    expect(
      (await mutate(asked.broker, 'forwardIntroduction', { introductionId: askedId, note: 'Meet them.' })).code,
    ).toBe('NOT_FOUND');
    expect((await mutate(passed.target, 'acceptIntroduction', { introductionId: passedId })).code).toBe('NOT_FOUND');
    const rows = await db().introduction.findMany({
      where: { requesterId: { in: [rowOf(asked.requester), rowOf(passed.requester)] } },
      select: { status: true, conversationId: true },
    });
    expect(rows.map((row) => row.status).sort()).toEqual(['FORWARDED', 'REQUESTED']);
    expect(rows.every((row) => row.conversationId === null)).toBe(true);
  });
});

describe('ids and words at the edge', () => {
  it('another type’s id as the introduction is not found, for every step', async () => {
    const world = await trio(url(), db());
    const id = await ask(url(), world);
    const group = await groupOf(db(), [world.requester]);
    const foreign = Buffer.from(`Group:${group.id}`).toString('base64');
    const person = personId(world.requester);
    for (const introductionId of [foreign, person, 'nonsense', '']) {
      for (const [who, name, extra] of [
        [world.broker, 'forwardIntroduction', { note: 'x' }],
        [world.broker, 'declineIntroductionRequest', {}],
        [world.requester, 'withdrawIntroduction', {}],
      ] as const) {
        expect((await mutate(who, name, { introductionId, ...extra })).code, `${name} ${introductionId}`).toBe(
          'NOT_FOUND',
        );
      }
    }
    expect(
      (await read(world.requester, 'query ($id: ID!) { node(id: $id) { ... on Introduction { state } } }', { id }))
        .node,
    ).toEqual({ state: 'REQUESTED' });
  });

  it('a note of spaces only is refused where words are required, and stored as nothing where they are optional', async () => {
    const world = await trio(url(), db());
    const id = await ask(url(), world);
    const blank = await mutate(world.broker, 'forwardIntroduction', { introductionId: id, note: '   \n\t ' });
    expect(blank.code).toBe('VALIDATION');
    const blankPresentation = await mutate(world.broker, 'forwardIntroduction', {
      introductionId: id,
      note: 'Meet them.',
      presentation: '   ',
    });
    expect(blankPresentation.code).toBe('VALIDATION');
    await forward(url(), world.broker, id);
    const declined = await mutate(world.target, 'declineIntroduction', { introductionId: id, note: '    ' });
    expect(declined.introduction.targetNote).toBeNull();
  });
});

describe('the target’s terms hold when the request reaches them', () => {
  it('a broker no longer connected with the target the way they take introductions cannot forward (storing nothing)', async () => {
    const left = await trio(url(), db());
    const leftId = await ask(url(), left);
    // The broker and the target shared only the trio's group: the target leaves it.
    await db().membership.deleteMany({ where: { userId: rowOf(left.target) } });
    const stricter = await trio(url(), db());
    const stricterId = await ask(url(), stricter);
    await db().user.update({ where: { id: rowOf(stricter.target) }, data: { introductionsThrough: 'MENTORSHIPS' } });
    for (const [world, id] of [
      [left, leftId],
      [stricter, stricterId],
    ] as const) {
      const result = await mutate(world.broker, 'forwardIntroduction', { introductionId: id, note: 'Meet them.' });
      expect(result.code).toBe('NOT_THROUGH_THIS_BROKER');
      expect(result.message).toBe(`${world.target.name} no longer takes introductions through you.`);
      expect(
        (await read(world.target, 'query ($id: ID!) { node(id: $id) { id } }', { id })).node,
        'the target never sees it',
      ).toBeNull();
    }
    // With a mentorship, the stricter target's terms are met again.
    await mentorshipOf(db(), stricter.broker, stricter.target);
    await forward(url(), stricter.broker, stricterId);
  });
});

describe('the suggested brokers tell nothing of the broker’s private ties with the target', () => {
  it('a broker sharing a group with the target reads the same to the requester whether or not they also mentor the target', async () => {
    const viewOf = async (mentors: boolean) => {
      const [requester, broker, target] = [
        await member(url(), 'Rae'),
        await member(url(), 'Bo'),
        await member(url(), 'Tia'),
      ];
      await db().user.update({ where: { id: rowOf(target) }, data: { openTo: ['INTRODUCTIONS'] } });
      await groupOf(db(), [broker, requester]);
      const shared = await groupOf(db(), [broker, target]);
      if (mentors) await mentorshipOf(db(), broker, target);
      const { introductionBrokers } = await read(
        requester,
        `query ($targetId: ID!) { introductionBrokers(targetId: $targetId) { brokers { reasons score } } }`,
        { targetId: personId(target) },
      );
      return JSON.parse(
        JSON.stringify(introductionBrokers)
          .replaceAll(target.name, 'T')
          .replaceAll(shared.name, 'G')
          .replace(/Group [0-9a-f]{6}/g, 'R-group'),
      );
    };
    const mentoring = await viewOf(true);
    expect(mentoring).toEqual(await viewOf(false));
  });
});

describe('at the end of the target’s step, before the expiry job has run', () => {
  it('the requester reads a decline and a lapse alike: the same state, lists and answer to asking again', async () => {
    const declined = await trio(url(), db());
    const silent = await trio(url(), db());
    const declinedId = await ask(url(), declined);
    const silentId = await ask(url(), silent);
    await forward(url(), declined.broker, declinedId);
    await forward(url(), silent.broker, silentId);
    setClockOffset(DAY_MS);
    await mutate(declined.target, 'declineIntroduction', { introductionId: declinedId });
    // The step ends; the runner has not run yet (it polls).
    setClockOffset(7 * DAY_MS + 60_000);
    const FIELDS = 'state closedAt expiresAt viewerCanWithdraw viewerCanAnswerFollowUp';
    const OPEN = /* GraphQL */ `query { introductions(role: REQUESTER, open: true, first: 10) { edges { node { id } } } }`;
    const viewOf = async (world: Trio, id: string) => ({
      node: (
        await read(world.requester, `query ($id: ID!) { node(id: $id) { ... on Introduction { ${FIELDS} } } }`, { id })
      ).node,
      open: (await read(world.requester, OPEN)).introductions.edges.length,
      asked: ((result) => ({
        code: result.code,
        message: result.message?.replace(/after .*\.$/, 'after <date>.') ?? null,
      }))(await askAgain(world)),
    });
    const declinedView = await viewOf(declined, declinedId);
    expect(declinedView).toEqual(await viewOf(silent, silentId));
    expect(declinedView.node.state).toBe('NOT_HAPPENED');
    expect(declinedView.asked.code).toBe('COOL_DOWN');
    await runDueJobs(server.app.services);
    expect(await viewOf(declined, declinedId)).toEqual(declinedView);
    expect(await viewOf(silent, silentId)).toEqual(declinedView);
  });
});
