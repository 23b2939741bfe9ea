import { Temporal } from 'temporal-polyfill';
import { expect } from 'vitest';
import type { DbClient } from '../../server/src/db.js';
import { nowMs } from '../../server/src/lib/clock.js';
import { encodeId } from '../../server/src/lib/global-id.js';
import { hashPassword } from '../../server/src/modules/accounts/passwords.js';
import { createSession } from '../../server/src/modules/accounts/sessions.js';
import { createAccount } from '../../server/src/modules/accounts/sign-up.js';
import { gql, type Member, type UntypedData, uniqueEmail } from './graphql.js';

// Helpers for the office-hours tests: publish a series through the API (as a host would), read its
// slots, book, cancel, wait in line, answer an offer, mark attendance — each a real GraphQL call.
// `ohMutation` returns the typed result (errors included); the named helpers expect success and
// fail loudly with the answer in the message. Times are computed from the server clock
// (lib/clock: move it with advanceClock / setClockOffset; in-process servers share it).

export const OH_RESULT = /* GraphQL */ `__typename ... on Error { code message } ... on ValidationError { fieldErrors { path message } }`;

export const SLOT_FIELDS = /* GraphQL */ `
  id startsAt endsAt seats seatsTaken seatsLeft state cancelledAt onlineUrl location
  viewerCanBook viewerBookingBlocker
  viewerBooking { id status question }
  viewerWaitlistEntry { id status position offerExpiresAt }
  attendees { id name }
  bookings { id status question attendance attendee { id } }
  waitlist { id status position question offerExpiresAt member { id } }
`;

export const BOOKING_FIELDS = /* GraphQL */ `
  id status question attendance createdAt cancelledAt cancelledByHost calendarUrl
  attendee { id } slot { id startsAt }
`;

export const ENTRY_FIELDS = /* GraphQL */ `id status position offerExpiresAt question joinedAt member { id } slot { id }`;

/** Any query, expecting no top-level errors. */
export async function ohQuery(
  url: string,
  who: Member | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<UntypedData> {
  const response = await gql(url, query, variables, who ? { token: who.token } : {});
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data!;
}

/** Runs `name(input: $input) { … }` and returns its result object (typed errors included). */
export async function ohMutation(
  url: string,
  who: Member | null,
  name: string,
  input: Record<string, unknown>,
  selection = '',
): Promise<UntypedData> {
  const inputType = `${name[0]!.toUpperCase()}${name.slice(1)}Input`;
  const query = `mutation M($input: ${inputType}!) { ${name}(input: $input) { ${OH_RESULT} ${selection} } }`;
  const response = await gql(url, query, { input }, who ? { token: who.token } : {});
  if (response.body.errors?.length)
    return {
      __typename: 'GraphQLError',
      code: String(response.body.errors[0]!.extensions?.code ?? ''),
      errors: response.body.errors,
    };
  return response.body.data![name] as UntypedData;
}

/** The local date `days` from now (server clock) in `zone`, 'YYYY-MM-DD'. */
export function localDateIn(days: number, zone = 'Europe/Berlin'): string {
  return Temporal.Instant.fromEpochMilliseconds(nowMs())
    .toZonedDateTimeISO(zone)
    .toPlainDate()
    .add({ days })
    .toString();
}

/** Defaults: a one-off 3 days ahead, 17:00 Berlin, 60 minutes, 2 seats, MEMBERS, 2 h notice, 60-day window. */
export function officeHoursInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    topic: 'Code review clinic',
    description: 'Bring a pull request.',
    timeZone: 'Europe/Berlin',
    startDate: localDateIn(3),
    startTime: '17:00',
    durationMinutes: 60,
    seats: 2,
    audience: 'MEMBERS',
    onlineUrl: 'https://meet.example.com/clinic',
    location: 'Room 4, Guild Hall',
    minimumNoticeMinutes: 120,
    bookingWindowDays: 60,
    ...overrides,
  };
}

export interface PublishedOfficeHours {
  id: string;
  /** Upcoming slot ids, in order (nextSlots). */
  slots: string[];
}

/** Publishes office hours as `host` (publishOfficeHours) and returns the series and its next slots. */
export async function publishOfficeHours(
  url: string,
  host: Member,
  overrides: Record<string, unknown> = {},
): Promise<PublishedOfficeHours> {
  const result = await ohMutation(
    url,
    host,
    'publishOfficeHours',
    officeHoursInput(overrides),
    '... on OfficeHoursPayload { officeHours { id nextSlots(first: 20) { id } } }',
  );
  expect(result.__typename, JSON.stringify(result)).toBe('OfficeHoursPayload');
  return {
    id: result.officeHours.id,
    slots: (result.officeHours.nextSlots as Array<{ id: string }>).map((slot) => slot.id),
  };
}

/** A one-off with one slot; returns the slot's id (and the series'). */
export async function publishOneSlot(
  url: string,
  host: Member,
  overrides: Record<string, unknown> = {},
): Promise<{ officeHoursId: string; slotId: string }> {
  const published = await publishOfficeHours(url, host, overrides);
  expect(published.slots.length, 'the one-off has a slot').toBe(1);
  return { officeHoursId: published.id, slotId: published.slots[0]! };
}

/** The slot as `who` sees it (SLOT_FIELDS unless other fields are given); null when hidden. */
export async function slotAs(url: string, who: Member | null, slotId: string, fields = SLOT_FIELDS) {
  const data = await ohQuery(url, who, `query ($id: ID!) { node(id: $id) { ... on OfficeHourSlot { ${fields} } } }`, {
    id: slotId,
  });
  return data.node as UntypedData | null;
}

export function bookSlot(url: string, who: Member, slotId: string, question?: string) {
  return ohMutation(
    url,
    who,
    'bookOfficeHourSlot',
    { slotId, ...(question === undefined ? {} : { question }) },
    `... on BookingPayload { booking { ${BOOKING_FIELDS} } }`,
  );
}

/** Books and expects a seat; returns the booking's id. */
export async function book(url: string, who: Member, slotId: string, question?: string): Promise<string> {
  const result = await bookSlot(url, who, slotId, question);
  expect(result.__typename, JSON.stringify(result)).toBe('BookingPayload');
  return result.booking.id as string;
}

export function cancelBooking(url: string, who: Member, bookingId: string) {
  return ohMutation(
    url,
    who,
    'cancelBooking',
    { bookingId },
    `... on BookingPayload { booking { ${BOOKING_FIELDS} } }`,
  );
}

export function joinWaitlist(url: string, who: Member, slotId: string, question?: string) {
  return ohMutation(
    url,
    who,
    'joinOfficeHoursWaitlist',
    { slotId, ...(question === undefined ? {} : { question }) },
    `... on OfficeHoursWaitlistEntryPayload { entry { ${ENTRY_FIELDS} } }`,
  );
}

/** Joins the line and expects a place; returns the entry's id. */
export async function wait(url: string, who: Member, slotId: string, question?: string): Promise<string> {
  const result = await joinWaitlist(url, who, slotId, question);
  expect(result.__typename, JSON.stringify(result)).toBe('OfficeHoursWaitlistEntryPayload');
  return result.entry.id as string;
}

export function leaveWaitlist(url: string, who: Member, entryId: string) {
  return ohMutation(
    url,
    who,
    'leaveOfficeHoursWaitlist',
    { entryId },
    `... on OfficeHoursWaitlistEntryPayload { entry { ${ENTRY_FIELDS} } }`,
  );
}

export function acceptOffer(url: string, who: Member, entryId: string) {
  return ohMutation(
    url,
    who,
    'acceptWaitlistOffer',
    { entryId },
    `... on BookingPayload { booking { ${BOOKING_FIELDS} } }`,
  );
}

export function declineOffer(url: string, who: Member, entryId: string) {
  return ohMutation(
    url,
    who,
    'declineWaitlistOffer',
    { entryId },
    `... on OfficeHoursWaitlistEntryPayload { entry { ${ENTRY_FIELDS} } }`,
  );
}

export function markAttendance(url: string, who: Member, bookingId: string, attendance: 'ATTENDED' | 'NO_SHOW') {
  return ohMutation(
    url,
    who,
    'markAttendance',
    { bookingId, attendance },
    `... on BookingPayload { booking { ${BOOKING_FIELDS} } }`,
  );
}

/** A waitlist place as its member (or the host) sees it. */
export async function entryAs(url: string, who: Member, entryId: string) {
  const data = await ohQuery(
    url,
    who,
    `query ($id: ID!) { node(id: $id) { ... on OfficeHoursWaitlistEntry { ${ENTRY_FIELDS} } } }`,
    { id: entryId },
  );
  return data.node as UntypedData | null;
}

/** A booking as its attendee (or the host) sees it. */
export async function bookingAs(url: string, who: Member | null, bookingId: string) {
  const data = await ohQuery(url, who, `query ($id: ID!) { node(id: $id) { ... on Booking { ${BOOKING_FIELDS} } } }`, {
    id: bookingId,
  });
  return data.node as UntypedData | null;
}

/** The kinds of `who`'s latest notifications, newest first. */
export async function notificationKinds(url: string, who: Member): Promise<string[]> {
  const data = await ohQuery(url, who, 'query { viewer { notifications(first: 50) { edges { node { kind } } } } }');
  return (data.viewer.notifications.edges as Array<{ node: { kind: string } }>).map((edge) => edge.node.kind);
}

/** `who`'s latest notifications (kind, text, href), newest first. */
export async function notificationsOf(url: string, who: Member) {
  const data = await ohQuery(
    url,
    who,
    'query { viewer { notifications(first: 50) { edges { node { kind text href } } } } }',
  );
  return (data.viewer.notifications.edges as Array<{ node: { kind: string; text: string; href: string } }>).map(
    (edge) => edge.node,
  );
}

/**
 * `count` signed-in members made straight in `db` (one password hash shared by all: the crowd of a
 * concurrency test needs sessions, not sign-ups). Works on a database a server process also uses
 * (PostgreSQL), where makeMember would go through email.
 */
export async function crowdIn(db: DbClient, count: number, prefix = 'Crowd'): Promise<Member[]> {
  const password = 'correct horse battery';
  const passwordHash = await hashPassword(password);
  const crowd: Member[] = [];
  for (let index = 0; index < count; index += 1) {
    const input = { email: uniqueEmail(prefix.toLowerCase()), password, name: `${prefix} ${index + 1}` };
    const user = await createAccount(db, { ...input, passwordHash, emailVerifiedAt: null });
    const session = await createSession(db, { userId: user.id, ttlMs: 24 * 3600_000, userAgent: 'tests' });
    crowd.push({ ...input, id: encodeId('Viewer', user.id), token: session.token });
  }
  return crowd;
}
