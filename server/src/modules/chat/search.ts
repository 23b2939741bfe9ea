import { plainText } from '@guildhall/markup';
import type { DbClient } from '../../db.js';
import { Prisma } from '../../generated/prisma/client.js';
import { ValidationError } from '../../lib/errors.js';
import { isUuid } from '../../lib/ids.js';
import { visiblePairsSql } from './chat.policy.js';

// Full-text message search in ONE statement: the viewer's visible conversations (a small CTE),
// then one scan of the GIN index on Message.bodySearch finds the matches and a hashed lookup in the
// visible set filters them. Then only the page's rows get a headline, from the text as it reads
// (@guildhall/markup's plain text: "@Ada Okafor", not `@[Ada Okafor](UGVyc29u…)`; "paid", not
// `_paid_`), in a second statement. The same on PostgreSQL and PGlite.
//
// Order: newest first, (createdAt DESC, id DESC) — a total order, so the keyset cursor
// "<createdAt ms>:<id>" is stable while messages arrive.

export interface SnippetSegment {
  text: string;
  highlighted: boolean;
}

export interface MessageSearchHit {
  messageId: string;
  conversationId: string;
  seq: number;
  createdAt: Date;
  snippet: SnippetSegment[];
  /** This hit's position, for the edge cursor (`after` continues after it). */
  cursor: string;
}

export interface MessageSearchArgs {
  query: string;
  /** A conversation row id (already decoded); a value that is not a uuid finds nothing. */
  conversationId?: string | null;
  first: number;
  after?: string | null;
}

export interface MessageSearchPage {
  hits: MessageSearchHit[];
  hasNextPage: boolean;
  endCursor: string | null;
}

export const MAX_QUERY_LENGTH = 200;
export const MAX_PAGE_SIZE = 100;
/** The last word is matched as a prefix only from this length: "d:*" would read most of the index. */
const MIN_PREFIX_LENGTH = 3;

// ts_headline marks matches with these; they are removed from the text first, so only
// ts_headline can put them in and a message cannot forge a highlight.
const START = '\u0002';
const STOP = '\u0003';
const HEADLINE_OPTIONS = `StartSel=${START}, StopSel=${STOP}, MaxFragments=0, MaxWords=35, MinWords=15`;

// Stands in for the last word inside websearch_to_tsquery's input, so that exactly that node
// of the parsed query can be swapped for a prefix match (ts_rewrite) while quotes, "or" and
// "-" keep websearch_to_tsquery's meaning. The parser reads it as one number-word lexeme that
// no stemmer changes; a user who types it only gets their own last word twice.
const PREFIX_SENTINEL = 'qx7lastword7xq';

const WORD = /^[\p{L}\p{M}\p{N}]+$/u;

export interface ParsedQuery {
  /** Input for websearch_to_tsquery (the prefix word, if any, replaced by the sentinel). */
  text: string;
  /** The last word, to match as a prefix; letters, marks and digits only. */
  prefix: string | null;
}

/** Checks and normalises the user's text; decides whether the last word is matched as a prefix. */
export function parseQuery(raw: string): ParsedQuery {
  // NUL cannot be sent to PostgreSQL at all; no control character means anything in a search.
  // Other spaces (U+3000, U+00A0, …) become plain ones: websearch_to_tsquery need not split
  // words at them (PGlite read "a<U+3000>b" as the phrase "a b", not as two words).
  const cleaned = raw
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\s+/gu, ' ');
  const text = cleaned.trim();
  if (text.length === 0) {
    throw new ValidationError([{ path: 'query', message: 'Type something to search for.' }]);
  }
  if (text.length > MAX_QUERY_LENGTH) {
    throw new ValidationError([
      { path: 'query', message: `A search can be at most ${MAX_QUERY_LENGTH} characters long.` },
    ]);
  }
  // A trailing space means the last word is finished: match it whole, as typed.
  if (/\s$/u.test(cleaned)) return { text, prefix: null };
  const tokens = text.split(/\s+/u);
  const last = tokens[tokens.length - 1] ?? '';
  const quotes = text.match(/"/g)?.length ?? 0;
  // Only a bare word: not "-word" (exclusion), not inside an open quote (a phrase), not the
  // operator "or", and not touching punctuation (the parser could read "a.bc" as one host name).
  const prefixable =
    WORD.test(last) && [...last].length >= MIN_PREFIX_LENGTH && quotes % 2 === 0 && last.toLowerCase() !== 'or';
  if (!prefixable) return { text, prefix: null };
  return { text: `${text.slice(0, text.length - last.length)}${PREFIX_SENTINEL}`, prefix: last };
}

/** The tsquery of a parsed query: only bound values reach PostgreSQL's parsers, never SQL text. */
export function tsquerySql(parsed: ParsedQuery): Prisma.Sql {
  const web = Prisma.sql`websearch_to_tsquery('english'::regconfig, ${parsed.text})`;
  if (!parsed.prefix) return web;
  // `prefix` is letters, marks and digits only, so "<word>:*" is always valid to_tsquery input.
  // (A stop word gives an empty substitute, which ts_rewrite drops, as websearch would.)
  return Prisma.sql`ts_rewrite(${web}, to_tsquery('english'::regconfig, ${PREFIX_SENTINEL}),
    to_tsquery('english'::regconfig, ${`${parsed.prefix}:*`}))`;
}

export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.getTime()}:${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const match = /^(\d{1,15}):(.+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (match && isUuid(match[2]!)) {
    return { createdAt: new Date(Number(match[1])), id: match[2]! };
  }
  throw new ValidationError([{ path: 'after', message: 'That cursor is not valid here; start from the first page.' }]);
}

/** Splits ts_headline's output at its markers into plain-text segments (never HTML). */
export function snippetSegments(headline: string): SnippetSegment[] {
  const segments: SnippetSegment[] = [];
  let highlighted = false;
  let text = '';
  const flush = () => {
    if (text === '') return;
    const previous = segments[segments.length - 1];
    if (previous && previous.highlighted === highlighted) previous.text += text;
    else segments.push({ text, highlighted });
    text = '';
  };
  for (const char of headline) {
    if (char === START || char === STOP) {
      flush();
      highlighted = char === START;
    } else {
      text += char;
    }
  }
  flush();
  return segments;
}

export interface SearchStatementArgs {
  parsed: ParsedQuery;
  conversationId: string | null;
  first: number;
  after: { createdAt: Date; id: string } | null;
}

/** The one statement of a page (exported so its plan can be inspected). */
export function searchStatement(
  viewerId: string,
  { parsed, conversationId, first, after }: SearchStatementArgs,
): Prisma.Sql {
  const query = tsquerySql(parsed);
  const onlyConversation = conversationId ? Prisma.sql`AND c.id = ${conversationId}::uuid` : Prisma.empty;
  // The timestamp columns hold UTC wall-clock time without a zone.
  const keyset = after
    ? Prisma.sql`AND (m."createdAt", m.id) < ((${after.createdAt.toISOString()}::timestamptz AT TIME ZONE 'UTC'), ${after.id}::uuid)`
    : Prisma.empty;
  // Also on the messages themselves, so the planner may read one conversation's messages by
  // its index when that is cheaper than the word's index entries.
  const inConversation = conversationId ? Prisma.sql`AND m."conversationId" = ${conversationId}::uuid` : Prisma.empty;
  // Nothing to look up (only stop words) or nothing the index can answer ("-word" alone would be
  // every other message): no result rather than a scan of everything. Both fold to constants
  // when the statement is planned.
  const answerable = Prisma.sql`numnode(${query}) > 0 AND querytree(${query}) <> 'T'`;
  // A filter on the word's matches, not a join: as a join the planner re-ran the GIN scan once
  // per visible conversation (or read every message of a big group's channels by conversation).
  // IS TRUE keeps the IN from being turned into a join, so it is one hashed lookup per match.
  const visibleOnly = Prisma.sql`(m."conversationId" IN (SELECT id FROM visible)) IS TRUE`;
  return Prisma.sql`
    WITH visible AS MATERIALIZED (
      SELECT v.id FROM (${visiblePairsSql(Prisma.sql`ARRAY[${viewerId}::uuid]`, onlyConversation)}) v
    ),
    page AS (
      SELECT m.id, m."conversationId", m.seq, m."createdAt", m.body
      FROM "Message" m
      WHERE m."bodySearch" @@ ${query} AND ${answerable}
        AND m."deletedAt" IS NULL AND ${visibleOnly} ${inConversation} ${keyset}
      ORDER BY m."createdAt" DESC, m.id DESC
      LIMIT ${first + 1}
    )
    SELECT page.id, page."conversationId", page.seq, page."createdAt", page.body
    FROM page
    ORDER BY page."createdAt" DESC, page.id DESC`;
}

/** The headlines of a page's messages, from their plain text, in the order given. */
export function headlineStatement(parsed: ParsedQuery, bodies: readonly string[]): Prisma.Sql {
  const texts = bodies.map((body) => plainText(body).replace(/[\u0002\u0003]/g, ''));
  return Prisma.sql`
    SELECT ts_headline('english'::regconfig, t.text, ${tsquerySql(parsed)}, ${HEADLINE_OPTIONS}) AS headline
    FROM unnest(${texts}::text[]) WITH ORDINALITY AS t(text, n)
    ORDER BY t.n`;
}

interface HitRow {
  id: string;
  conversationId: string;
  seq: number;
  createdAt: Date;
  body: string;
}

export async function searchMessages(
  db: DbClient,
  viewerId: string,
  args: MessageSearchArgs,
): Promise<MessageSearchPage> {
  const parsed = parseQuery(args.query);
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_PAGE_SIZE) {
    throw new ValidationError([{ path: 'first', message: `Ask for between 1 and ${MAX_PAGE_SIZE} results.` }]);
  }
  const after = args.after ? decodeCursor(args.after) : null;
  const conversationId = args.conversationId ?? null;
  // Forbidden looks like not found: an id that names nothing simply finds nothing.
  if (conversationId !== null && !isUuid(conversationId)) return { hits: [], hasNextPage: false, endCursor: null };

  const rows = await db.$queryRaw<HitRow[]>(
    searchStatement(viewerId, { parsed, conversationId, first: args.first, after }),
  );
  const page = rows.slice(0, args.first);
  const headlines =
    page.length === 0
      ? []
      : await db.$queryRaw<{ headline: string }[]>(
          headlineStatement(
            parsed,
            page.map((row) => row.body),
          ),
        );
  const hits = page.map((row, index) => ({
    messageId: row.id,
    conversationId: row.conversationId,
    seq: row.seq,
    createdAt: row.createdAt,
    snippet: snippetSegments(headlines[index]?.headline ?? ''),
    cursor: encodeCursor(row.createdAt, row.id),
  }));
  return {
    hits,
    hasNextPage: rows.length > args.first,
    endCursor: hits[hits.length - 1]?.cursor ?? null,
  };
}
