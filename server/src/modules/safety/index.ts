// The safety module: reports of messages, profiles and groups, the moderation queue and actions,
// and the moderation log. (Blocking is the people module's: people/blocking.policy.ts.)
// Registers its types, fields and notification kinds with the schema builder.
import './report.type.js';
import './safety.mutations.js';
import './safety.notifications.js';

// The rules other modules (and the modules to come) may ask.
export { canReview, isInstanceAdmin, REPORT_ACTIONS, REPORT_ROUTES } from './safety.policy.js';
