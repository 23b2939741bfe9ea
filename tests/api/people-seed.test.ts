import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOGIN, seedDemoData } from '../../server/src/seed/demo-data.js';
import { gql, SIGN_IN } from '../support/graphql.js';
import { startServer, type TestServer } from '../support/server.js';

// The demo profiles: filled in, a few fields kept private, the same after a second run.

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('demo profiles', () => {
  it('gives demo members bios, places, time zones, levels, open-to, links and some private fields, idempotently', async () => {
    const db = server.app.services.db;
    await seedDemoData(db);
    const snapshot = async () =>
      db.user.findMany({
        where: { email: { endsWith: '@guildhall.dev' } },
        orderBy: { email: 'asc' },
        select: {
          email: true,
          bio: true,
          location: true,
          timeZone: true,
          openTo: true,
          headlineVisibility: true,
          bioVisibility: true,
          locationVisibility: true,
          skillsVisibility: true,
          skills: { select: { skillId: true, level: true }, orderBy: { skillId: 'asc' } },
          links: { select: { label: true, url: true, position: true }, orderBy: { position: 'asc' } },
        },
      });
    const first = await snapshot();
    await seedDemoData(db);
    expect(await snapshot()).toEqual(first);

    const ada = first.find((user) => user.email === DEMO_LOGIN.email)!;
    expect(ada).toMatchObject({
      location: 'Lagos, Nigeria',
      timeZone: 'Africa/Lagos',
      openTo: ['MENTORING', 'INTRODUCTIONS'],
    });
    expect(ada.bio.length).toBeGreaterThan(40);
    expect(ada.links.length).toBe(2);
    expect(first.filter((user) => user.bio).length).toBeGreaterThanOrEqual(20);
    expect(new Set(first.flatMap((user) => user.skills.map((skill) => skill.level)))).toEqual(
      new Set(['LEARNING', 'WORKING', 'EXPERT']),
    );
    expect(first.some((user) => user.locationVisibility === 'ONLY_ME')).toBe(true);
    expect(first.some((user) => user.skillsVisibility === 'SHARED_GROUPS')).toBe(true);

    // Ada, signed in, finds the mentors in the directory; Nadia's private bio stays hidden from her.
    const signIn = await gql(server.graphqlUrl, SIGN_IN, { input: DEMO_LOGIN });
    const token = signIn.body.data!.signIn.token as string;
    const search = await gql(
      server.graphqlUrl,
      `{ people(filter: { text: "nadia" }, first: 5) { edges { node { name bio } } } }`,
      {},
      { token },
    );
    expect(search.body.data!.people.edges).toEqual([{ node: { name: 'Nadia Petrova', bio: null } }]);
  });
});
