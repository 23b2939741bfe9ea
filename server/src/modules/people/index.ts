// Registers the people module's types and fields with the schema builder.
import './person.type.js';
import './person.fields.js';
import './viewer.fields.js';
import './people.queries.js';
import './profile.mutations.js';

// What people offers other modules.
export { type DirectoryGroupFilter, registerDirectoryGroupFilter } from './people.search.js';
export { sharedWithViewerSql, sharesGroupWithWhere } from './people.policy.js';
export { initialsOf, PersonRef } from './person.type.js';
