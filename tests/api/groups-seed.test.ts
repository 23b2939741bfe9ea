import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOGIN, seedDemoData } from '../../server/src/seed/demo-data.js';
import { gql, SIGN_IN } from '../support/graphql.js';
import { call } from '../support/groups.js';
import { startServer, type TestServer } from '../support/server.js';

// The demo groups: every kind and visibility, chapters, and work waiting for the demo login.

let server: TestServer;
beforeAll(async () => {
  // No job runner: the office-hours seed leaves reminders due at some times of day, and a job run
  // between the two seedings would change what the idempotence check counts.
  server = await startServer({ env: { JOBS_ENABLED: 'false' } });
});
afterAll(async () => {
  await server?.stop();
});

describe('demo groups', () => {
  it('seeds every kind and visibility with chapters, is idempotent, and gives Ada an owned group with requests to review', async () => {
    const db = server.app.services.db;
    await seedDemoData(db);
    const counts = async () => ({
      groups: await db.group.count(),
      memberships: await db.membership.count(),
      requests: await db.joinRequest.count(),
      notifications: await db.notification.count(),
    });
    const first = await counts();
    await seedDemoData(db);
    expect(await counts()).toEqual(first);

    const groups = await db.group.findMany({
      select: { kind: true, visibility: true, parentId: true, allowedEmailDomain: true },
    });
    expect(new Set(groups.map((g) => g.kind))).toEqual(new Set(['COMMUNITY', 'ALUMNI', 'PROGRAM']));
    expect(new Set(groups.map((g) => g.visibility))).toEqual(new Set(['PUBLIC', 'PRIVATE', 'SECRET']));
    expect(groups.filter((g) => g.parentId).length).toBeGreaterThanOrEqual(4);
    expect(groups.some((g) => g.kind === 'PROGRAM' && g.allowedEmailDomain)).toBe(true);
    expect(await db.user.count({ where: { email: { endsWith: '@guildhall.dev' }, emailVerifiedAt: null } })).toBe(0);

    const signIn = await gql(server.graphqlUrl, SIGN_IN, { input: DEMO_LOGIN });
    const ada = {
      id: '',
      email: DEMO_LOGIN.email,
      password: DEMO_LOGIN.password,
      name: 'Ada',
      token: signIn.body.data!.signIn.token as string,
    };
    const data = await call(
      server.graphqlUrl,
      ada,
      `{ viewer { groups(first: 50) { edges { node { slug viewerRole joinRequests { totalCount } } } } } }`,
    );
    type Owned = { slug: string; viewerRole: string; joinRequests: { totalCount: number } };
    const owned = (data.viewer.groups.edges as Array<{ node: Owned }>)
      .map((e) => e.node)
      .filter((g) => g.viewerRole === 'OWNER');
    expect(owned.some((g) => g.joinRequests.totalCount >= 1)).toBe(true);

    // Her bell says so: every pending request in her groups reached her as a notification.
    const bell = await call(
      server.graphqlUrl,
      ada,
      `{ viewer { notifications(first: 50) { edges { node { kind text } } } } }`,
    );
    const kinds = bell.viewer.notifications.edges.map((e: { node: { kind: string } }) => e.node.kind);
    expect(kinds.filter((kind: string) => kind === 'JOIN_REQUEST_RECEIVED').length).toBeGreaterThanOrEqual(1);
  });
});
