import { describe, expect, it } from 'vitest';
import {
  CONVERSATION_KINDS,
  canCreateChannels,
  canDeleteMessage,
  canEditMessage,
  canModerate,
  canViewConversation,
  visibleConversationsWhere,
} from './chat.policy.js';

// The chat rules as plain functions. Their Prisma and SQL forms are checked against a real
// database in tests/api/policy-twins.test.ts.

const viewer = 'v';
const ROLES = ['OWNER', 'ADMIN', 'MODERATOR', 'MEMBER', null] as const;

describe('who sees a conversation', () => {
  it("gives a channel to its group's members and every other kind to its participants", () => {
    for (const kind of CONVERSATION_KINDS) {
      const member = canViewConversation({ kind }, { signedIn: true, isGroupMember: true, isParticipant: false });
      const participant = canViewConversation({ kind }, { signedIn: true, isGroupMember: false, isParticipant: true });
      expect({ kind, member, participant }).toEqual({
        kind,
        member: kind === 'CHANNEL',
        participant: kind !== 'CHANNEL',
      });
      expect(canViewConversation({ kind }, { signedIn: false, isGroupMember: true, isParticipant: true })).toBe(false);
    }
  });

  it('matches nothing for a signed-out viewer', () => {
    expect(visibleConversationsWhere(null)).toEqual({ id: { in: [] } });
  });
});

describe('moderation and channels (roles from the groups matrix)', () => {
  it("lets moderators and up delete others' messages in channels only", () => {
    for (const role of ROLES) {
      const expected = role === 'OWNER' || role === 'ADMIN' || role === 'MODERATOR';
      expect({ role, channel: canModerate({ kind: 'CHANNEL', role }) }).toEqual({ role, channel: expected });
      expect(canModerate({ kind: 'DIRECT', role })).toBe(false);
    }
  });

  it('lets owners and admins add channels', () => {
    expect(ROLES.filter((role) => canCreateChannels(role))).toEqual(['OWNER', 'ADMIN']);
  });

  it('lets members edit only their own live messages, and delete their own or (moderating) anyone’s', () => {
    const own = { senderId: viewer, deletedAt: null };
    const other = { senderId: 'someone', deletedAt: null };
    expect(canEditMessage(own, viewer)).toBe(true);
    expect(canEditMessage(other, viewer)).toBe(false);
    expect(canEditMessage({ ...own, deletedAt: new Date() }, viewer)).toBe(false);
    expect(canDeleteMessage(other, viewer, { kind: 'CHANNEL', role: 'MEMBER' })).toBe(false);
    expect(canDeleteMessage(other, viewer, { kind: 'CHANNEL', role: 'MODERATOR' })).toBe(true);
    expect(canDeleteMessage(own, viewer, { kind: 'DIRECT', role: null })).toBe(true);
  });
});
