import { createRequire } from 'node:module';
import fc from 'fast-check';
import { parseMessage } from '@guildhall/markup';
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../server/src/lib/global-id.js';
import { mentionedUserIds } from '../../server/src/modules/chat/chat.inputs.js';

// The server notifies whom a message mentions; the web shows mentions as links to people. Both read
// the body with @guildhall/markup, so they cannot disagree: who is notified is exactly who is shown
// as mentioned, whatever code spans, code blocks, links and escapes surround the mention.

const webRequire = createRequire(new URL('../../web/package.json', import.meta.url));
const { createElement } = webRequire('react') as {
  createElement(type: string, props: Record<string, unknown>, ...children: unknown[]): unknown;
};
const { renderToStaticMarkup } = webRequire('react-dom/server') as { renderToStaticMarkup(node: unknown): string };
const viewPath = '../../web/src/features/chat/markdown-view.tsx';
const mentionsPath = '../../web/src/features/chat/mentions.ts';
const { renderMarkdown } = (await import(viewPath)) as {
  renderMarkdown(tree: Root, options: { mention(personId: string, name: string, key: string): unknown }): unknown[];
};
const { mentionedIds } = (await import(mentionsPath)) as { mentionedIds(body: string): string[] };

const ada = '01900000-0000-7000-8000-00000000000a';
const ben = '01900000-0000-7000-8000-00000000000b';
const adaId = encodeGlobalId('Person', ada);
const benId = encodeGlobalId('Person', ben);
const userIdOf = new Map([
  [adaId, ada],
  [benId, ben],
]);

/** The person ids the web renders as mention elements, in order. */
function renderedMentions(body: string): string[] {
  const html = renderToStaticMarkup(
    renderMarkdown(parseMessage(body), {
      mention: (personId, name, key) => createElement('span', { key, 'data-person': personId }, `@${name}`),
    }),
  );
  return [...html.matchAll(/data-person="([^"]*)"/g)].map((match) => match[1]!);
}

/** Server (notified user ids) and web (rendered, and read by the editor) on one body. */
function bothSides(body: string) {
  const rendered = [...new Set(renderedMentions(body))];
  return {
    server: mentionedUserIds(body),
    rendered: rendered.map((id) => userIdOf.get(id)),
    web: mentionedIds(body).map((id) => userIdOf.get(id)),
  };
}

const mentionAda = `@[Ada](${adaId})`;

describe('server and web read mentions alike', () => {
  const cases: [string, string, string[]][] = [
    ['plain', `hi ${mentionAda}`, [ada]],
    ['in emphasis and a list', `- **${mentionAda}** and _@[Ben](${benId})_`, [ada, ben]],
    ['in a code span', `\`${mentionAda}\``, []],
    ['in a double-backtick code span', `\`\` x ${mentionAda} \`\``, []],
    ['in a fenced code block', `\`\`\`\n${mentionAda}\n\`\`\``, []],
    ['in an unclosed fence', `\`\`\`js\n${mentionAda}`, []],
    ['in a link text', `[ask ${mentionAda}](https://x.dev)`, []],
    ['escaped', `\\${mentionAda}`, []],
    ['with an escaped bracket', `@\\[Ada](${adaId})`, []],
    ['next to a code span', `\`code\` ${mentionAda}`, [ada]],
    ['after an unclosed backtick', `\` ${mentionAda}`, [ada]],
    ['in raw HTML (text)', `<b>${mentionAda}</b>`, [ada]],
    ['twice', `${mentionAda} ${mentionAda}`, [ada]],
  ];
  for (const [what, body, expected] of cases) {
    it(`agrees on a mention ${what}`, () => {
      expect(bothSides(body)).toEqual({ server: expected, rendered: expected, web: expected });
    });
  }

  it('agrees on any mix of mentions, code, fences, links, escapes and emphasis', () => {
    const piece = fc.constantFrom(
      mentionAda,
      `@[Ben](${benId})`,
      '`',
      '``',
      '\n```\n',
      '\n',
      '\n\n',
      '\\',
      '[',
      '](https://x.dev)',
      '*',
      '_',
      '- ',
      'word ',
      ' ',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const { server, rendered, web } = bothSides(pieces.join(''));
        expect(rendered).toEqual(server);
        expect(web).toEqual(server);
      }),
      { numRuns: 300 },
    );
  });
});
