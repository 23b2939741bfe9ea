import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  getNamedType,
  getNullableType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
} from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../server/src/app.js';
import { loadEnv } from '../../server/src/env.js';
import { createLogger } from '../../server/src/logger.js';
import { schema } from '../../server/src/schema/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { encodeGlobalId } from '../../server/src/lib/global-id.js';
import { createSession } from '../../server/src/modules/accounts/sessions.js';
import { gql, wsClient, wsRequest } from '../support/graphql.js';

// No ID a client can send may produce an internal error: a well-formed global ID whose key is not
// a key (Group:abc, Message:not-a-uuid, Skill:typescript), an unknown type name, a type that is no
// node, text that is not base64 at all. node() answers null, like any node that does not exist;
// every other ID argument answers its typed NOT_FOUND / VALIDATION (or null where "not found" is
// null). The fuzzing walks the schema, so a new field or input with an ID is covered by itself.

let database: TestDatabase;
let app: App;
let graphqlUrl: string;
let wsUrl: string;
let member: { token: string; id: string };
/** Every line the server logged at warn or above. */
const logLines: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const env = loadEnv({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    SEED_DEMO: 'never',
    LOG_LEVEL: 'warn',
    SIGN_UP_MAX_PER_ADDRESS: '100000',
    // Hundreds of mutations by one member: the fuzzing is about IDs, not about rate limits.
    MUTATIONS_MAX_PER_MINUTE: '1000000',
    INVITES_MAX_PER_HOUR: '1000000',
    JOIN_REQUESTS_MAX_PER_HOUR: '1000000',
    EVENTS_CREATED_MAX_PER_HOUR: '1000000',
    GROUPS_CREATED_MAX_PER_HOUR: '1000000',
    CHAT_SEND_MAX_PER_MINUTE: '1000000',
    CHAT_ACTIONS_MAX_PER_MINUTE: '1000000',
    ...database.env,
  });
  const logger = createLogger('warn', { write: (line: string) => void logLines.push(line) });
  app = await buildApp(env, { logger });
  await app.start();
  graphqlUrl = `${app.url}/graphql`;
  wsUrl = `${app.url.replace('http', 'ws')}/graphql`;
  // Made straight in the database: this file is about IDs, not about how members sign up.
  const user = await app.services.db.user.create({
    data: { email: `ids-${randomUUID()}@example.com`, name: 'Fuzz Member', passwordHash: 'unused' },
  });
  const session = await createSession(app.services.db, { userId: user.id, ttlMs: 3_600_000, userAgent: 'tests' });
  member = { token: session.token, id: encodeGlobalId('Viewer', user.id) };
});

// Each test sees only what it logged itself.
beforeEach(() => {
  logLines.splice(0);
});

afterAll(async () => {
  await app?.stop();
  await database?.drop();
});

const encode = (typename: string, key: string) => Buffer.from(`${typename}:${key}`).toString('base64');

const nodeInterface = schema.getType('Node');
const nodeTypenames =
  nodeInterface && isInterfaceType(nodeInterface)
    ? schema.getPossibleTypes(nodeInterface).map((type) => type.name)
    : [];
const otherTypenames = Object.values(schema.getTypeMap())
  .filter((type) => isObjectType(type) && !type.name.startsWith('__') && !nodeTypenames.includes(type.name))
  .map((type) => type.name);

/** Keys that are not keys: none of our nodes is keyed by anything but a UUID. */
const badKey = fc.oneof(
  fc.constantFrom(
    'abc',
    'not-a-uuid',
    'typescript',
    '1',
    '-1',
    '0',
    ' ',
    '\u0000',
    '\'; DROP TABLE "User"; --',
    '00000000-0000-0000-0000-00000000000g',
    '00000000-0000-0000-0000-0000000000000',
    `${randomUUID()}:${randomUUID()}`,
    `{${randomUUID()}}`,
    'x'.repeat(2_000),
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.uuid().map((uuid) => `${uuid}x`),
  fc.uuid().map((uuid) => uuid.replaceAll('-', '')),
  fc.integer().map(String),
);

/** IDs that name nothing: malformed ones, and well-formed ones of no row. */
const badId = fc.oneof(
  fc.tuple(fc.constantFrom(...nodeTypenames), badKey).map(([typename, key]) => encode(typename, key)),
  fc.tuple(fc.constantFrom(...otherTypenames), fc.uuid()).map(([typename, key]) => encode(typename, key)),
  fc.tuple(fc.string({ unit: 'binary', maxLength: 20 }), fc.oneof(badKey, fc.uuid())).map(([t, k]) => encode(t, k)),
  fc.tuple(fc.constantFrom(...nodeTypenames), fc.uuid()).map(([typename, key]) => encode(typename, key)),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.base64String({ maxLength: 60 }),
  fc.uuid(),
  fc.constant(''),
);

/** An output selection that is valid for any return type and shows typed errors. */
function selectionFor(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  if (isScalarType(named) || isEnumType(named)) return '';
  const errorType = schema.getType('Error');
  if (isUnionType(named) && errorType && isInterfaceType(errorType)) {
    const implementsError = named.getTypes().some((member) => member.getInterfaces().includes(errorType));
    if (implementsError) return '{ __typename ... on Error { code message } }';
  }
  return '{ __typename }';
}

/** Where an ID goes in a field's arguments: a path of argument and input-field names, and whether it is a list. */
interface IdSlot {
  path: string[];
  list: boolean;
}

function idSlotsOf(type: GraphQLInputType, path: string[], seen: ReadonlySet<string>): IdSlot[] {
  const nullable = getNullableType(type) as GraphQLInputType;
  const list = isListType(nullable);
  const named = getNamedType(type) as GraphQLNamedType;
  if (isScalarType(named) && named.name === 'ID') return [{ path, list }];
  if (!isInputObjectType(named) || seen.has(named.name)) return [];
  return Object.values(named.getFields()).flatMap((field) =>
    idSlotsOf(field.type, [...path, field.name], new Set([...seen, named.name])),
  );
}

/** A plausible value for a required input, so that the ID is looked at rather than some other field refused. */
function plausible(type: GraphQLInputType, name: string): unknown {
  if (isNonNullType(type)) return plausible(type.ofType, name);
  if (isListType(type)) return [plausible(type.ofType, name)];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type)) value[field.name] = plausible(field.type, field.name);
    }
    return value;
  }
  const scalar = type.name;
  if (scalar === 'Int') return /^(first|last)$/.test(name) ? 5 : 1;
  if (scalar === 'Float') return 1;
  if (scalar === 'Boolean') return false;
  if (scalar === 'DateTime') {
    const day = 24 * 60 * 60 * 1000;
    return new Date(Date.now() + (/end/i.test(name) ? 2 * day : day)).toISOString();
  }
  if (/timeZone/i.test(name)) return 'Europe/Berlin';
  if (/email/i.test(name)) return 'fuzz@example.com';
  if (/url|href|link/i.test(name)) return 'https://example.com';
  if (/slug/i.test(name)) return 'fuzz-slug';
  if (/clientId|token/i.test(name)) return randomUUID();
  if (/emoji/i.test(name)) return '👍';
  return 'Fuzz text';
}

function setAt(target: Record<string, unknown>, path: string[], value: unknown): void {
  let cursor = target;
  for (const key of path.slice(0, -1)) {
    cursor[key] ??= {};
    cursor = cursor[key] as Record<string, unknown>;
  }
  cursor[path.at(-1)!] = value;
}

interface FieldCase {
  operation: 'query' | 'mutation' | 'subscription';
  field: GraphQLField<unknown, unknown>;
  slots: IdSlot[];
}

function fieldCases(operation: FieldCase['operation'], root: GraphQLObjectType | null | undefined): FieldCase[] {
  if (!root) return [];
  return Object.values(root.getFields())
    .map((field) => ({
      operation,
      field,
      slots: field.args.flatMap((arg: GraphQLArgument) => idSlotsOf(arg.type, [arg.name], new Set())),
    }))
    .filter((fieldCase) => fieldCase.slots.length > 0);
}

const queryCases = fieldCases('query', schema.getQueryType());
const mutationCases = fieldCases('mutation', schema.getMutationType());
const subscriptionCases = fieldCases('subscription', schema.getSubscriptionType());

function documentFor({ operation, field }: FieldCase): string {
  const variables = field.args.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(', ');
  const args = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  return `${operation} Fuzz${variables ? `(${variables})` : ''} { ${field.name}${args ? `(${args})` : ''} ${selectionFor(field.type)} }`;
}

/** Variables with every required argument filled in, and the chosen IDs in their slots. */
function variablesFor({ field, slots }: FieldCase, ids: string[]): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const arg of field.args) {
    if (isNonNullType(arg.type)) variables[arg.name] = plausible(arg.type, arg.name);
  }
  slots.forEach((slot, index) => {
    const id = ids[index]!;
    setAt(variables, slot.path, slot.list ? [id] : id);
  });
  return variables;
}

interface Answer {
  status?: number;
  errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }>;
  data?: Record<string, unknown> | null;
}

/** Codes a client may get for an ID that names nothing. */
const EXPECTED_CODES = new Set(['NOT_FOUND', 'VALIDATION', 'FORBIDDEN', 'BAD_USER_INPUT', 'RATE_LIMITED']);

function expectNoInternalError(answer: Answer, context: string): void {
  expect(answer.status ?? 200, context).toBeLessThan(500);
  for (const error of answer.errors ?? []) {
    expect(error.message, context).not.toMatch(/Unexpected error/i);
    expect(error.extensions?.code, context).not.toBe('INTERNAL_SERVER_ERROR');
    expect(EXPECTED_CODES.has(String(error.extensions?.code)), `${context}: ${JSON.stringify(error)}`).toBe(true);
  }
}

function expectNoErrorLogged(context: string): void {
  const logged = logLines.splice(0);
  expect(
    logged.filter((line) => /"level":"error"/.test(line) || /\bstack\b/.test(line)),
    context,
  ).toEqual([]);
}

describe('node(id)', () => {
  it('answers null for a well-formed global ID whose key is not a key, and logs nothing', async () => {
    const ids = [
      encode('Group', 'abc'),
      encode('Message', 'not-a-uuid'),
      encode('Skill', 'typescript'),
      encode('Conversation', '42'),
      encode('Person', `${randomUUID()}x`),
      encode('Viewer', ''),
      encode('Nope', randomUUID()),
      encode('GroupMember', randomUUID()),
      encode('Query', randomUUID()),
      'not base64 at all!',
      '',
    ];
    for (const id of ids) {
      const response = await gql(
        graphqlUrl,
        'query N($id: ID!) { node(id: $id) { __typename id } }',
        { id },
        { token: member.token },
      );
      expect(response.status, id).toBe(200);
      expect(response.body, id).toEqual({ data: { node: null } });
    }
    expectNoErrorLogged('node(id)');
  });

  it('still finds what exists', async () => {
    const response = await gql(
      graphqlUrl,
      'query N($id: ID!) { node(id: $id) { __typename id } }',
      { id: member.id },
      { token: member.token },
    );
    expect(response.body.data?.node).toEqual({ __typename: 'Viewer', id: member.id });
  });

  it('answers null for any malformed or unknown ID (fuzzed), signed in or not', async () => {
    await fc.assert(
      fc.asyncProperty(badId, fc.boolean(), async (id, signedIn) => {
        const response = await gql(
          graphqlUrl,
          'query N($id: ID!) { node(id: $id) { __typename } }',
          { id },
          signedIn ? { token: member.token } : {},
        );
        expectNoInternalError({ status: response.status, ...response.body }, `node(${JSON.stringify(id)})`);
        expect(response.body.data?.node ?? null).toBeNull();
      }),
      { numRuns: 150 },
    );
    expectNoErrorLogged('fuzzed node(id)');
  });
});

describe('every ID argument', () => {
  it('finds the ID arguments of queries, mutations and subscriptions by walking the schema', () => {
    const names = [...queryCases, ...mutationCases, ...subscriptionCases].map((c) => c.field.name);
    // A few known ones, so a broken walk cannot pass by finding nothing.
    expect(names).toEqual(
      expect.arrayContaining(['node', 'person', 'event', 'sendMessage', 'inviteMember', 'conversationEvents']),
    );
    expect(names.length).toBeGreaterThan(30);
  });

  for (const fieldCase of [...queryCases, ...mutationCases]) {
    const slots = fieldCase.slots.map((slot) => slot.path.join('.')).join(', ');
    it(`${fieldCase.operation} ${fieldCase.field.name} (${slots}) answers a typed error or null, never an internal error`, async () => {
      const document = documentFor(fieldCase);
      await fc.assert(
        fc.asyncProperty(
          fc.array(badId, { minLength: fieldCase.slots.length, maxLength: fieldCase.slots.length }),
          async (ids) => {
            const variables = variablesFor(fieldCase, ids);
            const response = await gql(graphqlUrl, document, variables, { token: member.token });
            const context = `${fieldCase.field.name} ${JSON.stringify(variables).slice(0, 300)}`;
            expectNoInternalError({ status: response.status, ...response.body }, context);
            const result = response.body.data?.[fieldCase.field.name];
            // A mutation given IDs of nothing never succeeds: it answers an error of its result union.
            if (fieldCase.operation === 'mutation' && result && typeof result === 'object' && 'code' in result) {
              expect(EXPECTED_CODES.has(String((result as { code: unknown }).code)), context).toBe(true);
            }
          },
        ),
        { numRuns: 12 },
      );
      expectNoErrorLogged(fieldCase.field.name);
    });
  }

  for (const fieldCase of subscriptionCases) {
    it(`subscription ${fieldCase.field.name} over WebSocket answers a typed error, never an internal error`, async () => {
      const client = wsClient(wsUrl, { connectionParams: { authToken: member.token } });
      try {
        await fc.assert(
          fc.asyncProperty(
            fc.array(badId, { minLength: fieldCase.slots.length, maxLength: fieldCase.slots.length }),
            async (ids) => {
              const answer = await wsRequest(client, documentFor(fieldCase), variablesFor(fieldCase, ids));
              expectNoInternalError(answer, `${fieldCase.field.name} ${JSON.stringify(ids)}`);
              expect(answer.errors?.length ?? 0).toBeGreaterThan(0);
            },
          ),
          { numRuns: 12 },
        );
      } finally {
        await client.dispose();
      }
      expectNoErrorLogged(fieldCase.field.name);
    });
  }
});
