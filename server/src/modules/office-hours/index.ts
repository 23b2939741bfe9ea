// Registers the office-hours module's types and fields with the schema builder: a host's series or
// one-off (OfficeHours) expands into slots (OfficeHourSlot) that members book (Booking) or queue
// for (OfficeHoursWaitlistEntry); calendars, reminders and mentorship session series build on them.
// Each owner adds one import line per file that defines schema.
import './office-hours.type.js';
import './publishing.mutations.js';
import './office-hours.queries.js';
import './reminders.notifications.js';
import './reminders.mutations.js';
import './calendar-feed.js';
import './time-notes.fields.js';
import './booking.type.js';
import './booking.notifications.js';
import './booking.mutations.js';
import './sessions.type.js';
import './sessions.mutations.js';

// What office hours offers app.ts: the booking .ics and the private calendar feed routes.
export {
  matchOfficeHoursCalendar,
  type OfficeHoursCalendarRequest,
  serveOfficeHoursCalendar,
} from './calendar.route.js';
// The public page's link preview (Open Graph), for the static-file handler (app.ts passes it in).
export { officeHoursPageMeta } from './open-graph.js';
// The member's home (modules/home): seats, offers and hosted slots with their node types, and who sees a series.
export { BookingRef, OfficeHoursWaitlistEntryRef } from './booking.type.js';
export { OfficeHourSlotRef } from './office-hours.type.js';
export { visibleOfficeHoursWhere } from './office-hours.policy.js';
// A profile's "Book office hours" (modules/profile-actions): whether the host lists office hours for the viewer.
export { hostsListingOfficeHours } from './office-hours.queries.js';
