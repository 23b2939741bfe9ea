import type { Context } from '../../context.js';
import type { DbClient } from '../../db.js';

// What groups tells the modules built on it (chat) about its changes, so that groups imports none
// of them: each module registers its hooks when it is imported, and groups runs them.

export interface GroupCreated {
  groupId: string;
  createdById: string;
}

export interface MembershipEnded {
  userId: string;
  groupId: string;
}

/** Runs inside the transaction that makes the group: what it writes commits or rolls back with it. */
export type GroupCreatedHook = (tx: DbClient, group: GroupCreated) => Promise<void>;
/** Runs after the transaction that ended a membership (left, removed, banned) has committed. */
export type MembershipEndedHook = (ctx: Pick<Context, 'pubsub'>, change: MembershipEnded) => void;

const groupCreatedHooks: GroupCreatedHook[] = [];
const membershipEndedHooks: MembershipEndedHook[] = [];

export function onGroupCreated(hook: GroupCreatedHook): void {
  groupCreatedHooks.push(hook);
}

export function onMembershipEnded(hook: MembershipEndedHook): void {
  membershipEndedHooks.push(hook);
}

export async function groupCreated(tx: DbClient, group: GroupCreated): Promise<void> {
  // One after another: a transaction runs one statement at a time.
  for (const hook of groupCreatedHooks) await hook(tx, group);
}

export function membershipEnded(ctx: Pick<Context, 'pubsub'>, change: MembershipEnded): void {
  for (const hook of membershipEndedHooks) hook(ctx, change);
}
