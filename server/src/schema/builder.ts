import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin, { resolveNodes } from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import { GraphQLError, isObjectType } from 'graphql';
import type { Context } from '../context.js';
import { MutationLimitsPlugin } from '../graphql/mutation-limits.js';
import { parseGlobalId } from '../lib/global-id.js';
import { getDatamodel } from '../generated/pothos-types.js';
import type PrismaTypes from '../generated/pothos-types.js';
import { DateTimeScalar } from './scalars.js';
import { pageSize, toValidationError } from './validation.js';

// Plugins, scalars and conventions only; domain types live in modules/<domain>.

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: { member: boolean };
  Scalars: { DateTime: { Input: Date; Output: Date } };
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: true;
}>({
  // Errors before Prisma and Validation, so it can turn their failures into typed results.
  // Mutation limits last: they add RateLimitedError to a mutation's union before Errors reads it, and
  // count a mutation right before its resolver runs (after the sign-in check).
  plugins: [ErrorsPlugin, ScopeAuthPlugin, PrismaPlugin, RelayPlugin, ValidationPlugin, MutationLimitsPlugin],
  defaultFieldNullability: false,
  defaultInputFieldRequiredness: true,
  errors: {
    directResult: true,
    // Input validation becomes a ValidationError result, like every other expected failure.
    unsafelyHandleInputErrors: true,
    defaultUnionOptions: {
      name: ({ fieldName }) => `${fieldName[0]!.toUpperCase()}${fieldName.slice(1)}Result`,
    },
  },
  validation: {
    validationError: (result) => toValidationError(result.issues),
  },
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (context) => ({ member: context.viewer !== null }),
    unauthorizedError: () =>
      new GraphQLError('Sign in to do this.', { extensions: { code: 'UNAUTHENTICATED', http: { status: 200 } } }),
  },
  relay: {
    clientMutationId: 'omit',
    // Page sizes outside 1–100 are refused, not silently clamped.
    firstArgOptions: { validate: pageSize },
    lastArgOptions: { validate: pageSize },
    cursorType: 'String',
    nodesQueryOptions: false,
    // Our own node(id) below: Pothos' hands any key to the type's loader.
    nodeQueryOptions: false,
  },
  prisma: {
    client: (context) => context.db,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'warn',
  },
});

builder.addScalarType('DateTime', DateTimeScalar);

// Deny by default: every mutation and subscription needs a signed-in member unless the
// field opts out with `skipTypeScopes: true` (sign up, sign in).
builder.queryType({});
builder.mutationType({ authScopes: { member: true } });
builder.subscriptionType({ authScopes: { member: true } });

// Anything that names no node the viewer may see answers null, exactly like a missing one:
// a malformed ID, a key that is no key, a type that is no node. Only a real key of a real
// node type reaches that type's loader (and so the database).
builder.queryField('node', (t) =>
  t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    description: 'The object with this global ID; null when there is none you may see.',
    args: { id: t.arg.id() },
    resolve: async (_root, { id }, ctx, info) => {
      const decoded = parseGlobalId(String(id));
      const type = decoded && info.schema.getType(decoded.typename);
      if (!decoded || !isObjectType(type) || !type.getInterfaces().some((node) => node.name === 'Node')) return null;
      const [node] = await resolveNodes(builder, ctx, info, [decoded]);
      return node ?? null;
    },
  }),
);
