// Mentions travel in the message body as @[Display Name](<Person global id>): the server reads the ids
// from it to notify people, and the Markdown renderer shows the name as a link to the person.
// The composer shows the friendlier "@Display Name" while typing and converts on send, for the names the
// member picked from the suggestions (so typing "@Ada" by hand mentions nobody by accident).

import { MAX_MENTION_NAME, mentionedPersonIds, mentionSpans } from '@guildhall/markup';

export interface MentionCandidate {
  id: string;
  name: string;
  initials: string;
}

/** A name as it can sit between the brackets: no brackets, no line breaks, at most 100 characters. */
export function mentionName(name: string): string {
  return (
    name
      .replace(/[[\]\n\r]/g, '')
      .trim()
      .slice(0, MAX_MENTION_NAME) || 'someone'
  );
}

export function formatMention(name: string, personId: string): string {
  return `@[${mentionName(name)}](${personId})`;
}

/** A stored body as composer text ("@Name"), with the ids of the names it mentions (for editing). */
export function toEditorText(body: string): { text: string; mentions: Map<string, string> } {
  const mentions = new Map<string, string>();
  let text = '';
  let from = 0;
  // Only real mentions, as the parser reads them: one written in code stays as typed.
  for (const span of mentionSpans(body)) {
    mentions.set(span.name, span.personId);
    text += `${body.slice(from, span.start)}@${span.name}`;
    from = span.end;
  }
  return { text: text + body.slice(from), mentions };
}

/** The person ids a body mentions (what the server notifies, read by the same parser). */
export function mentionedIds(body: string): string[] {
  return mentionedPersonIds(body);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Composer text back to a body: every "@Name" the member picked becomes @[Name](id). */
export function toMessageBody(text: string, mentions: ReadonlyMap<string, string>): string {
  if (mentions.size === 0) return text;
  // Longest names first, so "@Ada Okafor" wins over "@Ada" when both were picked.
  const names = [...mentions.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`(^|[^\\p{L}\\p{N}_@\\]])@(${names.join('|')})(?![\\p{L}\\p{N}_])`, 'gu');
  return text.replace(
    pattern,
    (_match, before: string, name: string) => `${before}${formatMention(name, mentions.get(name)!)}`,
  );
}

/** The "@query" being typed just before the caret, if any. */
export function activeMentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at === -1) return null;
  if (at > 0 && !/[\s([{]/.test(before[at - 1]!)) return null;
  const query = before.slice(at + 1);
  // Names have spaces ("Ada Ok…"), but a query that runs on for a while is just text.
  if (query.length > 40 || /[\n@[\]]/.test(query) || (query.match(/ /g)?.length ?? 0) > 2 || query.startsWith(' '))
    return null;
  return { start: at, query };
}

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Candidates whose name words start with every word of the query, best first, at most `limit`. */
export function matchCandidates(candidates: readonly MentionCandidate[], query: string, limit = 8): MentionCandidate[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  const matches = candidates.filter((candidate) => {
    const nameWords = fold(candidate.name).split(/\s+/);
    return words.every((word) => nameWords.some((nameWord) => nameWord.startsWith(word)));
  });
  // A name that starts with the query sorts before one that only has a later word matching.
  const first = fold(query.trim());
  matches.sort(
    (a, b) =>
      Number(!fold(a.name).startsWith(first)) - Number(!fold(b.name).startsWith(first)) || a.name.localeCompare(b.name),
  );
  return matches.slice(0, limit);
}
