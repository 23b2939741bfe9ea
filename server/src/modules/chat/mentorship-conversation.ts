import type { DbClient } from '../../db.js';

// Chat owns conversations: the mentorship module asks for the pair's MENTORSHIP conversation here,
// inside the transaction that starts the mentorship, so a rolled-back acceptance leaves none behind.
// Its audience is its two participants (chat.policy CONVERSATION_AUDIENCE); a block between them
// closes it to new words like a direct conversation (CLOSED_BY_BLOCK), and it stays readable after
// the mentorship ends.

/** Makes a MENTORSHIP conversation of exactly these two members; returns its id. */
export async function createMentorshipConversation(
  tx: DbClient,
  pair: { mentorId: string; menteeId: string; createdById: string | null },
): Promise<string> {
  const created = await tx.conversation.create({
    data: {
      kind: 'MENTORSHIP',
      createdById: pair.createdById,
      participants: { createMany: { data: [{ userId: pair.mentorId }, { userId: pair.menteeId }] } },
    },
    select: { id: true },
  });
  return created.id;
}
