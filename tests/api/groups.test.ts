import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Member } from '../support/graphql.js';
import {
  call,
  createGroup,
  GROUP_FIELDS,
  type GroupFields,
  members,
  mutate,
  personId,
  userIdOf,
} from '../support/groups.js';
import { startServer, type TestServer } from '../support/server.js';

// Behaviour of groups: joining, requests, invites, roles, ownership, bans, chapters, search.

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

const GROUP = /* GraphQL */ `
  query G($slug: String!) { group(slug: $slug) { ...GroupFields } }
  ${GROUP_FIELDS}
`;

async function groupAs(who: Member, slug: string) {
  return (await call(url, who, GROUP, { slug })).group as GroupFields | null;
}

async function notificationsOf(member: Member) {
  return db().notification.findMany({ where: { recipientId: uuid(member.id) }, orderBy: { id: 'asc' } });
}

describe('creating groups', () => {
  it('makes the creator OWNER and generates a unique slug from the name', async () => {
    const [owner] = await members(url, 1);
    const first = await createGroup(url, owner!, { name: 'Rust Berlin!' });
    expect(first.slug).toMatch(/^rust-berlin(-\d+)?$/);
    const second = await createGroup(url, owner!, { name: 'Rust Berlin!' });
    expect(second.slug).not.toBe(first.slug);
    const seen = await groupAs(owner!, first.slug);
    expect(seen).toMatchObject({ viewerRole: 'OWNER', viewerStatus: 'MEMBER', memberCount: 1 });
    expect(seen!.viewerPermissions).toMatchObject({ edit: true, changeRoles: true, createChapters: true });
  });

  it('refuses a taken slug with ConflictError SLUG_TAKEN', async () => {
    const [owner] = await members(url, 1);
    const slug = `taken-${Date.now().toString(36)}`;
    await createGroup(url, owner!, { name: 'One', slug });
    const again = await mutate(url, owner!, 'createGroup', {
      name: 'Two',
      slug,
      kind: 'COMMUNITY',
      visibility: 'PUBLIC',
    });
    expect(again).toMatchObject({ __typename: 'ConflictError', code: 'SLUG_TAKEN' });
  });

  it('validates kind-specific fields: alumni need an institution, only programs take an email domain', async () => {
    const [owner] = await members(url, 1);
    const alumni = await mutate(url, owner!, 'createGroup', { name: 'Alumni', kind: 'ALUMNI', visibility: 'PUBLIC' });
    expect(alumni.__typename).toBe('ValidationError');
    expect(alumni.fieldErrors.map((e: { path: string }) => e.path)).toContain('institution');
    const domain = await mutate(url, owner!, 'createGroup', {
      name: 'Comm',
      kind: 'COMMUNITY',
      visibility: 'PUBLIC',
      allowedEmailDomain: 'acme.com',
    });
    expect(domain.__typename).toBe('ValidationError');
    const ok = await mutate(
      url,
      owner!,
      'createGroup',
      { name: 'TU Alumni 2019', kind: 'ALUMNI', visibility: 'PUBLIC', institution: 'TU Berlin', graduationYear: 2019 },
      '... on GroupPayload { group { institution graduationYear } }',
    );
    expect(ok.group).toEqual({ institution: 'TU Berlin', graduationYear: 2019 });
  });

  it('lets only admins edit a group; a member gets ForbiddenError, a stranger to a secret group NotFoundError', async () => {
    const [owner, member, stranger] = await members(url, 3);
    const group = await createGroup(url, owner!, { name: 'Editable' });
    await mutate(url, member!, 'joinGroup', { groupId: group.id });
    const byMember = await mutate(url, member!, 'updateGroup', { groupId: group.id, name: 'Hacked' });
    expect(byMember.__typename).toBe('ForbiddenError');
    const byOwner = await mutate(
      url,
      owner!,
      'updateGroup',
      { groupId: group.id, name: 'Edited', description: 'Now with a description' },
      '... on GroupPayload { group { name description } }',
    );
    expect(byOwner.group).toEqual({ name: 'Edited', description: 'Now with a description' });
    const secret = await createGroup(url, owner!, { name: 'Hidden', visibility: 'SECRET' });
    const byStranger = await mutate(url, stranger!, 'updateGroup', { groupId: secret.id, name: 'Found you' });
    expect(byStranger.__typename).toBe('NotFoundError');
  });
});

describe('joining', () => {
  it('lets anyone signed in join a PUBLIC group but asks for a request on a PRIVATE one', async () => {
    const [owner, joiner] = await members(url, 2);
    const open = await createGroup(url, owner!, { name: 'Open Doors' });
    const joined = await mutate(
      url,
      joiner!,
      'joinGroup',
      { groupId: open.id },
      '... on GroupPayload { group { viewerRole memberCount } }',
    );
    expect(joined.group).toEqual({ viewerRole: 'MEMBER', memberCount: 2 });
    const closed = await createGroup(url, owner!, { name: 'Closed Doors', visibility: 'PRIVATE' });
    expect(await mutate(url, joiner!, 'joinGroup', { groupId: closed.id })).toMatchObject({ code: 'REQUEST_REQUIRED' });
  });

  it('does not let the owner leave without transferring ownership, then lets them leave as admin', async () => {
    const [owner, heir] = await members(url, 2);
    const group = await createGroup(url, owner!, { name: 'Succession' });
    expect(await mutate(url, owner!, 'leaveGroup', { groupId: group.id })).toMatchObject({
      __typename: 'ConflictError',
      code: 'OWNER_MUST_TRANSFER',
    });
    await mutate(url, heir!, 'joinGroup', { groupId: group.id });
    const transfer = await mutate(
      url,
      owner!,
      'transferOwnership',
      { groupId: group.id, personId: personId(heir!) },
      '... on GroupMemberPayload { member { role } }',
    );
    expect(transfer.member).toEqual({ role: 'OWNER' });
    expect((await groupAs(owner!, group.slug))!.viewerRole).toBe('ADMIN');
    expect((await mutate(url, owner!, 'leaveGroup', { groupId: group.id })).__typename).toBe('GroupPayload');
    expect((await notificationsOf(heir!)).map((n) => n.kind)).toContain('ROLE_CHANGED');
  });

  it('admits PROGRAM members only with a verified email on the allowed domain (verification by emailed link)', async () => {
    const [owner] = await members(url, 1);
    const domain = `acme-${Date.now().toString(36)}.com`;
    const employee = (await members(url, 1))[0]!;
    // Give the employee an address on the domain, then verify it through the emailed link.
    await db().user.update({ where: { id: uuid(employee.id) }, data: { email: `emp-${Date.now()}@${domain}` } });
    const program = await createGroup(url, owner!, {
      name: 'Acme mentoring',
      kind: 'PROGRAM',
      allowedEmailDomain: domain,
    });
    expect(await mutate(url, employee, 'joinGroup', { groupId: program.id })).toMatchObject({
      code: 'DOMAIN_NOT_ALLOWED',
    });

    const requested = await call(
      url,
      employee,
      'mutation { requestEmailVerification { __typename ... on RequestEmailVerificationPayload { sent } } }',
    );
    expect(requested.requestEmailVerification).toEqual({ __typename: 'RequestEmailVerificationPayload', sent: true });
    const mail = await db().emailOutbox.findFirstOrThrow({
      where: { toUserId: uuid(employee.id) },
      orderBy: { id: 'desc' },
    });
    const token = /token=([\w-]+)/.exec(JSON.stringify(mail.data))![1]!;
    const stored = await db().emailVerification.findFirstOrThrow({ where: { userId: uuid(employee.id) } });
    expect(Buffer.from(stored.tokenHash).toString('base64url')).not.toBe(token);
    const verified = await mutate(
      url,
      employee,
      'verifyEmail',
      { token },
      '... on VerifyEmailPayload { viewer { emailVerifiedAt } }',
    );
    expect(verified.viewer.emailVerifiedAt).toBeTruthy();
    expect((await mutate(url, employee, 'joinGroup', { groupId: program.id })).__typename).toBe('GroupPayload');

    const outsider = (await members(url, 1))[0]!;
    await db().user.update({ where: { id: uuid(outsider.id) }, data: { emailVerifiedAt: new Date() } });
    expect(await mutate(url, outsider, 'joinGroup', { groupId: program.id })).toMatchObject({
      code: 'DOMAIN_NOT_ALLOWED',
    });
  });
});

describe('email verification', () => {
  it('accepts only your own, unused, unexpired token', async () => {
    const [alice, mallory] = await members(url, 2);
    await call(url, alice!, 'mutation { requestEmailVerification { __typename } }');
    const mail = await db().emailOutbox.findFirstOrThrow({
      where: { toUserId: uuid(alice!.id) },
      orderBy: { id: 'desc' },
    });
    const token = /token=([\w-]+)/.exec(JSON.stringify(mail.data))![1]!;
    expect((await mutate(url, mallory!, 'verifyEmail', { token })).__typename).toBe('NotFoundError');
    expect((await mutate(url, alice!, 'verifyEmail', { token: 'wrong' })).__typename).toBe('NotFoundError');
    await db().emailVerification.updateMany({
      where: { userId: uuid(alice!.id) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await mutate(url, alice!, 'verifyEmail', { token })).toMatchObject({ code: 'TOKEN_EXPIRED' });
    expect((await db().user.findUniqueOrThrow({ where: { id: uuid(alice!.id) } })).emailVerifiedAt).toBeNull();
  });
});

describe('leaving, removal and bans free event seats', () => {
  it('passes the seat of a member who leaves, is removed or is banned to the head of the waitlist', async () => {
    const [owner, a, b, c, d] = await members(url, 5);
    const group = await createGroup(url, owner!, { name: 'Seat Club' });
    for (const m of [a, b, c, d]) await mutate(url, m!, 'joinGroup', { groupId: group.id });
    const start = new Date(Date.now() + 86_400_000);
    const event = await db().event.create({
      data: {
        groupId: uuid(group.id),
        title: 'One seat',
        startsAt: start,
        endsAt: new Date(start.getTime() + 3_600_000),
        timeZone: 'UTC',
        capacity: 1,
      },
    });
    const rsvp = (m: Member, status: 'GOING' | 'WAITLISTED', at: number) =>
      db().rsvp.create({
        data: {
          eventId: event.id,
          userId: uuid(m.id),
          status,
          waitlistedAt: status === 'WAITLISTED' ? new Date(at) : null,
        },
      });
    await rsvp(a!, 'GOING', 0);
    await rsvp(b!, 'WAITLISTED', 1000);
    await rsvp(c!, 'WAITLISTED', 2000);
    await rsvp(d!, 'WAITLISTED', 3000);
    const going = async () =>
      (await db().rsvp.findMany({ where: { eventId: event.id, status: 'GOING' } })).map((r) => r.userId);

    await mutate(url, a!, 'leaveGroup', { groupId: group.id });
    expect(await going()).toEqual([uuid(b!.id)]);
    await mutate(url, owner!, 'removeMember', { groupId: group.id, personId: personId(b!) });
    expect(await going()).toEqual([uuid(c!.id)]);
    await mutate(url, owner!, 'banMember', { groupId: group.id, personId: personId(c!) });
    expect(await going()).toEqual([uuid(d!.id)]);
    expect((await notificationsOf(d!)).map((n) => n.kind)).toContain('WAITLIST_PROMOTED');
  });
});

describe('join requests', () => {
  it('runs request → notification to every moderator and up → approval → membership, with notifications', async () => {
    const [owner, admin, moderator, plain, asker] = await members(url, 5);
    const group = await createGroup(url, owner!, { name: 'Request Club', visibility: 'PRIVATE' });
    for (const [who, role] of [
      [admin, 'ADMIN'],
      [moderator, 'MODERATOR'],
      [plain, 'MEMBER'],
    ] as const) {
      await db().membership.create({ data: { groupId: uuid(group.id), userId: uuid(who!.id), role } });
    }
    const request = await mutate(
      url,
      asker!,
      'requestToJoinGroup',
      { groupId: group.id, message: 'I run the Rust meetup.' },
      '... on JoinRequestPayload { joinRequest { id status message } }',
    );
    expect(request.joinRequest).toMatchObject({ status: 'PENDING', message: 'I run the Rust meetup.' });
    for (const staff of [owner, admin, moderator]) {
      expect((await notificationsOf(staff!)).map((n) => n.kind)).toContain('JOIN_REQUEST_RECEIVED');
    }
    expect((await notificationsOf(plain!)).map((n) => n.kind)).not.toContain('JOIN_REQUEST_RECEIVED');
    expect((await groupAs(asker!, group.slug))!.viewerStatus).toBe('PENDING');
    expect(await mutate(url, asker!, 'requestToJoinGroup', { groupId: group.id })).toMatchObject({
      code: 'ALREADY_PENDING',
    });

    const list = await call(
      url,
      moderator!,
      `query($slug: String!) { group(slug: $slug) { joinRequests { totalCount edges { node { id person { name } } } } } }`,
      { slug: group.slug },
    );
    expect(list.group.joinRequests.totalCount).toBe(1);

    expect((await mutate(url, plain!, 'approveJoinRequest', { requestId: request.joinRequest.id })).__typename).toBe(
      'NotFoundError',
    );
    expect((await mutate(url, asker!, 'approveJoinRequest', { requestId: request.joinRequest.id })).__typename).toBe(
      'ForbiddenError',
    );
    const approved = await mutate(
      url,
      moderator!,
      'approveJoinRequest',
      { requestId: request.joinRequest.id },
      '... on JoinRequestPayload { joinRequest { status decidedAt } }',
    );
    expect(approved.joinRequest.status).toBe('APPROVED');
    expect((await groupAs(asker!, group.slug))!.viewerRole).toBe('MEMBER');
    expect((await notificationsOf(asker!)).map((n) => n.kind)).toContain('JOIN_REQUEST_APPROVED');
    expect(await mutate(url, admin!, 'declineJoinRequest', { requestId: request.joinRequest.id })).toMatchObject({
      code: 'NOT_PENDING',
    });
  });

  it('declines with a notification, lets the requester ask again, and lets them cancel their own request', async () => {
    const [owner, asker, other] = await members(url, 3);
    const group = await createGroup(url, owner!, { name: 'Picky Club', visibility: 'PRIVATE' });
    const first = await mutate(
      url,
      asker!,
      'requestToJoinGroup',
      { groupId: group.id },
      '... on JoinRequestPayload { joinRequest { id } }',
    );
    expect(
      (
        await mutate(
          url,
          owner!,
          'declineJoinRequest',
          { requestId: first.joinRequest.id },
          '... on JoinRequestPayload { joinRequest { status } }',
        )
      ).joinRequest.status,
    ).toBe('DECLINED');
    expect((await notificationsOf(asker!)).map((n) => n.kind)).toContain('JOIN_REQUEST_DECLINED');
    const again = await mutate(
      url,
      asker!,
      'requestToJoinGroup',
      { groupId: group.id, message: 'Please?' },
      '... on JoinRequestPayload { joinRequest { id status } }',
    );
    expect(again.joinRequest.status).toBe('PENDING');
    expect((await mutate(url, other!, 'cancelJoinRequest', { requestId: again.joinRequest.id })).__typename).toBe(
      'NotFoundError',
    );
    expect(
      (
        await mutate(
          url,
          asker!,
          'cancelJoinRequest',
          { requestId: again.joinRequest.id },
          '... on JoinRequestPayload { joinRequest { status } }',
        )
      ).joinRequest.status,
    ).toBe('CANCELLED');
  });

  it('rejects a message over 500 characters instead of cutting it', async () => {
    const [owner, asker] = await members(url, 2);
    const group = await createGroup(url, owner!, { name: 'Wordy Club', visibility: 'PRIVATE' });
    const result = await mutate(url, asker!, 'requestToJoinGroup', { groupId: group.id, message: 'x'.repeat(501) });
    expect(result.__typename).toBe('ValidationError');
    expect(result.fieldErrors[0].path).toBe('message');
  });
});

describe('invites', () => {
  const LINK = '... on InviteLinkPayload { token url invite { id uses maxUses expiresAt } }';

  it('creates a link whose token has at least 128 bits, stores only its SHA-256 and admits members by it', async () => {
    const [owner, guest] = await members(url, 2);
    const group = await createGroup(url, owner!, { name: 'Secret Society', visibility: 'SECRET' });
    const link = await mutate(
      url,
      owner!,
      'createInviteLink',
      { groupId: group.id, maxUses: 5, expiresInHours: 24 },
      LINK,
    );
    expect(Buffer.from(link.token, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(link.url).toBe(`/invites/${link.token}`);
    const row = await db().groupInvite.findUniqueOrThrow({ where: { id: uuid(link.invite.id) } });
    expect(Buffer.from(row.tokenHash!).toString('base64url')).not.toBe(link.token);
    expect(await groupAs(guest!, group.slug)).toBeNull();
    expect((await mutate(url, guest!, 'acceptInvite', { token: link.token })).__typename).toBe('GroupPayload');
    expect((await groupAs(guest!, group.slug))!.viewerRole).toBe('MEMBER');
    expect(await mutate(url, guest!, 'acceptInvite', { token: 'not-a-real-token' })).toMatchObject({
      __typename: 'NotFoundError',
    });
  });

  it('refuses an expired, a revoked and a used-up link with typed conflicts', async () => {
    const [owner, a, b, c] = await members(url, 4);
    const group = await createGroup(url, owner!, { name: 'Limited Club', visibility: 'PRIVATE' });
    const expired = await mutate(url, owner!, 'createInviteLink', { groupId: group.id, expiresInHours: 1 }, LINK);
    await db().groupInvite.update({
      where: { id: uuid(expired.invite.id) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await mutate(url, a!, 'acceptInvite', { token: expired.token })).toMatchObject({ code: 'INVITE_EXPIRED' });

    const revoked = await mutate(url, owner!, 'createInviteLink', { groupId: group.id }, LINK);
    expect(
      (
        await mutate(
          url,
          owner!,
          'revokeInvite',
          { inviteId: revoked.invite.id },
          '... on GroupInvitePayload { invite { revokedAt } }',
        )
      ).invite.revokedAt,
    ).toBeTruthy();
    expect(await mutate(url, a!, 'acceptInvite', { token: revoked.token })).toMatchObject({ code: 'INVITE_REVOKED' });

    const single = await mutate(url, owner!, 'createInviteLink', { groupId: group.id, maxUses: 1 }, LINK);
    expect((await mutate(url, b!, 'acceptInvite', { token: single.token })).__typename).toBe('GroupPayload');
    expect(await mutate(url, c!, 'acceptInvite', { token: single.token })).toMatchObject({ code: 'INVITE_USED_UP' });
  });

  it('admits exactly one member when many accept a single-use link at the same moment', async () => {
    const [owner] = await members(url, 1);
    const racers = await members(url, 8, 'Racer');
    const group = await createGroup(url, owner!, { name: 'Race Club', visibility: 'SECRET' });
    const link = await mutate(url, owner!, 'createInviteLink', { groupId: group.id, maxUses: 1 }, LINK);
    const results = await Promise.all(racers.map((racer) => mutate(url, racer, 'acceptInvite', { token: link.token })));
    const winners = results.filter((r) => r.__typename === 'GroupPayload');
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.code === 'INVITE_USED_UP')).toHaveLength(racers.length - 1);
    expect(await db().membership.count({ where: { groupId: uuid(group.id) } })).toBe(2);
    expect((await db().groupInvite.findUniqueOrThrow({ where: { id: uuid(link.invite.id) } })).uses).toBe(1);
  });

  it('invites a member directly: they are notified, see INVITED, and accept by invite id', async () => {
    const [owner, invitee, other] = await members(url, 3);
    const group = await createGroup(url, owner!, { name: 'Direct Club', visibility: 'PRIVATE' });
    const invite = await mutate(
      url,
      owner!,
      'inviteMember',
      { groupId: group.id, personId: personId(invitee!) },
      '... on GroupInvitePayload { invite { id invitee { name } } }',
    );
    expect(invite.__typename).toBe('GroupInvitePayload');
    expect((await notificationsOf(invitee!)).map((n) => n.kind)).toContain('GROUP_INVITE');
    expect((await groupAs(invitee!, group.slug))!.viewerStatus).toBe('INVITED');
    expect((await mutate(url, other!, 'acceptInvite', { inviteId: invite.invite.id })).__typename).toBe(
      'NotFoundError',
    );
    expect((await mutate(url, invitee!, 'acceptInvite', { inviteId: invite.invite.id })).__typename).toBe(
      'GroupPayload',
    );
    expect((await groupAs(invitee!, group.slug))!.viewerStatus).toBe('MEMBER');
  });
});

describe('roles and bans', () => {
  async function staffedGroup() {
    const [owner, admin, moderator, member, outsider] = await members(url, 5);
    const group = await createGroup(url, owner!, { name: 'Staffed', visibility: 'PUBLIC' });
    for (const [who, role] of [
      [admin, 'ADMIN'],
      [moderator, 'MODERATOR'],
      [member, 'MEMBER'],
    ] as const) {
      await db().membership.create({ data: { groupId: uuid(group.id), userId: uuid(who!.id), role } });
    }
    return { group, owner: owner!, admin: admin!, moderator: moderator!, member: member!, outsider: outsider! };
  }

  it('lets roles act only on members below them and never hands out OWNER through changeMemberRole', async () => {
    const { group, owner, admin, moderator, member } = await staffedGroup();
    const role = (who: Member, target: Member, r: string) =>
      mutate(
        url,
        who,
        'changeMemberRole',
        { groupId: group.id, personId: personId(target), role: r },
        '... on GroupMemberPayload { member { role } }',
      );
    expect((await role(admin, member, 'MODERATOR')).member).toEqual({ role: 'MODERATOR' });
    expect((await notificationsOf(member)).map((n) => n.kind)).toContain('ROLE_CHANGED');
    expect((await role(admin, member, 'ADMIN')).__typename).toBe('ForbiddenError');
    expect((await role(admin, owner, 'MEMBER')).__typename).toBe('ForbiddenError');
    expect((await role(moderator, member, 'MEMBER')).__typename).toBe('ForbiddenError');
    expect((await role(owner, admin, 'OWNER')).__typename).toBe('ValidationError');
    expect((await role(owner, member, 'ADMIN')).member).toEqual({ role: 'ADMIN' });
    expect(
      (await mutate(url, admin, 'removeMember', { groupId: group.id, personId: personId(member) })).__typename,
    ).toBe('ForbiddenError');
    expect(
      (await mutate(url, moderator, 'removeMember', { groupId: group.id, personId: personId(admin) })).__typename,
    ).toBe('ForbiddenError');
  });

  it('bans a member: removed, cannot rejoin, request or accept an invite; unban lets them ask again', async () => {
    const [owner, troll] = await members(url, 2);
    const group = await createGroup(url, owner!, { name: 'Moderated', visibility: 'PRIVATE' });
    const link = await mutate(
      url,
      owner!,
      'createInviteLink',
      { groupId: group.id },
      '... on InviteLinkPayload { token }',
    );
    await mutate(url, troll!, 'acceptInvite', { token: link.token });
    const ban = await mutate(
      url,
      owner!,
      'banMember',
      { groupId: group.id, personId: personId(troll!), reason: 'Spam' },
      '... on GroupMemberPayload { member { role } group { memberCount } }',
    );
    expect(ban).toMatchObject({ __typename: 'GroupMemberPayload', member: null, group: { memberCount: 1 } });
    expect((await groupAs(troll!, group.slug))!.viewerStatus).toBe('BANNED');
    expect(await mutate(url, troll!, 'requestToJoinGroup', { groupId: group.id })).toMatchObject({ code: 'BANNED' });
    expect(await mutate(url, troll!, 'acceptInvite', { token: link.token })).toMatchObject({ code: 'BANNED' });
    expect(await mutate(url, owner!, 'inviteMember', { groupId: group.id, personId: personId(troll!) })).toMatchObject({
      code: 'BANNED',
    });
    const bans = await call(
      url,
      owner!,
      `query($slug: String!) { group(slug: $slug) { bans { edges { node { reason person { name } } } } } }`,
      { slug: group.slug },
    );
    expect(bans.group.bans.edges).toHaveLength(1);
    expect(bans.group.bans.edges[0].node.reason).toBe('Spam');
    expect(
      (await mutate(url, owner!, 'unbanMember', { groupId: group.id, personId: personId(troll!) })).__typename,
    ).toBe('GroupMemberPayload');
    expect((await mutate(url, troll!, 'requestToJoinGroup', { groupId: group.id })).__typename).toBe(
      'JoinRequestPayload',
    );
  });

  it('keeps a banned member out of a public group too', async () => {
    const { group, moderator, outsider } = await staffedGroup();
    await mutate(url, outsider, 'joinGroup', { groupId: group.id });
    expect(
      (await mutate(url, moderator, 'banMember', { groupId: group.id, personId: personId(outsider) })).__typename,
    ).toBe('GroupMemberPayload');
    expect(await mutate(url, outsider, 'joinGroup', { groupId: group.id })).toMatchObject({ code: 'BANNED' });
  });
});

describe('turning a group secret', () => {
  it('makes its chapters secret and closes pending requests, so the requester no longer sees either', async () => {
    const [owner, asker] = await members(url, 2);
    const group = await createGroup(url, owner!, { name: 'Going dark', visibility: 'PRIVATE' });
    const chapter = await createGroup(url, owner!, {
      name: 'Going dark Rome',
      visibility: 'PRIVATE',
      parentId: group.id,
    });
    const request = await mutate(
      url,
      asker!,
      'requestToJoinGroup',
      { groupId: group.id },
      '... on JoinRequestPayload { joinRequest { id } }',
    );
    expect((await mutate(url, owner!, 'updateGroup', { groupId: group.id, visibility: 'SECRET' })).__typename).toBe(
      'GroupPayload',
    );
    expect(await groupAs(asker!, group.slug)).toBeNull();
    expect(await groupAs(asker!, chapter.slug)).toBeNull();
    const node = await call(url, asker!, 'query($id: ID!) { node(id: $id) { id } }', { id: request.joinRequest.id });
    expect(node.node).toBeNull();
    expect((await db().joinRequest.findUniqueOrThrow({ where: { id: uuid(request.joinRequest.id) } })).status).toBe(
      'CANCELLED',
    );
    expect((await mutate(url, owner!, 'updateGroup', { groupId: chapter.id, visibility: 'PUBLIC' })).__typename).toBe(
      'ValidationError',
    );
  });
});

describe('chapters', () => {
  it('allows one level, only for owner or admin of the parent, and keeps chapters of a secret group secret', async () => {
    const [owner, member] = await members(url, 2);
    const parent = await createGroup(url, owner!, { name: 'Uni Alumni', kind: 'ALUMNI', institution: 'Uni' });
    await mutate(url, member!, 'joinGroup', { groupId: parent.id });
    const chapter = await createGroup(url, owner!, {
      name: 'Uni Alumni Berlin',
      kind: 'ALUMNI',
      institution: 'Uni',
      parentId: parent.id,
    });
    expect(
      (
        await mutate(url, member!, 'createGroup', {
          name: 'Rogue chapter',
          kind: 'COMMUNITY',
          visibility: 'PUBLIC',
          parentId: parent.id,
        })
      ).__typename,
    ).toBe('ForbiddenError');
    const nested = await mutate(url, owner!, 'createGroup', {
      name: 'Too deep',
      kind: 'COMMUNITY',
      visibility: 'PUBLIC',
      parentId: chapter.id,
    });
    expect(nested.__typename).toBe('ValidationError');
    const page = await call(
      url,
      member!,
      `query($slug: String!) { group(slug: $slug) { chapters { totalCount edges { node { name parent { name } } } } } }`,
      { slug: parent.slug },
    );
    expect(page.group.chapters.totalCount).toBe(1);
    expect(page.group.chapters.edges[0].node).toEqual({ name: 'Uni Alumni Berlin', parent: { name: 'Uni Alumni' } });

    const secret = await createGroup(url, owner!, { name: 'Hidden Alumni', visibility: 'SECRET' });
    const secretChapter = await createGroup(url, owner!, {
      name: 'Hidden Alumni Paris',
      visibility: 'PUBLIC',
      parentId: secret.id,
    });
    expect(secretChapter.visibility).toBe('SECRET');
    expect(await groupAs(member!, secretChapter.slug)).toBeNull();
    // A member of the secret chapter alone sees the chapter but not its secret parent.
    await db().membership.create({ data: { groupId: uuid(secretChapter.id), userId: uuid(member!.id) } });
    const seen = await call(url, member!, `query($slug: String!) { group(slug: $slug) { name parent { name } } }`, {
      slug: secretChapter.slug,
    });
    expect(seen.group).toEqual({ name: 'Hidden Alumni Paris', parent: null });
    const ownerView = await call(
      url,
      owner!,
      `query($slug: String!) { group(slug: $slug) { parent { name viewerRole } } }`,
      { slug: secretChapter.slug },
    );
    expect(ownerView.group.parent).toEqual({ name: 'Hidden Alumni', viewerRole: 'OWNER' });
  });
});

describe('listing and search', () => {
  it('finds groups by text and kind, lists mine, chapters by parentId and hides secret ones from strangers', async () => {
    const [owner, viewer] = await members(url, 2);
    const tag = Date.now().toString(36);
    const pub = await createGroup(url, owner!, { name: `Kotlin ${tag}`, description: 'JVM folks' });
    await createGroup(url, owner!, { name: `Kotlin secret ${tag}`, visibility: 'SECRET' });
    const alumni = await createGroup(url, owner!, {
      name: `Kotlin alumni ${tag}`,
      kind: 'ALUMNI',
      institution: 'Kotlin Academy',
      visibility: 'PRIVATE',
    });
    const SEARCH = `query($filter: GroupsFilter) { groups(filter: $filter, first: 50) { totalCount edges { node { name } } } }`;
    const names = async (who: Member, filter: Record<string, unknown>) =>
      ((await call(url, who, SEARCH, { filter })).groups.edges as Array<{ node: { name: string } }>).map(
        (e) => e.node.name,
      );
    expect((await names(viewer!, { text: tag })).sort()).toEqual([`Kotlin ${tag}`, `Kotlin alumni ${tag}`].sort());
    expect((await names(owner!, { text: tag })).length).toBe(3);
    expect(await names(viewer!, { text: tag, kind: 'ALUMNI' })).toEqual([`Kotlin alumni ${tag}`]);
    await mutate(url, viewer!, 'joinGroup', { groupId: pub.id });
    expect(await names(viewer!, { mine: true })).toEqual([`Kotlin ${tag}`]);
    const chapter = await createGroup(url, owner!, {
      name: `Kotlin alumni Lagos ${tag}`,
      kind: 'ALUMNI',
      institution: 'Kotlin Academy',
      parentId: alumni.id,
    });
    expect(await names(viewer!, { parentId: alumni.id })).toEqual([chapter.name]);
    expect((await call(url, null, SEARCH, { filter: { text: tag } })).groups).toEqual({ totalCount: 0, edges: [] });
  });

  it('finds groups my connections are in: groups of people who share a group with me, never their secret ones', async () => {
    const [me, friend, stranger] = await members(url, 3);
    const tag = Date.now().toString(36);
    const shared = await createGroup(url, me!, { name: `Shared ${tag}` });
    await mutate(url, friend!, 'joinGroup', { groupId: shared.id });
    await createGroup(url, friend!, { name: `Friend public ${tag}` });
    await createGroup(url, friend!, { name: `Friend secret ${tag}`, visibility: 'SECRET' });
    await createGroup(url, stranger!, { name: `Stranger public ${tag}` });
    const result = await call(
      url,
      me!,
      `query($filter: GroupsFilter) { groups(filter: $filter) { edges { node { name } } } }`,
      { filter: { connections: true, text: tag } },
    );
    const names = result.groups.edges.map((e: { node: { name: string } }) => e.node.name).sort();
    expect(names).toEqual([`Friend public ${tag}`, `Shared ${tag}`].sort());
  });

  it('lists Viewer.groups and Person.sharedGroups, and searches members by name and role', async () => {
    const [me, other] = await members(url, 2);
    await db().user.update({ where: { id: uuid(other!.id) }, data: { name: 'Zelda Searchable' } });
    const group = await createGroup(url, me!, { name: 'Both of us' });
    await mutate(url, other!, 'joinGroup', { groupId: group.id });
    await createGroup(url, other!, { name: 'Only them', visibility: 'SECRET' });
    const mine = await call(url, me!, '{ viewer { groups { totalCount edges { node { name } } } } }');
    expect(mine.viewer.groups.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['Both of us']);
    const shared = await call(
      url,
      me!,
      `query($id: ID!) { person: node(id: $id) { ... on Person { sharedGroups { totalCount edges { node { name } } } } } }`,
      { id: personId(other!) },
    );
    expect(shared.person.sharedGroups).toEqual({ totalCount: 1, edges: [{ node: { name: 'Both of us' } }] });
    const found = await call(
      url,
      me!,
      `query($slug: String!) { group(slug: $slug) { members(search: "zelda") { totalCount edges { node { role person { name } } } } owners: members(role: OWNER) { totalCount } } }`,
      { slug: group.slug },
    );
    expect(found.group.members).toEqual({
      totalCount: 1,
      edges: [{ node: { role: 'MEMBER', person: { name: 'Zelda Searchable' } } }],
    });
    expect(found.group.owners.totalCount).toBe(1);
  });
});
