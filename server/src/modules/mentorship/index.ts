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

// What mentorship offers other modules (none build on it yet).
export { MenteeNeedsRef, MentorProfileRef } from './mentor-profile.type.js';
// The relationship (H2): its node types for the parts that add fields to Mentorship, and the live nudge they publish after commit.
export { MentorshipAgreementRef, MentorshipRef, MentorshipRequestRef } from './mentorship.type.js';
export { type MentorshipActivityKind, publishMentorshipActivity } from './activity.js';
