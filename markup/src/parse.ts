import type { Nodes, Parent, PhrasingContent, Root, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import { gfmAutolinkLiteral } from 'micromark-extension-gfm-autolink-literal';
import type { Extension } from 'micromark-util-types';
import { boundedEmphasis, nestsListsTooDeep } from './limits.js';
import { mentionFromMarkdown } from './mention-mdast.js';
import { mentionSyntax } from './mention-syntax.js';
import { safeHref } from './safe-href.js';

// One parser for chat messages, on the server (who is mentioned, the plain text search shows) and
// in the browser (what is rendered): CommonMark by micromark, GFM's bare links, and the mention
// construct. Constructs chat never rendered stay off, so they read as the characters typed: raw
// HTML (`<img onerror=…>` is text), headings (`# 3 is done`), thematic breaks, block quotes,
// indented code (pasted indentation), images (no remote loads) and link reference definitions.
const chatSubset: Extension = {
  disable: {
    null: [
      'htmlFlow',
      'htmlText',
      'headingAtx',
      'setextUnderline',
      'thematicBreak',
      'blockQuote',
      'codeIndented',
      'labelStartImage',
      'definition',
    ],
  },
};

const micromarkExtensions = [chatSubset, boundedEmphasis(), gfmAutolinkLiteral(), mentionSyntax()];
const withoutLists = [...micromarkExtensions, { disable: { null: ['list'] } }];
const mdastExtensions = [gfmAutolinkLiteralFromMarkdown(), mentionFromMarkdown()];

function isParent(node: Nodes): node is Extract<Nodes, Parent> {
  return 'children' in node;
}

// The tree is made final here, once for both sides: a link whose address is not http, https or
// mailto reads exactly as written; a mention inside a link's text is just its "@Name" (one
// element cannot be both, and what is not shown as a mention does not notify).
function settle(node: Nodes, source: string, inLink: boolean): void {
  if (!isParent(node)) return;
  const children = node.children as RootContent[];
  for (let index = 0; index < children.length; index += 1) {
    const child = children[index]!;
    if (child.type === 'mention' && inLink) {
      children[index] = { type: 'text', value: `@${child.value}`, position: child.position };
    } else if (child.type === 'link') {
      const href = safeHref(child.url);
      const start = child.position?.start.offset;
      const end = child.position?.end.offset;
      if (href) {
        child.url = href;
        settle(child, source, true);
      } else if (start !== undefined && end !== undefined) {
        children[index] = { type: 'text', value: source.slice(start, end), position: child.position };
      } else {
        settle(child, source, true);
      }
    } else {
      settle(child, source, inLink);
    }
  }
  // Neighbouring text nodes (from the two replacements) read as one.
  for (let index = children.length - 1; index > 0; index -= 1) {
    const left = children[index - 1]!;
    const right = children[index]!;
    if (left.type === 'text' && right.type === 'text') {
      left.value += right.value;
      if (left.position && right.position) left.position = { start: left.position.start, end: right.position.end };
      children.splice(index, 1);
    }
  }
}

/** A chat message as an mdast tree (CommonMark subset, bare links, mentions), safe links only. */
export function parseMessage(source: string): Root {
  const extensions = nestsListsTooDeep(source) ? withoutLists : micromarkExtensions;
  const tree = fromMarkdown(source, { extensions, mdastExtensions });
  settle(tree, source, false);
  return tree;
}

export type { PhrasingContent, Root, RootContent };
