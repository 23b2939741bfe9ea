// Registers the mentorship module's types and fields with the schema builder.
import './mentor-profile.type.js';
import './mentorship.mutations.js';
import './mentorship.type.js';
import './request.notifications.js';
import './request.mutations.js';
import './agreement.mutations.js';
import './activity.subscriptions.js';
import './suggestions.type.js';
import './goal.type.js';
import './goal.mutations.js';
import './nudges.js';
import './check-in.type.js';
import './check-in.mutations.js';
import './ending.js';
import './achievement.js';
import './metrics.type.js';

// What mentorship offers other modules.
export { MenteeNeedsRef, MentorProfileRef } from './mentor-profile.type.js';
// The relationship (H2): its node types for the parts that add fields to Mentorship, and the live nudge they publish after commit.
export { MentorshipAgreementRef, MentorshipRef, MentorshipRequestRef } from './mentorship.type.js';
export { type MentorshipActivityKind, publishMentorshipActivity } from './activity.js';
// For office hours' mentorship sessions (a PAIR series): working hours as instants, the check-in a
// held session records and the nudge it moves, and the hook that stops the sessions when it ends.
export { type Interval, InstantCache, type Weekly, weekIntervals } from './suggestions.hours.js';
export { WEEKDAYS, type Weekday, type WorkingHours } from './mentorship.inputs.js';
export { WeekdayEnum } from './mentor-profile.type.js';
export { CheckInRef } from './check-in.type.js';
export { CADENCE_DAYS, plainDateOf, rescheduleCheckInNudge } from './nudges.js';
export { mentorshipPath } from './nudges.notifications.js';
export { type MentorshipEnded, type MentorshipEndedHook, onMentorshipEnded } from './ending.hooks.js';
export { type LockedMentorship, lockMentorship } from './goal.service.js';
export { requestActions, roleIn, visibleMentorshipsWhere, visibleRequestsWhere } from './mentorship.policy.js';
// The member's home (modules/home) lists goals due.
export { GoalRef } from './goal.type.js';
// A profile's "Request mentorship" (modules/profile-actions) asks the rule requestMentorship refuses with, ahead.
export { type AskRefusal, askRefusals } from './mentorship.policy.js';
export { dateToDay } from './request.inputs.js';
