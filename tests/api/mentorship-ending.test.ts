import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowMs } from '../../server/src/lib/clock.js';
import { type ChatMember, chatMember, notificationKinds, query } from '../support/chat.js';
import {
  acceptRequest,
  agreedMentorship,
  makeMentor,
  mentorshipMutation,
  requestMentorship,
  rowIdOf,
  tag,
} from '../support/mentorship.js';
import { startServer, type TestServer } from '../support/server.js';

// Ending a mentorship over HTTP: either side ends it with an exit review, the other is told and
// adds theirs (once), both see both; the mentor's capacity frees; nothing more is written into it
// (goals, check-ins), its pending nudges are cancelled, and its conversation stays readable.
// Refusals are typed and store nothing.

const REVIEW = { wentWell: 'Clear goals and honest feedback', outcome: 'GOALS_MET', wouldRecommend: true };
const MENTORSHIP =
  'status endedAt endedBy { id } viewerMayReview reviews { byViewer wentWell outcome wouldRecommend author { id } }';

let server: TestServer;
let url: string;
let mentee: ChatMember;
let mentor: ChatMember;
let waiting: ChatMember;
let stranger: ChatMember;
let mentorshipId: string;
let conversationId: string;

const ending = (who: ChatMember, name: 'endMentorship' | 'reviewMentorship', input: Record<string, unknown>) =>
  mentorshipMutation(
    url,
    who,
    name,
    { mentorshipId, review: REVIEW, ...input },
    `... on EndedMentorshipPayload { mentorship { ${MENTORSHIP} } }`,
  );

beforeAll(async () => {
  server = await startServer();
  url = server.graphqlUrl;
  const t = tag();
  mentee = await chatMember(url, `Mentee ${t}`);
  mentor = await chatMember(url, `Mentor ${t}`);
  waiting = await chatMember(url, `Waiting ${t}`);
  stranger = await chatMember(url, `Stranger ${t}`);
  // Room for one mentee only: the second must wait until the first mentorship ends.
  const pair = await agreedMentorship(url, mentee, mentor, { mentorProfile: { capacity: 1 } });
  mentorshipId = pair.id;
  conversationId = pair.conversationId;
});

afterAll(async () => {
  await server?.stop();
});

describe('ending a mentorship', () => {
  it('refuses a stranger, an invalid review and a review before the end, storing nothing', async () => {
    expect((await ending(stranger, 'endMentorship', {})).__typename).toBe('NotFoundError');
    const invalid = await ending(mentee, 'endMentorship', { review: { ...REVIEW, wentWell: '  ' } });
    expect(invalid).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: 'review.wentWell' }] });
    expect(await ending(mentor, 'reviewMentorship', {})).toMatchObject({
      __typename: 'ConflictError',
      code: 'MENTORSHIP_ACTIVE',
    });
    const db = server.app.services.db;
    expect(await db.mentorshipReview.count({ where: { mentorshipId: rowIdOf(mentorshipId) } })).toBe(0);
    expect((await db.mentorship.findUniqueOrThrow({ where: { id: rowIdOf(mentorshipId) } })).status).toBe('ACTIVE');
  });

  it('ends with the review of whoever ends it; the other is told, adds theirs once, and both see both', async () => {
    // Something pending to cancel: a goal's nudges, the agreed cadence's nudge.
    const goal = await mentorshipMutation(
      url,
      mentee,
      'createGoal',
      {
        mentorshipId,
        title: 'Lead a team project',
        specificOutcome: 'Lead one release end to end',
        measure: 'CHECKLIST',
        checklist: ['Plan', 'Ship'],
        whyItMatters: 'Towards a lead role',
        dueOn: '2099-01-01',
      },
      '... on GoalPayload { goal { id } }',
    );
    expect(goal.__typename).toBe('GoalPayload');
    const db = server.app.services.db;
    const pendingJobs = () =>
      db.job.count({
        where: {
          state: 'PENDING',
          OR: [{ key: { contains: rowIdOf(mentorshipId) } }, { key: { contains: rowIdOf(goal.goal.id) } }],
        },
      });
    expect(await pendingJobs()).toBe(3);
    // The second mentee cannot ask yet: the mentor is at capacity.
    const full = await mentorshipMutation(url, waiting, 'requestMentorship', {
      mentorId: mentor.personId,
      message: 'Could you help me too?',
      goals: 'Grow into a lead',
    });
    expect(full).toMatchObject({ __typename: 'ConflictError', code: 'MENTOR_AT_CAPACITY' });

    const ended = await ending(mentee, 'endMentorship', {});
    expect(ended.__typename).toBe('EndedMentorshipPayload');
    expect(ended.mentorship).toMatchObject({
      status: 'ENDED',
      endedBy: { id: mentee.personId },
      viewerMayReview: false,
      reviews: [{ byViewer: true, ...REVIEW, author: { id: mentee.personId } }],
    });
    expect(await pendingJobs()).toBe(0);
    expect(await notificationKinds(url, mentor)).toContain('MENTORSHIP_ENDED');
    expect(await notificationKinds(url, mentee)).not.toContain('MENTORSHIP_ENDED');
    expect(await ending(mentor, 'endMentorship', {})).toMatchObject({
      __typename: 'ConflictError',
      code: 'MENTORSHIP_ENDED',
    });

    const mentorView = await query<{ node: Record<string, unknown> }>(
      url,
      mentor,
      `query ($id: ID!) { node(id: $id) { ... on Mentorship { ${MENTORSHIP} } } }`,
      { id: mentorshipId },
    );
    expect(mentorView.node).toMatchObject({
      viewerMayReview: true,
      reviews: [{ byViewer: false, wentWell: REVIEW.wentWell }],
    });

    const theirs = await ending(mentor, 'reviewMentorship', {
      review: { wentWell: 'A motivated mentee', outcome: 'PARTLY_MET', wouldRecommend: true },
    });
    expect(theirs.mentorship.reviews.map((r: { outcome: string }) => r.outcome)).toEqual(['GOALS_MET', 'PARTLY_MET']);
    expect(await ending(mentor, 'reviewMentorship', {})).toMatchObject({ code: 'REVIEW_ALREADY_GIVEN' });
    expect(await ending(mentee, 'reviewMentorship', {})).toMatchObject({ code: 'REVIEW_ALREADY_GIVEN' });
    expect(await db.mentorshipReview.count({ where: { mentorshipId: rowIdOf(mentorshipId) } })).toBe(2);
  });

  it('takes no new goals, progress or check-ins once ended, and keeps the conversation readable', async () => {
    const goal = await mentorshipMutation(url, mentor, 'createGoal', {
      mentorshipId,
      title: 'Too late',
      specificOutcome: 'Nothing',
      measure: 'TARGET',
      startValue: 0,
      targetValue: 1,
      whyItMatters: 'None',
      dueOn: '2099-01-01',
    });
    expect(goal).toMatchObject({ __typename: 'ConflictError', code: 'MENTORSHIP_ENDED' });
    const checkIn = await mentorshipMutation(url, mentee, 'recordCheckIn', {
      mentorshipId,
      heldAt: new Date(nowMs() - 60_000).toISOString(),
    });
    expect(checkIn).toMatchObject({ __typename: 'ConflictError', code: 'MENTORSHIP_ENDED' });
    const db = server.app.services.db;
    expect(await db.goal.count({ where: { mentorshipId: rowIdOf(mentorshipId), title: 'Too late' } })).toBe(0);
    expect(await db.checkIn.count({ where: { mentorshipId: rowIdOf(mentorshipId) } })).toBe(0);

    for (const who of [mentee, mentor]) {
      const history = await query<{
        node: { messages: { edges: Array<{ node: { card: { title: string } | null } }> } } | null;
      }>(
        url,
        who,
        `query ($id: ID!) { node(id: $id) { ... on Conversation { messages(last: 20) { edges { node { card { title } } } } } } }`,
        { id: conversationId },
      );
      expect(history.node?.messages.edges.map((e) => e.node.card?.title)).toContain('New goal: Lead a team project');
    }
  });

  it('frees the mentor’s capacity: the waiting mentee may now ask and be accepted', async () => {
    await makeMentor(url, mentor, { capacity: 1 });
    const requestId = await requestMentorship(url, waiting, mentor);
    const started = await acceptRequest(url, mentor, requestId);
    expect(started).not.toBeNull();
  });
});

describe('races (the mentorship row lock; run on PostgreSQL too)', () => {
  it('ends once when both sides end at the same moment, and takes each side’s feedback once', async () => {
    const t = tag();
    const a = await chatMember(url, `Race mentee ${t}`);
    const b = await chatMember(url, `Race mentor ${t}`);
    const pair = await agreedMentorship(url, a, b);
    const recorded = await mentorshipMutation(
      url,
      a,
      'recordCheckIn',
      { mentorshipId: pair.id, heldAt: new Date(nowMs() - 60_000).toISOString() },
      '... on CheckInPayload { checkIn { id } }',
    );
    const checkInId = recorded.checkIn.id as string;
    const feedback = await Promise.all(
      [1, 2, 3].map((rating) =>
        mentorshipMutation(url, a, 'giveCheckInFeedback', { checkInId, rating, pairingWorking: true }),
      ),
    );
    expect(feedback.map((f) => f.__typename).sort()).toEqual(['CheckInPayload', 'ConflictError', 'ConflictError']);
    const db = server.app.services.db;
    expect(await db.checkInFeedback.count({ where: { checkInId: rowIdOf(checkInId) } })).toBe(1);

    // Progress that completes the goal, from both sides at once: one completion, one refusal.
    const goal = await mentorshipMutation(
      url,
      a,
      'createGoal',
      {
        mentorshipId: pair.id,
        title: 'Raced',
        specificOutcome: 'One completion',
        measure: 'TARGET',
        startValue: 0,
        targetValue: 1,
        whyItMatters: 'Races',
        dueOn: '2099-01-01',
      },
      '... on GoalPayload { goal { id } }',
    );
    const progress = await Promise.all(
      [a, b].map((who) => mentorshipMutation(url, who, 'recordGoalProgress', { goalId: goal.goal.id, value: 1 })),
    );
    expect(progress.map((p) => p.__typename).sort()).toEqual(['ConflictError', 'GoalProgressPayload']);
    expect(await db.goalUpdate.count({ where: { goalId: rowIdOf(goal.goal.id), completes: true } })).toBe(1);

    const ends = await Promise.all(
      [a, b].map((who) => mentorshipMutation(url, who, 'endMentorship', { mentorshipId: pair.id, review: REVIEW })),
    );
    expect(ends.map((e) => e.__typename).sort()).toEqual(['ConflictError', 'EndedMentorshipPayload']);
    expect(await db.mentorshipReview.count({ where: { mentorshipId: rowIdOf(pair.id) } })).toBe(1);
  });
});
