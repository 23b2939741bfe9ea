import { describe, expect, it } from 'vitest';
import type { IntroductionStatus } from '../../generated/prisma/enums.js';
import {
  type BrokerLinks,
  CONNECTION_KINDS,
  type ConnectionKind,
  INTRODUCTION_FIELD_SIGHT,
  INTRODUCTION_ROLES,
  type IntroductionField,
  introductionActions,
  introductionRoleOf,
  introductionStateFor,
  introductionViewerIds,
  type Link,
  mayActOnIntroduction,
  mayBroker,
  seesIntroductionField,
  visibleIntroductionsWhere,
} from './introductions.policy.js';

// The introductions' rules as plain functions: who may broker (every combination of connections on
// each side against whom the target accepts introductions through), each role's projection of the
// state, who sees which field in which state, who takes which step. The database forms are run
// against a real database in tests/api (introductions-flow, introductions-authorization).

const STATUSES: IntroductionStatus[] = [
  'REQUESTED',
  'FORWARDED',
  'ACCEPTED',
  'BROKER_DECLINED',
  'TARGET_DECLINED',
  'BROKER_EXPIRED',
  'TARGET_EXPIRED',
  'WITHDRAWN',
];

const GROUP = {
  id: 'g',
  name: 'Rust Berlin',
  kind: 'COMMUNITY' as const,
  cohort: null,
  institution: null,
  graduationYear: null,
  parentId: null,
  memberCount: 40,
};

function link(kinds: readonly ConnectionKind[]): Link {
  return {
    groups: kinds.includes('GROUP') ? [GROUP] : [],
    mentorship: kinds.includes('MENTORSHIP') ? 'MENTORS_THEM' : null,
    lastDirectMessageAt: kinds.includes('CONVERSATION') ? new Date('2027-01-01T00:00:00Z') : null,
  };
}

/** Every subset of the connection kinds. */
const SUBSETS: ConnectionKind[][] = Array.from({ length: 1 << CONNECTION_KINDS.length }, (_, mask) =>
  CONNECTION_KINDS.filter((_, bit) => mask & (1 << bit)),
);

describe('who may broker', () => {
  it('needs a connection with each side, and with the target one they accept introductions through (a refusal speaks only of a shared group)', () => {
    for (const requesterSide of SUBSETS) {
      for (const targetSide of SUBSETS) {
        const links: BrokerLinks = { requester: link(requesterSide), target: link(targetSide) };
        const expected = (through: 'SHARED_GROUPS' | 'MENTORSHIPS') => {
          if (requesterSide.length === 0) return 'NO_CONNECTION';
          const accepted: ConnectionKind[] = through === 'SHARED_GROUPS' ? ['GROUP', 'MENTORSHIP'] : ['MENTORSHIP'];
          if (targetSide.some((kind) => accepted.includes(kind))) return null;
          // Only a group the requester sees is spoken of; a conversation alone reads as no link.
          return targetSide.includes('GROUP') ? 'NOT_THROUGH_THIS_BROKER' : 'NO_CONNECTION';
        };
        const what = `requester: [${requesterSide}], target: [${targetSide}]`;
        expect(mayBroker(links, 'SHARED_GROUPS'), what).toBe(expected('SHARED_GROUPS'));
        expect(mayBroker(links, 'MENTORSHIPS'), what).toBe(expected('MENTORSHIPS'));
      }
    }
  });

  it('refuses a broker with no links loaded at all', () => {
    expect(mayBroker(undefined, 'SHARED_GROUPS')).toBe('NO_CONNECTION');
  });

  it('counts a mentorship either way round', () => {
    const mentored: Link = { groups: [], mentorship: 'MENTORED_BY_THEM', lastDirectMessageAt: null };
    expect(mayBroker({ requester: mentored, target: mentored }, 'MENTORSHIPS')).toBeNull();
  });
});

describe('who sees an introduction', () => {
  const intro = (forwardedAt: Date | null) => ({ requesterId: 'r', brokerId: 'b', targetId: 't', forwardedAt });

  it('shows it to the requester and the broker always, to the target once forwarded, to nobody else', () => {
    expect(introductionRoleOf(intro(null), 'r')).toBe('REQUESTER');
    expect(introductionRoleOf(intro(null), 'b')).toBe('BROKER');
    expect(introductionRoleOf(intro(null), 't')).toBeNull();
    expect(introductionRoleOf(intro(new Date()), 't')).toBe('TARGET');
    expect(introductionRoleOf(intro(new Date()), 'x')).toBeNull();
    expect(introductionRoleOf(intro(new Date()), null)).toBeNull();
    expect(introductionViewerIds(intro(null))).toEqual(['r', 'b']);
    expect(introductionViewerIds(intro(new Date()))).toEqual(['r', 'b', 't']);
  });

  it('filters the same way in the database form, and nothing for the signed out', () => {
    expect(visibleIntroductionsWhere(null)).toEqual({ id: { in: [] } });
    expect(visibleIntroductionsWhere('v')).toEqual({
      OR: [{ requesterId: 'v' }, { brokerId: 'v' }, { targetId: 'v', forwardedAt: { not: null } }],
    });
  });

  it('never tells the requester who said no: a target’s decline and silence read alike, the broker’s apart', () => {
    expect(introductionStateFor('REQUESTER', 'TARGET_DECLINED')).toBe('NOT_HAPPENED');
    expect(introductionStateFor('REQUESTER', 'TARGET_EXPIRED')).toBe('NOT_HAPPENED');
    expect(introductionStateFor('REQUESTER', 'BROKER_DECLINED')).toBe('NOT_NOW');
    expect(introductionStateFor('REQUESTER', 'BROKER_EXPIRED')).toBe('EXPIRED');
    for (const status of STATUSES) {
      expect(introductionStateFor('BROKER', status)).toBe(status);
      expect(introductionStateFor('TARGET', status)).toBe(status);
    }
    // Every field the requester reads is the same for the two ways a target says no.
    for (const field of Object.keys(INTRODUCTION_FIELD_SIGHT) as IntroductionField[]) {
      expect(seesIntroductionField(field, 'REQUESTER', 'TARGET_DECLINED'), field).toBe(
        seesIntroductionField(field, 'REQUESTER', 'TARGET_EXPIRED'),
      );
    }
    expect(seesIntroductionField('closedAt', 'REQUESTER', 'TARGET_DECLINED')).toBe(false);
    expect(seesIntroductionField('targetNote', 'REQUESTER', 'TARGET_DECLINED')).toBe(false);
    expect(seesIntroductionField('targetNote', 'REQUESTER', 'ACCEPTED')).toBe(true);
  });

  it('keeps the requester’s words from the target, and shows nothing to no role', () => {
    for (const status of STATUSES) {
      expect(seesIntroductionField('reason', 'TARGET', status)).toBe(false);
      expect(seesIntroductionField('hopes', 'TARGET', status)).toBe(false);
      expect(seesIntroductionField('brokerMessage', 'TARGET', status)).toBe(false);
      expect(seesIntroductionField('requesterFollowUp', 'TARGET', status)).toBe(false);
      expect(seesIntroductionField('targetFollowUp', 'REQUESTER', status)).toBe(false);
      for (const field of Object.keys(INTRODUCTION_FIELD_SIGHT) as IntroductionField[]) {
        expect(seesIntroductionField(field, null, status)).toBe(false);
      }
    }
  });
});

describe('who takes which step', () => {
  it('gives each step to one role in its states', () => {
    const allowed = new Map<string, string[]>();
    for (const role of INTRODUCTION_ROLES) {
      for (const status of STATUSES) {
        const actions = introductionActions(
          {
            requesterId: 'r',
            brokerId: 'b',
            targetId: 't',
            forwardedAt: new Date(),
            status,
          },
          { REQUESTER: 'r', BROKER: 'b', TARGET: 't' }[role],
        );
        for (const [action, may] of Object.entries(actions)) {
          if (may) allowed.set(action, [...(allowed.get(action) ?? []), `${role} ${status}`]);
        }
      }
    }
    expect(Object.fromEntries(allowed)).toEqual({
      forward: ['BROKER REQUESTED'],
      decline: ['BROKER REQUESTED', 'TARGET FORWARDED'],
      accept: ['TARGET FORWARDED'],
      withdraw: ['REQUESTER REQUESTED', 'REQUESTER FORWARDED'],
      answerFollowUp: ['REQUESTER ACCEPTED', 'TARGET ACCEPTED'],
      leaveConversation: ['BROKER ACCEPTED'],
    });
    expect(mayActOnIntroduction('forward', null, 'REQUESTED')).toBe(false);
  });
});
