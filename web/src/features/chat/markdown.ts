// The safe Markdown subset chat messages are written in, parsed into a small tree that markdown-view.tsx
// turns into React elements. Nothing here produces HTML: text stays text, so `<img onerror=…>` in a
// message is shown as those characters. Links are only made for http, https and mailto addresses.
//
// Supported: **bold**, _italic_ / *italic*, `code`, ```fenced code blocks```, [text](https://…), bare
// http(s) URLs, "- item" / "1. item" lists, line breaks, backslash escapes and mentions written as
// @[Display Name](<Person global id>) (the syntax the server parses to notify people).

export type InlineNode =
  | { type: 'text'; text: string }
  | { type: 'strong'; children: InlineNode[] }
  | { type: 'em'; children: InlineNode[] }
  | { type: 'code'; text: string }
  | { type: 'link'; href: string; children: InlineNode[] }
  | { type: 'mention'; personId: string; name: string }
  | { type: 'break' };

export type BlockNode =
  | { type: 'paragraph'; children: InlineNode[] }
  | { type: 'code-block'; language: string | null; text: string }
  | { type: 'list'; ordered: boolean; start: number; items: InlineNode[][] };

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

// Emphasis inside emphasis inside a link… deeper than this is shown as typed; it also bounds recursion.
const MAX_DEPTH = 6;

const FENCE = /^ {0,3}```\s*([\w+#.-]{0,30})\s*$/;
const FENCE_END = /^ {0,3}```\s*$/;
const BULLET = /^ {0,3}[-*+]\s+(.*)$/;
const ORDERED = /^ {0,3}(\d{1,9})[.)]\s+(.*)$/;
export const MENTION_PATTERN = /^@\[([^\]\n]{1,100})\]\(([A-Za-z0-9+/=_-]{1,200})\)/;
const BARE_URL = /^https?:\/\/[^\s<>]+/i;
const ESCAPABLE = /[\\`*_{}[\]()#+\-.!@~>|]/;

/** The address to link to, or null when it is not an absolute http, https or mailto URL. */
export function safeHref(raw: string): string | null {
  const candidate = raw.trim();
  // Control characters and spaces are never part of an address we link; browsers strip some of them
  // (e.g. "java\tscript:"), which is exactly how scheme filters are fooled.
  if (candidate === '' || /[\u0000-\u0020\u007f-\u009f]/.test(candidate)) return null;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) return null;
  return url.href;
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}_]/u.test(char);
}

function isSpace(char: string | undefined): boolean {
  return char === undefined || /\s/.test(char);
}

// Adjacent text nodes are merged so the renderer emits one string, not one per character.
function pushText(nodes: InlineNode[], text: string): void {
  if (text === '') return;
  const last = nodes.at(-1);
  if (last?.type === 'text') last.text += text;
  else nodes.push({ type: 'text', text });
}

// Index of the `]` closing the label that starts after `[` at `open`, honouring escapes; -1 if none.
function findLabelEnd(text: string, open: number): number {
  for (let index = open + 1; index < text.length; index += 1) {
    const char = text[index];
    if (char === '\\') index += 1;
    else if (char === '\n') return -1;
    else if (char === ']') return index;
    else if (char === '[') return -1;
  }
  return -1;
}

// Index of the `)` closing a link destination that starts after `(` at `open` (balanced parentheses, so
// Wikipedia-style addresses work); -1 if none or if it contains whitespace.
function findDestinationEnd(text: string, open: number): number {
  let depth = 0;
  for (let index = open + 1; index < text.length; index += 1) {
    const char = text[index]!;
    if (/\s/.test(char)) return -1;
    if (char === '(') depth += 1;
    else if (char === ')') {
      if (depth === 0) return index;
      depth -= 1;
    }
  }
  return -1;
}

// A bare URL ends before trailing punctuation ("see https://x.dev." links https://x.dev) and before an
// unbalanced ")" ("(https://x.dev)" links https://x.dev).
function trimBareUrl(url: string): string {
  let end = url.length;
  for (;;) {
    const char = url[end - 1];
    if (char && '.,;:!?\'"*_'.includes(char)) {
      end -= 1;
      continue;
    }
    if (char === ')') {
      const body = url.slice(0, end);
      const opens = body.split('(').length - 1;
      const closes = body.split(')').length - 1;
      if (closes > opens) {
        end -= 1;
        continue;
      }
    }
    return url.slice(0, end);
  }
}

// Where emphasis opened at `start` with `marker` closes; -1 if it does not.
function findEmphasisEnd(text: string, start: number, marker: '*' | '_'): number {
  for (let index = start; index < text.length; index += 1) {
    const char = text[index];
    if (char === '\\') {
      index += 1;
      continue;
    }
    if (char === '`') {
      // Emphasis does not close inside a code span.
      const close = text.indexOf('`', index + 1);
      if (close !== -1) index = close;
      continue;
    }
    if (char !== marker || index === start) continue;
    if (isSpace(text[index - 1])) continue;
    if (marker === '*' && text[index + 1] === '*') {
      // "**" belongs to bold, unless it is the close of both ("***x***" style is not supported).
      index += 1;
      continue;
    }
    if (marker === '_' && isWordChar(text[index + 1])) continue;
    return index;
  }
  return -1;
}

function findStrongEnd(text: string, start: number): number {
  for (let index = start; index < text.length - 1; index += 1) {
    const char = text[index];
    if (char === '\\') {
      index += 1;
      continue;
    }
    if (char === '`') {
      const close = text.indexOf('`', index + 1);
      if (close !== -1) index = close;
      continue;
    }
    if (char === '*' && text[index + 1] === '*' && index > start && !isSpace(text[index - 1])) return index;
  }
  return -1;
}

export function parseInline(text: string, depth = 0, allowLinks = true): InlineNode[] {
  const nodes: InlineNode[] = [];
  if (depth > MAX_DEPTH) {
    pushText(nodes, text);
    return nodes;
  }
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    const rest = text.slice(index);

    if (char === '\\' && index + 1 < text.length && ESCAPABLE.test(text[index + 1]!)) {
      pushText(nodes, text[index + 1]!);
      index += 2;
      continue;
    }

    if (char === '\n') {
      nodes.push({ type: 'break' });
      index += 1;
      continue;
    }

    if (char === '`') {
      let run = 1;
      while (text[index + run] === '`') run += 1;
      const fence = '`'.repeat(run);
      const close = text.indexOf(fence, index + run);
      if (close !== -1 && text[close + run] !== '`') {
        let code = text.slice(index + run, close);
        if (code.length > 1 && code.startsWith(' ') && code.endsWith(' ')) code = code.slice(1, -1);
        nodes.push({ type: 'code', text: code });
        index = close + run;
      } else {
        pushText(nodes, fence);
        index += run;
      }
      continue;
    }

    if (char === '@' && text[index + 1] === '[') {
      const match = MENTION_PATTERN.exec(rest);
      if (match) {
        nodes.push({ type: 'mention', name: match[1]!, personId: match[2]! });
        index += match[0].length;
        continue;
      }
    }

    if (char === '[' && allowLinks) {
      const labelEnd = findLabelEnd(text, index);
      if (labelEnd > index + 1 && text[labelEnd + 1] === '(') {
        const destinationEnd = findDestinationEnd(text, labelEnd + 1);
        if (destinationEnd !== -1) {
          const href = safeHref(text.slice(labelEnd + 2, destinationEnd));
          if (href) {
            nodes.push({
              type: 'link',
              href,
              children: parseInline(text.slice(index + 1, labelEnd), depth + 1, false),
            });
          } else {
            // Not a scheme we link (javascript:, data:, relative…): show exactly what was written.
            pushText(nodes, text.slice(index, destinationEnd + 1));
          }
          index = destinationEnd + 1;
          continue;
        }
      }
    }

    if (char === '*' && text[index + 1] === '*' && !isSpace(text[index + 2])) {
      const close = findStrongEnd(text, index + 2);
      if (close !== -1) {
        nodes.push({ type: 'strong', children: parseInline(text.slice(index + 2, close), depth + 1, allowLinks) });
        index = close + 2;
        continue;
      }
    }

    if ((char === '*' || char === '_') && !isSpace(text[index + 1]) && text[index + 1] !== char) {
      // snake_case_words are not emphasis: "_" opens only at the start of a word.
      const opens = char === '*' || !isWordChar(text[index - 1]);
      const close = opens ? findEmphasisEnd(text, index + 1, char) : -1;
      if (close !== -1) {
        nodes.push({ type: 'em', children: parseInline(text.slice(index + 1, close), depth + 1, allowLinks) });
        index = close + 1;
        continue;
      }
    }

    if ((char === 'h' || char === 'H') && allowLinks && !isWordChar(text[index - 1])) {
      const match = BARE_URL.exec(rest);
      if (match) {
        const url = trimBareUrl(match[0]);
        const href = safeHref(url);
        if (href && url.length > 'https://'.length) {
          nodes.push({ type: 'link', href, children: [{ type: 'text', text: url }] });
          index += url.length;
          continue;
        }
      }
    }

    pushText(nodes, char);
    index += 1;
  }
  return nodes;
}

function isBlockStart(line: string): boolean {
  return FENCE.test(line) || BULLET.test(line) || ORDERED.test(line);
}

export function parseMarkdown(source: string): BlockNode[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: BlockNode[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index]!;

    const fence = FENCE.exec(line);
    if (fence) {
      const body: string[] = [];
      index += 1;
      // An unclosed fence runs to the end of the message, as people expect while pasting.
      while (index < lines.length && !FENCE_END.test(lines[index]!)) {
        body.push(lines[index]!);
        index += 1;
      }
      index += 1;
      blocks.push({ type: 'code-block', language: fence[1] || null, text: body.join('\n') });
      continue;
    }

    if (line.trim() === '') {
      index += 1;
      continue;
    }

    const bullet = BULLET.exec(line);
    const ordered = bullet ? null : ORDERED.exec(line);
    if (bullet || ordered) {
      const pattern = bullet ? BULLET : ORDERED;
      const items: InlineNode[][] = [];
      const start = ordered ? Number(ordered[1]) : 1;
      while (index < lines.length) {
        const match = pattern.exec(lines[index]!);
        if (!match) break;
        items.push(parseInline((bullet ? match[1] : match[2]) ?? ''));
        index += 1;
      }
      blocks.push({ type: 'list', ordered: Boolean(ordered), start, items });
      continue;
    }

    const paragraph: string[] = [line];
    index += 1;
    while (index < lines.length && lines[index]!.trim() !== '' && !isBlockStart(lines[index]!)) {
      paragraph.push(lines[index]!);
      index += 1;
    }
    blocks.push({ type: 'paragraph', children: parseInline(paragraph.join('\n')) });
  }
  return blocks;
}

/** The `default` of a switch over every node type: the compiler proves it is never reached. */
export function unreachable(node: never): never {
  throw new Error(`Unknown markdown node: ${JSON.stringify(node)}`);
}

/** The message as plain text (mentions as "@Name", no markup), for previews, titles and announcements. */
export function plainText(source: string): string {
  const inline = (nodes: InlineNode[]): string =>
    nodes
      .map((node) => {
        switch (node.type) {
          case 'text':
            return node.text;
          case 'code':
            return node.text;
          case 'break':
            return ' ';
          case 'mention':
            return `@${node.name}`;
          case 'strong':
          case 'em':
          case 'link':
            return inline(node.children);
          default:
            return unreachable(node);
        }
      })
      .join('');
  return parseMarkdown(source)
    .map((block) => {
      switch (block.type) {
        case 'paragraph':
          return inline(block.children);
        case 'code-block':
          return block.text;
        case 'list':
          return block.items.map(inline).join(', ');
        default:
          return unreachable(block);
      }
    })
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}
