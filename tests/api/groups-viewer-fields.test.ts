import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Member } from '../support/graphql.js';
import { call, createGroup, members, mutate, personId, userIdOf } from '../support/groups.js';
import { startServer, type TestServer } from '../support/server.js';

// The viewer's own invite and join request on a group (Group.viewerInvite, Group.viewerJoinRequest)
// and on a GROUP_INVITE notification (Notification.invite): what a member needs to accept a direct
// invite or cancel a request from any tab or device, and nobody else sees.

let server: TestServer;
let url: string;

beforeAll(async () => {
  server = await startServer();
  url = server.graphqlUrl;
});
afterAll(async () => {
  await server?.stop();
});

const db = () => server.app.services.db;
const uuid = (globalId: string) => userIdOf(globalId);

const VIEWER_FIELDS = /* GraphQL */ `
  query G($slug: String!) {
    group(slug: $slug) {
      id viewerStatus
      viewerInvite { id expiresAt revokedAt group { slug } }
      viewerJoinRequest { id status message }
    }
  }
`;

interface ViewerFields {
  id: string;
  viewerStatus: string;
  viewerInvite: { id: string; expiresAt: string | null; revokedAt: string | null; group: { slug: string } } | null;
  viewerJoinRequest: { id: string; status: string; message: string | null } | null;
}

async function viewerFields(who: Member, slug: string) {
  return (await call(url, who, VIEWER_FIELDS, { slug })).group as ViewerFields | null;
}

const NOTIFICATIONS = /* GraphQL */ `
  query {
    viewer {
      notifications(first: 20) {
        edges { node { kind href group { slug } invite { id group { name slug visibility } } } }
      }
    }
  }
`;

async function inviteNotification(who: Member) {
  const data = await call(url, who, NOTIFICATIONS);
  type InviteNotification = {
    kind: string;
    href: string;
    group: { slug: string } | null;
    invite: { id: string; group: { name: string; slug: string; visibility: string } } | null;
  };
  const edges = data.viewer.notifications.edges as Array<{ node: InviteNotification }>;
  return edges.map((edge) => edge.node).find((node) => node.kind === 'GROUP_INVITE') ?? null;
}

async function inviteDirectly(owner: Member, groupId: string, invitee: Member) {
  const result = await mutate(
    url,
    owner,
    'inviteMember',
    { groupId, personId: personId(invitee) },
    '... on GroupInvitePayload { invite { id } }',
  );
  expect(result.__typename, JSON.stringify(result)).toBe('GroupInvitePayload');
  return result.invite.id as string;
}

describe('Group.viewerInvite', () => {
  it('gives a direct invitee of a private group their invite, which they accept by its id', async () => {
    const [owner, invitee, stranger, member] = await members(url, 4, 'Private');
    const group = await createGroup(url, owner!, { name: 'Invite Only Guild', visibility: 'PRIVATE' });
    await db().membership.create({ data: { groupId: uuid(group.id), userId: uuid(member!.id) } });
    const inviteId = await inviteDirectly(owner!, group.id, invitee!);

    const seen = await viewerFields(invitee!, group.slug);
    expect(seen).toMatchObject({
      viewerStatus: 'INVITED',
      viewerInvite: { id: inviteId, revokedAt: null, group: { slug: group.slug } },
    });
    for (const other of [stranger!, member!, owner!]) {
      expect((await viewerFields(other, group.slug))!.viewerInvite).toBeNull();
    }

    const accepted = await mutate(url, invitee!, 'acceptInvite', { inviteId: seen!.viewerInvite!.id });
    expect(accepted.__typename).toBe('GroupPayload');
    expect(await viewerFields(invitee!, group.slug)).toMatchObject({ viewerStatus: 'MEMBER', viewerInvite: null });
  });

  it('is null once the invite is revoked or has expired', async () => {
    const [owner, revokedInvitee, expiredInvitee] = await members(url, 3, 'Lapsed');
    const group = await createGroup(url, owner!, { name: 'Lapsed Invites', visibility: 'PRIVATE' });
    const revokedId = await inviteDirectly(owner!, group.id, revokedInvitee!);
    const expiredId = await inviteDirectly(owner!, group.id, expiredInvitee!);
    expect((await viewerFields(revokedInvitee!, group.slug))!.viewerInvite).toMatchObject({ id: revokedId });
    expect((await viewerFields(expiredInvitee!, group.slug))!.viewerInvite).toMatchObject({ id: expiredId });

    expect((await mutate(url, owner!, 'revokeInvite', { inviteId: revokedId })).__typename).toBe('GroupInvitePayload');
    await db().groupInvite.update({
      where: { id: uuid(expiredId) },
      data: { expiresAt: new Date(Date.now() - 60_000) },
    });

    for (const who of [revokedInvitee!, expiredInvitee!]) {
      expect(await viewerFields(who, group.slug)).toMatchObject({ viewerStatus: 'NONE', viewerInvite: null });
      expect((await inviteNotification(who))!.invite).toBeNull();
    }
  });
});

describe('Notification.invite', () => {
  it('carries a live direct invite to a secret group, whose page loads through it, while the group stays hidden', async () => {
    const [owner, invitee, stranger] = await members(url, 3, 'Secret');
    const group = await createGroup(url, owner!, { name: 'Hidden Circle', visibility: 'SECRET' });
    const inviteId = await inviteDirectly(owner!, group.id, invitee!);

    // The group itself stays invisible by slug, even to the invitee: only the invite shows it.
    expect(await viewerFields(invitee!, group.slug)).toBeNull();
    expect(await viewerFields(stranger!, group.slug)).toBeNull();

    const notification = await inviteNotification(invitee!);
    expect(notification).toMatchObject({
      invite: { id: inviteId, group: { name: 'Hidden Circle', slug: group.slug, visibility: 'SECRET' } },
      href: `/groups/${group.slug}?invite=${encodeURIComponent(inviteId)}`,
    });

    // What the web page does with ?invite=…: load the invite by id, then accept it.
    const viaNode = await call(
      url,
      invitee!,
      'query($id: ID!) { node(id: $id) { ... on GroupInvite { id group { name slug } } } }',
      { id: inviteId },
    );
    expect(viaNode.node).toEqual({ id: inviteId, group: { name: 'Hidden Circle', slug: group.slug } });
    const viaNodeStranger = await call(url, stranger!, 'query($id: ID!) { node(id: $id) { id } }', { id: inviteId });
    expect(viaNodeStranger.node).toBeNull();
    expect(await inviteNotification(stranger!)).toBeNull();

    expect((await mutate(url, invitee!, 'acceptInvite', { inviteId })).__typename).toBe('GroupPayload');
    const after = await inviteNotification(invitee!);
    expect(after).toMatchObject({ invite: null, href: `/groups/${group.slug}`, group: { slug: group.slug } });
    expect(await viewerFields(invitee!, group.slug)).toMatchObject({ viewerStatus: 'MEMBER', viewerInvite: null });
  });
});

describe('Group.viewerJoinRequest', () => {
  it("is the requester's own pending request, invisible to others, and cancellable from a fresh query", async () => {
    const [owner, requester, stranger] = await members(url, 3, 'Asker');
    const group = await createGroup(url, owner!, { name: 'Ask First', visibility: 'PRIVATE' });
    const requested = await mutate(
      url,
      requester!,
      'requestToJoinGroup',
      { groupId: group.id, message: 'Hello there' },
      '... on JoinRequestPayload { joinRequest { id } }',
    );
    expect(requested.__typename).toBe('JoinRequestPayload');

    const seen = await viewerFields(requester!, group.slug);
    expect(seen).toMatchObject({
      viewerStatus: 'PENDING',
      viewerJoinRequest: { id: requested.joinRequest.id, status: 'PENDING', message: 'Hello there' },
    });
    expect((await viewerFields(owner!, group.slug))!.viewerJoinRequest).toBeNull();
    expect((await viewerFields(stranger!, group.slug))!.viewerJoinRequest).toBeNull();

    // Another tab or device knows only the group: the id comes from viewerJoinRequest.
    const cancelled = await mutate(url, requester!, 'cancelJoinRequest', { requestId: seen!.viewerJoinRequest!.id });
    expect(cancelled.__typename).toBe('JoinRequestPayload');
    expect(await viewerFields(requester!, group.slug)).toMatchObject({ viewerStatus: 'NONE', viewerJoinRequest: null });
  });

  it('is null once an admin approves or declines the request', async () => {
    const [owner, approved, declined] = await members(url, 3, 'Decided');
    const group = await createGroup(url, owner!, { name: 'Decided Guild', visibility: 'PRIVATE' });
    const ask = async (who: Member) =>
      (
        await mutate(
          url,
          who,
          'requestToJoinGroup',
          { groupId: group.id },
          '... on JoinRequestPayload { joinRequest { id } }',
        )
      ).joinRequest.id as string;
    const approvedId = await ask(approved!);
    const declinedId = await ask(declined!);
    expect((await mutate(url, owner!, 'approveJoinRequest', { requestId: approvedId })).__typename).toBe(
      'JoinRequestPayload',
    );
    expect((await mutate(url, owner!, 'declineJoinRequest', { requestId: declinedId })).__typename).toBe(
      'JoinRequestPayload',
    );
    expect(await viewerFields(approved!, group.slug)).toMatchObject({
      viewerStatus: 'MEMBER',
      viewerJoinRequest: null,
    });
    expect(await viewerFields(declined!, group.slug)).toMatchObject({ viewerStatus: 'NONE', viewerJoinRequest: null });
  });
});
