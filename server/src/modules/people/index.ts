// Registers the people module's types and fields with the schema builder.
import './person.type.js';
import './person.fields.js';
import './viewer.fields.js';
import './people.queries.js';
import './profile.mutations.js';
import './blocking.fields.js';

// What people offers other modules.
export { type DirectoryGroupFilter, registerDirectoryGroupFilter } from './people.search.js';
export {
  type Audience,
  audienceOf,
  canSeeField,
  isProfileHidden,
  seesStanding,
  standingSeenSql,
  standingSeenWhere,
  standingViewerOf,
  type ProfileStanding,
  sharedWithViewerSql,
  sharesGroupWithWhere,
  standingOf,
} from './people.policy.js';
// Whether a viewer is an instance admin is safety's rule: it registers the check here.
export { type InstanceAdminCheck, registerInstanceAdminCheck, viewerIsInstanceAdmin } from './instance-admin.js';
// The admins hide and show a profile through modules/safety, in its transaction.
export { setProfileHiddenInTransaction, skillIdsBySlug } from './people.service.js';
// Skills and levels, shared with mentorship (expertise, skills to develop).
export { FieldVisibilityEnum, SkillLevelEnum, SkillRef } from './person.fields.js';
export { MAX_SKILLS, skillListInput, skillNameInput, slugOf } from './people.inputs.js';
export type { SkillData } from './profile.loader.js';
export { initialsOf, PersonRef } from './person.type.js';
// What a block stops, written once (blocking.policy.ts): chat, notifications and the modules to come ask it.
export {
  allows,
  allowsBetween,
  BLOCK_ACTIONS,
  BLOCK_RULES,
  type BlockAction,
  type BlockFacts,
  blockFactsWith,
  keptApartFrom,
  mayReachWhere,
  notKeptApartSql,
  notKeptApartWhere,
} from './blocking.policy.js';
