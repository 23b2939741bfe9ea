import type { Env } from '../../env.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { decodeId } from '../../lib/global-id.js';
import { builder } from '../../schema/builder.js';
import { GroupMemberRef, GroupInviteRef, JoinRequestRef } from './group.fields.js';
import { GroupKindEnum, GroupRef, GroupRoleEnum, GroupVisibilityEnum } from './group.type.js';
import {
  banReasonInput,
  cohortInput,
  descriptionInput,
  emailDomainInput,
  expiresInHoursInput,
  graduationYearInput,
  groupNameInput,
  institutionInput,
  inviteTokenInput,
  joinMessageInput,
  maxUsesInput,
  slugInput,
} from './groups.inputs.js';
import * as service from './groups.service.js';

// The groups module's mutations. Each decodes IDs (a wrong or foreign ID is "not found"),
// calls one service function (one transaction) and returns what changed.

function idOf(value: unknown, typename: string, what: string): string {
  const id = decodeId(value == null ? null : String(value), typename);
  if (!id) throw new NotFoundError(what);
  return id;
}
const groupIdOf = (value: unknown) => idOf(value, 'Group', 'That group');
const personIdOf = (value: unknown) => idOf(value, 'Person', 'That member');

// ── inputs ────────────────────────────────────────────────────────────

const CreateGroupInput = builder.inputType('CreateGroupInput', {
  fields: (t) => ({
    name: t.string({ validate: groupNameInput }),
    slug: t.string({ required: false, validate: slugInput.nullish() }),
    description: t.string({ required: false, validate: descriptionInput.nullish() }),
    kind: t.field({ type: GroupKindEnum }),
    visibility: t.field({ type: GroupVisibilityEnum }),
    institution: t.string({ required: false, validate: institutionInput.nullish() }),
    graduationYear: t.int({ required: false, validate: graduationYearInput.nullish() }),
    cohort: t.string({ required: false, validate: cohortInput.nullish() }),
    allowedEmailDomain: t.string({ required: false, validate: emailDomainInput.nullish() }),
    parentId: t.id({ required: false, description: 'makes it a chapter' }),
  }),
});

const UpdateGroupInput = builder.inputType('UpdateGroupInput', {
  description: 'Only the fields given change; null clears an optional field.',
  fields: (t) => ({
    groupId: t.id(),
    name: t.string({ required: false, validate: groupNameInput.nullish() }),
    description: t.string({ required: false, validate: descriptionInput.nullish() }),
    visibility: t.field({ type: GroupVisibilityEnum, required: false }),
    institution: t.string({ required: false, validate: institutionInput.nullish() }),
    graduationYear: t.int({ required: false, validate: graduationYearInput.nullish() }),
    cohort: t.string({ required: false, validate: cohortInput.nullish() }),
    allowedEmailDomain: t.string({ required: false, validate: emailDomainInput.nullish() }),
  }),
});

const groupOnly = (name: string) => builder.inputType(name, { fields: (t) => ({ groupId: t.id() }) });
const JoinGroupInput = groupOnly('JoinGroupInput');
const LeaveGroupInput = groupOnly('LeaveGroupInput');

const RequestToJoinGroupInput = builder.inputType('RequestToJoinGroupInput', {
  fields: (t) => ({
    groupId: t.id(),
    message: t.string({
      required: false,
      validate: joinMessageInput.nullish(),
      description: 'At most 500 characters.',
    }),
  }),
});

const DecideJoinRequestInput = builder.inputType('DecideJoinRequestInput', { fields: (t) => ({ requestId: t.id() }) });

const CreateInviteLinkInput = builder.inputType('CreateInviteLinkInput', {
  fields: (t) => ({
    groupId: t.id(),
    expiresInHours: t.int({
      required: false,
      validate: expiresInHoursInput.nullish(),
      description: 'omitted: never expires',
    }),
    maxUses: t.int({ required: false, validate: maxUsesInput.nullish(), description: 'omitted: unlimited' }),
  }),
});

const groupAndPerson = (name: string) =>
  builder.inputType(name, { fields: (t) => ({ groupId: t.id(), personId: t.id() }) });
const InviteMemberInput = groupAndPerson('InviteMemberInput');
const TransferOwnershipInput = groupAndPerson('TransferOwnershipInput');
const RemoveMemberInput = groupAndPerson('RemoveMemberInput');
const UnbanMemberInput = groupAndPerson('UnbanMemberInput');

const RevokeInviteInput = builder.inputType('RevokeInviteInput', { fields: (t) => ({ inviteId: t.id() }) });

const AcceptInviteInput = builder.inputType('AcceptInviteInput', {
  description: 'Exactly one of token and inviteId.',
  fields: (t) => ({
    token: t.string({ required: false, validate: inviteTokenInput.nullish(), description: 'from a link' }),
    inviteId: t.id({ required: false, description: 'a direct invite' }),
  }),
});

const ChangeMemberRoleInput = builder.inputType('ChangeMemberRoleInput', {
  fields: (t) => ({ groupId: t.id(), personId: t.id(), role: t.field({ type: GroupRoleEnum }) }),
});

const BanMemberInput = builder.inputType('BanMemberInput', {
  fields: (t) => ({
    groupId: t.id(),
    personId: t.id(),
    reason: t.string({ required: false, validate: banReasonInput.nullish() }),
  }),
});

// ── payloads ──────────────────────────────────────────────────────────

const GroupPayload = builder.objectRef<{ groupId: string }>('GroupPayload').implement({
  fields: (t) => ({
    group: t.prismaField({
      type: GroupRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.group.findUniqueOrThrow({ ...query, where: { id: payload.groupId } }),
    }),
  }),
});

const JoinRequestPayload = builder.objectRef<{ requestId: string }>('JoinRequestPayload').implement({
  fields: (t) => ({
    joinRequest: t.prismaField({
      type: JoinRequestRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.joinRequest.findUniqueOrThrow({ ...query, where: { id: payload.requestId } }),
    }),
  }),
});

const InviteLinkPayload = builder.objectRef<{ inviteId: string; token: string }>('InviteLinkPayload').implement({
  fields: (t) => ({
    invite: t.prismaField({
      type: GroupInviteRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.groupInvite.findUniqueOrThrow({ ...query, where: { id: payload.inviteId } }),
    }),
    token: t.exposeString('token', { description: 'shown once' }),
    url: t.string({
      description: 'relative web path of the invite',
      resolve: (payload) => `/invites/${payload.token}`,
    }),
  }),
});

const GroupInvitePayload = builder.objectRef<{ inviteId: string }>('GroupInvitePayload').implement({
  fields: (t) => ({
    invite: t.prismaField({
      type: GroupInviteRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.groupInvite.findUniqueOrThrow({ ...query, where: { id: payload.inviteId } }),
    }),
  }),
});

const GroupMemberPayload = builder.objectRef<{ groupId: string; personId: string }>('GroupMemberPayload').implement({
  fields: (t) => ({
    group: t.prismaField({
      type: GroupRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.group.findUniqueOrThrow({ ...query, where: { id: payload.groupId } }),
    }),
    member: t.prismaField({
      type: GroupMemberRef,
      nullable: true,
      description: 'The member after the change; null when they are no longer one.',
      resolve: (query, payload, _args, ctx) =>
        ctx.db.membership.findUnique({
          ...query,
          where: { groupId_userId: { groupId: payload.groupId, userId: payload.personId } },
        }),
    }),
  }),
});

// ── mutations ─────────────────────────────────────────────────────────

const requestIdOf = (value: unknown) => idOf(value, 'JoinRequest', 'That request');
const NOT_FOUND_FORBIDDEN = [ValidationError, NotFoundError, ForbiddenError] as const;

// Stricter per-member limits (on top of the general mutation limit) where abuse is cheap: each of
// these reaches other people (an invite, a request to the group's approvers) or makes a group.
const HOUR = 60 * 60 * 1000;
const INVITES = (env: Env) => ({ name: 'invites', limit: env.INVITES_MAX_PER_HOUR, windowMs: HOUR });
const JOIN_REQUESTS = (env: Env) => ({ name: 'join-requests', limit: env.JOIN_REQUESTS_MAX_PER_HOUR, windowMs: HOUR });
const GROUPS_CREATED = (env: Env) => ({
  name: 'groups-created',
  limit: env.GROUPS_CREATED_MAX_PER_HOUR,
  windowMs: HOUR,
});

builder.mutationFields((t) => ({
  createGroup: t.field({
    type: GroupPayload,
    description: 'You become its OWNER. With parentId it is a chapter (one level; owner or admin of the parent).',
    args: { input: t.arg({ type: CreateGroupInput }) },
    errors: { types: [ValidationError, ConflictError, NotFoundError, ForbiddenError] },
    rateLimit: GROUPS_CREATED,
    resolve: async (_root, { input }, ctx) => {
      const parentId = input.parentId != null ? groupIdOf(input.parentId) : null;
      const groupId = await service.createGroup(ctx, { ...input, parentId });
      return { groupId };
    },
  }),
  updateGroup: t.field({
    type: GroupPayload,
    args: { input: t.arg({ type: UpdateGroupInput }) },
    errors: { types: [...NOT_FOUND_FORBIDDEN] },
    resolve: async (_root, { input }, ctx) => {
      const { groupId: rawId, ...changes } = input;
      const groupId = groupIdOf(rawId);
      await service.updateGroup(ctx, groupId, changes);
      return { groupId };
    },
  }),
  joinGroup: t.field({
    type: GroupPayload,
    description: 'PUBLIC groups only; PRIVATE ones answer REQUEST_REQUIRED.',
    args: { input: t.arg({ type: JoinGroupInput }) },
    errors: { types: [ValidationError, NotFoundError, ConflictError] },
    resolve: async (_root, { input }, ctx) => {
      const groupId = groupIdOf(input.groupId);
      await service.joinGroup(ctx, groupId);
      return { groupId };
    },
  }),
  requestToJoinGroup: t.field({
    type: JoinRequestPayload,
    args: { input: t.arg({ type: RequestToJoinGroupInput }) },
    errors: { types: [ValidationError, NotFoundError, ConflictError] },
    rateLimit: JOIN_REQUESTS,
    resolve: async (_root, { input }, ctx) => ({
      requestId: await service.requestToJoin(ctx, groupIdOf(input.groupId), input.message ?? null),
    }),
  }),
  cancelJoinRequest: t.field({
    type: JoinRequestPayload,
    description: 'Withdraws your own pending request.',
    args: { input: t.arg({ type: DecideJoinRequestInput }) },
    errors: { types: [ValidationError, NotFoundError, ConflictError] },
    resolve: async (_root, { input }, ctx) => {
      const requestId = requestIdOf(input.requestId);
      await service.cancelJoinRequest(ctx, requestId);
      return { requestId };
    },
  }),
  approveJoinRequest: t.field({
    type: JoinRequestPayload,
    args: { input: t.arg({ type: DecideJoinRequestInput }) },
    errors: { types: [ValidationError, NotFoundError, ForbiddenError, ConflictError] },
    resolve: async (_root, { input }, ctx) => {
      const requestId = requestIdOf(input.requestId);
      await service.decideJoinRequest(ctx, requestId, true);
      return { requestId };
    },
  }),
  declineJoinRequest: t.field({
    type: JoinRequestPayload,
    args: { input: t.arg({ type: DecideJoinRequestInput }) },
    errors: { types: [ValidationError, NotFoundError, ForbiddenError, ConflictError] },
    resolve: async (_root, { input }, ctx) => {
      const requestId = requestIdOf(input.requestId);
      await service.decideJoinRequest(ctx, requestId, false);
      return { requestId };
    },
  }),
  leaveGroup: t.field({
    type: GroupPayload,
    args: { input: t.arg({ type: LeaveGroupInput }) },
    errors: { types: [ValidationError, NotFoundError, ConflictError] },
    resolve: async (_root, { input }, ctx) => {
      const groupId = groupIdOf(input.groupId);
      await service.leaveGroup(ctx, groupId);
      return { groupId };
    },
  }),
  createInviteLink: t.field({
    type: InviteLinkPayload,
    description: 'A link anyone may use while it is live; the token is shown once.',
    args: { input: t.arg({ type: CreateInviteLinkInput }) },
    errors: { types: [...NOT_FOUND_FORBIDDEN] },
    rateLimit: INVITES,
    resolve: async (_root, { input }, ctx) => service.createInviteLink(ctx, groupIdOf(input.groupId), input),
  }),
  inviteMember: t.field({
    type: GroupInvitePayload,
    args: { input: t.arg({ type: InviteMemberInput }) },
    errors: { types: [...NOT_FOUND_FORBIDDEN, ConflictError] },
    rateLimit: INVITES,
    resolve: async (_root, { input }, ctx) => ({
      inviteId: await service.inviteMember(ctx, groupIdOf(input.groupId), personIdOf(input.personId)),
    }),
  }),
  revokeInvite: t.field({
    type: GroupInvitePayload,
    args: { input: t.arg({ type: RevokeInviteInput }) },
    errors: { types: [...NOT_FOUND_FORBIDDEN] },
    resolve: async (_root, { input }, ctx) => {
      const inviteId = idOf(input.inviteId, 'GroupInvite', 'That invite');
      await service.revokeInvite(ctx, inviteId);
      return { inviteId };
    },
  }),
  acceptInvite: t.field({
    type: GroupPayload,
    args: { input: t.arg({ type: AcceptInviteInput }) },
    errors: { types: [ValidationError, NotFoundError, ConflictError] },
    resolve: async (_root, { input }, ctx) => {
      const hasToken = Boolean(input.token);
      const hasId = input.inviteId != null;
      if (hasToken === hasId)
        throw new ValidationError([{ path: 'token', message: 'Give either the invite token or the invite id.' }]);
      const inviteId = hasId ? idOf(input.inviteId, 'GroupInvite', 'That invite') : null;
      return { groupId: await service.acceptInvite(ctx, { token: input.token ?? null, inviteId }) };
    },
  }),
  changeMemberRole: t.field({
    type: GroupMemberPayload,
    args: { input: t.arg({ type: ChangeMemberRoleInput }) },
    errors: { types: [...NOT_FOUND_FORBIDDEN] },
    resolve: async (_root, { input }, ctx) => {
      const groupId = groupIdOf(input.groupId);
      const personId = personIdOf(input.personId);
      await service.changeMemberRole(ctx, groupId, personId, input.role);
      return { groupId, personId };
    },
  }),
  transferOwnership: t.field({
    type: GroupMemberPayload,
    description: 'The new owner gets OWNER; you become ADMIN.',
    args: { input: t.arg({ type: TransferOwnershipInput }) },
    errors: { types: [...NOT_FOUND_FORBIDDEN] },
    resolve: async (_root, { input }, ctx) => {
      const groupId = groupIdOf(input.groupId);
      const personId = personIdOf(input.personId);
      await service.transferOwnership(ctx, groupId, personId);
      return { groupId, personId };
    },
  }),
  removeMember: t.field({
    type: GroupMemberPayload,
    args: { input: t.arg({ type: RemoveMemberInput }) },
    errors: { types: [...NOT_FOUND_FORBIDDEN, ConflictError] },
    resolve: async (_root, { input }, ctx) => {
      const groupId = groupIdOf(input.groupId);
      const personId = personIdOf(input.personId);
      await service.removeMember(ctx, groupId, personId);
      return { groupId, personId };
    },
  }),
  banMember: t.field({
    type: GroupMemberPayload,
    description: 'Removes them, closes their request and voids their invites; they cannot rejoin until unbanned.',
    args: { input: t.arg({ type: BanMemberInput }) },
    errors: { types: [...NOT_FOUND_FORBIDDEN, ConflictError] },
    resolve: async (_root, { input }, ctx) => {
      const groupId = groupIdOf(input.groupId);
      const personId = personIdOf(input.personId);
      await service.banMember(ctx, groupId, personId, input.reason ?? null);
      return { groupId, personId };
    },
  }),
  unbanMember: t.field({
    type: GroupMemberPayload,
    args: { input: t.arg({ type: UnbanMemberInput }) },
    errors: { types: [...NOT_FOUND_FORBIDDEN] },
    resolve: async (_root, { input }, ctx) => {
      const groupId = groupIdOf(input.groupId);
      const personId = personIdOf(input.personId);
      await service.unbanMember(ctx, groupId, personId);
      return { groupId, personId };
    },
  }),
}));
