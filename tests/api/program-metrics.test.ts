import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/src/db.js';
import type { MentoringCadence, MentorshipRequestStatus } from '../../server/src/generated/prisma/enums.js';
import { decodeId } from '../../server/src/lib/global-id.js';
import { gql, type Member, signUpMember } from '../support/graphql.js';
import { startServer, type TestServer } from '../support/server.js';

// Group.mentorshipMetrics over a program written row by row through Prisma (the relationship API
// is built elsewhere), with every figure worked out by hand below. Only the program's own requests
// and mentorships count (tagged with its groupId); only its owners and admins see them; and no
// answer ever carries a note, a message or one person's feedback.

let server: TestServer;
let db: Db;
let owner: Member;
let admin: Member;
let moderator: Member;
let member: Member;
let outsider: Member;
let programId: string;
const SLUG = `metrics-program-${process.pid}`;
const COMMUNITY_SLUG = `metrics-community-${process.pid}`;

const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
const at = (iso: string) => new Date(iso);
const userId = (m: Member) => decodeId(m.id, 'Viewer')!;

async function person(name: string): Promise<string> {
  const user = await db.user.create({
    data: { email: `${name}-${process.pid}-${Date.now()}@metrics.test`, name, passwordHash: 'x' },
    select: { id: true },
  });
  return user.id;
}

async function request(
  mentorId: string,
  menteeId: string,
  createdAt: string,
  status: MentorshipRequestStatus,
  groupId: string | null = programId,
) {
  const row = await db.mentorshipRequest.create({
    data: {
      mentorId,
      menteeId,
      groupId,
      message: 'PRIVATE-REQUEST-MESSAGE',
      goals: 'goals',
      status,
      createdAt: at(createdAt),
      expiresAt: new Date(at(createdAt).getTime() + 14 * 24 * 3600 * 1000),
    },
    select: { id: true },
  });
  return row.id;
}

async function mentorship(options: {
  mentorId: string;
  menteeId: string;
  requestId?: string;
  startedAt: string;
  endedAt?: string;
  groupId?: string | null;
}) {
  const conversation = await db.conversation.create({
    data: {
      kind: 'MENTORSHIP',
      participants: { create: [{ userId: options.mentorId }, { userId: options.menteeId }] },
    },
    select: { id: true },
  });
  const row = await db.mentorship.create({
    data: {
      mentorId: options.mentorId,
      menteeId: options.menteeId,
      requestId: options.requestId ?? null,
      groupId: options.groupId === undefined ? programId : options.groupId,
      conversationId: conversation.id,
      startedAt: at(options.startedAt),
      status: options.endedAt ? 'ENDED' : 'ACTIVE',
      endedAt: options.endedAt ? at(options.endedAt) : null,
    },
    select: { id: true },
  });
  return row.id;
}

async function agreement(
  mentorshipId: string,
  terms: {
    version: number;
    cadence: MentoringCadence;
    startsOn: string;
    plannedEndOn: string;
    acceptedAt: string | null;
    status: 'PROPOSED' | 'ACCEPTED' | 'SUPERSEDED';
  },
) {
  await db.mentorshipAgreement.create({
    data: {
      mentorshipId,
      version: terms.version,
      status: terms.status,
      cadence: terms.cadence,
      format: 'VIDEO',
      sessionMinutes: 45,
      startsOn: day(terms.startsOn),
      plannedEndOn: day(terms.plannedEndOn),
      mentorExpectations: 'm',
      menteeExpectations: 'e',
      confidentiality: 'c',
      acceptedAt: terms.acceptedAt ? at(terms.acceptedAt) : null,
    },
  });
}

/** A check-in with shared and private notes, and feedback (author → rating) given on it. */
async function checkIn(mentorshipId: string, heldAt: string, feedback: Array<[string, number]> = []) {
  const row = await db.checkIn.create({
    data: { mentorshipId, heldAt: at(heldAt), sharedNotes: 'SHARED-NOTES', nextSteps: 'NEXT-STEPS' },
    select: { id: true },
  });
  const [first] = feedback;
  if (first)
    await db.checkInPrivateNote.create({ data: { checkInId: row.id, authorId: first[0], body: 'PRIVATE-NOTE' } });
  for (const [authorId, rating] of feedback) {
    await db.checkInFeedback.create({
      data: { checkInId: row.id, authorId, rating, words: 'FEEDBACK-WORDS', pairingWorking: rating >= 3 },
    });
  }
}

async function goal(mentorshipId: string, status: 'ACTIVE' | 'COMPLETED' | 'DROPPED', completedAt: string | null) {
  await db.goal.create({
    data: {
      mentorshipId,
      title: 'GOAL-TITLE',
      specificOutcome: 'o',
      measure: 'TARGET',
      startValue: 0,
      targetValue: 3,
      currentValue: status === 'COMPLETED' ? 3 : 1,
      whyItMatters: 'w',
      dueOn: day('2026-06-30'),
      status,
      completedAt: completedAt ? at(completedAt) : null,
    },
  });
}

const METRICS = /* GraphQL */ `
  query Metrics($slug: String!, $from: DateTime!, $to: DateTime!, $bucket: MetricsBucket) {
    group(slug: $slug) {
      id
      mentorshipMetrics(from: $from, to: $to, bucket: $bucket) {
        bucket
        minimumRatingsForAverage
        totals { ...Figures }
        series { ...Figures }
      }
    }
  }
  fragment Figures on ProgramMetricsPeriod {
    start end requests requestsAnswered requestsAccepted acceptanceRate mentorshipsStarted activeMentorships
    mentorshipsWithCheckIn medianHoursToFirstCheckIn goalsCompleted checkInsHeld checkInsExpected checkInsKept
    checkInsKeptShare feedbackCount averageFeedbackRating
  }
`;

const Q1 = { from: '2026-01-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' };

async function metrics(who: Member | null, variables: Record<string, unknown>, slug = SLUG) {
  return gql(server.graphqlUrl, METRICS, { slug, ...variables }, who ? { token: who.token } : {});
}

beforeAll(async () => {
  server = await startServer();
  db = server.app.services.db;
  const signUp = (name: string) => signUpMember(server.graphqlUrl, { name });
  [owner, admin, moderator, member, outsider] = await Promise.all([
    signUp('Owner'),
    signUp('Admin'),
    signUp('Moderator'),
    signUp('Member'),
    signUp('Outsider'),
  ]);
  const program = await db.group.create({
    data: { slug: SLUG, name: 'Metrics Program', kind: 'PROGRAM', visibility: 'PRIVATE' },
    select: { id: true },
  });
  programId = program.id;
  const community = await db.group.create({
    data: { slug: COMMUNITY_SLUG, name: 'Metrics Community', kind: 'COMMUNITY', visibility: 'PUBLIC' },
    select: { id: true },
  });
  await db.membership.createMany({
    data: [
      { groupId: programId, userId: userId(owner), role: 'OWNER' },
      { groupId: programId, userId: userId(admin), role: 'ADMIN' },
      { groupId: programId, userId: userId(moderator), role: 'MODERATOR' },
      { groupId: programId, userId: userId(member), role: 'MEMBER' },
      { groupId: community.id, userId: userId(owner), role: 'OWNER' },
    ],
  });

  const [m1, m2, m3, m4, e1, e2, e3, e4, e5, e6] = await Promise.all(
    ['m1', 'm2', 'm3', 'm4', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6'].map(person),
  );
  const mentors = [m1!, m2!, m3!, m4!];
  const [mentor1, mentor2, mentor3, mentor4] = mentors;
  const [mentee1, mentee2, mentee3, mentee4, mentee5, mentee6] = [e1!, e2!, e3!, e4!, e5!, e6!];

  // Requests: Jan 3 (2 accepted, 1 declined), Feb 3 (1 expired, 1 withdrawn, 1 accepted), Mar 2
  // (1 pending, 1 accepted). Not counted: one from December, one not made in the program.
  const r1 = await request(mentor1!, mentee1, '2026-01-05T10:00:00Z', 'ACCEPTED');
  await request(mentor2!, mentee5, '2026-01-10T10:00:00Z', 'DECLINED');
  const r3 = await request(mentor2!, mentee2, '2026-01-20T10:00:00Z', 'ACCEPTED');
  await request(mentor3!, mentee5, '2026-02-03T10:00:00Z', 'EXPIRED');
  await request(mentor4!, mentee5, '2026-02-10T10:00:00Z', 'WITHDRAWN');
  const r6 = await request(mentor3!, mentee3, '2026-02-15T10:00:00Z', 'ACCEPTED');
  await request(mentor1!, mentee6, '2026-03-02T10:00:00Z', 'PENDING');
  const r8 = await request(mentor4!, mentee4, '2026-03-05T10:00:00Z', 'ACCEPTED');
  await request(mentor1!, mentee5, '2025-12-20T10:00:00Z', 'ACCEPTED');
  const rOther = await request(mentor3!, mentee6, '2026-01-06T10:00:00Z', 'ACCEPTED', null);

  // ms1: weekly from Jan 6, five check-ins (the first 48 h in), feedback in January.
  const ms1 = await mentorship({
    mentorId: mentor1!,
    menteeId: mentee1,
    requestId: r1,
    startedAt: '2026-01-06T00:00:00Z',
  });
  await agreement(ms1, {
    version: 1,
    cadence: 'WEEKLY',
    startsOn: '2026-01-06',
    plannedEndOn: '2026-06-30',
    acceptedAt: '2026-01-06T12:00:00Z',
    status: 'ACCEPTED',
  });
  await checkIn(ms1, '2026-01-08T00:00:00Z', [
    [mentee1, 5],
    [mentor1!, 4],
  ]);
  await checkIn(ms1, '2026-01-15T09:00:00Z', [[mentee1, 3]]);
  await checkIn(ms1, '2026-01-29T09:00:00Z');
  await checkIn(ms1, '2026-02-12T09:00:00Z');
  await checkIn(ms1, '2026-03-10T09:00:00Z');
  await goal(ms1, 'COMPLETED', '2026-01-28T12:00:00Z');
  await goal(ms1, 'COMPLETED', '2026-03-03T12:00:00Z');
  await goal(ms1, 'DROPPED', null);

  // ms2: biweekly from Jan 21, ended Feb 25; first check-in 96 h in.
  const ms2 = await mentorship({
    mentorId: mentor2!,
    menteeId: mentee2,
    requestId: r3,
    startedAt: '2026-01-21T00:00:00Z',
    endedAt: '2026-02-25T00:00:00Z',
  });
  await agreement(ms2, {
    version: 1,
    cadence: 'BIWEEKLY',
    startsOn: '2026-01-21',
    plannedEndOn: '2026-04-30',
    acceptedAt: '2026-01-21T08:00:00Z',
    status: 'ACCEPTED',
  });
  await checkIn(ms2, '2026-01-25T00:00:00Z', [[mentee2, 4]]);
  await checkIn(ms2, '2026-02-04T09:00:00Z', [
    [mentee2, 2],
    [mentor2!, 3],
  ]);
  await checkIn(ms2, '2026-02-18T09:00:00Z');
  await goal(ms2, 'COMPLETED', '2026-02-20T12:00:00Z');

  // ms3: monthly from Feb 16, changed to weekly by version 2 (accepted Mar 2, 12:00).
  const ms3 = await mentorship({
    mentorId: mentor3!,
    menteeId: mentee3,
    requestId: r6,
    startedAt: '2026-02-16T00:00:00Z',
  });
  await agreement(ms3, {
    version: 1,
    cadence: 'MONTHLY',
    startsOn: '2026-02-16',
    plannedEndOn: '2026-08-16',
    acceptedAt: '2026-02-16T10:00:00Z',
    status: 'SUPERSEDED',
  });
  await agreement(ms3, {
    version: 2,
    cadence: 'WEEKLY',
    startsOn: '2026-03-02',
    plannedEndOn: '2026-08-16',
    acceptedAt: '2026-03-02T12:00:00Z',
    status: 'ACCEPTED',
  });
  await checkIn(ms3, '2026-02-18T00:00:00Z');
  await checkIn(ms3, '2026-03-09T09:00:00Z', [
    [mentee3, 5],
    [mentor3!, 5],
  ]);
  await checkIn(ms3, '2026-03-16T09:00:00Z', [[mentee3, 4]]);
  await goal(ms3, 'ACTIVE', null);

  // ms4: started Mar 6; its agreement is only proposed, so nothing is expected of it yet.
  const ms4 = await mentorship({
    mentorId: mentor4!,
    menteeId: mentee4,
    requestId: r8,
    startedAt: '2026-03-06T00:00:00Z',
  });
  await agreement(ms4, {
    version: 1,
    cadence: 'WEEKLY',
    startsOn: '2026-03-06',
    plannedEndOn: '2026-09-06',
    acceptedAt: null,
    status: 'PROPOSED',
  });

  // Not counted: a program mentorship over before the range, and one not made in the program.
  const before = await mentorship({
    mentorId: mentor4!,
    menteeId: mentee6,
    startedAt: '2025-11-01T00:00:00Z',
    endedAt: '2025-12-15T00:00:00Z',
  });
  await checkIn(before, '2025-11-05T00:00:00Z', [[mentee6, 1]]);
  const other = await mentorship({
    mentorId: mentor3!,
    menteeId: mentee6,
    requestId: rOther,
    startedAt: '2026-01-07T00:00:00Z',
    groupId: null,
  });
  await agreement(other, {
    version: 1,
    cadence: 'WEEKLY',
    startsOn: '2026-01-07',
    plannedEndOn: '2026-06-30',
    acceptedAt: '2026-01-07T00:00:00Z',
    status: 'ACCEPTED',
  });
  await checkIn(other, '2026-02-01T00:00:00Z', [
    [mentee6, 1],
    [mentor3!, 1],
  ]);
  await goal(other, 'COMPLETED', '2026-02-01T12:00:00Z');
});

afterAll(async () => {
  await server?.stop();
});

const hours = (h: number) => h;

describe('program metrics', () => {
  it('gives the owner exact totals and monthly figures of the mentoring made in the program', async () => {
    const response = await metrics(owner, { ...Q1, bucket: 'MONTH' });
    expect(response.body.errors).toBeUndefined();
    const result = response.body.data!.group.mentorshipMetrics;
    expect(result.bucket).toBe('MONTH');
    expect(result.minimumRatingsForAverage).toBe(3);
    expect(result.totals).toEqual({
      start: '2026-01-01T00:00:00.000Z',
      end: '2026-04-01T00:00:00.000Z',
      requests: 8,
      requestsAnswered: 6,
      requestsAccepted: 4,
      acceptanceRate: 4 / 6,
      mentorshipsStarted: 4,
      activeMentorships: 4,
      mentorshipsWithCheckIn: 3,
      // ms1 48 h, ms2 96 h, ms3 48 h.
      medianHoursToFirstCheckIn: hours(48),
      goalsCompleted: 3,
      checkInsHeld: 11,
      // ms1 weekly Jan 13 … Mar 31 (12), ms2 biweekly Feb 4 and 18 (2, then it ended), ms3 weekly from
      // version 2: Mar 9, 16, 23, 30 (4; its monthly version 1 was replaced before a month passed).
      checkInsExpected: 18,
      // Per mentorship at most what was expected: ms1 5, ms2 2 (of 3 held), ms3 3.
      checkInsKept: 10,
      checkInsKeptShare: 10 / 18,
      feedbackCount: 9,
      averageFeedbackRating: 35 / 9,
    });
    expect(result.series).toEqual([
      {
        start: '2026-01-01T00:00:00.000Z',
        end: '2026-02-01T00:00:00.000Z',
        requests: 3,
        requestsAnswered: 3,
        requestsAccepted: 2,
        acceptanceRate: 2 / 3,
        mentorshipsStarted: 2,
        activeMentorships: 2,
        mentorshipsWithCheckIn: 2,
        medianHoursToFirstCheckIn: hours(72),
        goalsCompleted: 1,
        checkInsHeld: 4,
        checkInsExpected: 3,
        checkInsKept: 3,
        checkInsKeptShare: 1,
        feedbackCount: 4,
        averageFeedbackRating: 4,
      },
      {
        start: '2026-02-01T00:00:00.000Z',
        end: '2026-03-01T00:00:00.000Z',
        requests: 3,
        requestsAnswered: 2,
        requestsAccepted: 1,
        acceptanceRate: 0.5,
        mentorshipsStarted: 1,
        activeMentorships: 3,
        mentorshipsWithCheckIn: 1,
        medianHoursToFirstCheckIn: hours(48),
        goalsCompleted: 1,
        checkInsHeld: 4,
        checkInsExpected: 6,
        checkInsKept: 3,
        checkInsKeptShare: 0.5,
        // Two ratings: their average would be the two people's feedback, so it is withheld.
        feedbackCount: 2,
        averageFeedbackRating: null,
      },
      {
        start: '2026-03-01T00:00:00.000Z',
        end: '2026-04-01T00:00:00.000Z',
        requests: 2,
        requestsAnswered: 1,
        requestsAccepted: 1,
        acceptanceRate: 1,
        mentorshipsStarted: 1,
        activeMentorships: 3,
        mentorshipsWithCheckIn: 0,
        medianHoursToFirstCheckIn: null,
        goalsCompleted: 1,
        checkInsHeld: 3,
        checkInsExpected: 9,
        checkInsKept: 3,
        checkInsKeptShare: 1 / 3,
        feedbackCount: 3,
        averageFeedbackRating: 14 / 3,
      },
    ]);
    // Aggregates only: none of the words people wrote reach the admins.
    const text = JSON.stringify(response.body);
    for (const secret of [
      'PRIVATE-NOTE',
      'SHARED-NOTES',
      'NEXT-STEPS',
      'FEEDBACK-WORDS',
      'PRIVATE-REQUEST-MESSAGE',
      'GOAL-TITLE',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('cuts weeks at the range (Monday weeks, UTC) and gives admins the same figures as the owner', async () => {
    const weeks = { from: '2026-01-01T00:00:00.000Z', to: '2026-01-15T00:00:00.000Z', bucket: 'WEEK' };
    const response = await metrics(admin, weeks);
    expect(response.body.errors).toBeUndefined();
    const result = response.body.data!.group.mentorshipMetrics;
    type Period = { start: string; end: string; requests: number; checkInsExpected: number; checkInsHeld: number };
    expect(result.series.map((p: Period) => [p.start, p.end, p.requests, p.checkInsExpected, p.checkInsHeld])).toEqual([
      ['2026-01-01T00:00:00.000Z', '2026-01-05T00:00:00.000Z', 0, 0, 0],
      ['2026-01-05T00:00:00.000Z', '2026-01-12T00:00:00.000Z', 2, 0, 1],
      ['2026-01-12T00:00:00.000Z', '2026-01-15T00:00:00.000Z', 0, 1, 0],
    ]);
    expect(result.totals.requests).toBe(2);
    expect((await metrics(owner, weeks)).body.data!.group.mentorshipMetrics).toEqual(result);
  });

  it('answers null to a moderator, a member, and the owner of a group that is not a program; signed out sees no group', async () => {
    for (const who of [moderator, member]) {
      const response = await metrics(who, Q1);
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data!.group.id).toBeTruthy();
      expect(response.body.data!.group.mentorshipMetrics).toBeNull();
    }
    const community = await metrics(owner, Q1, COMMUNITY_SLUG);
    expect(community.body.errors).toBeUndefined();
    expect(community.body.data!.group.mentorshipMetrics).toBeNull();
    // A non-member of a private program sees the group, not its metrics.
    const stranger = await metrics(outsider, Q1);
    expect(stranger.body.data!.group.mentorshipMetrics).toBeNull();
    // Through node(id) as well.
    const programGlobalId = (await metrics(owner, Q1)).body.data!.group.id as string;
    const byNode = await gql(
      server.graphqlUrl,
      `query($id: ID!) { node(id: $id) { ... on Group { mentorshipMetrics(from: "${Q1.from}", to: "${Q1.to}") { totals { requests } } } } }`,
      { id: programGlobalId },
      { token: member.token },
    );
    expect(byNode.body.data!.node.mentorshipMetrics).toBeNull();
    const signedOut = await metrics(null, Q1);
    expect(signedOut.body.data!.group).toBeNull();
  });

  it('refuses a range that ends before it starts or has too many buckets, and says which field', async () => {
    const backwards = await metrics(owner, { from: Q1.to, to: Q1.from });
    expect(backwards.body.errors?.[0]?.extensions?.code).toBe('VALIDATION');
    const tooLong = await metrics(owner, {
      from: '2024-01-01T00:00:00.000Z',
      to: '2026-01-01T00:00:00.000Z',
      bucket: 'WEEK',
    });
    expect(tooLong.body.errors?.[0]?.extensions?.code).toBe('VALIDATION');
    expect(tooLong.body.errors?.[0]?.message).toContain('60 weeks');
    // The same range in months is fine; a member still learns nothing from a wrong range.
    const months = await metrics(owner, {
      from: '2024-01-01T00:00:00.000Z',
      to: '2026-01-01T00:00:00.000Z',
      bucket: 'MONTH',
    });
    expect(months.body.errors).toBeUndefined();
    expect(months.body.data!.group.mentorshipMetrics.series).toHaveLength(24);
    const memberBackwards = await metrics(member, { from: Q1.to, to: Q1.from });
    expect(memberBackwards.body.errors).toBeUndefined();
    expect(memberBackwards.body.data!.group.mentorshipMetrics).toBeNull();
  });
});
