import { z } from 'zod';

// Cards: a message with structured content that the chat renders as a card. Chat owns the shape
// and knows nothing of who posts them (mentorship posts goal progress and achievements). A card
// is stored as Message.card (JSON) beside a plain-text body made from its words, so search, unread
// counts and notifications treat it like any other message.

export const CARD_TONES = ['NEUTRAL', 'PROGRESS', 'SUCCESS', 'WARNING'] as const;
export type CardTone = (typeof CARD_TONES)[number];

const text = (max: number) => z.string().trim().min(1).max(max);

// Room for the longest words the posting modules' own inputs allow (mentorship: a 1000-character
// outcome or note as a line; a 100-character name and a 120-character goal title in a title), so a
// valid input never fails here as an unexpected error.
const MAX_CARD_TITLE = 300;
const MAX_CARD_LINE = 1000;

export const messageCardSchema = z.object({
  title: text(MAX_CARD_TITLE),
  lines: z.array(text(MAX_CARD_LINE)).max(10),
  progress: z
    .object({
      value: z.number(),
      target: z.number(),
      unit: z.string().trim().max(40),
    })
    .nullable()
    .default(null),
  /** A relative path in the web app (never an absolute URL: cards link inside Guildhall only). */
  href: z
    .string()
    .regex(/^\/(?!\/)[^\s]*$/, 'a relative path starting with one /')
    .max(500)
    .nullable()
    .default(null),
  tone: z.enum(CARD_TONES).default('NEUTRAL'),
});

export type MessageCard = z.output<typeof messageCardSchema>;
export type MessageCardInput = z.input<typeof messageCardSchema>;

/** The card's words as plain text: what search indexes and a client without cards shows. */
export function cardBody(card: MessageCard): string {
  const progress = card.progress
    ? [`${card.progress.value} / ${card.progress.target}${card.progress.unit ? ` ${card.progress.unit}` : ''}`]
    : [];
  return [card.title, ...card.lines, ...progress].join('\n');
}

/** A stored card read back; a row that no longer fits the shape (an older version) shows as none. */
export function storedCard(value: unknown): MessageCard | null {
  if (value === null || value === undefined) return null;
  const parsed = messageCardSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
