import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../support/graphql.js';
import { createGroup, createUser, globalId } from '../support/events.js';
import { startServer, type TestServer } from '../support/server.js';

// Filtering the directory by a group reveals its members only to whoever may see its member
// list: anyone signed in for a PUBLIC group, members only for PRIVATE and SECRET ones.

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

const PEOPLE = `query($groupId: ID!) { people(filter: { groupId: $groupId }, first: 10) { totalCount edges { node { name } } } }`;

describe('the directory filtered by a group', () => {
  it.each(['PRIVATE', 'SECRET'] as const)('shows a %s group’s members to its members only', async (visibility) => {
    const db = server.app.services.db;
    const [owner, member, stranger] = [
      await createUser(db, `Owner ${visibility}`),
      await createUser(db, `Member ${visibility}`),
      await createUser(db, 'Stranger'),
    ];
    const group = await createGroup(db, {
      visibility,
      members: [
        [owner, 'OWNER'],
        [member, 'MEMBER'],
      ],
    });
    const as = async (token: string) =>
      (await gql(server.graphqlUrl, PEOPLE, { groupId: globalId('Group', group.id) }, { token })).body.data!.people;
    expect((await as(member.token)).totalCount).toBe(2);
    expect(await as(stranger.token)).toEqual({ totalCount: 0, edges: [] });
  });

  it('shows a PUBLIC group’s members to everyone signed in', async () => {
    const db = server.app.services.db;
    const [owner, stranger] = [await createUser(db, 'Public Owner'), await createUser(db, 'Passer-by')];
    const group = await createGroup(db, { visibility: 'PUBLIC', members: [[owner, 'OWNER']] });
    const people = (
      await gql(server.graphqlUrl, PEOPLE, { groupId: globalId('Group', group.id) }, { token: stranger.token })
    ).body.data!.people;
    expect(people.totalCount).toBe(1);
  });
});
