import { randomBytes } from 'node:crypto';
import type { Db } from '../../server/src/db.js';
import { createSession } from '../../server/src/modules/accounts/sessions.js';
import { gql } from './graphql.js';

// Fixtures for the events and notifications tests: members, groups and roles written straight
// through Prisma (fast, and independent of the groups mutations), plus the GraphQL documents.

export type Role = 'OWNER' | 'ADMIN' | 'MODERATOR' | 'MEMBER';

export interface TestUser {
  id: string;
  name: string;
  token: string;
}

let seq = 0;
const unique = () => `${process.pid}-${Date.now().toString(36)}-${++seq}-${randomBytes(3).toString('hex')}`;

/** A member with a live session; no password hashing, so dozens are cheap. */
export async function createUser(db: Db, name = 'Test Member'): Promise<TestUser> {
  const user = await db.user.create({
    data: { email: `${unique()}@example.com`, name, passwordHash: 'not-a-password' },
    select: { id: true },
  });
  const { token } = await createSession(db, { userId: user.id, ttlMs: 24 * 60 * 60 * 1000, userAgent: 'test' });
  return { id: user.id, name, token };
}

export async function createGroup(
  db: Db,
  options: {
    visibility: 'PUBLIC' | 'PRIVATE' | 'SECRET';
    name?: string;
    members?: Array<[TestUser, Role]>;
    banned?: TestUser[];
  },
) {
  const name = options.name ?? `Group ${unique()}`;
  const group = await db.group.create({
    data: {
      slug: `g-${unique()}`.toLowerCase(),
      name,
      kind: 'COMMUNITY',
      visibility: options.visibility,
      memberships: { create: (options.members ?? []).map(([user, role]) => ({ userId: user.id, role })) },
      bans: { create: (options.banned ?? []).map((user) => ({ userId: user.id })) },
    },
    select: { id: true, slug: true, name: true },
  });
  return { ...group, globalId: Buffer.from(`Group:${group.id}`).toString('base64') };
}

export async function addMember(db: Db, groupId: string, user: TestUser, role: Role = 'MEMBER') {
  await db.membership.create({ data: { groupId, userId: user.id, role } });
}

export const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

export const HOUR = 60 * 60 * 1000;
export const inHours = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();

export const CREATE_EVENT = /* GraphQL */ `
  mutation CreateEvent($input: CreateEventInput!) {
    createEvent(input: $input) {
      __typename
      ... on EventPayload { event { id title timeZone capacity icsUrl group { id } } }
      ... on Error { code message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`;

export const RSVP = /* GraphQL */ `
  mutation Rsvp($input: RsvpInput!) {
    rsvp(input: $input) {
      __typename
      ... on EventPayload { event { id viewerRsvp viewerWaitlistPosition goingCount maybeCount waitlistCount } }
      ... on Error { code message }
    }
  }
`;

export const UPDATE_EVENT = /* GraphQL */ `
  mutation UpdateEvent($input: UpdateEventInput!) {
    updateEvent(input: $input) {
      __typename
      ... on EventPayload { event { id capacity goingCount waitlistCount } }
      ... on Error { code message }
    }
  }
`;

/** Creates an event as `user` through the API and returns its global and row ids. */
export async function apiCreateEvent(
  url: string,
  user: TestUser,
  groupGlobalId: string,
  input: Record<string, unknown> = {},
): Promise<{ id: string; uuid: string }> {
  const response = await gql(
    url,
    CREATE_EVENT,
    {
      input: {
        groupId: groupGlobalId,
        title: 'Evening meetup',
        startsAt: inHours(48),
        endsAt: inHours(50),
        timeZone: 'Europe/Berlin',
        ...input,
      },
    },
    { token: user.token },
  );
  const result = response.body.data?.createEvent;
  if (result?.__typename !== 'EventPayload') throw new Error(`createEvent failed: ${JSON.stringify(response.body)}`);
  const id = result.event.id as string;
  return { id, uuid: Buffer.from(id, 'base64').toString().split(':')[1]! };
}

/** What RSVP reads: the event on success (EventPayload), code and message on a typed error. */
export interface RsvpResult {
  __typename: string;
  event: {
    id: string;
    viewerRsvp: string | null;
    viewerWaitlistPosition: number | null;
    goingCount: number;
    maybeCount: number;
    waitlistCount: number;
  };
  code?: string;
  message?: string;
}

export async function apiRsvp(url: string, user: TestUser, eventId: string, status: string) {
  const response = await gql(url, RSVP, { input: { eventId, status } }, { token: user.token });
  if (!response.body.data) throw new Error(`rsvp failed: ${JSON.stringify(response.body)}`);
  return response.body.data.rsvp as RsvpResult;
}
