import { expect } from 'vitest';
import { type ChatMember, channelsOf, chatMember } from './chat.js';
import { gql, type UntypedData } from './graphql.js';
import { createGroup, mutate } from './groups.js';
import {
  acceptAgreement,
  acceptRequest,
  makeMentor,
  mentorshipMutation,
  proposeAgreement,
  requestMentorship,
  tag,
} from './mentorship.js';

// One fixture world for the mentorship authorization tables: a PROGRAM group with a mentee, a mentor,
// another member, a program admin (ADMIN; the owner is someone else), a member banned from it, and
// everything of the relationship in every state. All made through the API, as the product makes it.

export type Actor = 'signedOut' | 'other' | 'admin' | 'banned' | 'mentee' | 'mentor';
/** The two sides last: refusals of a mutation run first, on the world as built. */
export const ACTORS: readonly Actor[] = ['signedOut', 'other', 'admin', 'banned', 'mentee', 'mentor'];

export interface World {
  tag: string;
  people: Record<Exclude<Actor, 'signedOut'> | 'owner' | 'mentor2' | 'mentor3' | 'member3', ChatMember>;
  group: { id: string; slug: string; general: string };
  mentorProfileId: string;
  /** Ended mentorship of the pair (made from the mentee's request tagged with the group), both reviews. */
  ended: { id: string; requestId: string; conversationId: string };
  /** Active mentorship of the pair, made from the admin's program pairing. */
  active: { id: string; requestId: string; conversationId: string };
  agreement: { accepted: string; pending: string };
  goals: {
    /** ACTIVE, TARGET 0→3 with progress 1. */
    inProgress: string;
    /** COMPLETED, not celebrated. */
    completed: string;
    /** COMPLETED, celebrated ONLY_ME. */
    onlyMe: string;
    /** COMPLETED, celebrated SHARED_GROUPS with a card in the group's #general. */
    shared: string;
  };
  achievements: { onlyMe: string; shared: string };
  checkIn: string;
  notes: { mentee: string; mentor: string };
  /** The mentee asks mentor2, tagged with the group: PENDING. */
  pending: string;
  /** The admin pairs member3 with mentor2: PENDING. */
  pendingPairing: string;
}

export const REVIEW = { wentWell: 'We met every fortnight.', outcome: 'GOALS_MET', wouldRecommend: true };

async function ok(result: UntypedData, typename: string): Promise<UntypedData> {
  expect(result.__typename, JSON.stringify(result)).toBe(typename);
  return result;
}

export function goalInput(mentorshipId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    mentorshipId,
    title: 'Give conference talks',
    specificOutcome: 'Three accepted talks at TypeScript meetups',
    measure: 'TARGET',
    startValue: 0,
    targetValue: 3,
    unit: 'talks',
    whyItMatters: 'To be known for my work',
    dueOn: '2099-06-30',
    ...overrides,
  };
}

/** A goal made by `who` (returns its id); `complete`: completed by hand. */
export async function makeGoal(
  url: string,
  who: ChatMember,
  mentorshipId: string,
  title: string,
  complete = false,
): Promise<string> {
  const made = await ok(
    await mentorshipMutation(
      url,
      who,
      'createGoal',
      goalInput(mentorshipId, { title }),
      '... on GoalPayload { goal { id } }',
    ),
    'GoalPayload',
  );
  const goalId = made.goal.id as string;
  if (complete) await ok(await mentorshipMutation(url, who, 'completeGoal', { goalId, note: 'Done' }), 'GoalPayload');
  return goalId;
}

export async function celebrate(
  url: string,
  who: ChatMember,
  goalId: string,
  visibility: string,
  channelId?: string,
): Promise<string> {
  const result = await ok(
    await mentorshipMutation(
      url,
      who,
      'celebrateGoal',
      { goalId, visibility, ...(channelId ? { channelId } : {}) },
      '... on AchievementPayload { achievement { id } }',
    ),
    'AchievementPayload',
  );
  return result.achievement.id as string;
}

/** Records a check-in as `who`; returns its id. */
export async function makeCheckIn(url: string, who: ChatMember, mentorshipId: string, privateNote?: string) {
  const result = await ok(
    await mentorshipMutation(
      url,
      who,
      'recordCheckIn',
      {
        mentorshipId,
        heldAt: new Date().toISOString(),
        sharedNotes: 'We talked about talks.',
        nextSteps: 'Submit a CFP.',
        ...(privateNote ? { privateNote } : {}),
      },
      '... on CheckInPayload { checkIn { id } }',
    ),
    'CheckInPayload',
  );
  return result.checkIn.id as string;
}

/** The pair's ACTIVE mentorship, made (request + accept) if there is none; returns its id. */
export async function activeOfPair(url: string, world: World, db: DbLike): Promise<string> {
  const { mentee, mentor } = world.people;
  const row = await db.mentorship.findFirst({
    where: { status: 'ACTIVE', menteeId: rowId(mentee.id), mentorId: rowId(mentor.id) },
    select: { id: true },
  });
  if (row) return globalId('Mentorship', row.id);
  const requestId = await requestMentorship(url, mentee, mentor);
  const made = await acceptRequest(url, mentor, requestId);
  return made!.id;
}

// The database as the tests use it (server.app.services.db), loosely typed here.
// biome-ignore lint/suspicious/noExplicitAny: the Prisma client's type lives in the server package.
export type DbLike = any;

export const rowId = (id: string) => Buffer.from(id, 'base64').toString('utf8').split(':')[1]!;
export const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

export async function buildWorld(url: string): Promise<World> {
  const t = tag();
  const names = ['owner', 'admin', 'mentee', 'mentor', 'other', 'banned', 'mentor2', 'mentor3', 'member3'] as const;
  const people = {} as World['people'];
  for (const name of names) people[name] = await chatMember(url, `Authz ${name} ${t}`);

  // The program: the owner makes it, everyone joins, the admin is made ADMIN, the banned member banned.
  const made = await createGroup(url, people.owner, { name: `Authz program ${t}`, kind: 'PROGRAM' });
  for (const name of names.filter((n) => n !== 'owner')) {
    await ok(await mutate(url, people[name], 'joinGroup', { groupId: made.id }), 'GroupPayload');
  }
  await ok(
    await mutate(url, people.owner, 'changeMemberRole', {
      groupId: made.id,
      personId: people.admin.personId,
      role: 'ADMIN',
    }),
    'GroupMemberPayload',
  );
  const ban = await mutate(url, people.owner, 'banMember', {
    groupId: made.id,
    personId: people.banned.personId,
    reason: 'spam',
  });
  expect(ban.__typename, JSON.stringify(ban)).not.toMatch(/Error$/);
  const general = (await channelsOf(url, people.owner, made.slug))!.find((c) => c.isDefault)!.id;
  const group = { id: made.id, slug: made.slug, general };

  // The mentor's capacity is seen by groupmates only.
  const mentorProfileId = await makeMentor(url, people.mentor, { visibility: { capacity: 'SHARED_GROUPS' } });
  await makeMentor(url, people.mentor2);
  await makeMentor(url, people.mentor3);
  const needs = await gql(
    url,
    `mutation ($input: SaveMenteeNeedsInput!) { saveMenteeNeeds(input: $input) { __typename } }`,
    {
      input: {
        skills: [{ name: 'TypeScript', currentLevel: 'WORKING', wantedLevel: 'EXPERT' }],
        goals: 'Lead the frontend of my team.',
        helpWanted: ['TECHNICAL_SKILLS'],
        formats: ['VIDEO'],
        cadence: 'BIWEEKLY',
        timeZone: 'Europe/Berlin',
        weeklyHours: [{ weekday: 'MONDAY', start: '09:00', end: '12:00' }],
        languages: ['en'],
      },
    },
    { token: people.mentee.token },
  );
  expect(needs.body.data?.saveMenteeNeeds.__typename, JSON.stringify(needs.body)).toBe('SaveMenteeNeedsPayload');

  // Ended: the mentee asked (tagged with the program), the mentor accepted; the mentee ended it, both reviewed.
  const endedRequest = await requestMentorship(url, people.mentee, people.mentor, { groupId: group.id });
  const endedMentorship = (await acceptRequest(url, people.mentor, endedRequest))!;
  await ok(
    await mentorshipMutation(url, people.mentee, 'endMentorship', { mentorshipId: endedMentorship.id, review: REVIEW }),
    'EndedMentorshipPayload',
  );
  await ok(
    await mentorshipMutation(url, people.mentor, 'reviewMentorship', {
      mentorshipId: endedMentorship.id,
      review: { ...REVIEW, outcome: 'PARTLY_MET' },
    }),
    'EndedMentorshipPayload',
  );

  // Active: the admin pairs the two in the program; both accept.
  const pairing = await ok(
    await mentorshipMutation(
      url,
      people.admin,
      'proposeMentorshipPairing',
      { groupId: group.id, mentorId: people.mentor.personId, menteeId: people.mentee.personId, note: 'You two fit.' },
      '... on MentorshipRequestPayload { request { id } }',
    ),
    'MentorshipRequestPayload',
  );
  const pairingId = pairing.request.id as string;
  expect(await acceptRequest(url, people.mentee, pairingId)).toBeNull();
  const activeMentorship = (await acceptRequest(url, people.mentor, pairingId))!;
  const mentorshipId = activeMentorship.id;

  // An accepted agreement (v1, the mentor's) and a pending newer one (v2, the mentee's).
  const accepted = await proposeAgreement(url, people.mentor, mentorshipId);
  await acceptAgreement(url, people.mentee, accepted);
  const pending = await proposeAgreement(url, people.mentee, mentorshipId, { sessionMinutes: 60 });

  // Goals in every state; two celebrated with different visibilities.
  const inProgress = await makeGoal(url, people.mentee, mentorshipId, `Talks ${t}`);
  await ok(
    await mentorshipMutation(url, people.mentor, 'recordGoalProgress', {
      goalId: inProgress,
      value: 1,
      note: 'One in',
    }),
    'GoalProgressPayload',
  );
  const completed = await makeGoal(url, people.mentee, mentorshipId, `Completed ${t}`, true);
  const onlyMe = await makeGoal(url, people.mentee, mentorshipId, `Secret win ${t}`, true);
  const shared = await makeGoal(url, people.mentee, mentorshipId, `Shared win ${t}`, true);
  const onlyMeAchievement = await celebrate(url, people.mentee, onlyMe, 'ONLY_ME');
  const sharedAchievement = await celebrate(url, people.mentee, shared, 'SHARED_GROUPS', group.general);

  // A check-in with both sides' private notes and both sides' feedback.
  const notes = { mentee: `MENTEE-PRIVATE-${t}`, mentor: `MENTOR-PRIVATE-${t}` };
  const checkIn = await makeCheckIn(url, people.mentee, mentorshipId, notes.mentee);
  await ok(
    await mentorshipMutation(url, people.mentor, 'updateCheckIn', { checkInId: checkIn, privateNote: notes.mentor }),
    'CheckInPayload',
  );
  for (const who of [people.mentee, people.mentor]) {
    await ok(
      await mentorshipMutation(url, who, 'giveCheckInFeedback', {
        checkInId: checkIn,
        rating: 4,
        words: `Feedback by ${who.name}`,
        pairingWorking: true,
      }),
      'CheckInPayload',
    );
  }

  // Pending: the mentee's request to mentor2 (tagged), and the admin's pairing of member3 with mentor2.
  const pendingRequest = await requestMentorship(url, people.mentee, people.mentor2, { groupId: group.id });
  const pendingPairing = await ok(
    await mentorshipMutation(
      url,
      people.admin,
      'proposeMentorshipPairing',
      { groupId: group.id, mentorId: people.mentor2.personId, menteeId: people.member3.personId, note: 'Try it.' },
      '... on MentorshipRequestPayload { request { id } }',
    ),
    'MentorshipRequestPayload',
  );

  return {
    tag: t,
    people,
    group,
    mentorProfileId,
    ended: { id: endedMentorship.id, requestId: endedRequest, conversationId: endedMentorship.conversationId },
    active: { id: mentorshipId, requestId: pairingId, conversationId: activeMentorship.conversationId },
    agreement: { accepted, pending },
    goals: { inProgress, completed, onlyMe, shared },
    achievements: { onlyMe: onlyMeAchievement, shared: sharedAchievement },
    checkIn,
    notes,
    pending: pendingRequest,
    pendingPairing: pendingPairing.request.id as string,
  };
}
