import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { DbClient } from '../../server/src/db.js';
import type { GroupVisibility } from '../../server/src/generated/prisma/enums.js';
import { gql, type Member, signUpMember, type UntypedData } from './graphql.js';
import { personId, userIdOf } from './groups.js';

// Helpers for the introductions' flow and race tests: members, the connections between them made
// straight in the database (a group, a mentorship, a direct conversation with a message), and the
// mutations with the fields each test reads.

export const DAY_MS = 24 * 60 * 60 * 1000;

export const INTRODUCTION_FIELDS = /* GraphQL */ `
  id state viewerRole reason hopes presentation brokerNote brokerMessage targetNote
  createdAt forwardedAt closedAt expiresAt followUpAskedAt requesterFollowUp targetFollowUp
  conversation { id kind participants { id } }
  viewerCanForward viewerCanDecline viewerCanAccept viewerCanWithdraw viewerCanAnswerFollowUp viewerCanLeaveConversation
  requester { id } broker { id } target { id }
`;

export const INTRODUCTION_RESULT = /* GraphQL */ `
  __typename
  ... on Error { code message }
  ... on ValidationError { fieldErrors { path message } }
  ... on IntroductionPayload { introduction { ${INTRODUCTION_FIELDS} } }
`;

/** Runs one of the introductions' mutations; the result (payload or typed error) with its __typename. */
export async function introductionMutation(
  url: string,
  who: Member,
  name: string,
  input: Record<string, unknown>,
): Promise<UntypedData> {
  const response = await gql(
    url,
    `mutation ($input: ${name[0]!.toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { ${INTRODUCTION_RESULT} } }`,
    { input },
    { token: who.token },
  );
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data![name] as UntypedData;
}

export async function member(url: string, name: string): Promise<Member> {
  return signUpMember(url, { name: `${name} ${randomBytes(2).toString('hex')}` });
}

export const rowOf = (who: Member) => userIdOf(who.id);

export async function openToIntroductions(
  db: DbClient,
  who: Member,
  through: 'SHARED_GROUPS' | 'MENTORSHIPS' = 'SHARED_GROUPS',
): Promise<void> {
  await db.user.update({
    where: { id: rowOf(who) },
    data: { openTo: ['INTRODUCTIONS'], introductionsThrough: through },
  });
}

/** A group with these members (made in the database). */
export async function groupOf(db: DbClient, people: Member[], visibility: GroupVisibility = 'PUBLIC') {
  const group = await db.group.create({
    data: {
      name: `Group ${randomBytes(3).toString('hex')}`,
      slug: `g-${randomBytes(5).toString('hex')}`,
      kind: 'COMMUNITY',
      visibility,
    },
  });
  await db.membership.createMany({
    data: people.map((who, index) => ({
      groupId: group.id,
      userId: rowOf(who),
      role: index === 0 ? 'OWNER' : 'MEMBER',
    })),
  });
  return group;
}

/** A mentorship (ACTIVE, or ENDED) between the two, with its conversation. */
export async function mentorshipOf(
  db: DbClient,
  mentor: Member,
  mentee: Member,
  status: 'ACTIVE' | 'ENDED' = 'ACTIVE',
) {
  const conversation = await db.conversation.create({
    data: {
      kind: 'MENTORSHIP',
      participants: { createMany: { data: [{ userId: rowOf(mentor) }, { userId: rowOf(mentee) }] } },
    },
  });
  return db.mentorship.create({
    data: {
      mentorId: rowOf(mentor),
      menteeId: rowOf(mentee),
      conversationId: conversation.id,
      status,
      ...(status === 'ENDED' ? { endedAt: new Date() } : {}),
    },
  });
}

/** A DIRECT conversation of the two, with `messages` messages. */
export async function directConversationOf(db: DbClient, a: Member, b: Member, messages = 1) {
  const conversation = await db.conversation.create({
    data: {
      kind: 'DIRECT',
      lastSeq: messages,
      lastMessageAt: messages > 0 ? new Date() : null,
      participants: { createMany: { data: [{ userId: rowOf(a) }, { userId: rowOf(b) }] } },
    },
  });
  for (let seq = 1; seq <= messages; seq += 1) {
    await db.message.create({
      data: { conversationId: conversation.id, seq, senderId: rowOf(a), clientId: `c-${seq}`, body: 'Hello!' },
    });
  }
  return conversation;
}

export async function block(db: DbClient, blocker: Member, blocked: Member): Promise<void> {
  await db.memberBlock.create({ data: { blockerId: rowOf(blocker), blockedId: rowOf(blocked) } });
}

export interface Trio {
  requester: Member;
  broker: Member;
  target: Member;
}

/** Three members in one PUBLIC group, the target open to introductions. */
export async function trio(url: string, db: DbClient, names = ['Rita', 'Bruno', 'Tess']): Promise<Trio> {
  const [requester, broker, target] = [
    await member(url, names[0]!),
    await member(url, names[1]!),
    await member(url, names[2]!),
  ];
  await groupOf(db, [broker, requester, target]);
  await openToIntroductions(db, target);
  return { requester, broker, target };
}

export function requestInput(trioOrIds: { broker: Member; target: Member }, input: Record<string, unknown> = {}) {
  return {
    brokerId: personId(trioOrIds.broker),
    targetId: personId(trioOrIds.target),
    reason: 'We both build community tools; I would value her view on moderation.',
    hopes: 'Half an hour on a call.',
    ...input,
  };
}

/** Asks, and expects it stored; the Introduction's global id. */
export async function ask(url: string, who: { requester: Member; broker: Member; target: Member }): Promise<string> {
  const result = await introductionMutation(url, who.requester, 'requestIntroduction', requestInput(who));
  expect(result.__typename, JSON.stringify(result)).toBe('IntroductionPayload');
  return result.introduction.id as string;
}

export async function forward(url: string, broker: Member, introductionId: string, note = 'You two should talk.') {
  const result = await introductionMutation(url, broker, 'forwardIntroduction', { introductionId, note });
  expect(result.__typename, JSON.stringify(result)).toBe('IntroductionPayload');
  return result.introduction as UntypedData;
}
