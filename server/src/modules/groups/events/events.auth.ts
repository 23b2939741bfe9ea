import type { DbClient } from '../../../db.js';
import { visibleGroupsWhere } from '../groups.auth.js';

/**
 * Who is coming, and where (the place and the online link), are for the group's members; for a
 * PUBLIC group, for every signed-in member. Others who may see a PRIVATE group's event see
 * only what and when. Used by the Event fields and the .ics download alike.
 */
export async function eventInsidesVisible(db: DbClient, groupId: string, viewerId: string): Promise<boolean> {
  const group = await db.group.findFirst({
    where: { id: groupId, AND: [visibleGroupsWhere(viewerId)] },
    select: { visibility: true, memberships: { where: { userId: viewerId }, select: { role: true } } },
  });
  if (!group) return false;
  return group.visibility === 'PUBLIC' || group.memberships.length > 0;
}
