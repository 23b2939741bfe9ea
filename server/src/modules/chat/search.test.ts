import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.js';
import {
  MAX_QUERY_LENGTH,
  decodeCursor,
  encodeCursor,
  parseQuery,
  searchStatement,
  snippetSegments,
  tsquerySql,
} from './search.js';

// The parts of message search that need no database: reading the user's text, the cursor and
// the snippet. What the statement finds is tested against a real database in
// tests/api/chat-search.test.ts.

const viewer = '01900000-0000-7000-8000-000000000001';

function validationPath(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.fieldErrors[0]?.path;
    throw error;
  }
  return undefined;
}

describe('reading the search text', () => {
  it('refuses an empty or whitespace-only search', () => {
    expect(validationPath(() => parseQuery(''))).toBe('query');
    expect(validationPath(() => parseQuery('  \t\n '))).toBe('query');
    // Control characters are not text either.
    expect(validationPath(() => parseQuery('\u0000\u0002'))).toBe('query');
  });

  it('refuses a search longer than the limit instead of cutting it', () => {
    expect(validationPath(() => parseQuery('a'.repeat(MAX_QUERY_LENGTH + 1)))).toBe('query');
    expect(() => parseQuery('a'.repeat(MAX_QUERY_LENGTH))).not.toThrow();
  });

  it('matches the last bare word as a prefix while the member is still typing it', () => {
    expect(parseQuery('deploy kube')).toMatchObject({ prefix: 'kube' });
    expect(parseQuery('deploy kube').text).toMatch(/^deploy \S+$/);
    expect(parseQuery('déploiement')).toMatchObject({ prefix: 'déploiement' });
  });

  it('treats any kind of space as a word break', () => {
    expect(parseQuery('deploy\u3000kube')).toEqual(parseQuery('deploy kube'));
    expect(parseQuery('deploy\u00a0 kube\u3000').text).toBe('deploy kube');
  });

  it('matches words whole when the last one is finished, excluded, quoted, an operator or too short', () => {
    for (const text of [
      'deploy kube ',
      'deploy -kube',
      '"rolled bac',
      '"rolled back"',
      'deploy or',
      'go',
      'v1.2',
      'a.example',
    ]) {
      const parsed = parseQuery(text);
      expect(parsed.prefix, text).toBeNull();
      expect(parsed.text, text).toBe(text.trim());
    }
  });

  it('never sends a NUL or other control character to the database', () => {
    const parsed = parseQuery('dep\u0000loy\u0002');
    expect(parsed.text + (parsed.prefix ?? '')).not.toMatch(/[\u0000-\u001f]/);
  });

  it('passes the user’s text only as bound values, never as SQL', () => {
    const sql = tsquerySql(parseQuery(`x'); DROP TABLE "Message"; -- kube`));
    expect(sql.sql).not.toContain('DROP');
    expect(sql.values.some((value) => typeof value === 'string' && value.includes('DROP TABLE'))).toBe(true);
    const statement = searchStatement(viewer, {
      parsed: parseQuery('kube'),
      conversationId: null,
      first: 20,
      after: null,
    });
    expect(statement.sql).not.toContain(viewer);
    expect(statement.values).toContain(viewer);
  });
});

describe('search cursors', () => {
  it('round-trips a position and refuses anything else', () => {
    const createdAt = new Date('2026-11-26T10:11:12.345Z');
    const id = '01900000-0000-7000-8000-0000000000aa';
    expect(decodeCursor(encodeCursor(createdAt, id))).toEqual({ createdAt, id });
    for (const bad of [
      '',
      'nonsense',
      Buffer.from('12:not-a-uuid').toString('base64url'),
      Buffer.from(`x:${id}`).toString('base64url'),
    ]) {
      expect(
        validationPath(() => decodeCursor(bad)),
        bad,
      ).toBe('after');
    }
  });
});

describe('snippet segments', () => {
  it('splits ts_headline output at its markers', () => {
    expect(snippetSegments('we \u0002deploy\u0003 at \u0002noon\u0003 today')).toEqual([
      { text: 'we ', highlighted: false },
      { text: 'deploy', highlighted: true },
      { text: ' at ', highlighted: false },
      { text: 'noon', highlighted: true },
      { text: ' today', highlighted: false },
    ]);
  });

  it('drops empty pieces and joins neighbours of the same kind', () => {
    expect(snippetSegments('\u0002a\u0003\u0002b\u0003 c')).toEqual([
      { text: 'ab', highlighted: true },
      { text: ' c', highlighted: false },
    ]);
    expect(snippetSegments('')).toEqual([]);
    expect(snippetSegments('plain <b>text</b>')).toEqual([{ text: 'plain <b>text</b>', highlighted: false }]);
  });
});
