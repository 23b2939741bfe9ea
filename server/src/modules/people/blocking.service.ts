import type { Db } from '../../db.js';
import { NotFoundError } from '../../lib/errors.js';

// Block and unblock: one row per (blocker, blocked), so both are idempotent. Nothing is published:
// the blocked member is not told, and what a block stops is checked where it would happen.

export async function blockMember(db: Db, blockerId: string, blockedId: string): Promise<void> {
  const person = await db.user.findUnique({ where: { id: blockedId }, select: { id: true } });
  if (!person) throw new NotFoundError('That member');
  await db.memberBlock.createMany({ data: [{ blockerId, blockedId }], skipDuplicates: true });
}

export async function unblockMember(db: Db, blockerId: string, blockedId: string): Promise<void> {
  const person = await db.user.findUnique({ where: { id: blockedId }, select: { id: true } });
  if (!person) throw new NotFoundError('That member');
  await db.memberBlock.deleteMany({ where: { blockerId, blockedId } });
}
