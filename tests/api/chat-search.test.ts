import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type Db } from '../../server/src/db.js';
import { loadEnv } from '../../server/src/env.js';
import { Prisma } from '../../server/src/generated/prisma/client.js';
import { ValidationError } from '../../server/src/lib/errors.js';
import {
  parseQuery,
  searchMessages,
  searchStatement,
  type MessageSearchHit,
  type MessageSearchPage,
} from '../../server/src/modules/chat/search.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// Message search (server/src/modules/chat/search.ts) against a real database of this run's
// back-end: what it finds, what it never shows, its snippets and its pages. The fixture rows are
// written directly, so these tests do not depend on the chat mutations.

let database: TestDatabase;
let handle: Database;
let db: Db;
const statements: string[] = [];

type Kind = 'CHANNEL' | 'DIRECT' | 'MENTORSHIP' | 'INTRODUCTION';
const seqs = new Map<string, number>();
// Every message gets its own second unless a test asks for a shared timestamp.
let clock = Date.parse('2026-01-01T00:00:00.000Z');

async function user(name: string): Promise<string> {
  const row = await db.user.create({ data: { email: `${randomUUID()}@search.test`, passwordHash: 'x', name } });
  return row.id;
}

async function group(members: string[]): Promise<string> {
  const row = await db.group.create({
    data: {
      slug: `g-${randomUUID()}`,
      name: 'Group',
      kind: 'COMMUNITY',
      visibility: 'PRIVATE',
      memberships: { create: members.map((userId) => ({ userId })) },
    },
  });
  return row.id;
}

async function conversation(kind: Kind, opts: { groupId?: string; participants?: string[] }): Promise<string> {
  const row = await db.conversation.create({
    data: {
      kind,
      groupId: opts.groupId ?? null,
      name: kind === 'CHANNEL' ? `c-${randomUUID().slice(0, 8)}` : null,
      participants: { create: (opts.participants ?? []).map((userId) => ({ userId })) },
    },
  });
  return row.id;
}

async function send(
  conversationId: string,
  body: string,
  opts: { at?: Date; deleted?: boolean } = {},
): Promise<string> {
  const seq = (seqs.get(conversationId) ?? 0) + 1;
  seqs.set(conversationId, seq);
  clock += 1000;
  const row = await db.message.create({
    data: {
      conversationId,
      seq,
      clientId: `c-${seq}`,
      body,
      createdAt: opts.at ?? new Date(clock),
      deletedAt: opts.deleted ? new Date(clock) : null,
    },
  });
  return row.id;
}

const search = (
  viewer: string,
  query: string,
  more: { conversationId?: string | null; first?: number; after?: string | null } = {},
) => searchMessages(db, viewer, { query, first: 20, ...more });

const ids = (hits: MessageSearchHit[]) => hits.map((hit) => hit.messageId);
const highlights = (hit: MessageSearchHit) => hit.snippet.filter((s) => s.highlighted).map((s) => s.text);

// The cast: the viewer; Alice shares a group and DMs with the viewer; Olga is in neither.
let viewer: string, alice: string, olga: string;
let general: string, secretChannel: string, dm: string, othersDm: string, mentorship: string, othersIntro: string;

beforeAll(async () => {
  database = await createTestDatabase();
  handle = await openDatabase(loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...database.env }), {
    // The viewer's session is read or not depending on the session cache (10 s): not what is counted here.
    onQuery: (sql) => void (sql.includes('"Session"') || statements.push(sql)),
  });
  db = handle.prisma;
  [viewer, alice, olga] = [await user('Viewer'), await user('Alice'), await user('Olga')];
  const guild = await group([viewer, alice]);
  const closed = await group([alice, olga]);
  general = await conversation('CHANNEL', { groupId: guild });
  secretChannel = await conversation('CHANNEL', { groupId: closed });
  dm = await conversation('DIRECT', { participants: [viewer, alice] });
  othersDm = await conversation('DIRECT', { participants: [alice, olga] });
  mentorship = await conversation('MENTORSHIP', { participants: [viewer, alice] });
  othersIntro = await conversation('INTRODUCTION', { participants: [alice, olga] });
});

afterAll(async () => {
  await handle?.close();
  await database?.drop();
});

describe('what a search finds', () => {
  it('finds other forms of a word ("deploying" finds "deploy" and "deployed")', async () => {
    const a = await send(general, 'Please deploy the hotfix');
    const b = await send(dm, 'I deployed it yesterday');
    const c = await send(general, 'Nothing to see here');
    const found = ids((await search(viewer, 'deploying')).hits);
    expect(found).toEqual(expect.arrayContaining([a, b]));
    expect(found).not.toContain(c);
  });

  it('finds an exact phrase in quotes, not the same words apart', async () => {
    const together = await send(general, 'We rolled back the release last night');
    const apart = await send(general, 'Rolled the dice, then went back to bed');
    const found = ids((await search(viewer, '"rolled back"')).hits);
    expect(found).toContain(together);
    expect(found).not.toContain(apart);
  });

  it('leaves out messages with a -word and finds either word with "or"', async () => {
    const plain = await send(general, 'The canary release looks healthy');
    const staging = await send(general, 'The canary release on staging is broken');
    const other = await send(dm, 'Just a parrot here');
    expect(ids((await search(viewer, 'canary -staging')).hits)).toEqual([plain]);
    expect(ids((await search(viewer, 'parrot or canary')).hits)).toEqual(
      expect.arrayContaining([plain, staging, other]),
    );
  });

  it('matches the last word as a prefix while it is typed, and whole once a space follows', async () => {
    const k8s = await send(general, 'Kubernetes upgrade tonight');
    expect(ids((await search(viewer, 'upgrade kuber')).hits)).toContain(k8s);
    expect(ids((await search(viewer, 'kuber ')).hits)).not.toContain(k8s);
  });

  it('returns the message, its conversation, seq and time', async () => {
    const id = await send(dm, 'Zeppelin sighting over the office');
    const [hit] = (await search(viewer, 'zeppelin')).hits;
    const row = await db.message.findUniqueOrThrow({ where: { id } });
    expect(hit).toMatchObject({ messageId: id, conversationId: dm, seq: row.seq, createdAt: row.createdAt });
  });
});

describe('snippets', () => {
  it('marks the matched words and keeps the rest as plain text', async () => {
    const id = await send(general, 'Could someone review the migration before we merge it?');
    const hit = (await search(viewer, 'migrations')).hits.find((h) => h.messageId === id)!;
    expect(highlights(hit)).toEqual(['migration']);
    expect(hit.snippet.map((s) => s.text).join('')).toContain('review the migration before we merge');
  });

  it('shows the text as it reads, without Markdown or mention markup', async () => {
    const ada = Buffer.from('Person:1').toString('base64');
    const id = await send(
      general,
      `We _paid_ @[Ada Okafor](${ada}) for the **invoice**, see [the sheet](https://x.dev/s)`,
    );
    const hit = (await search(viewer, 'paid')).hits.find((h) => h.messageId === id)!;
    expect(highlights(hit)).toEqual(['paid']);
    expect(hit.snippet.map((s) => s.text).join('')).toBe('We paid @Ada Okafor for the invoice, see the sheet');
  });

  it('does not let a message forge highlights with the marker characters', async () => {
    const id = await send(general, 'The walrus keeper says \u0002fake\u0003 highlight near the walrus pool \u0002');
    const hit = (await search(viewer, 'walrus')).hits.find((h) => h.messageId === id)!;
    expect(highlights(hit)).toEqual(['walrus', 'walrus']);
    expect(hit.snippet.map((s) => s.text).join('')).not.toMatch(/[\u0002\u0003]/);
  });
});

describe('who sees what', () => {
  it('never finds messages of another group’s channels or of conversations the viewer is not in', async () => {
    const hidden = [
      await send(secretChannel, 'Marmalade plans for the closed group'),
      await send(othersDm, 'Marmalade, just between Alice and Olga'),
      await send(othersIntro, 'Marmalade introduction'),
    ];
    const visible = [
      await send(general, 'Marmalade in general'),
      await send(dm, 'Marmalade in our DM'),
      await send(mentorship, 'Marmalade mentoring'),
    ];
    expect(ids((await search(viewer, 'marmalade')).hits).sort()).toEqual([...visible].sort());
    // The same messages are there for those who may see them.
    expect(ids((await search(olga, 'marmalade')).hits).sort()).toEqual([...hidden].sort());
  });

  it('stops finding a channel’s messages once the viewer leaves the group', async () => {
    const leaver = await user('Leaver');
    const club = await group([leaver]);
    const channel = await conversation('CHANNEL', { groupId: club });
    const id = await send(channel, 'Origami club meets Friday');
    expect(ids((await search(leaver, 'origami')).hits)).toEqual([id]);
    await db.membership.delete({ where: { groupId_userId: { groupId: club, userId: leaver } } });
    expect((await search(leaver, 'origami')).hits).toEqual([]);
  });

  it('never finds deleted messages', async () => {
    const kept = await send(general, 'Pineapple pizza poll');
    await send(general, 'Pineapple is wrong on pizza', { deleted: true });
    expect(ids((await search(viewer, 'pineapple')).hits)).toEqual([kept]);
  });

  it('searches one conversation when asked, and finds nothing in one the viewer cannot see', async () => {
    const inGeneral = await send(general, 'Quokka photos');
    const inDm = await send(dm, 'Quokka facts');
    await send(othersDm, 'Quokka secrets');
    expect(ids((await search(viewer, 'quokka', { conversationId: dm })).hits)).toEqual([inDm]);
    expect(ids((await search(viewer, 'quokka', { conversationId: general })).hits)).toEqual([inGeneral]);
    expect((await search(viewer, 'quokka', { conversationId: othersDm })).hits).toEqual([]);
    expect((await search(viewer, 'quokka', { conversationId: 'not-a-uuid' })).hits).toEqual([]);
  });
});

describe('pages', () => {
  it('pages newest first with no duplicate and no gap, even when messages share a timestamp', async () => {
    const expected: string[] = [];
    const shared = new Date(clock + 500);
    for (let i = 0; i < 23; i += 1) {
      const where = [general, dm, mentorship][i % 3]!;
      // Five in a row with the same createdAt: the id decides their order.
      expected.push(await send(where, `Tangerine report ${i}`, i >= 10 && i < 15 ? { at: shared } : {}));
      await send(othersDm, `Tangerine elsewhere ${i}`);
    }
    const rows = await db.message.findMany({ where: { id: { in: expected } }, select: { id: true, createdAt: true } });
    const newestFirst = rows
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
      .map((row) => row.id);

    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const result: MessageSearchPage = await search(viewer, 'tangerine', { first: 7, after });
      seen.push(...ids(result.hits));
      expect(result.endCursor).toBe(result.hits.at(-1)?.cursor ?? null);
      if (!result.hasNextPage) break;
      after = result.endCursor;
    }
    expect(seen).toEqual(newestFirst);
  });

  it('costs two SQL statements per page: the page, the visibility check included, then its headlines', async () => {
    const first = await search(viewer, 'tangerine', { first: 5 });
    statements.length = 0;
    await search(viewer, 'tangerine', { first: 5, after: first.endCursor, conversationId: general });
    expect(statements).toHaveLength(2);
  });

  it('refuses a page size outside 1–100 and a cursor it did not make', async () => {
    for (const first of [0, 101, 2.5]) {
      await expect(search(viewer, 'tangerine', { first })).rejects.toBeInstanceOf(ValidationError);
    }
    await expect(search(viewer, 'tangerine', { after: 'garbage' })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('the search text', () => {
  it('refuses an empty search', async () => {
    await expect(search(viewer, '')).rejects.toBeInstanceOf(ValidationError);
    await expect(search(viewer, '   ')).rejects.toBeInstanceOf(ValidationError);
    await expect(search(viewer, '\u0000\u0002')).rejects.toBeInstanceOf(ValidationError);
    await expect(search(viewer, 'x'.repeat(201))).rejects.toBeInstanceOf(ValidationError);
  });

  it('never fails on odd input: tsquery syntax, quotes, control characters, stop words', async () => {
    await send(general, 'Ordinary words about a bicycle');
    const odd = [
      `'&|!():*<>`,
      '"',
      '""',
      '-',
      '--bicycle',
      'or',
      'OR OR',
      '\\',
      ':*',
      'bicycle:*',
      'a & b',
      '!!',
      '(((',
      "'",
      'bicy\u0000cle',
      '\ud800',
      '😀',
      '<-> bicycle',
      'bicycle <2> words',
      'bicycle & !',
      '"unterminated bicy',
      '-"a phrase"',
      'the',
      'and or not',
      'x'.repeat(200),
      'é'.repeat(200),
      'bicycle\u0002',
      `'; DROP TABLE "Message"; --`,
      '\u0301\u0301\u0301',
      'abc日本語',
      'bicycle\u00a0words\u3000',
      'ⅫⅫⅫ',
      '\ufeffbicycle',
    ];
    for (const text of odd) {
      const result = await search(viewer, text);
      expect(Array.isArray(result.hits), text).toBe(true);
    }
    // Exclusion alone would be every other message: it finds nothing rather than scanning.
    expect((await search(viewer, '-bicycle')).hits).toEqual([]);
    expect(ids((await search(viewer, 'bicycle:*')).hits).length).toBe(1);
  });
});

describe('the plan', () => {
  it('reads the word’s matches from the GIN index once and filters them by a hashed visible set', async () => {
    // Enough rows for the planner to prefer the index, and a viewer in many conversations.
    const crowd = await group([viewer]);
    const channels = await Promise.all(Array.from({ length: 20 }, () => conversation('CHANNEL', { groupId: crowd })));
    const filler = ['lorem', 'ipsum', 'dolor', 'sit', 'amet', 'consectetur', 'adipiscing', 'elit', 'sed', 'tempor'];
    const data = Array.from({ length: 3000 }, (_, i) => {
      const conversationId = channels[i % channels.length]!;
      const seq = (seqs.get(conversationId) ?? 0) + 1;
      seqs.set(conversationId, seq);
      const body =
        Array.from({ length: 8 }, (_, k) => filler[(i * 7 + k * 3) % filler.length]).join(' ') +
        (i % 300 === 0 ? ' narwhal' : '');
      return { conversationId, seq, clientId: `f-${seq}`, body, createdAt: new Date(clock - i * 1000) };
    });
    await db.message.createMany({ data });
    await db.$executeRawUnsafe('ANALYZE');

    const statement = searchStatement(viewer, {
      parsed: parseQuery('narwhal'),
      conversationId: null,
      first: 20,
      after: null,
    });
    const plan = (
      await db.$queryRaw<Array<{ 'QUERY PLAN': string }>>(Prisma.sql`EXPLAIN (ANALYZE, COSTS OFF) ${statement}`)
    )
      .map((row) => row['QUERY PLAN'])
      .join('\n');
    // One index scan, run once (as a join it would run once per visible conversation).
    expect(plan.match(/Bitmap Index Scan on "Message_bodySearch_idx"/g), plan).toHaveLength(1);
    expect(plan, plan).toMatch(/Bitmap Index Scan on "Message_bodySearch_idx" \(actual [^)]*loops=1\)/);
    expect(plan, plan).toMatch(/Filter: .*hashed SubPlan/);
    expect((await search(viewer, 'narwhal')).hits).toHaveLength(10);
  });
});
