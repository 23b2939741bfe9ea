import { z } from 'zod';
import { builder } from '../../schema/builder.js';
import { mentionCandidatesWhere } from './chat.policy.js';
import { ConversationRef } from './conversation.type.js';
import { ChatAuthorRef } from './message.type.js';

// The mention autocomplete's people: whoever may see the conversation, matched by name, less anyone
// a block keeps apart from the viewer (the rule is chat.policy's mentionCandidatesWhere).

const MAX_CANDIDATES = 20;

builder.prismaObjectFields(ConversationRef, (t) => ({
  mentionCandidates: t.field({
    type: [ChatAuthorRef],
    description: `Who you may mention here whose name contains \`search\` (words as typed), by name; at most ${MAX_CANDIDATES}.`,
    args: { search: t.arg.string({ required: false, validate: z.string().max(100).nullish() }) },
    select: { id: true, kind: true, groupId: true },
    resolve: async (conversation, { search }, ctx) => {
      if (!ctx.viewer) return [];
      const words = (search ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 5);
      return ctx.db.user.findMany({
        where: {
          AND: [
            mentionCandidatesWhere(conversation, ctx.viewer.id),
            ...words.map((word) => ({ name: { contains: word, mode: 'insensitive' as const } })),
          ],
        },
        select: { id: true, name: true },
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
        take: MAX_CANDIDATES,
      });
    },
  }),
}));
