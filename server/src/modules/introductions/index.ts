// Registers the introductions module's types and fields with the schema builder. Nothing imports
// this module; it builds on accounts, people, notifications, groups, chat, jobs and mentorship; only the
// member's home (modules/home) reads its node type and the policy's role and step rules.
import './introduction.type.js';
import './introductions.queries.js';
import './introductions.subscriptions.js';
import './introductions.notifications.js';
import './introductions.jobs.js';
import './introductions.mutations.js';

// What introductions offers the composition roots (seed, tests): the live nudge after a change.
export { publishIntroductionChange } from './introductions.events.js';
export { IntroductionRef } from './introduction.type.js';
export {
  INTRODUCTION_ACTIONS,
  introductionsInRoleWhere,
  requesterOpenWhere,
} from './introductions.policy.js';
// A profile's "Ask for an introduction" (modules/profile-actions): the suggested brokers' answer, for a list of people.
export { type IntroductionOption, introductionOptions } from './brokers.js';
