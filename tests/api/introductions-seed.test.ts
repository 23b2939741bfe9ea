import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntroductionStatus } from '../../server/src/generated/prisma/enums.js';
import { advanceClock, nowMs, setClockOffset } from '../../server/src/lib/clock.js';
import { encodeGlobalId } from '../../server/src/lib/global-id.js';
import { introductionPath } from '../../server/src/modules/introductions/introductions.notifications.js';
import { brokerConnections, mayBroker } from '../../server/src/modules/introductions/introductions.policy.js';
import { runDueJobs } from '../../server/src/modules/jobs/index.js';
import { keptApartFrom } from '../../server/src/modules/people/blocking.policy.js';
import { DEMO_LOGIN, seedDemoData } from '../../server/src/seed/demo-data.js';
import { gql, SIGN_IN } from '../support/graphql.js';
import { startServer, type TestServer } from '../support/server.js';

// The demo introductions: one in every state, Ada with one to broker and one waiting for her answer,
// follow-up answers on an accepted one older than two weeks. Every one was possible under the real
// rules, each party reads it through the API as the policy lets them, open ones lapse by their job and
// accepted ones ask "did you connect?" by theirs.

const DAY = 24 * 60 * 60 * 1000;
const FOLLOW_UP_DAYS = 14;
const STEP_DAYS = 7;

let server: TestServer;
beforeAll(async () => {
  // No job runner: the jobs the seed leaves are read as it left them.
  server = await startServer({ env: { JOBS_ENABLED: 'false' } });
  await seedDemoData(server.app.services.db);
});
afterAll(async () => {
  setClockOffset(0);
  await server?.stop();
});

const tokens = new Map<string, string>();
async function tokenOf(userId: string): Promise<string> {
  const known = tokens.get(userId);
  if (known) return known;
  const { email } = await server.app.services.db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { email: true },
  });
  const response = await gql(server.graphqlUrl, SIGN_IN, { input: { email, password: DEMO_LOGIN.password } });
  const token = response.body.data!.signIn.token as string;
  tokens.set(userId, token);
  return token;
}

const INTRODUCTION_SELECT = {
  id: true,
  requesterId: true,
  brokerId: true,
  targetId: true,
  status: true,
  forwardedAt: true,
  closedAt: true,
  expiresAt: true,
  createdAt: true,
  conversationId: true,
  requesterFollowUp: true,
  targetFollowUp: true,
  target: { select: { openTo: true, introductionsThrough: true } },
} as const;

async function seeded() {
  return server.app.services.db.introduction.findMany({ select: INTRODUCTION_SELECT, orderBy: { createdAt: 'asc' } });
}

/** What the requester reads: whoever declined or let it lapse at the target, it "did not happen". */
const REQUESTER_STATE: Record<IntroductionStatus, string> = {
  REQUESTED: 'REQUESTED',
  FORWARDED: 'FORWARDED',
  ACCEPTED: 'ACCEPTED',
  BROKER_DECLINED: 'NOT_NOW',
  TARGET_DECLINED: 'NOT_HAPPENED',
  TARGET_EXPIRED: 'NOT_HAPPENED',
  BROKER_EXPIRED: 'EXPIRED',
  WITHDRAWN: 'WITHDRAWN',
};

/** A target's decline reads as still forwarded to the requester until the target's step ends. */
function requesterState(row: { status: IntroductionStatus; expiresAt: Date | null }): string {
  return row.status === 'TARGET_DECLINED' && row.expiresAt && row.expiresAt.getTime() > Date.now()
    ? 'FORWARDED'
    : REQUESTER_STATE[row.status];
}

const NODE = /* GraphQL */ `
  query ($id: ID!) {
    node(id: $id) {
      ... on Introduction {
        id viewerRole state reason brokerNote targetNote closedAt expiresAt
        conversation { id kind }
        viewerCanForward viewerCanAccept viewerCanDecline viewerCanWithdraw
      }
    }
  }
`;

const LIST = /* GraphQL */ `
  query ($role: IntroductionRole!, $open: Boolean) {
    introductions(role: $role, open: $open, first: 50) { edges { node { id state } } }
  }
`;

describe('demo introductions', () => {
  it('is idempotent', async () => {
    const db = server.app.services.db;
    const counts = async () => ({
      introductions: await db.introduction.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true } }),
      conversations: await db.conversation.count({ where: { kind: 'INTRODUCTION' } }),
      messages: await db.message.count({ where: { conversation: { kind: 'INTRODUCTION' } } }),
      participants: await db.conversationParticipant.count({ where: { conversation: { kind: 'INTRODUCTION' } } }),
      jobs: await db.job.findMany({
        where: { kind: { startsWith: 'introductions.' } },
        orderBy: { key: 'asc' },
        select: { kind: true, key: true, runAt: true },
      }),
      notifications: await db.notification.groupBy({
        by: ['kind'],
        where: { kind: { startsWith: 'INTRODUCTION_' } },
        _count: true,
        orderBy: { kind: 'asc' },
      }),
    });
    const first = await counts();
    expect(first.introductions.length).toBeGreaterThanOrEqual(12);
    await seedDemoData(db);
    expect(await counts()).toEqual(first);
  });

  it('holds an introduction in every state, and follow-up answers on an accepted one older than two weeks', async () => {
    const rows = await seeded();
    const states: IntroductionStatus[] = [
      'REQUESTED',
      'FORWARDED',
      'ACCEPTED',
      'BROKER_DECLINED',
      'TARGET_DECLINED',
      'BROKER_EXPIRED',
      'TARGET_EXPIRED',
      'WITHDRAWN',
    ];
    expect(new Set(rows.map((row) => row.status))).toEqual(new Set(states));
    const db = server.app.services.db;
    // The broker declined once with words for the requester and once without.
    const declined = await db.introduction.findMany({
      where: { status: 'BROKER_DECLINED' },
      select: { brokerMessage: true },
    });
    expect(declined.some((row) => row.brokerMessage)).toBe(true);
    expect(declined.some((row) => !row.brokerMessage)).toBe(true);
    // Withdrawn before and after the target saw it.
    const withdrawn = rows.filter((row) => row.status === 'WITHDRAWN');
    expect(withdrawn.some((row) => row.forwardedAt === null)).toBe(true);
    expect(withdrawn.some((row) => row.forwardedAt !== null)).toBe(true);
    // Declined by the target long ago, and so recently that the requester has not been told yet.
    const targetDeclined = rows.filter((row) => row.status === 'TARGET_DECLINED');
    expect(targetDeclined.some((row) => row.expiresAt === null)).toBe(true);
    expect(targetDeclined.some((row) => row.expiresAt !== null)).toBe(true);

    const now = Date.now();
    const answered = rows.filter(
      (row) =>
        row.status === 'ACCEPTED' &&
        row.closedAt!.getTime() < now - FOLLOW_UP_DAYS * DAY &&
        row.requesterFollowUp !== null &&
        row.targetFollowUp !== null,
    );
    expect(answered.length).toBeGreaterThanOrEqual(1);
    // Nobody answers "did you connect?" before it is asked.
    for (const row of rows) {
      if (row.status !== 'ACCEPTED' || row.closedAt!.getTime() > now - FOLLOW_UP_DAYS * DAY) {
        expect(row.requesterFollowUp, row.id).toBeNull();
        expect(row.targetFollowUp, row.id).toBeNull();
      }
    }
    // Steps happened in order, and none after now.
    for (const row of rows) {
      expect(row.createdAt.getTime()).toBeLessThan(now);
      if (row.forwardedAt) expect(row.forwardedAt.getTime()).toBeGreaterThan(row.createdAt.getTime());
      if (row.closedAt) {
        expect(row.closedAt.getTime()).toBeGreaterThan((row.forwardedAt ?? row.createdAt).getTime());
        expect(row.closedAt.getTime()).toBeLessThan(now);
      }
      const open = row.status === 'REQUESTED' || row.status === 'FORWARDED';
      expect(row.closedAt === null, row.id).toBe(open);
      if (open) expect(row.expiresAt!.getTime()).toBeGreaterThan(now);
      // A target's decline keeps the step's deadline until the requester is told, at its end.
      if (row.status === 'TARGET_DECLINED' && row.expiresAt) {
        expect(row.expiresAt.getTime()).toBe(row.forwardedAt!.getTime() + STEP_DAYS * DAY);
        expect(row.expiresAt.getTime()).toBeGreaterThan(now);
      }
      if (!open && row.status !== 'TARGET_DECLINED') expect(row.expiresAt, row.id).toBeNull();
      // The target's steps come after a forward; the broker's before it.
      if (['FORWARDED', 'ACCEPTED', 'TARGET_DECLINED', 'TARGET_EXPIRED'].includes(row.status)) {
        expect(row.forwardedAt, row.id).not.toBeNull();
      }
      if (['REQUESTED', 'BROKER_DECLINED', 'BROKER_EXPIRED'].includes(row.status)) {
        expect(row.forwardedAt, row.id).toBeNull();
      }
    }
  });

  it('gives Ada one to broker and one waiting for her answer, and both show on her page', async () => {
    const db = server.app.services.db;
    const ada = await db.user.findUniqueOrThrow({ where: { email: DEMO_LOGIN.email }, select: { id: true } });
    expect(await db.introduction.count({ where: { brokerId: ada.id, status: 'REQUESTED' } })).toBe(1);
    expect(await db.introduction.count({ where: { targetId: ada.id, status: 'FORWARDED' } })).toBe(1);

    const token = await tokenOf(ada.id);
    const toBroker = await gql(server.graphqlUrl, LIST, { role: 'BROKER', open: true }, { token });
    expect(toBroker.body.errors).toBeUndefined();
    const brokerNodes = toBroker.body.data!.introductions.edges.map((e: { node: unknown }) => e.node);
    expect(brokerNodes).toEqual([expect.objectContaining({ state: 'REQUESTED' })]);
    const forHer = await gql(server.graphqlUrl, LIST, { role: 'TARGET', open: true }, { token });
    expect(forHer.body.errors).toBeUndefined();
    const targetNodes = forHer.body.data!.introductions.edges.map((e: { node: unknown }) => e.node);
    expect(targetNodes).toEqual([expect.objectContaining({ state: 'FORWARDED' })]);

    // Each one offers her the step that is hers.
    const asBroker = await gql(server.graphqlUrl, NODE, { id: brokerNodes[0].id }, { token });
    expect(asBroker.body.data!.node).toMatchObject({
      viewerRole: 'BROKER',
      viewerCanForward: true,
      viewerCanDecline: true,
    });
    const asTarget = await gql(server.graphqlUrl, NODE, { id: targetNodes[0].id }, { token });
    expect(asTarget.body.data!.node).toMatchObject({
      viewerRole: 'TARGET',
      viewerCanAccept: true,
      viewerCanDecline: true,
    });
    // Her bell has both.
    const kinds = await db.notification.findMany({
      where: { recipientId: ada.id, kind: { startsWith: 'INTRODUCTION_' }, readAt: null },
      select: { kind: true },
    });
    expect(kinds.map((n) => n.kind).sort()).toEqual(['INTRODUCTION_FORWARDED', 'INTRODUCTION_REQUESTED']);
    // The forward told her (to answer) and the requester (that it was passed on), each in their words.
    const forwarded = await db.introduction.findFirstOrThrow({ where: { targetId: ada.id, status: 'FORWARDED' } });
    const told = await db.notification.findMany({
      where: { kind: 'INTRODUCTION_FORWARDED', subjectId: encodeGlobalId('Introduction', forwarded.id) },
      select: { recipientId: true, actorId: true, data: true },
    });
    expect(told).toEqual(
      expect.arrayContaining([
        { recipientId: ada.id, actorId: forwarded.brokerId, data: { introductionId: forwarded.id, to: 'TARGET' } },
        {
          recipientId: forwarded.requesterId,
          actorId: forwarded.brokerId,
          data: { introductionId: forwarded.id, to: 'REQUESTER' },
        },
      ]),
    );
    expect(told).toHaveLength(2);
  });

  it('seeds only introductions the rules allow: connected broker, target open to it through them, no blocks', async () => {
    const db = server.app.services.db;
    for (const row of await seeded()) {
      const { requesterId, brokerId, targetId } = row;
      expect(new Set([requesterId, brokerId, targetId]).size).toBe(3);
      expect(row.target.openTo, row.id).toContain('INTRODUCTIONS');
      const links = await brokerConnections(db, { requesterId, targetId, brokerIds: [brokerId] });
      expect(mayBroker(links.get(brokerId), row.target.introductionsThrough), row.id).toBeNull();
      for (const [a, b] of [
        [requesterId, brokerId],
        [requesterId, targetId],
        [brokerId, targetId],
      ] as const) {
        expect((await keptApartFrom(db, 'introduce', a, [b])).size, row.id).toBe(0);
      }
      // The requester and the broker can both open the target's profile.
      for (const viewer of [requesterId, brokerId]) {
        const seen = await gql(
          server.graphqlUrl,
          `query($id: ID!) { person(id: $id) { id } }`,
          { id: encodeGlobalId('Person', targetId) },
          { token: await tokenOf(viewer) },
        );
        expect(seen.body.data?.person, row.id).not.toBeNull();
      }
    }
    // At most one open request per requester and target, and within each requester's limit.
    const open = (await seeded()).filter((row) => row.status === 'REQUESTED' || row.status === 'FORWARDED');
    expect(new Set(open.map((row) => `${row.requesterId}:${row.targetId}`)).size).toBe(open.length);
  });

  it('shows each party what the policy lets them see, and nothing to anyone else', async () => {
    const db = server.app.services.db;
    const involved = new Set((await seeded()).flatMap((row) => [row.requesterId, row.brokerId, row.targetId]));
    const outsider = await db.user.findFirstOrThrow({
      where: { email: { endsWith: '@guildhall.dev' }, id: { notIn: [...involved] } },
      select: { id: true },
    });
    for (const row of await seeded()) {
      const id = encodeGlobalId('Introduction', row.id);
      const read = async (userId: string) => {
        const response = await gql(server.graphqlUrl, NODE, { id }, { token: await tokenOf(userId) });
        expect(response.body.errors, row.id).toBeUndefined();
        return response.body.data!.node;
      };
      const asRequester = await read(row.requesterId);
      expect(asRequester, row.id).toMatchObject({ viewerRole: 'REQUESTER', state: requesterState(row) });
      if (row.status !== 'ACCEPTED') {
        expect(asRequester.targetNote, row.id).toBeNull();
        expect(asRequester.brokerNote, row.id).toBeNull();
        expect(asRequester.conversation, row.id).toBeNull();
      }
      if (row.status === 'TARGET_DECLINED' || row.status === 'TARGET_EXPIRED') {
        expect(asRequester.closedAt, row.id).toBeNull();
      }

      const asBroker = await read(row.brokerId);
      expect(asBroker, row.id).toMatchObject({ viewerRole: 'BROKER', state: row.status });

      const asTarget = await read(row.targetId);
      if (row.forwardedAt === null) {
        expect(asTarget, row.id).toBeNull();
      } else {
        expect(asTarget, row.id).toMatchObject({ viewerRole: 'TARGET', state: row.status, reason: null });
      }
      expect(await read(outsider.id), row.id).toBeNull();

      // The same in each party's list.
      const listed = async (userId: string, role: string) => {
        const response = await gql(server.graphqlUrl, LIST, { role }, { token: await tokenOf(userId) });
        expect(response.body.errors, row.id).toBeUndefined();
        return response.body.data!.introductions.edges.map((e: { node: { id: string } }) => e.node.id) as string[];
      };
      expect(await listed(row.requesterId, 'REQUESTER')).toContain(id);
      expect(await listed(row.brokerId, 'BROKER')).toContain(id);
      if (row.forwardedAt === null) expect(await listed(row.targetId, 'TARGET')).not.toContain(id);
      else expect(await listed(row.targetId, 'TARGET')).toContain(id);
    }
  });

  it('lapses each open one by its job at its expiry, and asks "did you connect?" of accepted ones by theirs', async () => {
    const db = server.app.services.db;
    const now = Date.now();
    const jobs = await db.job.findMany({
      where: { kind: { startsWith: 'introductions.' }, state: 'PENDING' },
      select: { kind: true, key: true, runAt: true, payload: true },
    });
    const byKey = new Map(jobs.map((job) => [job.key, job]));
    const expected = new Set<string>();
    for (const row of await seeded()) {
      if (
        row.status === 'REQUESTED' ||
        row.status === 'FORWARDED' ||
        (row.status === 'TARGET_DECLINED' && row.expiresAt)
      ) {
        const job = byKey.get(`introductions.expiry:${row.id}`);
        expect(job, row.id).toMatchObject({ kind: 'introductions.step-expiry', runAt: row.expiresAt });
        expected.add(`introductions.expiry:${row.id}`);
      }
      if (row.status === 'ACCEPTED') {
        const askAt = row.closedAt!.getTime() + FOLLOW_UP_DAYS * DAY;
        const job = byKey.get(`introductions.follow-up:${row.id}`);
        if (askAt > now) {
          expect(job, row.id).toMatchObject({ kind: 'introductions.follow-up', runAt: new Date(askAt) });
          expected.add(`introductions.follow-up:${row.id}`);
        } else {
          // Already asked: its job ran, and the requester and the target were asked.
          expect(job, row.id).toBeUndefined();
          const asked = await db.notification.findMany({
            where: { kind: 'INTRODUCTION_FOLLOW_UP', subjectId: encodeGlobalId('Introduction', row.id) },
            select: { recipientId: true },
          });
          expect(asked.map((n) => n.recipientId).sort(), row.id).toEqual([row.requesterId, row.targetId].sort());
        }
      }
    }
    // No job for anything closed.
    expect(new Set(jobs.map((job) => job.key))).toEqual(expected);
    expect(expected.size).toBeGreaterThanOrEqual(4);
  });

  it('opens each accepted one’s three-way conversation with the broker’s note, and Ada has a message to read', async () => {
    const db = server.app.services.db;
    const accepted = (await seeded()).filter((row) => row.status === 'ACCEPTED');
    expect(accepted.length).toBeGreaterThanOrEqual(2);
    for (const row of accepted) {
      const conversation = await db.conversation.findUniqueOrThrow({
        where: { id: row.conversationId! },
        select: {
          kind: true,
          lastSeq: true,
          participants: { select: { userId: true } },
          messages: { orderBy: { seq: 'asc' }, select: { seq: true, senderId: true, card: true, body: true } },
          events: { select: { seq: true } },
        },
      });
      expect(conversation.kind).toBe('INTRODUCTION');
      const participants = conversation.participants.map((p) => p.userId);
      expect(participants.sort()).toEqual([row.requesterId, row.brokerId, row.targetId].sort());
      const [opening, ...rest] = conversation.messages;
      expect(opening).toMatchObject({ seq: 1, senderId: row.brokerId });
      expect(opening!.card).toMatchObject({
        title: expect.stringMatching(/ introduced .* and /),
        href: introductionPath(row.id),
      });
      expect(rest.length).toBeGreaterThanOrEqual(2);
      // Stored as the realtime protocol stores it: one event per message, seq 1…n.
      expect(conversation.messages.map((m) => m.seq)).toEqual(
        conversation.events.map((e) => e.seq).sort((a, b) => a - b),
      );
      expect(conversation.lastSeq).toBe(conversation.messages.length);
    }

    const ada = await db.user.findUniqueOrThrow({ where: { email: DEMO_LOGIN.email }, select: { id: true } });
    const mine = accepted.find((row) => row.requesterId === ada.id)!;
    const response = await gql(
      server.graphqlUrl,
      `query($id: ID!) { node(id: $id) { ... on Introduction { state conversation { kind unreadCount participants { name } } } } }`,
      { id: encodeGlobalId('Introduction', mine.id) },
      { token: await tokenOf(ada.id) },
    );
    expect(response.body.errors).toBeUndefined();
    const node = response.body.data!.node;
    expect(node.state).toBe('ACCEPTED');
    expect(node.conversation).toMatchObject({ kind: 'INTRODUCTION', unreadCount: 1 });
    expect(node.conversation.participants).toHaveLength(3);
  });

  // Last: it moves the clock and changes the rows the tests above read.
  it('hands over to the service: Ada forwards Finn’s request and accepts Elif’s, the rest lapse by their jobs', async () => {
    const db = server.app.services.db;
    const ada = await db.user.findUniqueOrThrow({ where: { email: DEMO_LOGIN.email }, select: { id: true } });
    const token = await tokenOf(ada.id);
    const toForward = await db.introduction.findFirstOrThrow({ where: { brokerId: ada.id, status: 'REQUESTED' } });
    const toAccept = await db.introduction.findFirstOrThrow({ where: { targetId: ada.id, status: 'FORWARDED' } });
    const hidden = await db.introduction.findFirstOrThrow({
      where: { status: 'TARGET_DECLINED', expiresAt: { not: null } },
      select: { id: true, requesterId: true },
    });
    const step = async (mutation: string, input: Record<string, unknown>) => {
      const response = await gql(
        server.graphqlUrl,
        `mutation($input: ${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) {
          __typename ... on IntroductionPayload { introduction { state } } ... on Error { code message } } }`,
        { input },
        { token },
      );
      expect(response.body.errors).toBeUndefined();
      return response.body.data![mutation];
    };
    expect(
      await step('forwardIntroduction', {
        introductionId: encodeGlobalId('Introduction', toForward.id),
        note: 'Kwame, Finn is my mentee and starts on call next month. Half an hour with you would calm his nerves.',
      }),
    ).toEqual({ __typename: 'IntroductionPayload', introduction: { state: 'FORWARDED' } });
    expect(
      await step('acceptIntroduction', {
        introductionId: encodeGlobalId('Introduction', toAccept.id),
        note: 'With pleasure, Julia. Elif, let us find an hour next week.',
      }),
    ).toEqual({ __typename: 'IntroductionPayload', introduction: { state: 'ACCEPTED' } });

    // Eleven days on, every step still open has run out by its job, and the introduction Ada asked
    // for (accepted four days before the seed ran) has asked "did you connect?".
    advanceClock(11 * DAY);
    await runDueJobs(server.app.services);
    expect(await db.introduction.count({ where: { status: { in: ['REQUESTED', 'FORWARDED'] } } })).toBe(0);
    expect(await db.introduction.findUniqueOrThrow({ where: { id: toForward.id } })).toMatchObject({
      status: 'TARGET_EXPIRED',
    });
    // The recent decline reached its requester only now, as a lapse would have.
    expect(await db.introduction.findUniqueOrThrow({ where: { id: hidden.id } })).toMatchObject({ expiresAt: null });
    expect(
      await db.notification.count({
        where: {
          recipientId: hidden.requesterId,
          kind: 'INTRODUCTION_DID_NOT_HAPPEN',
          subjectId: encodeGlobalId('Introduction', hidden.id),
        },
      }),
    ).toBe(1);
    const asked = await db.introduction.findFirstOrThrow({
      where: { requesterId: ada.id, status: 'ACCEPTED' },
      select: { id: true, targetId: true },
    });
    const followUps = await db.notification.findMany({
      where: { kind: 'INTRODUCTION_FOLLOW_UP', subjectId: encodeGlobalId('Introduction', asked.id) },
      select: { recipientId: true },
    });
    expect(followUps.map((n) => n.recipientId).sort()).toEqual([ada.id, asked.targetId].sort());
    // What remains: the follow-ups not due yet (Elif's, accepted today).
    const pending = await db.job.findMany({
      where: { kind: { startsWith: 'introductions.' }, state: 'PENDING' },
      select: { key: true, runAt: true },
    });
    expect(pending.map((job) => job.key)).toEqual([`introductions.follow-up:${toAccept.id}`]);
    expect(pending[0]!.runAt.getTime()).toBeGreaterThan(nowMs());
  });
});
