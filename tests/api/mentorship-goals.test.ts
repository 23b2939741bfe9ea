import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, setClockOffset } from '../../server/src/lib/clock.js';
import { runDueJobs } from '../../server/src/modules/jobs/index.js';
import {
  type ChatMember,
  chatMember,
  conversationEvents,
  createChannel,
  directConversation,
  groupWithMembers,
  memberSocket,
  notificationKinds,
  query,
  totalUnread,
} from '../support/chat.js';
import { mutate } from '../support/groups.js';
import { gql } from '../support/graphql.js';
import { activeMentorship, mentorshipMutation, rowIdOf, tag } from '../support/mentorship.js';
import { backendFromEnv } from '../support/backend.js';
import { startServer, type TestServer } from '../support/server.js';

// Goals of a mentorship over HTTP and WebSocket: SMART fields checked whole (a refused goal stores
// nothing), progress posting cards into the pair's conversation (live for both, replayed, unread,
// found by search), completion by reaching the target or every step, who may write and read,
// celebrating as a profile badge with its own visibility and a card in a group channel the mentee picks, and
// nudges by jobs when the clock is moved past a due day or two quiet weeks.

const GOAL = /* GraphQL */ `
  fragment GoalFields on Goal {
    id title measure status progress overdue dueOn currentValue targetValue unit viewerCanUpdate viewerCanCelebrate
    checklist { id text done }
    updates { note value completes messageId }
  }
`;
const CARD_MESSAGE = 'id body seq author { id } card { title lines tone href progress { value target unit } }';

let server: TestServer;
let url: string;
let mentee: ChatMember;
let mentor: ChatMember;
let stranger: ChatMember;
let mentorshipId: string;
let conversationId: string;

function goalInput(overrides: Record<string, unknown> = {}) {
  return {
    mentorshipId,
    title: 'Give conference talks',
    specificOutcome: 'Three accepted talks at TypeScript meetups',
    measure: 'TARGET',
    startValue: 0,
    targetValue: 3,
    unit: 'talks',
    whyItMatters: 'To be known for my work',
    dueOn: '2027-06-30',
    ...overrides,
  };
}

// mentorshipMutation takes a selection, not fragments: the goal's fields inline.
const GOAL_SELECTION = GOAL.replace(/fragment GoalFields on Goal \{/, '').replace(/\}\s*$/, '');

async function goalMutation(who: ChatMember, name: string, input: Record<string, unknown>, payload = 'GoalPayload') {
  return mentorshipMutation(url, who, name, input, `... on ${payload} { goal { ${GOAL_SELECTION} } }`);
}

async function goalsCount(): Promise<number> {
  return server.app.services.db.goal.count({ where: { mentorshipId: rowIdOf(mentorshipId) } });
}

async function history(who: ChatMember, id: string) {
  const data = await query<{ node: { messages: { edges: Array<{ node: Record<string, unknown> }> } } | null }>(
    url,
    who,
    `query ($id: ID!) { node(id: $id) { ... on Conversation { messages(last: 50) { edges { node { ${CARD_MESSAGE} } } } } } }`,
    { id },
  );
  return data.node?.messages.edges.map((edge) => edge.node) ?? null;
}

beforeAll(async () => {
  server = await startServer();
  url = server.graphqlUrl;
  const t = tag();
  [mentee, mentor, stranger] = [
    await chatMember(url, `Mentee ${t}`),
    await chatMember(url, `Mentor ${t}`),
    await chatMember(url, `Stranger ${t}`),
  ];
  const made = await activeMentorship(url, mentee, mentor);
  mentorshipId = made.id;
  conversationId = made.conversationId;
});

afterEach(() => setClockOffset(0));
afterAll(async () => {
  setClockOffset(0);
  await server?.stop();
});

describe('creating goals', () => {
  it('refuses an incomplete SMART goal with every problem at once, and stores nothing', async () => {
    const result = await goalMutation(
      mentee,
      'createGoal',
      goalInput({ targetValue: null, title: ' ', dueOn: '2027-02-30' }),
    );
    expect(result.__typename).toBe('ValidationError');
    expect(result.fieldErrors.map((e: { path: string }) => e.path).sort()).toEqual(['dueOn', 'targetValue', 'title']);
    const past = await goalMutation(mentee, 'createGoal', goalInput({ dueOn: '2020-01-01' }));
    expect(past.__typename).toBe('ValidationError');
    expect(past.fieldErrors[0].path).toBe('dueOn');
    const noSteps = await goalMutation(mentee, 'createGoal', goalInput({ measure: 'CHECKLIST', checklist: [] }));
    expect(noSteps.fieldErrors.map((e: { path: string }) => e.path)).toContain('checklist');
    expect(await goalsCount()).toBe(0);
  });

  it('lets neither a stranger nor a signed-out visitor add a goal or read one', async () => {
    const refused = await goalMutation(stranger, 'createGoal', goalInput());
    expect(refused.__typename).toBe('NotFoundError');
    expect(await goalsCount()).toBe(0);
    const made = await goalMutation(mentee, 'createGoal', goalInput({ title: 'Read by the two only' }));
    const goalId = made.goal.id as string;
    const node = `query ($id: ID!) { node(id: $id) { id } }`;
    expect((await query<{ node: unknown }>(url, stranger, node, { id: goalId })).node).toBeNull();
    expect((await query<{ node: unknown }>(url, null, node, { id: goalId })).node).toBeNull();
    expect((await query<{ node: { id: string } }>(url, mentor, node, { id: goalId })).node?.id).toBe(goalId);
    const progress = await goalMutation(stranger, 'recordGoalProgress', { goalId, value: 1 }, 'GoalProgressPayload');
    expect(progress.__typename).toBe('NotFoundError');
    const dropped = await goalMutation(mentee, 'dropGoal', { goalId, note: 'Not this one' });
    expect(dropped.goal.status).toBe('DROPPED');
  });
});

describe('progress cards in the conversation', () => {
  it('posts a card for every update, live for both, replayed, counted unread and found by search; the target completes it', async () => {
    const mentorSocket = memberSocket(server.wsUrl, mentor);
    const menteeSocket = memberSocket(server.wsUrl, mentee);
    try {
      const before = await history(mentor, conversationId);
      const afterSeq = Math.max(0, ...(before ?? []).map((m) => Number(m.seq)));
      const mentorLive = conversationEvents(mentorSocket, conversationId, afterSeq);
      const menteeLive = conversationEvents(menteeSocket, conversationId, afterSeq);
      const unreadBefore = await totalUnread(url, mentor);

      const created = await goalMutation(mentee, 'createGoal', goalInput());
      expect(created.__typename).toBe('GoalPayload');
      const goalId = created.goal.id as string;
      expect(created.goal).toMatchObject({ progress: 0, status: 'ACTIVE', overdue: false, currentValue: 0 });

      const first = await goalMutation(
        mentee,
        'recordGoalProgress',
        { goalId, value: 1, note: 'Accepted at TSConf Lisbon' },
        'GoalProgressPayload',
      );
      expect(first.goal.progress).toBeCloseTo(1 / 3);
      expect(first.goal.updates[0]).toMatchObject({ value: 1, completes: false, note: 'Accepted at TSConf Lisbon' });

      // Both see the cards live (creation and progress), as cards.
      for (const live of [mentorLive, menteeLive]) {
        await live.waitFor((events) => events.length >= 2, 'the goal cards');
      }
      const replay = conversationEvents(mentorSocket, conversationId, afterSeq);
      const replayed = await replay.waitFor((events) => events.length >= 2, 'the replayed cards');
      replay.dispose();
      expect(replayed.map((e) => e.kind)).toEqual(['MESSAGE_ADDED', 'MESSAGE_ADDED']);

      const messages = (await history(mentor, conversationId))!;
      const progressCard = messages.find(
        (m) => (m.card as { title: string } | null)?.title === 'Progress on Give conference talks',
      );
      expect(progressCard).toMatchObject({
        card: {
          tone: 'PROGRESS',
          lines: ['Accepted at TSConf Lisbon'],
          progress: { value: 1, target: 3, unit: 'talks' },
        },
        author: { id: mentee.personId },
      });
      expect(String(progressCard!.body)).toContain('Accepted at TSConf Lisbon');
      expect((progressCard!.card as { href: string }).href).toMatch(/^\/mentorships\//);
      expect(first.goal.updates[0].messageId).toBe(progressCard!.id);

      // Unread: the mentor has the two cards to read (the mentee's own do not count for her).
      expect(await totalUnread(url, mentor)).toBe(unreadBefore + 2);

      // Search treats the card like any message.
      const found = await query<{
        searchMessages: { edges: Array<{ node: { message: { id: string; card: unknown } } }> };
      }>(
        url,
        mentor,
        `query { searchMessages(query: "Lisbon", first: 5) { edges { node { message { id card { title } } } } } }`,
      );
      expect(found.searchMessages.edges.map((e) => e.node.message.id)).toEqual([progressCard!.id]);
      const strangerFinds = await query<{ searchMessages: { edges: unknown[] } }>(
        url,
        stranger,
        `query { searchMessages(query: "Lisbon", first: 5) { edges { cursor } } }`,
      );
      expect(strangerFinds.searchMessages.edges).toEqual([]);

      // A card cannot be edited by hand.
      const edit = await gql(
        url,
        `mutation ($input: EditMessageInput!) { editMessage(input: $input) { __typename ... on Error { code } } }`,
        { input: { messageId: progressCard!.id, body: 'changed the story' } },
        { token: mentee.token },
      );
      expect(JSON.stringify(edit.body)).toContain('FORBIDDEN');

      // The mentor records the last talks: the target completes the goal, with a completion card.
      const done = await goalMutation(mentor, 'recordGoalProgress', { goalId, value: 3 }, 'GoalProgressPayload');
      expect(done.goal).toMatchObject({ status: 'COMPLETED', progress: 1, viewerCanUpdate: false });
      const completion = await menteeLive.waitFor(
        (events) => events.some((e) => e.message.body.startsWith('Goal completed: Give conference talks')),
        'the completion card',
      );
      expect(completion.at(-1)!.message.author?.id).toBe(mentor.personId);
      const again = await goalMutation(mentee, 'recordGoalProgress', { goalId, value: 4 }, 'GoalProgressPayload');
      expect(again).toMatchObject({ __typename: 'ConflictError', code: 'GOAL_NOT_ACTIVE' });
      mentorLive.dispose();
      menteeLive.dispose();
    } finally {
      await mentorSocket.dispose();
      await menteeSocket.dispose();
    }
  });

  it('completes a checklist goal when every step is ticked; foreign step ids are refused and change nothing', async () => {
    const created = await goalMutation(
      mentor,
      'createGoal',
      goalInput({
        title: 'Job search',
        measure: 'CHECKLIST',
        startValue: null,
        targetValue: null,
        unit: null,
        checklist: ['CV', 'Portfolio', 'Five applications'],
      }),
    );
    expect(created.__typename).toBe('GoalPayload');
    const goal = created.goal;
    const [cv, portfolio, applications] = goal.checklist.map((item: { id: string }) => item.id);
    const refused = await goalMutation(
      mentee,
      'recordGoalProgress',
      { goalId: goal.id, doneItemIds: [cv, 'R29hbDp4'] },
      'GoalProgressPayload',
    );
    expect(refused.__typename).toBe('ValidationError');
    const wrongKind = await goalMutation(
      mentee,
      'recordGoalProgress',
      { goalId: goal.id, value: 2 },
      'GoalProgressPayload',
    );
    expect(wrongKind.__typename).toBe('ValidationError');
    const two = await goalMutation(
      mentee,
      'recordGoalProgress',
      { goalId: goal.id, doneItemIds: [cv, portfolio] },
      'GoalProgressPayload',
    );
    expect(two.goal.progress).toBeCloseTo(2 / 3);
    expect(two.goal.checklist.map((item: { done: boolean }) => item.done)).toEqual([true, true, false]);
    const all = await goalMutation(
      mentee,
      'recordGoalProgress',
      { goalId: goal.id, doneItemIds: [cv, portfolio, applications] },
      'GoalProgressPayload',
    );
    expect(all.goal).toMatchObject({ status: 'COMPLETED', progress: 1, viewerCanCelebrate: true });
  });
});

describe('celebrating a completed goal', () => {
  it('is the mentee’s choice alone: a profile badge with its own visibility and a card in the group channel she picks', async () => {
    const created = await goalMutation(mentee, 'createGoal', goalInput({ title: 'First open-source release' }));
    const goalId = created.goal.id as string;
    const celebrate = (who: ChatMember, input: Record<string, unknown>) =>
      mentorshipMutation(
        url,
        who,
        'celebrateGoal',
        { goalId, visibility: 'MEMBERS', ...input },
        '... on AchievementPayload { achievement { id title visibility messageId } }',
      );

    const early = await celebrate(mentee, {});
    expect(early).toMatchObject({ __typename: 'ConflictError', code: 'GOAL_NOT_COMPLETED' });
    await goalMutation(mentee, 'completeGoal', { goalId, note: 'v1.0 is out' });
    expect(await celebrate(mentor, {})).toMatchObject({ __typename: 'ForbiddenError' });

    // Channels she may not post in: refused as not found (a group's channel never shows it exists),
    // nothing stored, no card anywhere. A channel of a group she is not in; one of a group she left;
    // conversations that are no group channel (the pair's own, a direct one she is in).
    const db = server.app.services.db;
    const groupmate = await chatMember(url, `Groupmate ${tag()}`);
    const foreign = await groupWithMembers(url, stranger, [groupmate]);
    const foreignWins = (await createChannel(url, stranger, { groupId: foreign.id, name: 'wins' })).conversation!.id;
    const left = await groupWithMembers(url, groupmate, [mentee]);
    expect((await mutate(url, mentee, 'leaveGroup', { groupId: left.id })).__typename).toBe('GroupPayload');
    const direct = await directConversation(url, mentee, [groupmate]);
    const messagesBefore = await db.message.count();
    for (const channelId of [foreign.general, foreignWins, left.general, conversationId, direct.id, 'nonsense']) {
      expect(await celebrate(mentee, { channelId }), channelId).toMatchObject({
        __typename: 'NotFoundError',
        code: 'NOT_FOUND',
      });
    }
    expect(await db.achievement.count({ where: { goalId: rowIdOf(goalId) } })).toBe(0);
    expect(await db.message.count()).toBe(messagesBefore);

    // Her own group, a channel she picks that is not #general: the card appears there, live for a
    // member reading it, and not in #general.
    const home = await groupWithMembers(url, groupmate, [mentee]);
    const wins = (await createChannel(url, groupmate, { groupId: home.id, name: 'wins' })).conversation!.id;
    const reader = memberSocket(server.wsUrl, groupmate);
    let done: Awaited<ReturnType<typeof celebrate>>;
    try {
      const live = conversationEvents(reader, wins, 0);
      done = await celebrate(mentee, { channelId: wins, visibility: 'SHARED_GROUPS' });
      expect(done.__typename).toBe('AchievementPayload');
      const seen = await live.waitFor(
        (events) => events.some((event) => event.message?.id === done.achievement.messageId),
        'the celebration card in #wins',
      );
      const liveCard = seen.find((event) => event.message?.id === done.achievement.messageId)!;
      expect(liveCard).toMatchObject({ kind: 'MESSAGE_ADDED', message: { author: { id: mentee.personId } } });
      live.dispose();
    } finally {
      await reader.dispose();
    }
    expect(done.achievement).toMatchObject({ title: 'First open-source release', visibility: 'SHARED_GROUPS' });
    const channel = (await history(groupmate, wins))!;
    const card = channel.find((m) => m.id === done.achievement.messageId);
    expect(card).toMatchObject({ card: { tone: 'SUCCESS' }, author: { id: mentee.personId } });
    expect((card!.card as { title: string }).title).toContain('First open-source release');
    expect((await history(groupmate, home.general))!.some((m) => m.card)).toBe(false);
    // The badge names the channel's group.
    const stored = await db.achievement.findUniqueOrThrow({ where: { goalId: rowIdOf(goalId) } });
    expect(stored.groupId).toBe(rowIdOf(home.id));
    expect(await celebrate(mentee, {})).toMatchObject({ __typename: 'ConflictError', code: 'ALREADY_CELEBRATED' });

    // The badge: SHARED_GROUPS is seen by the groupmate, not by a member sharing no group.
    const badges = `query ($id: ID!) { person(id: $id) { achievements { id title visibility } } }`;
    const seenBy = async (who: ChatMember | null) =>
      (
        await query<{ person: { achievements: Array<{ title: string; visibility: string | null }> } | null }>(
          url,
          who,
          badges,
          { id: mentee.personId },
        )
      ).person?.achievements ?? [];
    expect((await seenBy(groupmate)).map((a) => a.title)).toEqual(['First open-source release']);
    expect((await seenBy(groupmate))[0]!.visibility).toBeNull();
    expect(await seenBy(mentor)).toEqual([]);
    expect((await seenBy(mentee))[0]!.visibility).toBe('SHARED_GROUPS');
    const node = `query ($id: ID!) { node(id: $id) { id } }`;
    expect((await query<{ node: unknown }>(url, mentor, node, { id: done.achievement.id })).node).toBeNull();
    expect((await query<{ node: unknown }>(url, null, node, { id: done.achievement.id })).node).toBeNull();
    expect((await query<{ node: unknown }>(url, groupmate, node, { id: done.achievement.id })).node).not.toBeNull();

    // ONLY_ME: a second celebrated goal stays the mentee's own.
    const secret = await goalMutation(mentee, 'createGoal', goalInput({ title: 'Private milestone' }));
    await goalMutation(mentee, 'completeGoal', { goalId: secret.goal.id });
    await mentorshipMutation(url, mentee, 'celebrateGoal', { goalId: secret.goal.id, visibility: 'ONLY_ME' });
    expect((await seenBy(groupmate)).map((a) => a.title)).toEqual(['First open-source release']);
    expect((await seenBy(mentee)).map((a) => a.title)).toEqual(['Private milestone', 'First open-source release']);

    // A profile the admins hid shows its badges to its owner only (people's standing rule), by node too.
    await db.user.update({ where: { id: rowIdOf(mentee.personId) }, data: { profileHiddenAt: new Date() } });
    try {
      const hidden = await query<{ node: unknown }>(url, groupmate, node, { id: done.achievement.id });
      expect(hidden.node).toBeNull();
      expect((await seenBy(mentee)).map((a) => a.title)).toEqual(['Private milestone', 'First open-source release']);
      const list = await query<{ person: { achievements: unknown[] } | null }>(url, groupmate, badges, {
        id: mentee.personId,
      });
      expect(list.person?.achievements ?? []).toEqual([]);
    } finally {
      await db.user.update({ where: { id: rowIdOf(mentee.personId) }, data: { profileHiddenAt: null } });
    }
  });
});

describe('nudges', () => {
  it('tells both when a goal is overdue and when it has had no progress for two weeks', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const created = await goalMutation(mentee, 'createGoal', goalInput({ title: 'Due soon', dueOn: '2099-01-01' }));
    const goalId = created.goal.id as string;
    await goalMutation(mentee, 'updateGoal', { goalId, dueOn: today });
    await runDueJobs(server.app.services);
    const overdueKinds = async (who: ChatMember) =>
      (await notificationKinds(url, who)).filter((k) => k === 'MENTORSHIP_GOAL_OVERDUE');
    expect(await overdueKinds(mentee)).toEqual([]);

    // Two days later (past the end of the due day in any zone) the overdue nudge reaches both.
    advanceClock(2 * 24 * 3600_000);
    await runDueJobs(server.app.services);
    expect(await overdueKinds(mentee)).toHaveLength(1);
    expect(await overdueKinds(mentor)).toHaveLength(1);
    const flagged = await query<{ node: { overdue: boolean } }>(
      url,
      mentor,
      `query ($id: ID!) { node(id: $id) { ... on Goal { overdue } } }`,
      { id: goalId },
    );
    expect(flagged.node.overdue).toBe(true);

    // Progress on day 2 moves the quiet-goal nudge: nothing at day 14, a nudge after day 16.
    await goalMutation(mentee, 'recordGoalProgress', { goalId, value: 1 }, 'GoalProgressPayload');
    advanceClock(12 * 24 * 3600_000);
    await runDueJobs(server.app.services);
    const staleKinds = async (who: ChatMember) =>
      (await notificationKinds(url, who)).filter((k) => k === 'MENTORSHIP_GOAL_STALE');
    expect(await staleKinds(mentor)).toEqual([]);
    advanceClock(3 * 24 * 3600_000);
    await runDueJobs(server.app.services);
    expect(await staleKinds(mentor)).toHaveLength(1);
    expect(await staleKinds(mentee)).toHaveLength(1);
    // Never about a dropped goal: dropping cancels its pending nudges.
    await goalMutation(mentee, 'dropGoal', { goalId });
    const pending = await server.app.services.db.job.count({
      where: { key: { contains: rowIdOf(goalId) }, state: 'PENDING' },
    });
    expect(pending).toBe(0);
  });
});

describe('due days in real time zones', () => {
  it('checks a due day against the viewer’s own today, and calls it overdue when the day is over in the mentee’s zone', async () => {
    const t = tag();
    const honolulu = await chatMember(url, `Honolulu mentee ${t}`);
    const kiritimati = await chatMember(url, `Kiritimati mentor ${t}`);
    const db = server.app.services.db;
    await db.user.update({ where: { id: rowIdOf(honolulu.personId) }, data: { timeZone: 'Pacific/Honolulu' } });
    await db.user.update({ where: { id: rowIdOf(kiritimati.personId) }, data: { timeZone: 'Pacific/Kiritimati' } });
    const pair = await activeMentorship(url, honolulu, kiritimati);
    // 12:00 UTC on 10 January 2027: 02:00 on the 10th in Honolulu (UTC−10), 02:00 on the 11th in Kiritimati (UTC+14).
    setClockOffset(Date.parse('2027-01-10T12:00:00Z') - Date.now());
    const input = goalInput({ mentorshipId: pair.id, title: 'Zoned', dueOn: '2027-01-10' });
    const forMentor = await goalMutation(kiritimati, 'createGoal', input);
    expect(forMentor).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: 'dueOn' }] });
    const forMentee = await goalMutation(honolulu, 'createGoal', input);
    expect(forMentee.__typename).toBe('GoalPayload');
    const overdue = async () => (await notificationKinds(url, honolulu)).filter((k) => k === 'MENTORSHIP_GOAL_OVERDUE');

    // The 10th ends in Honolulu at 10:00 UTC on the 11th.
    setClockOffset(Date.parse('2027-01-11T09:59:00Z') - Date.now());
    await runDueJobs(server.app.services);
    expect(await overdue()).toEqual([]);
    setClockOffset(Date.parse('2027-01-11T10:01:00Z') - Date.now());
    await runDueJobs(server.app.services);
    expect(await overdue()).toHaveLength(1);
  });
});

describe('a block between the two', () => {
  it('closes the conversation, so a goal card cannot be posted: refused with a typed error, nothing stored', async () => {
    const t = tag();
    const a = await chatMember(url, `Blocked mentee ${t}`);
    const b = await chatMember(url, `Blocking mentor ${t}`);
    const pair = await activeMentorship(url, a, b);
    const blocked = await gql(
      url,
      'mutation ($input: BlockMemberInput!) { blockMember(input: $input) { __typename } }',
      { input: { personId: a.personId } },
      { token: b.token },
    );
    expect(blocked.body.data?.blockMember.__typename).toBe('BlockPayload');
    const refused = await goalMutation(a, 'createGoal', goalInput({ mentorshipId: pair.id }));
    expect(refused).toMatchObject({ __typename: 'ConflictError', code: 'CONVERSATION_CLOSED' });
    expect(await server.app.services.db.goal.count({ where: { mentorshipId: rowIdOf(pair.id) } })).toBe(0);
  });
});

describe('the longest words the inputs allow', () => {
  it('fit the cards they are posted on: a 1000-character outcome and note, a 100-character name celebrating a 120-character title', async () => {
    const t = tag();
    const longName = `Mentee ${t} `.padEnd(100, 'x');
    const a = await chatMember(url, `Long mentee ${t}`);
    const b = await chatMember(url, `Long mentor ${t}`);
    const pair = await activeMentorship(url, a, b);
    await server.app.services.db.user.update({ where: { id: rowIdOf(a.personId) }, data: { name: longName } });
    const title = 'T'.repeat(120);
    const outcome = 'o'.repeat(1000);
    const created = await goalMutation(
      a,
      'createGoal',
      goalInput({ mentorshipId: pair.id, title, specificOutcome: outcome }),
    );
    expect(created.__typename).toBe('GoalPayload');
    const goalId = created.goal.id as string;
    const progress = await goalMutation(
      a,
      'recordGoalProgress',
      { goalId, value: 1, note: 'n'.repeat(1000) },
      'GoalProgressPayload',
    );
    expect(progress.__typename).toBe('GoalProgressPayload');
    await goalMutation(a, 'completeGoal', { goalId, note: 'd'.repeat(1000) });
    const home = await groupWithMembers(url, b, [a]);
    const celebrated = await mentorshipMutation(url, a, 'celebrateGoal', {
      goalId,
      channelId: home.general,
      visibility: 'MEMBERS',
    });
    expect(celebrated.__typename).toBe('AchievementPayload');
    const cards = (await history(b, pair.conversationId))!.filter((m) => m.card);
    expect(cards.map((m) => (m.card as { lines: string[] }).lines[0])).toEqual([
      outcome,
      'n'.repeat(1000),
      'd'.repeat(1000),
    ]);
  });
});

// Two instances share one PostgreSQL database and Redis: a card posted through one reaches a
// subscriber on the other (skipped on the embedded run, where one process owns the database).
describe.skipIf(backendFromEnv().kind === 'embedded')('two instances', () => {
  it('delivers a progress card posted on instance A to the partner subscribed on instance B', async () => {
    const other = await startServer({ database: server.database });
    const t = tag();
    const a = await chatMember(url, `Scale mentee ${t}`);
    const b = await chatMember(url, `Scale mentor ${t}`);
    const pair = await activeMentorship(url, a, b);
    const socket = memberSocket(other.wsUrl, b);
    try {
      const live = conversationEvents(socket, pair.conversationId, 0);
      const made = await goalMutation(a, 'createGoal', goalInput({ mentorshipId: pair.id, title: 'Across instances' }));
      await goalMutation(a, 'recordGoalProgress', { goalId: made.goal.id, value: 2 }, 'GoalProgressPayload');
      const events = await live.waitFor(
        (received) => received.some((e) => e.message.body.startsWith('Progress on Across instances')),
        'the card on the other instance',
      );
      expect(events.map((e) => e.message.body.split('\n')[0])).toEqual([
        'New goal: Across instances',
        'Progress on Across instances',
      ]);
      live.dispose();
    } finally {
      await socket.dispose();
      await other.stop();
    }
  });
});
