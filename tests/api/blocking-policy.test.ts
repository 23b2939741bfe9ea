import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type Db } from '../../server/src/db.js';
import { loadEnv } from '../../server/src/env.js';
import { Prisma } from '../../server/src/generated/prisma/client.js';
import { mayWriteIn, mentionCandidatesWhere, writableSql } from '../../server/src/modules/chat/chat.policy.js';
import {
  allowsBetween,
  BLOCK_ACTIONS,
  type BlockFacts,
  keptApartFrom,
  mayReachWhere,
  notKeptApartSql,
  notKeptApartWhere,
} from '../../server/src/modules/people/blocking.policy.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// The block rule (people/blocking.policy.ts) and the chat rules made from it, in every form — the
// JS check, the loader, the Prisma filter and the SQL fragment — evaluated on a real database of
// this run's back-end for every direction a block can have and every action, and compared.

let database: TestDatabase;
let handle: Database;
let db: Db;

const STATES = ['none', 'actorBlockedOther', 'otherBlockedActor', 'both'] as const;
type State = (typeof STATES)[number];

function factsOf(state: State): BlockFacts {
  return {
    actorBlockedOther: state === 'actorBlockedOther' || state === 'both',
    otherBlockedActor: state === 'otherBlockedActor' || state === 'both',
  };
}

interface Pair {
  actor: string;
  other: string;
  third: string;
  /** A direct message of the two, one of the three, and a channel of a group of the three. */
  direct: string;
  groupDirect: string;
  channel: string;
}
const pairs = new Map<State, Pair>();

async function user(name: string): Promise<string> {
  return (await db.user.create({ data: { email: `${randomUUID()}@blocking.test`, passwordHash: 'x', name } })).id;
}

beforeAll(async () => {
  database = await createTestDatabase();
  handle = await openDatabase(loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...database.env }));
  db = handle.prisma;
  for (const state of STATES) {
    const [actor, other, third] = [await user('Actor'), await user('Other'), await user('Third')];
    const facts = factsOf(state);
    if (facts.actorBlockedOther) await db.memberBlock.create({ data: { blockerId: actor, blockedId: other } });
    if (facts.otherBlockedActor) await db.memberBlock.create({ data: { blockerId: other, blockedId: actor } });
    const direct = await db.conversation.create({
      data: {
        kind: 'DIRECT',
        directKey: [actor, other].sort().join(','),
        participants: { create: [{ userId: actor }, { userId: other }] },
      },
    });
    const groupDirect = await db.conversation.create({
      data: {
        kind: 'DIRECT',
        directKey: [actor, other, third].sort().join(','),
        participants: { create: [{ userId: actor }, { userId: other }, { userId: third }] },
      },
    });
    const group = await db.group.create({
      data: {
        slug: `b-${randomUUID()}`,
        name: 'Blocks',
        kind: 'COMMUNITY',
        visibility: 'PUBLIC',
        memberships: { create: [{ userId: actor, role: 'OWNER' }, { userId: other }, { userId: third }] },
      },
    });
    const channel = await db.conversation.create({ data: { kind: 'CHANNEL', groupId: group.id, name: 'general' } });
    pairs.set(state, { actor, other, third, direct: direct.id, groupDirect: groupDirect.id, channel: channel.id });
  }
});

afterAll(async () => {
  await handle?.close();
  await database?.drop();
});

describe('the block rule in every form', () => {
  it('answers the same in JS, the loader, the Prisma filter and the SQL fragment, for every action and direction', async () => {
    const table: string[] = [];
    for (const state of STATES) {
      const { actor, other } = pairs.get(state)!;
      for (const action of BLOCK_ACTIONS) {
        const js = allowsBetween(action, factsOf(state));
        const loaded = !(await keptApartFrom(db, action, actor, [other])).has(other);
        const prisma = (await db.user.count({ where: { id: other, AND: [notKeptApartWhere(action, actor)] } })) === 1;
        const rows = await db.$queryRaw<Array<{ ok: boolean }>>`
          SELECT (${notKeptApartSql(action, actor, Prisma.sql`${other}::uuid`)}) AS ok`;
        const sql = rows[0]?.ok === true;
        // From the other side: is the actor among those who may reach the other?
        const reaching = (await db.user.count({ where: { id: actor, AND: [mayReachWhere(action, other)] } })) === 1;
        expect({ state, action, loaded, prisma, sql, reaching }).toEqual({
          state,
          action,
          loaded: js,
          prisma: js,
          sql: js,
          reaching: js,
        });
        table.push(`${state}/${action}: ${js}`);
      }
    }
    // The rule itself: either direction stops a new DM; only the blocked one's mentions stop.
    expect(table).toContain('actorBlockedOther/startDirect: false');
    expect(table).toContain('otherBlockedActor/startDirect: false');
    expect(table).toContain('actorBlockedOther/mention: true');
    expect(table).toContain('otherBlockedActor/mention: false');
    expect(table).toContain('none/notify: true');
  });

  it('closes only a conversation of just the two to new words, in JS and SQL alike', async () => {
    for (const state of STATES) {
      const pair = pairs.get(state)!;
      const keptApart = !allowsBetween('sendDirect', factsOf(state));
      for (const [key, participantCount] of [
        ['direct', 2],
        ['groupDirect', 3],
        ['channel', 0],
      ] as const) {
        const conversation = await db.conversation.findUniqueOrThrow({ where: { id: pair[key] } });
        const js = mayWriteIn({ kind: conversation.kind, participantCount }, keptApart);
        for (const writer of [pair.actor, pair.other]) {
          const rows = await db.$queryRaw<Array<{ ok: boolean }>>`
            SELECT (${writableSql(writer)}) AS ok FROM "Conversation" c WHERE c."id" = ${conversation.id}::uuid`;
          expect({ state, key, writer: writer === pair.actor, sql: rows[0]?.ok }).toEqual({
            state,
            key,
            writer: writer === pair.actor,
            sql: js,
          });
        }
        expect(js).toBe(!(key === 'direct' && state !== 'none'));
      }
    }
  });

  it('offers for mentions whoever may see the conversation, less whom a block keeps apart', async () => {
    for (const state of STATES) {
      const pair = pairs.get(state)!;
      for (const key of ['channel', 'groupDirect'] as const) {
        const conversation = await db.conversation.findUniqueOrThrow({ where: { id: pair[key] } });
        const offered = await db.user.findMany({
          where: mentionCandidatesWhere(conversation, pair.actor),
          select: { id: true },
        });
        const expected = [pair.third, ...(allowsBetween('suggest', factsOf(state)) ? [pair.other] : [])];
        expect(offered.map((row) => row.id).sort()).toEqual(expected.sort());
      }
    }
  });
});
