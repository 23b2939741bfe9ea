import type { DbClient } from '../../db.js';
import type { Context } from '../../context.js';
import { publishAccessChange } from './chat.service.js';

// Chat owns conversations: the introductions module asks for the three's INTRODUCTION conversation
// here, inside the transaction that accepts the introduction, so a rolled-back acceptance leaves
// none behind. Its audience is its participants (chat.policy CONVERSATION_AUDIENCE); the broker may
// leave it, and then loses it like anyone taken out of a conversation (their live streams of it end
// at once: publishIntroductionConversationLeft after commit).

/** Makes an INTRODUCTION conversation of exactly these three members; returns its id. */
export async function createIntroductionConversation(
  tx: DbClient,
  three: { requesterId: string; brokerId: string; targetId: string; createdById: string | null },
): Promise<string> {
  const created = await tx.conversation.create({
    data: {
      kind: 'INTRODUCTION',
      createdById: three.createdById,
      participants: {
        createMany: {
          data: [{ userId: three.brokerId }, { userId: three.requesterId }, { userId: three.targetId }],
        },
      },
    },
    select: { id: true },
  });
  return created.id;
}

/**
 * Takes the member out of an INTRODUCTION conversation (the caller decided they may leave). True
 * when they were in it. Their messages stay, as in any conversation someone left.
 */
export async function leaveIntroductionConversation(
  tx: DbClient,
  conversationId: string,
  userId: string,
): Promise<boolean> {
  const { count } = await tx.conversationParticipant.deleteMany({
    where: { conversationId, userId, conversation: { kind: 'INTRODUCTION' } },
  });
  return count > 0;
}

/** After the leaving commits: the member's live streams of the conversation re-check their access. */
export function publishIntroductionConversationLeft(
  ctx: Pick<Context, 'pubsub'>,
  left: { conversationId: string; userId: string },
): void {
  publishAccessChange(ctx, left);
}
