import SchemaBuilder, {
  BasePlugin,
  type FieldNullability,
  type InputFieldMap,
  type PothosOutputFieldConfig,
  type SchemaTypes,
  type TypeParam,
} from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';
import type { Context } from '../context.js';
import type { Env } from '../env.js';
import { RateLimitedError } from '../lib/errors.js';
import { hitRateLimits, type RateLimitRule } from '../lib/rate-limit.js';

// Per-member rate limits for every mutation, kept in the database so that every instance shares
// them (lib/rate-limit.ts). Each mutation of a signed-in member counts against one general limit
// (MUTATIONS_MAX_PER_MINUTE); a mutation where abuse is cheap (it reaches other people: invites,
// join requests, new events) names a stricter limit of its own with `rateLimit`, counted as well.
// `rateLimit: false` leaves a mutation out (chat's sends and reactions have their own limits).
// A refusal is the field's typed RateLimitedError, added here to the result union of every limited
// mutation; so a mutation without a result union is not limited (sign-out must always work;
// setPresence only changes this session's sockets). Mutations open to signed-out visitors (sign
// in, sign up) are limited per client address by their module.

/** A limit that depends on the settings, e.g. `(env) => ({ name: 'invites', limit: env.INVITES_MAX_PER_HOUR, windowMs: HOUR })`. */
export type MutationRateLimit = (env: Env) => RateLimitRule;

const general: MutationRateLimit = (env) => ({
  name: 'mutation',
  limit: env.MUTATIONS_MAX_PER_MINUTE,
  windowMs: 60_000,
});

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      mutationLimits: PothosMutationLimitsPlugin<Types>;
    }
    export interface FieldOptions<
      Types extends SchemaTypes = SchemaTypes,
      ParentShape = unknown,
      Type extends TypeParam<Types> = TypeParam<Types>,
      Nullable extends FieldNullability<Type> = FieldNullability<Type>,
      Args extends InputFieldMap = InputFieldMap,
      ResolveShape = unknown,
      ResolveReturnShape = unknown,
    > {
      /** Mutations only: a stricter per-member limit on top of the general one, or false for none. */
      rateLimit?: MutationRateLimit | false;
    }
  }
}

function limitsOf(fieldConfig: { kind: string; pothosOptions: object }): MutationRateLimit[] | null {
  if (fieldConfig.kind !== 'Mutation') return null;
  const options = fieldConfig.pothosOptions as {
    rateLimit?: MutationRateLimit | false;
    skipTypeScopes?: boolean;
    errors?: unknown;
  };
  if (options.rateLimit === false || options.skipTypeScopes || !options.errors) return null;
  return options.rateLimit ? [general, options.rateLimit] : [general];
}

export class PothosMutationLimitsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  // Runs before the errors plugin reads the field's error types (plugins apply this hook last to first).
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    if (!limitsOf(fieldConfig)) return fieldConfig;
    const errors = (fieldConfig.pothosOptions as { errors: { types?: unknown[] } }).errors;
    const types = errors.types ?? [];
    if (types.includes(RateLimitedError)) return fieldConfig;
    return {
      ...fieldConfig,
      pothosOptions: { ...fieldConfig.pothosOptions, errors: { ...errors, types: [...types, RateLimitedError] } },
    } as PothosOutputFieldConfig<Types>;
  }

  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    const limits = limitsOf(fieldConfig);
    if (!limits) return resolver;
    return async (parent, args, context, info) => {
      const ctx = context as unknown as Context;
      if (ctx.viewer) {
        const subject = ctx.viewer.id;
        const verdict = await hitRateLimits(
          ctx.db,
          limits.map((limit) => ({ rule: limit(ctx.env), subject })),
        );
        if (!verdict.allowed) throw new RateLimitedError(verdict.retryAfterSeconds);
      }
      return resolver(parent, args, context, info);
    };
  }
}

SchemaBuilder.registerPlugin('mutationLimits', PothosMutationLimitsPlugin);

export const MutationLimitsPlugin = 'mutationLimits' as const;
