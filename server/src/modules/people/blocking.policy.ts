import type { DbClient } from '../../db.js';
import { Prisma } from '../../generated/prisma/client.js';

// What a block stops, written once (BLOCK_RULES); the JS check (allowsBetween), the loader
// (keptApartFrom), the Prisma filter (notKeptApartWhere) and the SQL fragment (notKeptApartSql)
// are all made from it, and tests/api/blocking-policy.test.ts runs them against every direction of
// a block on a real database. Chat (direct messages, mentions, mention suggestions), notifications,
// the directory, and the mentorship and introductions modules to come ask these functions.
//
// A block is one member (the blocker) keeping another (the blocked) away. The blocked member is
// never told: every refusal a block causes looks like what a stranger gets (the person or the
// conversation "was not found"), and nothing lists who blocked you.

/**
 * Which way a rule applies between an actor (who does the thing) and another member (whom it reaches):
 * `either`: refused when either of the two blocked the other;
 * `towardBlocker`: refused only when the other member blocked the actor (their mentions and
 *   notifications stop reaching the blocker; the blocker's own still reach the blocked, who is not told).
 */
export type BlockDirection = 'either' | 'towardBlocker';

export const BLOCK_RULES = {
  /** Starting a direct conversation with the other (any size: one blocked participant is enough). */
  startDirect: 'either',
  /** Sending, editing or reacting in a direct conversation of just the two. */
  sendDirect: 'either',
  /** Being offered in people pickers: new-DM search, mention autocomplete, directory results. */
  suggest: 'either',
  /** Mentioning: the mention is not stored and nobody is notified. */
  mention: 'towardBlocker',
  /** Any notification with the actor as its actor. */
  notify: 'towardBlocker',
  /** Mentorship requests and introductions (the issues that follow use these). */
  requestMentorship: 'either',
  introduce: 'either',
} as const satisfies Record<string, BlockDirection>;

export type BlockAction = keyof typeof BLOCK_RULES;
export const BLOCK_ACTIONS = Object.keys(BLOCK_RULES) as BlockAction[];

/** The facts between an actor and another member. */
export interface BlockFacts {
  /** The actor blocked the other. */
  actorBlockedOther: boolean;
  /** The other blocked the actor. */
  otherBlockedActor: boolean;
}

/** The JS check, over facts already loaded: may the actor do `action` to the other? */
export function allowsBetween(action: BlockAction, facts: BlockFacts): boolean {
  if (facts.otherBlockedActor) return false;
  return BLOCK_RULES[action] === 'either' ? !facts.actorBlockedOther : true;
}

/**
 * The block facts between the actor and each of `otherIds` that has a block either way (one
 * statement for any number). For words said to the actor: only `actorBlockedOther` may ever be told
 * (the blocked member is never told who blocked them).
 */
export async function blockFactsWith(
  db: DbClient,
  actorId: string,
  otherIds: readonly string[],
): Promise<Map<string, BlockFacts>> {
  const others = [...new Set(otherIds)].filter((id) => id !== actorId);
  const facts = new Map<string, BlockFacts>();
  if (others.length === 0) return facts;
  const rows = await db.memberBlock.findMany({
    where: {
      OR: [
        { blockedId: actorId, blockerId: { in: others } },
        { blockerId: actorId, blockedId: { in: others } },
      ],
    },
    select: { blockerId: true, blockedId: true },
  });
  const factsOf = (id: string) => {
    let found = facts.get(id);
    if (!found) facts.set(id, (found = { actorBlockedOther: false, otherBlockedActor: false }));
    return found;
  };
  for (const row of rows) {
    if (row.blockerId === actorId) factsOf(row.blockedId).actorBlockedOther = true;
    else factsOf(row.blockerId).otherBlockedActor = true;
  }
  return facts;
}

/** Of `otherIds`, those the actor may not do `action` to (one statement for any number). */
export async function keptApartFrom(
  db: DbClient,
  action: BlockAction,
  actorId: string,
  otherIds: readonly string[],
): Promise<Set<string>> {
  const facts = await blockFactsWith(db, actorId, otherIds);
  return new Set([...facts].filter(([, fact]) => !allowsBetween(action, fact)).map(([id]) => id));
}

/** Whether the actor may do `action` to the other. */
export async function allows(db: DbClient, action: BlockAction, actorId: string, otherId: string): Promise<boolean> {
  return !(await keptApartFrom(db, action, actorId, [otherId])).has(otherId);
}

// ── The same rule for the database ──────────────────────────────────────

/** Users the actor may do `action` to, as a Prisma filter on User (pickers, lists). */
export function notKeptApartWhere(action: BlockAction, actorId: string): Prisma.UserWhereInput {
  const theyBlocked: Prisma.UserWhereInput = { blocksMade: { none: { blockedId: actorId } } };
  if (BLOCK_RULES[action] === 'towardBlocker') return theyBlocked;
  return { AND: [theyBlocked, { blocksReceived: { none: { blockerId: actorId } } }] };
}

/**
 * The same rule from the other side, as a Prisma filter on User: the actors who may do `action` to
 * `otherId` (e.g. whose join requests and asks still reach a member's home, blocks being one-sided).
 */
export function mayReachWhere(action: BlockAction, otherId: string): Prisma.UserWhereInput {
  const otherBlocked: Prisma.UserWhereInput = { blocksReceived: { none: { blockerId: otherId } } };
  if (BLOCK_RULES[action] === 'towardBlocker') return otherBlocked;
  return { AND: [otherBlocked, { blocksMade: { none: { blockedId: otherId } } }] };
}

/**
 * The same rule in SQL: a boolean expression, true when the actor may do `action` to the member
 * whose id is the SQL expression `other` (e.g. Prisma.raw('u.id')).
 */
export function notKeptApartSql(action: BlockAction, actorId: string, other: Prisma.Sql): Prisma.Sql {
  const theyBlocked = Prisma.sql`EXISTS (SELECT 1 FROM "MemberBlock" policy_b
      WHERE policy_b."blockerId" = ${other} AND policy_b."blockedId" = ${actorId}::uuid)`;
  if (BLOCK_RULES[action] === 'towardBlocker') return Prisma.sql`NOT ${theyBlocked}`;
  return Prisma.sql`NOT (${theyBlocked} OR EXISTS (SELECT 1 FROM "MemberBlock" policy_b
      WHERE policy_b."blockerId" = ${actorId}::uuid AND policy_b."blockedId" = ${other}))`;
}
