import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../server/src/app.js';
import { loadEnv } from '../../server/src/env.js';
import { type ChatMember, chatMember, query } from '../support/chat.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { activeMentorship, rowIdOf } from '../support/mentorship.js';
import { trackInProcessServer } from '../support/sign-up.js';

// A mentorship's check-ins load their per-viewer fields (your private note, whether you may still
// give feedback) with the list: the number of SQL statements does not grow with the check-ins.

let app: App;
let database: TestDatabase;
let url: string;
let untrack = () => {};
const statements: string[] = [];
let mentee: ChatMember;
const mentorships = new Map<number, string>();

const CHECK_INS = /* GraphQL */ `
  query ($id: ID!) {
    node(id: $id) {
      ... on Mentorship { checkIns { id privateNote viewerMayGiveFeedback feedback { rating byViewer } } }
    }
  }
`;

beforeAll(async () => {
  database = await createTestDatabase();
  const env = loadEnv({
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'never',
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    SIGN_UP_MAX_PER_ADDRESS: '100000',
    SIGN_IN_MAX_PER_ADDRESS: '100000',
    // The job runner's polls would be counted with the statements of the requests under test.
    JOBS_ENABLED: 'false',
    ...database.env,
  });
  // The viewer's session is read or not depending on the session cache (10 s): not what is counted here.
  app = await buildApp(env, { onQuery: (sql) => void (sql.includes('"Session"') || statements.push(sql)) });
  await app.start();
  untrack = trackInProcessServer(app);
  url = `${app.url}/graphql`;
  mentee = await chatMember(url, 'Counting Mentee');
  const db = app.services.db;
  for (const count of [2, 8]) {
    const mentor = await chatMember(url, `Counting Mentor ${count}`);
    const made = await activeMentorship(url, mentee, mentor);
    mentorships.set(count, made.id);
    for (let i = 0; i < count; i += 1) {
      const checkIn = await db.checkIn.create({
        data: { mentorshipId: rowIdOf(made.id), heldAt: new Date(Date.now() - (i + 1) * 3600_000) },
      });
      await db.checkInPrivateNote.create({
        data: { checkInId: checkIn.id, authorId: rowIdOf(mentee.personId), body: `mine ${i}` },
      });
      await db.checkInPrivateNote.create({
        data: { checkInId: checkIn.id, authorId: rowIdOf(mentor.personId), body: `theirs ${i}` },
      });
      if (i % 2 === 0) {
        await db.checkInFeedback.create({
          data: { checkInId: checkIn.id, authorId: rowIdOf(mentee.personId), rating: 4, pairingWorking: true },
        });
      }
    }
  }
}, 120_000);

afterAll(async () => {
  untrack();
  await app?.stop();
  await database?.drop();
});

async function checkInsFor(count: number) {
  statements.length = 0;
  const data = await query<{
    node: { checkIns: Array<{ privateNote: string | null; viewerMayGiveFeedback: boolean }> } | null;
  }>(url, mentee, CHECK_INS, { id: mentorships.get(count) });
  return { checkIns: data.node!.checkIns, statements: statements.length };
}

describe('a mentorship’s check-ins', () => {
  it('run the same number of SQL statements for 2 and for 8 check-ins, with each viewer’s own note and feedback state', async () => {
    const small = await checkInsFor(2);
    const large = await checkInsFor(8);
    expect(large.checkIns).toHaveLength(8);
    expect(large.checkIns.map((c) => c.privateNote)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => `mine ${i}`));
    expect(large.checkIns.map((c) => c.viewerMayGiveFeedback)).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((i) => i % 2 === 1),
    );
    expect(large.statements).toBe(small.statements);
  });
});
