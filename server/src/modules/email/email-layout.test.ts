import { describe, expect, it } from 'vitest';
import { escapeHtml, renderEmail } from './email-layout.js';

describe('the email layout', () => {
  it('escapes every text in the HTML part and keeps the text part as written', () => {
    const email = renderEmail(
      {
        subject: 'Tom & <Jerry>\nsaid "hi"',
        greeting: 'Hello <script>alert(1)</script>,',
        paragraphs: ["It's <b>here</b>"],
        action: { label: 'Open "it"', url: 'https://guildhall.example/a?x=1&y=<2>' },
      },
      { unsubscribeUrl: 'https://guildhall.example/email/unsubscribe?u=1&s=digest' },
    );
    expect(email.subject).toBe('Tom & <Jerry> said "hi"');
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt;,');
    expect(email.html).toContain('It&#39;s &lt;b&gt;here&lt;/b&gt;');
    expect(email.html).toContain('href="https://guildhall.example/a?x=1&amp;y=%3C2%3E"');
    expect(email.html).toContain('href="https://guildhall.example/email/unsubscribe?u=1&amp;s=digest"');
    expect(email.text).toContain("It's <b>here</b>");
    expect(email.text).toContain('Open "it":\nhttps://guildhall.example/a?x=1&y=%3C2%3E');
    expect(email.text).toContain('Unsubscribe: https://guildhall.example/email/unsubscribe?u=1&s=digest');
  });

  it('refuses links that are not http(s)', () => {
    expect(() =>
      renderEmail({ subject: 's', paragraphs: [], action: { label: 'x', url: 'javascript:alert(1)' } }),
    ).toThrow(/not an http/);
  });

  it('escapes the five HTML characters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});
