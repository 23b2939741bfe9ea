import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseMessage, plainText, safeHref } from '@guildhall/markup';
import type { Root } from 'mdast';

// The web code is typed by web's own tsconfig (JSX, bundler imports), so the modules that need it are
// loaded by path at run time with just the shape this test uses. React comes from the web package too:
// rendering to static markup shows exactly what would reach the DOM.
const webRequire = createRequire(new URL('../../web/package.json', import.meta.url));
const { createElement } = webRequire('react') as {
  createElement(type: string, props: Record<string, unknown>, ...children: unknown[]): unknown;
};
const { renderToStaticMarkup } = webRequire('react-dom/server') as { renderToStaticMarkup(node: unknown): string };

interface MarkdownView {
  renderMarkdown(tree: Root, options: { mention(personId: string, name: string, key: string): unknown }): unknown[];
}
interface Candidate {
  id: string;
  name: string;
  initials: string;
}
interface Mentions {
  toMessageBody(text: string, mentions: ReadonlyMap<string, string>): string;
  toEditorText(body: string): { text: string; mentions: Map<string, string> };
  mentionedIds(body: string): string[];
  formatMention(name: string, personId: string): string;
  activeMentionQuery(text: string, caret: number): { start: number; query: string } | null;
  matchCandidates(candidates: readonly Candidate[], query: string, limit?: number): Candidate[];
}
const viewPath = '../../web/src/features/chat/markdown-view.tsx';
const mentionsPath = '../../web/src/features/chat/mentions.ts';
const { renderMarkdown } = (await import(viewPath)) as MarkdownView;
const { activeMentionQuery, formatMention, matchCandidates, mentionedIds, toEditorText, toMessageBody } = (await import(
  mentionsPath
)) as Mentions;

function html(source: string): string {
  return renderToStaticMarkup(
    renderMarkdown(parseMessage(source), {
      mention: (personId, name, key) =>
        createElement('span', { key, 'data-person': personId, className: 'mention' }, `@${name}`),
    }),
  );
}

describe('the chat Markdown renderer', () => {
  it('renders the supported subset', () => {
    expect(html('**bold** and _italic_ and *also italic* and `code`')).toBe(
      '<p><strong>bold</strong> and <em>italic</em> and <em>also italic</em> and <code>code</code></p>',
    );
    expect(html('```ts\nconst a = 1 < 2;\n```')).toBe(
      '<pre class="md-code-block" data-language="ts"><code>const a = 1 &lt; 2;</code></pre>',
    );
    expect(html('- one\n- two')).toBe('<ul><li>one</li><li>two</li></ul>');
    expect(html('3. three\n4. four')).toBe('<ol start="3"><li>three</li><li>four</li></ol>');
    expect(html('line one\nline two')).toBe('<p>line one<br/>line two</p>');
    expect(html('first\n\nsecond')).toBe('<p>first</p><p>second</p>');
  });

  it('makes links only for http, https and mailto, opening in a new tab without an opener or referrer', () => {
    expect(html('[docs](https://example.com/a?b=1)')).toBe(
      '<p><a href="https://example.com/a?b=1" target="_blank" rel="noopener noreferrer nofollow">docs</a></p>',
    );
    expect(html('mail [me](mailto:ada@example.com)')).toContain('href="mailto:ada@example.com"');
    expect(html('see https://example.com/x.')).toBe(
      '<p>see <a href="https://example.com/x" target="_blank" rel="noopener noreferrer nofollow">https://example.com/x</a>.</p>',
    );
    expect(html('(https://en.wikipedia.org/wiki/Rust_(programming_language))')).toContain(
      'href="https://en.wikipedia.org/wiki/Rust_(programming_language)"',
    );
  });

  it('never turns message text into HTML or script (XSS)', () => {
    const attacks = [
      '<img src=x onerror=alert(1)>',
      '<script>alert(1)</script>',
      '[x](javascript:alert(1))',
      '[x](JaVaScRiPt:alert(1))',
      '[x](java\tscript:alert(1))',
      '[x]( javascript:alert(1))',
      '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '[x](vbscript:msgbox(1))',
      '[x](/relative/path)',
      'javascript:alert(1)',
      '[x](https://example.com"onmouseover="alert(1))',
      '@[<b>Eve</b>](x" onclick="alert(1))',
      '**<svg onload=alert(1)>**',
      '`<iframe src=javascript:alert(1)>`',
      '[x](java&#115;cript:alert(1))',
      '[x](&#106;avascript:alert(1))',
      '<javascript:alert(1)>',
      '[x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
      '![x](https://example.com/x.png)',
      '![x](data:image/png;base64,AAAA)',
      '<div onclick="alert(1)">\n\n*hi*\n\n</div>',
      '<a href="javascript:alert(1)">x</a>',
      '[x]\n\n[x]: javascript:alert(1)',
      '[x][y]\n\n[y]: data:text/html,<script>alert(1)</script>',
      '@[Eve](x"><script>alert(1)</script>)',
      '[@[Eve](RXZl)](javascript:alert(1))',
    ];
    for (const attack of attacks) {
      const output = html(attack);
      // Real tags only (text "<" arrives escaped as &lt;): just the subset's, with no handler attributes.
      const tags = output.match(/<[a-z][^>]*>/gi) ?? [];
      for (const tag of tags) {
        expect(tag, attack).toMatch(/^<(p|strong|em|code|pre|ul|ol|li|br|a|span)[\s/>]/);
        expect(tag, attack).not.toMatch(/\son\w+=/i);
      }
      expect(output, attack).not.toMatch(/href="(?!https?:|mailto:)/i);
    }
    expect(html('<img src=x onerror=alert(1)>')).toBe('<p>&lt;img src=x onerror=alert(1)&gt;</p>');
    // A link with a refused scheme is shown exactly as written.
    expect(html('[x](javascript:alert(1))')).toBe('<p>[x](javascript:alert(1))</p>');
    expect(html('[x](java&#115;cript:alert(1))')).toBe('<p>[x](java&amp;#115;cript:alert(1))</p>');
    // HTML blocks and inline HTML are not parsed: they read as the characters typed.
    expect(html('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(html('<div onclick="alert(1)">\n\n*hi*\n\n</div>')).toBe(
      '<p>&lt;div onclick=&quot;alert(1)&quot;&gt;</p><p><em>hi</em></p><p>&lt;/div&gt;</p>',
    );
    // No images (nothing loads from elsewhere), no data: links.
    expect(html('![x](https://example.com/x.png)')).toBe(
      '<p>!<a href="https://example.com/x.png" target="_blank" rel="noopener noreferrer nofollow">x</a></p>',
    );
    expect(html('[x](data:text/html;base64,PHNjcmlwdD4=)')).toBe('<p>[x](data:text/html;base64,PHNjcmlwdD4=)</p>');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,x')).toBeNull();
    expect(safeHref('https://example.com/"><script>')).toBe('https://example.com/%22%3E%3Cscript%3E');
  });

  it('renders mentions written as @[Name](person id) through the mention renderer', () => {
    expect(html('thanks @[Ada Okafor](UGVyc29uOjE=)!')).toBe(
      '<p>thanks <span data-person="UGVyc29uOjE=" class="mention">@Ada Okafor</span>!</p>',
    );
    expect(html('**@[Ada](UGVyc29uOjE=)**')).toBe(
      '<p><strong><span data-person="UGVyc29uOjE=" class="mention">@Ada</span></strong></p>',
    );
    // Inside code it is just text.
    expect(html('`@[Ada](UGVyc29uOjE=)`')).toBe('<p><code>@[Ada](UGVyc29uOjE=)</code></p>');
    expect(html('```\n@[Ada](UGVyc29uOjE=)\n```')).toBe(
      '<pre class="md-code-block"><code>@[Ada](UGVyc29uOjE=)</code></pre>',
    );
    // In a link's text it is the name; escaped, the characters typed.
    expect(html('[ask @[Ada](UGVyc29uOjE=)](https://x.dev)')).toBe(
      '<p><a href="https://x.dev/" target="_blank" rel="noopener noreferrer nofollow">ask @Ada</a></p>',
    );
    expect(html('\\@[Ada](UGVyc29uOjE=)')).toBe('<p>@[Ada](UGVyc29uOjE=)</p>');
  });

  it('leaves snake_case words, lone asterisks and escapes alone', () => {
    expect(html('use snake_case_names here')).toBe('<p>use snake_case_names here</p>');
    expect(html('2 * 3 * 4')).toBe('<p>2 * 3 * 4</p>');
    expect(html('\\*not italic\\*')).toBe('<p>*not italic*</p>');
    expect(html('**unclosed')).toBe('<p>**unclosed</p>');
  });

  it('parses pathological input to the text typed (its time is measured by `pnpm bench markup`)', () => {
    const long = '*_`['.repeat(1_000);
    // Code spans and emphasis take their markers; every other character is still there.
    const unmarked = (text: string) => text.replace(/[`*_]/g, '');
    expect(unmarked(plainText(long))).toBe(unmarked(long));
    // Nested emphasis bombs: the first 100 runs of markers may be emphasis, the rest is text.
    const nested = `${'*a '.repeat(1_000)}b${' a*'.repeat(1_000)}`;
    const rendered = html(nested);
    expect((rendered.match(/<em>/g) ?? []).length).toBeLessThanOrEqual(50);
    expect(unmarked(rendered.replace(/<\/?(em|p)>/g, ''))).toBe(unmarked(nested));
    // Lists nested by markers on one line: parsed as text past 8, never a stack overflow.
    expect(plainText(`${'- '.repeat(2_000)}x`)).toBe(`${'- '.repeat(2_000)}x`.trim());
    expect(html(`${'1. '.repeat(3)}x`)).toBe('<ol><li><ol><li><ol><li>x</li></ol></li></ol></li></ol>');
    expect(plainText('**'.repeat(2_000))).toBe('**'.repeat(2_000));
    expect(plainText(`${'['.repeat(2_000)}x`)).toBe(`${'['.repeat(2_000)}x`);
    expect(plainText('@['.repeat(2_000))).toBe('@['.repeat(2_000));
  });

  it('gives a plain-text version for announcements and search results', () => {
    expect(plainText('**Hi** @[Ada Okafor](UGVyc29uOjE=), see [docs](https://x.dev)\n- a\n- b')).toBe(
      'Hi @Ada Okafor, see docs a, b',
    );
    expect(plainText('we _paid_ @[Ada Okafor](UGVyc29uOjE=) `@[x](eA==)`')).toBe('we paid @Ada Okafor @[x](eA==)');
  });
});

describe('mentions in the composer', () => {
  it('shows "@Name" while typing and sends @[Name](id) for the names picked', () => {
    const mentions = new Map([['Ada Okafor', 'UGVyc29uOjE=']]);
    expect(toMessageBody('hi @Ada Okafor, and @Ada Okafor again; email ada@Ada Okafor', mentions)).toBe(
      'hi @[Ada Okafor](UGVyc29uOjE=), and @[Ada Okafor](UGVyc29uOjE=) again; email ada@Ada Okafor',
    );
    expect(toMessageBody('@Ada Okaforx is someone else', mentions)).toBe('@Ada Okaforx is someone else');
    expect(toEditorText('hi @[Ada Okafor](UGVyc29uOjE=)!')).toEqual({ text: 'hi @Ada Okafor!', mentions });
    // A mention written in code is not one: the editor keeps it as typed.
    expect(toEditorText('`@[Ada Okafor](UGVyc29uOjE=)` @[Ada Okafor](UGVyc29uOjE=)').text).toBe(
      '`@[Ada Okafor](UGVyc29uOjE=)` @Ada Okafor',
    );
    expect(mentionedIds('@[A](x1) and @[B](y2)')).toEqual(['x1', 'y2']);
    expect(formatMention('Eve [admin]', 'eid')).toBe('@[Eve admin](eid)');
  });

  it('finds the "@query" before the caret and matches names by word prefixes', () => {
    expect(activeMentionQuery('hello @ad', 9)).toEqual({ start: 6, query: 'ad' });
    expect(activeMentionQuery('mail me at ada@example', 22)).toBeNull();
    expect(activeMentionQuery('@ada okafor is here now', 23)).toBeNull();
    const people = [
      { id: '1', name: 'Ada Okafor', initials: 'AO' },
      { id: '2', name: 'Adam Smith', initials: 'AS' },
      { id: '3', name: 'Zoë Adams', initials: 'ZA' },
      { id: '4', name: 'Émile Zola', initials: 'EZ' },
    ];
    expect(matchCandidates(people, 'ad').map((person) => person.name)).toEqual([
      'Ada Okafor',
      'Adam Smith',
      'Zoë Adams',
    ]);
    expect(matchCandidates(people, 'ada ok').map((person) => person.name)).toEqual(['Ada Okafor']);
    expect(matchCandidates(people, 'emile').map((person) => person.name)).toEqual(['Émile Zola']);
  });
});
