export type { Mention } from './mention-mdast.js';
export { MAX_MENTION_ID, MAX_MENTION_NAME, mentionSyntax } from './mention-syntax.js';
export { mentionFromMarkdown } from './mention-mdast.js';
export { type MentionSpan, mentionNodes, mentionedPersonIds, mentionSpans } from './mentions.js';
export { parseMessage } from './parse.js';
export { plainText } from './plain-text.js';
export { safeHref } from './safe-href.js';
