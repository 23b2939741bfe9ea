import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedCard } from '../../server/src/modules/chat/chat.cards.js';
import { DEMO_LOGIN, seedDemoData } from '../../server/src/seed/demo-data.js';
import { gql, SIGN_IN } from '../support/graphql.js';
import { startServer, type TestServer } from '../support/server.js';

// The demo mentoring: mentors with room, at capacity and paused; requests and mentorships in every
// state; a program whose dashboard has months to chart; Ada on both sides of a mentorship.

let server: TestServer;
beforeAll(async () => {
  // No job runner: the office-hours seed leaves reminders due at some times of day, and a job run
  // between the two seedings would change what the idempotence check counts.
  server = await startServer({ env: { JOBS_ENABLED: 'false' } });
  await seedDemoData(server.app.services.db);
});
afterAll(async () => {
  await server?.stop();
});

const DAY = 24 * 60 * 60 * 1000;

describe('demo mentoring', () => {
  it('is idempotent', async () => {
    const db = server.app.services.db;
    const counts = async () => ({
      mentors: await db.mentorProfile.count(),
      needs: await db.menteeNeeds.count(),
      requests: await db.mentorshipRequest.count(),
      mentorships: await db.mentorship.count(),
      agreements: await db.mentorshipAgreement.count(),
      goals: await db.goal.count(),
      checkIns: await db.checkIn.count(),
      feedback: await db.checkInFeedback.count(),
      messages: await db.message.count(),
      memberships: await db.membership.count(),
    });
    const first = await counts();
    expect(first.mentorships).toBeGreaterThan(0);
    await seedDemoData(db);
    expect(await counts()).toEqual(first);
  });

  it('has every state of a request and a mentorship, with agreements, goals, check-ins, feedback and reviews', async () => {
    const db = server.app.services.db;
    const statuses = await db.mentorshipRequest.groupBy({ by: ['status'], _count: true });
    expect(new Set(statuses.map((s) => s.status))).toEqual(
      new Set(['PENDING', 'ACCEPTED', 'DECLINED', 'EXPIRED', 'WITHDRAWN']),
    );
    expect(await db.mentorshipRequest.count({ where: { origin: 'PROGRAM_ADMIN', status: 'PENDING' } })).toBe(1);
    expect(
      await db.mentorshipRequest.count({ where: { status: 'DECLINED', responseNote: { not: '' } } }),
    ).toBeGreaterThan(0);

    // Active with an accepted agreement, a goal in progress, one done, check-ins with notes and feedback.
    const active = await db.mentorship.findMany({
      where: {
        status: 'ACTIVE',
        agreements: { some: { status: 'ACCEPTED' } },
        goals: { some: { status: 'ACTIVE' } },
        AND: [
          { goals: { some: { status: 'COMPLETED' } } },
          { checkIns: { some: { sharedNotes: { not: '' }, feedback: { some: {} } } } },
        ],
      },
      select: { id: true },
    });
    expect(active.length).toBeGreaterThanOrEqual(2);
    // An agreement changed once: its history keeps the superseded version.
    expect(await db.mentorshipAgreement.count({ where: { status: 'SUPERSEDED' } })).toBeGreaterThan(0);
    expect(await db.checkInPrivateNote.count()).toBeGreaterThan(0);
    expect(await db.goal.count({ where: { status: 'DROPPED' } })).toBeGreaterThan(0);
    expect(await db.achievement.count()).toBeGreaterThan(0);
    // Ended, with the exit reviews of both sides; one of them ended early.
    const ended = await db.mentorship.findMany({
      where: { status: 'ENDED' },
      select: { endedAt: true, endedById: true, _count: { select: { reviews: true } } },
    });
    expect(ended.length).toBeGreaterThan(0);
    expect(ended.every((m) => m.endedAt && m.endedById && m._count.reviews === 2)).toBe(true);
    expect(await db.mentorshipReview.count({ where: { outcome: 'ENDED_EARLY' } })).toBeGreaterThan(0);

    // Each mentorship has its own MENTORSHIP conversation with exactly its two members and messages
    // stored as the protocol stores them (seq 1…lastSeq, one event each), goal progress as cards.
    const mentorships = await db.mentorship.findMany({
      select: { mentorId: true, menteeId: true, conversationId: true },
    });
    const conversations = new Map(
      (
        await db.conversation.findMany({
          where: { id: { in: mentorships.map((m) => m.conversationId) } },
          select: {
            id: true,
            kind: true,
            lastSeq: true,
            participants: { select: { userId: true } },
            _count: { select: { messages: true, events: true } },
          },
        })
      ).map((c) => [c.id, c]),
    );
    for (const m of mentorships) {
      const conversation = conversations.get(m.conversationId)!;
      expect(conversation.kind).toBe('MENTORSHIP');
      expect(new Set(conversation.participants.map((p) => p.userId))).toEqual(new Set([m.mentorId, m.menteeId]));
      expect(conversation._count.messages).toBeGreaterThan(0);
      expect(conversation._count.messages).toBe(conversation.lastSeq);
      expect(conversation._count.events).toBe(conversation.lastSeq);
    }
    const cards = await db.message.findMany({
      // Introductions post cards too (their opening note, introductions.seed.ts).
      where: { card: { not: { equals: null } }, conversation: { kind: { not: 'INTRODUCTION' } } },
      select: { card: true, body: true, conversation: { select: { kind: true } } },
    });
    expect(cards.length).toBeGreaterThan(5);
    for (const message of cards) {
      expect(message.conversation.kind).toBe('MENTORSHIP');
      expect(storedCard(message.card), JSON.stringify(message.card)).not.toBeNull();
      expect(message.body).toContain(storedCard(message.card)!.title);
    }
    expect(await db.goalUpdate.count({ where: { messageId: null } })).toBe(0);

    // Live work goes on from here as it would after the services' own writes: pending requests expire
    // by a job, active mentorships have their check-in nudge, and nothing is already overdue.
    const pending = await db.mentorshipRequest.count({ where: { status: 'PENDING' } });
    expect(await db.job.count({ where: { kind: 'mentorship.request-expiry' } })).toBe(pending);
    const activeWithTerms = await db.mentorship.count({
      where: { status: 'ACTIVE', agreements: { some: { status: 'ACCEPTED' } } },
    });
    expect(await db.job.count({ where: { kind: 'mentorship.check-in-due' } })).toBe(activeWithTerms);
    expect(await db.job.count({ where: { kind: { startsWith: 'mentorship.' }, runAt: { lte: new Date() } } })).toBe(0);
  });

  it('has mentors with room, at capacity and paused, and Ada is both a mentor and a mentee', async () => {
    const db = server.app.services.db;
    const mentors = await db.mentorProfile.findMany({
      select: {
        capacity: true,
        accepting: true,
        user: { select: { email: true, mentorshipsAsMentor: { where: { status: 'ACTIVE' }, select: { id: true } } } },
      },
    });
    const load = mentors.map((m) => ({
      email: m.user.email,
      accepting: m.accepting,
      room: m.capacity - m.user.mentorshipsAsMentor.length,
    }));
    expect(load.some((m) => m.accepting && m.room > 0)).toBe(true);
    expect(load.some((m) => m.accepting && m.room === 0)).toBe(true);
    expect(load.some((m) => !m.accepting)).toBe(true);
    expect(load.every((m) => m.room >= 0)).toBe(true);

    const ada = await db.user.findUniqueOrThrow({ where: { email: DEMO_LOGIN.email }, select: { id: true } });
    expect(await db.mentorship.count({ where: { mentorId: ada.id, status: 'ACTIVE' } })).toBeGreaterThan(0);
    expect(await db.mentorship.count({ where: { menteeId: ada.id, status: 'ACTIVE' } })).toBeGreaterThan(0);
    expect(await db.mentorship.count({ where: { mentorId: ada.id, status: 'ENDED' } })).toBeGreaterThan(0);
    expect(await db.mentorshipRequest.count({ where: { mentorId: ada.id, status: 'PENDING' } })).toBe(1);
    // Her request waits for her answer in the bell, and expires by its job like any other.
    const bell = await db.notification.count({ where: { recipientId: ada.id, kind: 'MENTORSHIP_REQUEST_RECEIVED' } });
    expect(bell).toBe(1);
    expect(await db.mentorProfile.count({ where: { userId: ada.id } })).toBe(1);
    expect(await db.menteeNeeds.count({ where: { userId: ada.id } })).toBe(1);
  });

  it('gives Ada a program dashboard with months worth charting', async () => {
    const signIn = await gql(server.graphqlUrl, SIGN_IN, { input: DEMO_LOGIN });
    const token = signIn.body.data!.signIn.token as string;
    const to = new Date();
    const from = new Date(to.getTime() - 200 * DAY);
    const response = await gql(
      server.graphqlUrl,
      `query($from: DateTime!, $to: DateTime!) { group(slug: "guildhall-mentoring-program") {
        mentorshipMetrics(from: $from, to: $to, bucket: MONTH) {
          totals { requests acceptanceRate activeMentorships goalsCompleted checkInsKeptShare averageFeedbackRating medianHoursToFirstCheckIn }
          series { activeMentorships checkInsHeld checkInsExpected feedbackCount goalsCompleted }
        } } }`,
      { from: from.toISOString(), to: to.toISOString() },
      { token },
    );
    expect(response.body.errors).toBeUndefined();
    const metrics = response.body.data!.group.mentorshipMetrics;
    expect(metrics.totals.requests).toBeGreaterThanOrEqual(10);
    expect(metrics.totals.acceptanceRate).toBeGreaterThan(0.5);
    expect(metrics.totals.acceptanceRate).toBeLessThan(1);
    expect(metrics.totals.activeMentorships).toBeGreaterThanOrEqual(10);
    expect(metrics.totals.goalsCompleted).toBeGreaterThanOrEqual(8);
    expect(metrics.totals.checkInsKeptShare).toBeGreaterThan(0.5);
    expect(metrics.totals.checkInsKeptShare).toBeLessThan(1);
    expect(metrics.totals.averageFeedbackRating).toBeGreaterThan(3);
    expect(metrics.totals.medianHoursToFirstCheckIn).toBeGreaterThan(0);
    type Month = { activeMentorships: number; checkInsHeld: number; checkInsExpected: number; feedbackCount: number };
    const months = metrics.series as Month[];
    expect(months.filter((m) => m.activeMentorships > 0).length).toBeGreaterThanOrEqual(6);
    expect(months.filter((m) => m.checkInsHeld > 0 && m.checkInsExpected > 0).length).toBeGreaterThanOrEqual(6);
    expect(months.filter((m) => m.feedbackCount >= 3).length).toBeGreaterThanOrEqual(5);
  });
});
