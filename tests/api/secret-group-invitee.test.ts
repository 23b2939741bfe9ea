import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../support/graphql.js';
import { addMember, createGroup, createUser, globalId, inHours } from '../support/events.js';
import { startServer, type TestServer } from '../support/server.js';

// A direct invitee may see the SECRET group they are invited to (they need its name to accept),
// but nothing inside it until they join: not its events, not its members.

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('an invitee of a secret group', () => {
  it('sees the group on the invite, but none of its events or members until joining', async () => {
    const db = server.app.services.db;
    const [owner, invitee] = [await createUser(db, 'Owner'), await createUser(db, 'Invitee')];
    const group = await createGroup(db, { visibility: 'SECRET', name: 'Quiet Circle', members: [[owner, 'OWNER']] });
    await db.event.create({
      data: {
        groupId: group.id,
        title: 'Secret supper',
        startsAt: new Date(inHours(24)),
        endsAt: new Date(inHours(26)),
        timeZone: 'UTC',
      },
    });
    const invite = await db.groupInvite.create({
      data: { groupId: group.id, createdById: owner.id, inviteeId: invitee.id },
      select: { id: true },
    });
    const QUERY = /* GraphQL */ `
      query($id: ID!) {
        node(id: $id) {
          ... on GroupInvite { group { name events(first: 10) { edges { node { title } } } } }
        }
      }
    `;
    const before = await gql(
      server.graphqlUrl,
      QUERY,
      { id: globalId('GroupInvite', invite.id) },
      { token: invitee.token },
    );
    expect(before.body.errors).toBeUndefined();
    expect(before.body.data!.node.group.name).toBe('Quiet Circle');
    expect(before.body.data!.node.group.events.edges).toEqual([]);
    expect(JSON.stringify(before.body)).not.toContain('Secret supper');

    await addMember(db, group.id, invitee);
    const after = await gql(
      server.graphqlUrl,
      QUERY,
      { id: globalId('GroupInvite', invite.id) },
      { token: invitee.token },
    );
    expect(after.body.data!.node.group.events.edges).toEqual([{ node: { title: 'Secret supper' } }]);
  });
});
