// Registers the groups module's types and fields with the schema builder.
import './group.type.js';
import './group.fields.js';
import './groups.mutations.js';
import './events/event.type.js';
import './events/event.fields.js';

// What groups offers app.ts (the composition root) and other modules.
export { matchEventCalendar, serveEventCalendar } from './events/event-calendar.route.js';
