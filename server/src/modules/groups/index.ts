// Registers the groups module's types and fields with the schema builder.
import './group.type.js';
import './group.fields.js';
import './groups.mutations.js';
import './events/event.type.js';
import './events/event.fields.js';
import './group.notifications.js';
import './events/event.notifications.js';
import { registerDirectoryGroupFilter } from '../people/index.js';
import { groupInsidesVisibleSql } from './groups.policy.js';

// The directory's group filter finds a group's members only where its member list is visible.
registerDirectoryGroupFilter({ visibleSql: groupInsidesVisibleSql });

// What groups offers app.ts (the composition root) and other modules.
export { matchEventCalendar, serveEventCalendar } from './events/event-calendar.route.js';
// Members' calendar feeds (modules/office-hours) list the events they go to, written like the event's own .ics.
export { addEventToCalendar, type IcsEvent } from './events/event-ics.js';
export { GroupRef } from './group.type.js';
// The member's home (modules/home) lists join requests and events with their node types.
export { JoinRequestRef } from './group.fields.js';
export { EventRef } from './events/event.type.js';
// Hooks for the modules built on groups (chat's #general and its access re-checks).
export {
  type GroupCreated,
  type GroupCreatedHook,
  type MembershipEnded,
  type MembershipEndedHook,
  onGroupCreated,
  onMembershipEnded,
} from './group-hooks.js';
// The groups permission rules other modules ask (groups.policy.ts).
export {
  can,
  canSeeGroupInsides,
  groupsWhereViewerCan,
  canViewGroup,
  groupInsidesWhere,
  isHiddenByAdmins,
  isInviteLive,
  liveInviteWhere,
  PERMISSIONS,
  rolesWith,
  seenGroupSql,
  visibleGroupsWhere,
  visibleJoinRequestsWhere,
  type GroupAction,
  viewerRole,
} from './groups.policy.js';
// Moderation (modules/safety) removes and bans through the same rules and lock order, in its own transaction.
export {
  afterMembershipEnded,
  banMemberInTransaction,
  lockGroup,
  removeMemberInTransaction,
  setGroupHiddenInTransaction,
} from './groups.service.js';
