import type { Context } from '../../context.js';
import type { GroupInvite, JoinRequest } from '../../generated/prisma/client.js';
import type { GroupRole } from '../../generated/prisma/enums.js';
import { liveInviteWhere } from './groups.policy.js';

// The viewer's own relation to groups (role, ban, pending request, live direct invite), loaded
// once per request for all groups at once. Selecting it through the group's `memberships` or
// `joinRequests` relations would clash with the members/joinRequests connections on the same
// relations and make Prisma fall back to one query per group.
interface ViewerGroupState {
  roles: Map<string, GroupRole>;
  banned: Set<string>;
  pending: Set<string>;
  invited: Set<string>;
  /** The viewer's own PENDING request per group (Group.viewerJoinRequest). */
  requests: Map<string, JoinRequest>;
  /** The viewer's newest live direct invite per group (Group.viewerInvite), and the same rows by id. */
  invites: Map<string, GroupInvite>;
  invitesById: Map<string, GroupInvite>;
}
const viewerStates = new WeakMap<object, Promise<ViewerGroupState>>();

export function viewerGroupState(ctx: Context): Promise<ViewerGroupState> {
  let state = viewerStates.get(ctx);
  if (!state) {
    state = loadViewerGroupState(ctx);
    viewerStates.set(ctx, state);
  }
  return state;
}

async function loadViewerGroupState(ctx: Context): Promise<ViewerGroupState> {
  const viewerId = ctx.viewer?.id;
  if (!viewerId) {
    return {
      roles: new Map(),
      banned: new Set(),
      pending: new Set(),
      invited: new Set(),
      requests: new Map(),
      invites: new Map(),
      invitesById: new Map(),
    };
  }
  const now = new Date();
  const [memberships, bans, requests, invites] = await Promise.all([
    ctx.db.membership.findMany({ where: { userId: viewerId }, select: { groupId: true, role: true } }),
    ctx.db.groupBan.findMany({ where: { userId: viewerId }, select: { groupId: true } }),
    // Whole rows (no extra statement): Group.viewerJoinRequest and Group.viewerInvite return them.
    ctx.db.joinRequest.findMany({ where: { userId: viewerId, status: 'PENDING' }, orderBy: { createdAt: 'asc' } }),
    ctx.db.groupInvite.findMany({
      where: { inviteeId: viewerId, ...liveInviteWhere(now) },
      orderBy: { id: 'asc' },
    }),
  ]);
  return {
    roles: new Map(memberships.map((m) => [m.groupId, m.role])),
    banned: new Set(bans.map((b) => b.groupId)),
    pending: new Set(requests.map((r) => r.groupId)),
    invited: new Set(invites.map((i) => i.groupId)),
    // Later rows win: the newest request / invite per group.
    requests: new Map(requests.map((r) => [r.groupId, r])),
    invites: new Map(invites.map((i) => [i.groupId, i])),
    invitesById: new Map(invites.map((i) => [i.id, i])),
  };
}

/** After a write, the next read in the same request (a mutation payload) must see the change. */
export function forgetViewerGroupState(ctx: object): void {
  viewerStates.delete(ctx);
}

// Member counts for every group on a page in one statement. `_count` of `memberships` would clash
// with the filtered totalCount of the members connection and fall back to one query per group.
const memberCountBatches = new WeakMap<object, { ids: Set<string>; result: Promise<Map<string, number>> | null }>();

export function memberCount(ctx: Context, groupId: string): Promise<number> {
  let batch = memberCountBatches.get(ctx);
  if (!batch) {
    batch = { ids: new Set(), result: null };
    memberCountBatches.set(ctx, batch);
  }
  const current = batch;
  current.ids.add(groupId);
  if (!current.result) {
    // Wait until every sibling resolver of this tick has asked, then count them together.
    current.result = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      const ids = [...current.ids];
      current.ids = new Set();
      current.result = null;
      const rows = await ctx.db.membership.groupBy({
        by: ['groupId'],
        where: { groupId: { in: ids } },
        _count: { _all: true },
      });
      return new Map(rows.map((row) => [row.groupId, row._count._all]));
    });
  }
  return current.result.then((counts) => counts.get(groupId) ?? 0);
}
