import { createHash, randomBytes } from 'node:crypto';
import type { Context } from '../../context.js';
import type { DbClient } from '../../db.js';
import type { GroupKind, GroupRole, GroupVisibility } from '../../generated/prisma/enums.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { type CreatedNotification, notify, publishNotifications } from '../notifications/index.js';
import {
  groupInvited,
  joinRequestApproved,
  joinRequestDeclined,
  joinRequestReceived,
  roleChanged,
} from './group.notifications.js';
import { encodeGlobalId } from '../../lib/global-id.js';
import {
  can,
  chapterVisibility,
  emailDomainAllowed,
  hiddenFromOutsiders,
  holdsOwnership,
  joinPathOf,
  mayAssignRole,
  outranks,
  rolesWith,
  visibleGroupsWhere,
} from './groups.policy.js';
import { releaseMemberRsvps } from './events/events.service.js';
import { slugify } from './groups.inputs.js';
import { forgetViewerGroupState } from './viewer-state.js';
import { groupCreated, membershipEnded } from './group-hooks.js';

// Every write of the groups module: one transaction each, notifications stored inside it and
// pushed live only after it commits. Callers pass decoded row ids and validated input.

type Ctx = Pick<Context, 'db' | 'pubsub' | 'viewer'>;

const INVITE_TOKEN_BYTES = 32; // 256 bits

export function hashInviteToken(token: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash('sha256').update(token).digest());
}

function viewerIdOf(ctx: Ctx): string {
  if (!ctx.viewer) throw new ForbiddenError('Sign in to do this.');
  return ctx.viewer.id;
}

function notifyRoleChanged(tx: DbClient, groupId: string, personId: string, actorId: string) {
  return notify(tx, {
    recipientIds: [personId],
    kind: roleChanged,
    actorId,
    subjectId: encodeGlobalId('Group', groupId),
    data: { groupId },
  });
}

/** Runs `work` in one transaction, then publishes the notifications it created. */
async function transact<T>(ctx: Ctx, work: (tx: DbClient, notes: CreatedNotification[]) => Promise<T>): Promise<T> {
  const notes: CreatedNotification[] = [];
  const result = await ctx.db.$transaction((tx) => work(tx, notes));
  forgetViewerGroupState(ctx);
  publishNotifications(ctx.pubsub, notes);
  return result;
}

interface ActorView {
  id: string;
  visibility: GroupVisibility;
  parentId: string | null;
  allowedEmailDomain: string | null;
  role: GroupRole | null;
}

/** The group as the viewer sees it; NotFoundError when they may not see it at all. */
async function groupForViewer(tx: DbClient, groupId: string, viewerId: string): Promise<ActorView> {
  const group = await tx.group.findFirst({
    where: { id: groupId, AND: [visibleGroupsWhere(viewerId)] },
    select: {
      id: true,
      visibility: true,
      parentId: true,
      allowedEmailDomain: true,
      memberships: { where: { userId: viewerId }, select: { role: true } },
    },
  });
  if (!group) throw new NotFoundError('That group');
  return { ...group, role: group.memberships[0]?.role ?? null };
}

/**
 * Serialises every membership change of one group: taken first in each such transaction, so the
 * roles, bans and invites read after it are the committed ones (READ COMMITTED re-reads per
 * statement) and no two writers act on the same stale state.
 */
export async function lockGroup(tx: DbClient, groupId: string): Promise<void> {
  await tx.$queryRaw`SELECT "id" FROM "Group" WHERE "id" = ${groupId}::uuid FOR UPDATE`;
}

/**
 * Hides a group from everyone but its members, or shows it again (null): the instance's admins,
 * through modules/safety, in their transaction. Takes the group row first (lock order). Hiding a
 * hidden group keeps the instant it was first hidden. Returns the state before, or undefined when
 * there is no such group.
 */
export async function setGroupHiddenInTransaction(
  tx: DbClient,
  groupId: string,
  hiddenAt: Date | null,
): Promise<{ hiddenAt: Date | null } | undefined> {
  const rows = await tx.$queryRaw<Array<{ hiddenAt: Date | null }>>`
    SELECT "hiddenAt" FROM "Group" WHERE "id" = ${groupId}::uuid FOR UPDATE`;
  const before = rows[0];
  if (before) {
    const next = hiddenAt && (before.hiddenAt ?? hiddenAt);
    await tx.group.update({ where: { id: groupId }, data: { hiddenAt: next }, select: { id: true } });
  }
  return before;
}

/** A lost race: the member was removed or their role changed by someone else meanwhile. */
function memberChanged(): ConflictError {
  return new ConflictError('MEMBER_CHANGED', 'That member’s role changed meanwhile; reload and try again.');
}

function requireRole(group: ActorView, action: Parameters<typeof can>[1]): GroupRole {
  if (!can(group.role, action)) throw new ForbiddenError();
  return group.role!;
}

async function isBanned(tx: DbClient, groupId: string, userId: string): Promise<boolean> {
  return (await tx.groupBan.count({ where: { groupId, userId } })) > 0;
}

async function assertDomain(tx: DbClient, allowedEmailDomain: string | null, userId: string): Promise<void> {
  if (!allowedEmailDomain) return;
  const user = await tx.user.findUniqueOrThrow({
    where: { id: userId },
    select: { email: true, emailVerifiedAt: true },
  });
  if (!emailDomainAllowed(allowedEmailDomain, user)) {
    throw new ConflictError(
      'DOMAIN_NOT_ALLOWED',
      `Only members with a verified @${allowedEmailDomain} email address may join this group.`,
    );
  }
}

async function moderatorIds(tx: DbClient, groupId: string): Promise<string[]> {
  const rows = await tx.membership.findMany({
    where: { groupId, role: { in: rolesWith('approveRequests') } },
    select: { userId: true },
  });
  return rows.map((row) => row.userId);
}

/** Adds a member; false when they already were one. */
async function addMember(tx: DbClient, groupId: string, userId: string, role: GroupRole = 'MEMBER'): Promise<boolean> {
  const created = await tx.membership.createMany({ data: [{ groupId, userId, role }], skipDuplicates: true });
  return created.count === 1;
}

// ── groups ──────────────────────────────────────────────────────────────

export interface CreateGroupData {
  name: string;
  slug?: string | null;
  description?: string | null;
  kind: GroupKind;
  visibility: GroupVisibility;
  institution?: string | null;
  graduationYear?: number | null;
  cohort?: string | null;
  allowedEmailDomain?: string | null;
  parentId?: string | null;
}

function kindProblems(input: {
  kind: GroupKind;
  institution?: string | null;
  graduationYear?: number | null;
  cohort?: string | null;
  allowedEmailDomain?: string | null;
}) {
  const problems: Array<{ path: string; message: string }> = [];
  if (input.kind === 'ALUMNI' && !input.institution)
    problems.push({ path: 'institution', message: 'Alumni groups name their institution.' });
  if (input.kind !== 'ALUMNI') {
    for (const field of ['institution', 'graduationYear', 'cohort'] as const) {
      if (input[field] != null) problems.push({ path: field, message: 'Only alumni groups have this.' });
    }
  }
  if (input.kind !== 'PROGRAM' && input.allowedEmailDomain != null) {
    problems.push({ path: 'allowedEmailDomain', message: 'Only program groups can be limited to an email domain.' });
  }
  return problems;
}

async function freeSlug(tx: DbClient, base: string): Promise<string> {
  const taken = new Set(
    (await tx.group.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map((g) => g.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; n < 1000; n += 1) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  return `${base}-${randomBytes(4).toString('hex')}`;
}

export async function createGroup(ctx: Ctx, input: CreateGroupData): Promise<string> {
  const viewerId = viewerIdOf(ctx);
  const problems = kindProblems(input);
  if (problems.length) throw new ValidationError(problems);
  try {
    return await transact(ctx, async (tx) => {
      let visibility = input.visibility;
      if (input.parentId) {
        const parent = await groupForViewer(tx, input.parentId, viewerId);
        if (parent.parentId) {
          throw new ValidationError([{ path: 'parentId', message: 'A chapter cannot have chapters of its own.' }]);
        }
        requireRole(parent, 'createChapters');
        // A chapter of a secret group must not reveal it.
        visibility = chapterVisibility(parent.visibility, visibility);
      }
      let slug: string;
      if (input.slug) {
        if (await tx.group.findUnique({ where: { slug: input.slug }, select: { id: true } })) {
          throw new ConflictError('SLUG_TAKEN', 'That address is taken; choose another.');
        }
        slug = input.slug;
      } else {
        slug = await freeSlug(tx, slugify(input.name));
      }
      const group = await tx.group.create({
        data: {
          slug,
          name: input.name,
          description: input.description ?? '',
          kind: input.kind,
          visibility,
          institution: input.institution ?? null,
          graduationYear: input.graduationYear ?? null,
          cohort: input.cohort ?? null,
          allowedEmailDomain: input.allowedEmailDomain ?? null,
          parentId: input.parentId ?? null,
          memberships: { create: { userId: viewerId, role: 'OWNER' } },
        },
        select: { id: true },
      });
      // Chat adds #general here, in the same transaction as the group.
      await groupCreated(tx, { groupId: group.id, createdById: viewerId });
      return group.id;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError('SLUG_TAKEN', 'That address is taken; choose another.');
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'P2002';
}

export interface UpdateGroupData {
  name?: string | null;
  description?: string | null;
  visibility?: GroupVisibility | null;
  institution?: string | null;
  graduationYear?: number | null;
  cohort?: string | null;
  allowedEmailDomain?: string | null;
}

export async function updateGroup(ctx: Ctx, groupId: string, input: UpdateGroupData): Promise<void> {
  const viewerId = viewerIdOf(ctx);
  await transact(ctx, async (tx) => {
    await lockGroup(tx, groupId);
    const view = await groupForViewer(tx, groupId, viewerId);
    requireRole(view, 'edit');
    const current = await tx.group.findUniqueOrThrow({
      where: { id: groupId },
      select: {
        kind: true,
        institution: true,
        graduationYear: true,
        cohort: true,
        allowedEmailDomain: true,
        parent: { select: { visibility: true } },
      },
    });
    // Absent fields keep their value; an explicit null clears an optional one.
    const next = {
      kind: current.kind,
      institution: input.institution !== undefined ? input.institution : current.institution,
      graduationYear: input.graduationYear !== undefined ? input.graduationYear : current.graduationYear,
      cohort: input.cohort !== undefined ? input.cohort : current.cohort,
      allowedEmailDomain:
        input.allowedEmailDomain !== undefined ? input.allowedEmailDomain : current.allowedEmailDomain,
    };
    const problems = kindProblems(next).filter((p) => p.path in input || p.path === 'institution');
    if (input.name === null) problems.push({ path: 'name', message: 'Enter a name.' });
    if (input.visibility === null) problems.push({ path: 'visibility', message: 'Choose a visibility.' });
    if (
      current.parent &&
      input.visibility &&
      chapterVisibility(current.parent.visibility, input.visibility) !== input.visibility
    ) {
      problems.push({ path: 'visibility', message: 'Chapters of a secret group stay secret.' });
    }
    if (problems.length) throw new ValidationError(problems);
    await tx.group.update({
      where: { id: groupId },
      data: {
        ...(input.name ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description ?? '' } : {}),
        ...(input.visibility ? { visibility: input.visibility } : {}),
        institution: next.institution,
        graduationYear: next.graduationYear,
        cohort: next.cohort,
        allowedEmailDomain: next.allowedEmailDomain,
      },
    });
    if (input.visibility && hiddenFromOutsiders(input.visibility)) {
      // Secret groups take no requests, and their chapters must not give them away.
      await tx.joinRequest.updateMany({
        where: { groupId, status: 'PENDING' },
        data: { status: 'CANCELLED', decidedAt: new Date() },
      });
      await tx.group.updateMany({ where: { parentId: groupId }, data: { visibility: input.visibility } });
      await tx.joinRequest.updateMany({
        where: { group: { parentId: groupId }, status: 'PENDING' },
        data: { status: 'CANCELLED', decidedAt: new Date() },
      });
    }
  });
}

// ── joining and leaving ──────────────────────────────────────────────────

export async function joinGroup(ctx: Ctx, groupId: string): Promise<void> {
  const viewerId = viewerIdOf(ctx);
  await transact(ctx, async (tx) => {
    await lockGroup(tx, groupId);
    const group = await groupForViewer(tx, groupId, viewerId);
    if (group.role) return; // already a member: joining again changes nothing
    if (await isBanned(tx, groupId, viewerId)) throw new ConflictError('BANNED', 'You were banned from this group.');
    if (joinPathOf(group) !== 'join') {
      throw new ConflictError('REQUEST_REQUIRED', 'This group is private: ask to join and an admin will decide.');
    }
    await assertDomain(tx, group.allowedEmailDomain, viewerId);
    await addMember(tx, groupId, viewerId);
  });
}

export async function requestToJoin(ctx: Ctx, groupId: string, message: string | null): Promise<string> {
  const viewerId = viewerIdOf(ctx);
  return transact(ctx, async (tx, notes) => {
    await lockGroup(tx, groupId);
    const group = await groupForViewer(tx, groupId, viewerId);
    if (group.role) throw new ConflictError('ALREADY_MEMBER', 'You are already a member.');
    if (await isBanned(tx, groupId, viewerId)) throw new ConflictError('BANNED', 'You were banned from this group.');
    if (joinPathOf(group) === 'join')
      throw new ConflictError('JOIN_DIRECTLY', 'This group is public: join it directly.');
    await assertDomain(tx, group.allowedEmailDomain, viewerId);
    const existing = await tx.joinRequest.findUnique({
      where: { groupId_userId: { groupId, userId: viewerId } },
      select: { id: true, status: true },
    });
    if (existing?.status === 'PENDING')
      throw new ConflictError('ALREADY_PENDING', 'Your request is already waiting for an answer.');
    // One row per (group, member): asking again after a decision reuses it.
    const request = await tx.joinRequest.upsert({
      where: { groupId_userId: { groupId, userId: viewerId } },
      create: { groupId, userId: viewerId, message: message || null },
      update: {
        status: 'PENDING',
        message: message || null,
        decidedAt: null,
        decidedById: null,
        createdAt: new Date(),
      },
      select: { id: true },
    });
    notes.push(
      ...(await notify(tx, {
        recipientIds: await moderatorIds(tx, groupId),
        kind: joinRequestReceived,
        actorId: viewerId,
        subjectId: encodeGlobalId('JoinRequest', request.id),
        data: { groupId, joinRequestId: request.id },
      })),
    );
    return request.id;
  });
}

export async function cancelJoinRequest(ctx: Ctx, requestId: string): Promise<void> {
  const viewerId = viewerIdOf(ctx);
  await transact(ctx, async (tx) => {
    const request = await tx.joinRequest.findFirst({
      where: { id: requestId, userId: viewerId },
      select: { id: true },
    });
    if (!request) throw new NotFoundError('That request');
    const updated = await tx.joinRequest.updateMany({
      where: { id: requestId, status: 'PENDING' },
      data: { status: 'CANCELLED', decidedAt: new Date() },
    });
    if (updated.count === 0) throw new ConflictError('NOT_PENDING', 'That request was already answered.');
  });
}

export async function decideJoinRequest(ctx: Ctx, requestId: string, approve: boolean): Promise<void> {
  const viewerId = viewerIdOf(ctx);
  await transact(ctx, async (tx, notes) => {
    const request = await tx.joinRequest.findUnique({
      where: { id: requestId },
      select: { id: true, groupId: true, userId: true, status: true },
    });
    if (!request) throw new NotFoundError('That request');
    await lockGroup(tx, request.groupId);
    const role = (
      await tx.membership.findUnique({
        where: { groupId_userId: { groupId: request.groupId, userId: viewerId } },
        select: { role: true },
      })
    )?.role;
    if (!can(role, 'approveRequests')) {
      // The requester sees their own request but may not decide it; everyone else does not see it.
      if (request.userId === viewerId) throw new ForbiddenError('Only admins and moderators decide requests.');
      throw new NotFoundError('That request');
    }
    // Claim the pending row first, so two moderators deciding at once cannot both win.
    const claimed = await tx.joinRequest.updateMany({
      where: { id: requestId, status: 'PENDING' },
      data: { status: approve ? 'APPROVED' : 'DECLINED', decidedAt: new Date(), decidedById: viewerId },
    });
    if (claimed.count === 0) throw new ConflictError('NOT_PENDING', 'That request was already answered.');
    if (approve) {
      if (await isBanned(tx, request.groupId, request.userId))
        throw new ConflictError('BANNED', 'That member is banned from this group.');
      await addMember(tx, request.groupId, request.userId);
    }
    notes.push(
      ...(await notify(tx, {
        recipientIds: [request.userId],
        kind: approve ? joinRequestApproved : joinRequestDeclined,
        actorId: viewerId,
        subjectId: encodeGlobalId('JoinRequest', request.id),
        data: { groupId: request.groupId, joinRequestId: request.id },
      })),
    );
  });
}

export async function leaveGroup(ctx: Ctx, groupId: string): Promise<void> {
  const viewerId = viewerIdOf(ctx);
  await transact(ctx, async (tx, notes) => {
    await lockGroup(tx, groupId);
    const group = await groupForViewer(tx, groupId, viewerId);
    if (!group.role) throw new ConflictError('NOT_MEMBER', 'You are not a member of this group.');
    if (holdsOwnership(group.role)) {
      throw new ConflictError('OWNER_MUST_TRANSFER', 'Hand ownership to another member before you leave.');
    }
    const left = await tx.membership.deleteMany({ where: { groupId, userId: viewerId, role: group.role } });
    if (left.count === 0) throw new ConflictError('NOT_MEMBER', 'You are not a member of this group.');
    // Seats they held at upcoming events pass to the waitlist.
    notes.push(...(await releaseMemberRsvps(tx, groupId, viewerId)));
  });
  // After commit: chat ends their live streams of this group's channels now.
  membershipEnded(ctx, { userId: viewerId, groupId });
}

// ── invites ──────────────────────────────────────────────────────────────

export async function createInviteLink(
  ctx: Ctx,
  groupId: string,
  input: { expiresInHours?: number | null; maxUses?: number | null },
): Promise<{ inviteId: string; token: string }> {
  const viewerId = viewerIdOf(ctx);
  return transact(ctx, async (tx) => {
    requireRole(await groupForViewer(tx, groupId, viewerId), 'invite');
    const token = randomBytes(INVITE_TOKEN_BYTES).toString('base64url');
    const invite = await tx.groupInvite.create({
      data: {
        groupId,
        createdById: viewerId,
        tokenHash: hashInviteToken(token),
        expiresAt: input.expiresInHours ? new Date(Date.now() + input.expiresInHours * 3_600_000) : null,
        maxUses: input.maxUses ?? null,
      },
      select: { id: true },
    });
    return { inviteId: invite.id, token };
  });
}

export async function inviteMember(ctx: Ctx, groupId: string, personId: string): Promise<string> {
  const viewerId = viewerIdOf(ctx);
  return transact(ctx, async (tx, notes) => {
    await lockGroup(tx, groupId);
    requireRole(await groupForViewer(tx, groupId, viewerId), 'invite');
    const person = await tx.user.findUnique({ where: { id: personId }, select: { id: true } });
    if (!person) throw new NotFoundError('That member');
    if (
      await tx.membership.findUnique({
        where: { groupId_userId: { groupId, userId: personId } },
        select: { role: true },
      })
    ) {
      throw new ConflictError('ALREADY_MEMBER', 'They are already a member.');
    }
    if (await isBanned(tx, groupId, personId))
      throw new ConflictError('BANNED', 'They are banned from this group; unban them first.');
    const invite = await tx.groupInvite.create({
      data: { groupId, createdById: viewerId, inviteeId: personId, maxUses: 1 },
      select: { id: true },
    });
    notes.push(
      ...(await notify(tx, {
        recipientIds: [personId],
        kind: groupInvited,
        actorId: viewerId,
        subjectId: encodeGlobalId('GroupInvite', invite.id),
        data: { groupId, inviteId: invite.id },
      })),
    );
    return invite.id;
  });
}

export async function revokeInvite(ctx: Ctx, inviteId: string): Promise<void> {
  const viewerId = viewerIdOf(ctx);
  await transact(ctx, async (tx) => {
    const invite = await tx.groupInvite.findUnique({
      where: { id: inviteId },
      select: { groupId: true, inviteeId: true },
    });
    if (!invite) throw new NotFoundError('That invite');
    const role = (
      await tx.membership.findUnique({
        where: { groupId_userId: { groupId: invite.groupId, userId: viewerId } },
        select: { role: true },
      })
    )?.role;
    if (!can(role, 'invite')) {
      if (invite.inviteeId === viewerId)
        throw new ForbiddenError('Only the group’s admins and moderators revoke invites.');
      throw new NotFoundError('That invite');
    }
    await tx.groupInvite.updateMany({ where: { id: inviteId, revokedAt: null }, data: { revokedAt: new Date() } });
  });
}

/** Accepts a link (token) or a direct invite (id). Returns the group id. */
export async function acceptInvite(
  ctx: Ctx,
  input: { token?: string | null; inviteId?: string | null },
): Promise<string> {
  const viewerId = viewerIdOf(ctx);
  return transact(ctx, async (tx) => {
    const invite = input.token
      ? await tx.groupInvite.findUnique({ where: { tokenHash: hashInviteToken(input.token) }, select: inviteSelect })
      : await tx.groupInvite.findFirst({
          where: { id: input.inviteId ?? undefined, inviteeId: viewerId },
          select: inviteSelect,
        });
    if (!invite || (input.token && invite.inviteeId && invite.inviteeId !== viewerId))
      throw new NotFoundError('That invite');
    await lockGroup(tx, invite.groupId);
    if (
      await tx.membership.findUnique({
        where: { groupId_userId: { groupId: invite.groupId, userId: viewerId } },
        select: { role: true },
      })
    ) {
      if (invite.inviteeId)
        await tx.groupInvite.updateMany({
          where: { id: invite.id, acceptedAt: null },
          data: { acceptedAt: new Date() },
        });
      return invite.groupId; // already in: accepting again changes nothing and uses nothing up
    }
    if (invite.revokedAt) throw new ConflictError('INVITE_REVOKED', 'This invite was revoked.');
    if (invite.expiresAt && invite.expiresAt <= new Date())
      throw new ConflictError('INVITE_EXPIRED', 'This invite has expired.');
    if (await isBanned(tx, invite.groupId, viewerId))
      throw new ConflictError('BANNED', 'You were banned from this group.');
    await assertDomain(tx, invite.group.allowedEmailDomain, viewerId);
    // Count the use atomically: under concurrent accepts the row lock lets exactly maxUses through.
    const counted = await tx.$executeRaw`
      UPDATE "GroupInvite" SET "uses" = "uses" + 1
      WHERE "id" = ${invite.id}::uuid AND "revokedAt" IS NULL
        AND ("maxUses" IS NULL OR "uses" < "maxUses")
        AND ("expiresAt" IS NULL OR "expiresAt" > (now() AT TIME ZONE 'UTC'))`;
    if (counted === 0) throw new ConflictError('INVITE_USED_UP', 'This invite has been used up.');
    await addMember(tx, invite.groupId, viewerId);
    if (invite.inviteeId)
      await tx.groupInvite.updateMany({ where: { id: invite.id }, data: { acceptedAt: new Date() } });
    // An open request is answered by joining.
    await tx.joinRequest.updateMany({
      where: { groupId: invite.groupId, userId: viewerId, status: 'PENDING' },
      data: { status: 'APPROVED', decidedAt: new Date() },
    });
    return invite.groupId;
  });
}

const inviteSelect = {
  id: true,
  groupId: true,
  inviteeId: true,
  revokedAt: true,
  expiresAt: true,
  group: { select: { allowedEmailDomain: true } },
} as const;

// ── roles, removal, bans ─────────────────────────────────────────────────

async function targetRole(tx: DbClient, groupId: string, personId: string): Promise<GroupRole | null> {
  return (
    (
      await tx.membership.findUnique({
        where: { groupId_userId: { groupId, userId: personId } },
        select: { role: true },
      })
    )?.role ?? null
  );
}

export async function changeMemberRole(ctx: Ctx, groupId: string, personId: string, role: GroupRole): Promise<void> {
  const viewerId = viewerIdOf(ctx);
  await transact(ctx, async (tx, notes) => {
    await lockGroup(tx, groupId);
    const actor = requireRole(await groupForViewer(tx, groupId, viewerId), 'changeRoles');
    if (holdsOwnership(role))
      throw new ValidationError([{ path: 'role', message: 'Use transferOwnership to hand over ownership.' }]);
    const current = await targetRole(tx, groupId, personId);
    if (!current) throw new NotFoundError('That member');
    if (!mayAssignRole(actor, current, role))
      throw new ForbiddenError('You can only change the roles of members below you, to a role below yours.');
    if (current === role) return;
    const changed = await tx.membership.updateMany({
      where: { groupId, userId: personId, role: current },
      data: { role },
    });
    if (changed.count === 0) throw memberChanged();
    notes.push(...(await notifyRoleChanged(tx, groupId, personId, viewerId)));
  });
}

export async function transferOwnership(ctx: Ctx, groupId: string, personId: string): Promise<void> {
  const viewerId = viewerIdOf(ctx);
  await transact(ctx, async (tx, notes) => {
    await lockGroup(tx, groupId);
    const group = await groupForViewer(tx, groupId, viewerId);
    if (!can(group.role, 'transferOwnership')) throw new ForbiddenError('Only the owner can hand over ownership.');
    if (personId === viewerId) return;
    const current = await targetRole(tx, groupId, personId);
    if (!current) throw new NotFoundError('That member');
    // Both conditional on the roles just read: exactly one owner whatever ran meanwhile.
    const stepDown = await tx.membership.updateMany({
      where: { groupId, userId: viewerId, role: 'OWNER' },
      data: { role: 'ADMIN' },
    });
    if (stepDown.count === 0) throw new ForbiddenError('Only the owner can hand over ownership.');
    const promoted = await tx.membership.updateMany({
      where: { groupId, userId: personId, role: current },
      data: { role: 'OWNER' },
    });
    if (promoted.count === 0) throw memberChanged();
    notes.push(...(await notifyRoleChanged(tx, groupId, personId, viewerId)));
  });
}

export async function removeMember(ctx: Ctx, groupId: string, personId: string): Promise<void> {
  const viewerId = viewerIdOf(ctx);
  await transact(ctx, (tx, notes) => removeMemberInTransaction(tx, notes, viewerId, groupId, personId));
  membershipEnded(ctx, { userId: personId, groupId });
}

/**
 * removeMember inside the caller's transaction (moderation: modules/safety), by the same rules and
 * lock order (the group row first). The caller publishes `notes` and calls afterMembershipEnded
 * once it commits.
 */
export async function removeMemberInTransaction(
  tx: DbClient,
  notes: CreatedNotification[],
  viewerId: string,
  groupId: string,
  personId: string,
): Promise<void> {
  await lockGroup(tx, groupId);
  const actor = requireRole(await groupForViewer(tx, groupId, viewerId), 'removeMembers');
  if (personId === viewerId) throw new ConflictError('USE_LEAVE', 'To leave the group yourself, use leaveGroup.');
  const current = await targetRole(tx, groupId, personId);
  if (!current) throw new NotFoundError('That member');
  if (!outranks(actor, current)) throw new ForbiddenError('You can only remove members below your role.');
  const removed = await tx.membership.deleteMany({ where: { groupId, userId: personId, role: current } });
  if (removed.count === 0) throw memberChanged();
  notes.push(...(await releaseMemberRsvps(tx, groupId, personId)));
}

/** After a membership ended in a caller's transaction (removeMemberInTransaction, banMemberInTransaction). */
export function afterMembershipEnded(
  ctx: Ctx,
  notes: CreatedNotification[],
  change: { userId: string; groupId: string },
) {
  forgetViewerGroupState(ctx);
  publishNotifications(ctx.pubsub, notes);
  membershipEnded(ctx, change);
}

export async function banMember(ctx: Ctx, groupId: string, personId: string, reason: string | null): Promise<void> {
  const viewerId = viewerIdOf(ctx);
  await transact(ctx, (tx, notes) => banMemberInTransaction(tx, notes, viewerId, groupId, personId, reason));
  membershipEnded(ctx, { userId: personId, groupId });
}

/** banMember inside the caller's transaction (moderation), by the same rules and lock order. */
export async function banMemberInTransaction(
  tx: DbClient,
  notes: CreatedNotification[],
  viewerId: string,
  groupId: string,
  personId: string,
  reason: string | null,
): Promise<void> {
  await lockGroup(tx, groupId);
  const actor = requireRole(await groupForViewer(tx, groupId, viewerId), 'ban');
  if (personId === viewerId) throw new ConflictError('CANNOT_BAN_SELF', 'You cannot ban yourself.');
  const person = await tx.user.findUnique({ where: { id: personId }, select: { id: true } });
  if (!person) throw new NotFoundError('That member');
  const current = await targetRole(tx, groupId, personId);
  if (current && !outranks(actor, current)) throw new ForbiddenError('You can only ban members below your role.');
  // A ban removes the member, closes their request and voids invites addressed to them.
  if (current) {
    const removed = await tx.membership.deleteMany({ where: { groupId, userId: personId, role: current } });
    if (removed.count === 0) throw memberChanged();
    notes.push(...(await releaseMemberRsvps(tx, groupId, personId)));
  }
  await tx.joinRequest.updateMany({
    where: { groupId, userId: personId, status: 'PENDING' },
    data: { status: 'DECLINED', decidedAt: new Date(), decidedById: viewerId },
  });
  await tx.groupInvite.updateMany({
    where: { groupId, inviteeId: personId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  await tx.groupBan.upsert({
    where: { groupId_userId: { groupId, userId: personId } },
    create: { groupId, userId: personId, bannedById: viewerId, reason: reason || null },
    update: { reason: reason || null, bannedById: viewerId },
  });
}

export async function unbanMember(ctx: Ctx, groupId: string, personId: string): Promise<void> {
  const viewerId = viewerIdOf(ctx);
  await transact(ctx, async (tx) => {
    await lockGroup(tx, groupId);
    requireRole(await groupForViewer(tx, groupId, viewerId), 'ban');
    const removed = await tx.groupBan.deleteMany({ where: { groupId, userId: personId } });
    if (removed.count === 0) throw new NotFoundError('That ban');
  });
}
