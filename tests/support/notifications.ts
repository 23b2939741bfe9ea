import type { Db } from '../../server/src/db.js';
import { encodeGlobalId } from '../../server/src/lib/global-id.js';
import { notify } from '../../server/src/modules/notifications/index.js';
import { notificationKind } from '../../server/src/modules/notifications/registry.js';

// Notifications of the groups module's kinds made directly (as the services would), for tests of
// wording, paging and visibility. The rows a kind points at (a join request, an invite) are made
// when the test does not pass its own.

export interface GroupNotificationInput {
  actorId: string;
  groupId: string;
  recipientIds: string[];
  inviteId?: string;
  joinRequestId?: string;
  eventId?: string;
}

export async function notifyGroupKind(db: Db, kind: string, input: GroupNotificationInput) {
  const definition = notificationKind(kind);
  if (!definition) throw new Error(`no notification kind ${kind}`);
  const { actorId, groupId, recipientIds } = input;
  let data: Record<string, string> = { groupId };
  let subjectId = encodeGlobalId('Group', groupId);
  if (kind.startsWith('JOIN_REQUEST_')) {
    const joinRequestId =
      input.joinRequestId ??
      (
        await db.joinRequest.upsert({
          where: { groupId_userId: { groupId, userId: kind === 'JOIN_REQUEST_RECEIVED' ? actorId : recipientIds[0]! } },
          create: { groupId, userId: kind === 'JOIN_REQUEST_RECEIVED' ? actorId : recipientIds[0]! },
          update: {},
          select: { id: true },
        })
      ).id;
    data = { groupId, joinRequestId };
    subjectId = encodeGlobalId('JoinRequest', joinRequestId);
  } else if (kind === 'GROUP_INVITE') {
    const inviteId =
      input.inviteId ??
      (
        await db.groupInvite.create({
          data: { groupId, createdById: actorId, inviteeId: recipientIds[0]!, maxUses: 1 },
          select: { id: true },
        })
      ).id;
    data = { groupId, inviteId };
    subjectId = encodeGlobalId('GroupInvite', inviteId);
  } else if (input.eventId) {
    data = { groupId, eventId: input.eventId };
    subjectId = encodeGlobalId('Event', input.eventId);
  }
  return notify(db, { kind: definition, actorId, recipientIds, subjectId, data });
}
