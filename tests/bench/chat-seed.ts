import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { buildApp, type App } from '../../server/src/app.js';
import type { Db } from '../../server/src/db.js';
import { loadEnv } from '../../server/src/env.js';
import { schema } from '../../server/src/schema/index.js';
import type { TestDatabase } from '../support/database.js';
import { gql, signUpMember, type Member } from '../support/graphql.js';
import { trackInProcessServer } from '../support/sign-up.js';

// Shared set-up of the chat benchmarks: one group with its #general channel, created through the
// API by its owner, and many members inserted straight into the database with sessions whose
// tokens we know (signing up 5,000 people would spend minutes in argon2).

/** What every benchmark server runs with; per-address limits are off because all traffic is local. */
export function benchEnv(database: TestDatabase): Record<string, string> {
  return {
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'never',
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    SIGN_UP_MAX_PER_ADDRESS: '100000',
    SIGN_IN_MAX_PER_ADDRESS: '100000',
    // One sender sends thousands of messages a minute here.
    CHAT_SEND_MAX_PER_MINUTE: '1000000',
    CHAT_ACTIONS_MAX_PER_MINUTE: '1000000',
    // Nothing else polls the database while statements and timings are measured.
    JOBS_ENABLED: 'false',
    ...database.env,
  };
}

/** Whether the server's schema has the chat API yet (the benchmarks' Guildhall halves need it). */
export function chatApiPresent(): boolean {
  return Boolean(schema.getSubscriptionType()?.getFields().conversationEvents);
}

export const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
export const rowId = (global: string) => Buffer.from(global, 'base64').toString('utf8').split(':')[1]!;

export interface SeededMember {
  userId: string;
  token: string;
}

export interface Channel {
  owner: Member & { userId: string };
  groupId: string;
  /** The row id of the group's #general. */
  conversationId: string;
  conversationGlobalId: string;
}

const CREATE_GROUP = /* GraphQL */ `
  mutation CreateGroup($input: CreateGroupInput!) {
    createGroup(input: $input) { __typename ... on GroupPayload { group { id } } ... on Error { code message } }
  }
`;

/** A public group created through the API (so #general is made the way the server makes it). */
export async function createChannel(graphqlUrl: string, db: Db, name: string): Promise<Channel> {
  const owner = await signUpMember(graphqlUrl, { name: `${name} Owner` });
  const response = await gql(
    graphqlUrl,
    CREATE_GROUP,
    { input: { name, kind: 'COMMUNITY', visibility: 'PUBLIC' } },
    { token: owner.token },
  );
  const result = response.body.data?.createGroup;
  if (result?.__typename !== 'GroupPayload') throw new Error(`createGroup failed: ${JSON.stringify(response.body)}`);
  const groupId = rowId(result.group.id as string);
  let general = await db.conversation.findFirst({ where: { groupId, isDefault: true }, select: { id: true } });
  // Until the chat module creates #general with every group, make it the way the data model says.
  general ??= await db.conversation.create({
    data: { kind: 'CHANNEL', groupId, name: 'general', isDefault: true },
    select: { id: true },
  });
  return {
    owner: { ...owner, userId: rowId(owner.id) },
    groupId,
    conversationId: general.id,
    conversationGlobalId: globalId('Conversation', general.id),
  };
}

/** `count` members of the group, each with one live session; a handful of statements. */
export async function insertMembers(db: Db, groupId: string, count: number, label: string): Promise<SeededMember[]> {
  const members = Array.from({ length: count }, () => ({
    userId: randomUUID(),
    token: randomBytes(32).toString('base64url'),
  }));
  const ids = members.map((m) => m.userId);
  const hashes = members.map((m) => createHash('sha256').update(m.token).digest('hex'));
  const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  await db.$executeRaw`INSERT INTO "User" (id, email, "passwordHash", name, "updatedAt")
    SELECT t.id, ${slug} || '-' || t.n || '-' || ${randomBytes(4).toString('hex')} || '@example.com', 'not-a-hash', ${label} || ' ' || t.n, now()
    FROM unnest(${ids}::uuid[]) WITH ORDINALITY AS t(id, n)`;
  await db.$executeRaw`INSERT INTO "Session" (id, "tokenHash", "userId", "expiresAt")
    SELECT gen_random_uuid(), decode(t.h, 'hex'), t.id, now() + interval '7 days'
    FROM unnest(${ids}::uuid[], ${hashes}::text[]) AS t(id, h)`;
  await db.$executeRaw`INSERT INTO "Membership" ("groupId", "userId", role)
    SELECT ${groupId}::uuid, t.id, 'MEMBER' FROM unnest(${ids}::uuid[]) AS t(id)`;
  return members;
}

/** Runs `seed` against an in-process server on `database`, then stops it (PGlite has one owner). */
export async function withSeedingApp<T>(
  database: TestDatabase,
  seed: (app: App, graphqlUrl: string) => Promise<T>,
): Promise<T> {
  const app = await buildApp(loadEnv(benchEnv(database)));
  await app.start();
  // signUpMember makes members on this app's database (sign-up itself finishes through an email).
  const untrack = trackInProcessServer(app);
  try {
    return await seed(app, `${app.url}/graphql`);
  } finally {
    untrack();
    await app.stop();
  }
}

/** A typical chat message (~100 characters), so frames have a realistic size. */
export const MESSAGE_FILLER =
  'Has anyone tried the new build on the staging cluster? The deploy went fine here but logs look odd.';
