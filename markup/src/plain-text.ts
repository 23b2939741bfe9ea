import type { Nodes } from 'mdast';
import { parseMessage } from './parse.js';

function textOf(node: Nodes): string {
  switch (node.type) {
    case 'text':
    case 'inlineCode':
    case 'code':
      return node.value;
    case 'mention':
      return `@${node.value}`;
    case 'break':
      return ' ';
    case 'list':
      return node.children.map(textOf).join(', ');
    case 'root':
      return node.children.map(textOf).join(' ');
    default:
      return 'children' in node ? node.children.map(textOf).join('') : '';
  }
}

/**
 * A message as it reads, without markup: mentions as "@Name", links as their text, list items joined
 * by commas, one line. For search results, previews, titles and announcements.
 */
export function plainText(source: string): string {
  return textOf(parseMessage(source)).replace(/\s+/g, ' ').trim();
}
