export function eventPath(id: string): string {
  return `/events/${encodeURIComponent(id)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;

// Links from outside the app (an .ics file, a notification) may carry the database id instead of the
// global id: accept both (Relay global ids are base64 of "Typename:id").
export function eventIdFromParam(param: string): string {
  return UUID.test(param) ? btoa(`Event:${param}`) : param;
}
