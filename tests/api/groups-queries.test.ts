import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../server/src/app.js';
import { loadEnv } from '../../server/src/env.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { signUpMember, type Member } from '../support/graphql.js';
import { call, userIdOf } from '../support/groups.js';
import { trackInProcessServer } from '../support/sign-up.js';

// Group lists load their nested fields in batches: the number of SQL statements for a page does
// not grow with the page size (no N+1).

let app: App;
let database: TestDatabase;
let url: string;
let viewer: Member;
let untrack = () => {};
const statements: string[] = [];

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
  // Members are made straight in its database, like startServer's (support/sign-up.ts).
  untrack = trackInProcessServer(app);
  url = `${app.url}/graphql`;
  viewer = await signUpMember(url, { name: 'Counting Viewer' });
  const other = await signUpMember(url, { name: 'Other Member' });
  const db = app.services.db;
  for (let i = 0; i < 30; i += 1) {
    const group = await db.group.create({
      data: {
        slug: `count-${i}`,
        name: `Count ${String(i).padStart(2, '0')}`,
        kind: 'COMMUNITY',
        visibility: i % 3 === 0 ? 'SECRET' : 'PUBLIC',
        memberships: {
          create: [{ userId: userIdOf(viewer.id), role: i % 2 ? 'ADMIN' : 'MEMBER' }, { userId: userIdOf(other.id) }],
        },
      },
    });
    await db.group.create({
      data: {
        slug: `count-${i}-chapter`,
        name: `Count ${i} chapter`,
        kind: 'COMMUNITY',
        visibility: 'PUBLIC',
        parentId: group.id,
      },
    });
    await db.joinRequest.create({ data: { groupId: group.id, userId: userIdOf(other.id), status: 'DECLINED' } });
    // The viewer's own request on every group, so Group.viewerJoinRequest has something to load.
    await db.joinRequest.create({ data: { groupId: group.id, userId: userIdOf(viewer.id), status: 'PENDING' } });
  }
});
afterAll(async () => {
  untrack();
  await app?.stop();
  await database?.drop();
});

const LIST = /* GraphQL */ `
  query($first: Int!) {
    groups(first: $first, filter: { text: "Count", mine: true }) {
      totalCount
      edges { node {
        id name memberCount viewerRole viewerStatus parent { name }
        viewerPermissions { edit invite createChapters }
        chapters(first: 1) { totalCount edges { node { name viewerRole parent { name } } } }
        members(first: 2) { totalCount edges { node { role person { name } } } }
        joinRequests(status: null, first: 2) { totalCount edges { node { status person { name } } } }
      } }
    }
  }
`;

// The viewer's own invite and request on each group (kept apart: LIST is near the cost limit).
const VIEWER_LIST = /* GraphQL */ `
  query($first: Int!) {
    groups(first: $first, filter: { text: "Count", mine: true }) {
      edges { node { id viewerStatus viewerInvite { id expiresAt } viewerJoinRequest { id status createdAt } } }
    }
  }
`;

async function statementsFor(first: number, query = LIST): Promise<number> {
  let data: Awaited<ReturnType<typeof call>>;
  try {
    statements.length = 0;
    data = await call(url, viewer, query, { first });
  } catch (error) {
    // The keep-alive socket may have idled out during the slow seeding; that race is not under test.
    if (!['UND_ERR_SOCKET', 'ECONNRESET'].includes(String((error as { cause?: { code?: string } }).cause?.code)))
      throw error;
    statements.length = 0;
    data = await call(url, viewer, query, { first });
  }
  expect(data.groups.edges).toHaveLength(first);
  return statements.length;
}

describe('group list queries', () => {
  // Page sizes stay under the query cost limit (nested lists multiply by the outer page size).
  it('run the same number of SQL statements for 3 and for 9 groups with their nested fields', async () => {
    const small = await statementsFor(3);
    const large = await statementsFor(9);
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(20);
  });

  it('load viewerInvite and viewerJoinRequest of every group on a page without a statement per group', async () => {
    const small = await statementsFor(5, VIEWER_LIST);
    const large = await statementsFor(25, VIEWER_LIST);
    expect(large).toBe(small);
    const data = await call(url, viewer, VIEWER_LIST, { first: 5 });
    expect(
      data.groups.edges.every(
        (edge: { node: { viewerJoinRequest: { status: string } | null } }) =>
          edge.node.viewerJoinRequest?.status === 'PENDING',
      ),
    ).toBe(true);
  });
});
