// Registers the groups module's types and fields with the schema builder.
import './group.type.js';
import './group.fields.js';
import './groups.mutations.js';
import './events/event.type.js';
import './events/event.fields.js';
