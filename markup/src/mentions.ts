import type { Nodes } from 'mdast';
import type { Mention } from './mention-mdast.js';
import { parseMessage } from './parse.js';

function collect(node: Nodes, found: Mention[]): void {
  if (node.type === 'mention') found.push(node);
  else if ('children' in node) for (const child of node.children) collect(child, found);
}

/** Every mention of a parsed message, in reading order. */
export function mentionNodes(tree: Nodes): Mention[] {
  const found: Mention[] = [];
  collect(tree, found);
  return found;
}

/** The Person global ids a message mentions (distinct, in order of first mention): who is notified. */
export function mentionedPersonIds(source: string): string[] {
  return [...new Set(mentionNodes(parseMessage(source)).map((mention) => mention.personId))];
}

export interface MentionSpan {
  /** Where the mention's source text starts and ends (UTF-16 offsets into the message). */
  start: number;
  end: number;
  name: string;
  personId: string;
}

/** Where each mention is written in the source, e.g. to show it as "@Name" in an editor. */
export function mentionSpans(source: string): MentionSpan[] {
  return mentionNodes(parseMessage(source)).flatMap((mention) => {
    const start = mention.position?.start.offset;
    const end = mention.position?.end.offset;
    return start === undefined || end === undefined
      ? []
      : [{ start, end, name: mention.value, personId: mention.personId }];
  });
}
