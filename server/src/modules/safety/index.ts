// The safety module: reports of messages, profiles and groups, the moderation queue and actions,
// and the moderation log. (Blocking is the people module's: people/blocking.policy.ts.)
// Registers its types, fields and notification kinds with the schema builder.
import './report.type.js';
import './safety.mutations.js';
import './safety.notifications.js';
import { registerInstanceAdminCheck } from '../people/index.js';
import { viewerAsReviewer } from './safety.policy.js';

// Who is an instance admin is this module's rule; people asks it (hidden profiles' words).
registerInstanceAdminCheck(async (ctx) => (await viewerAsReviewer(ctx))?.isAdmin ?? false);

// The rules other modules (and the modules to come) may ask.
export { canReview, isInstanceAdmin, REPORT_ACTIONS, REPORT_ROUTES } from './safety.policy.js';
