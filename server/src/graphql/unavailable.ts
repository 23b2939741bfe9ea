import { GraphQLError } from 'graphql';
import { maskError as maskUnexpected, type Plugin } from 'graphql-yoga';
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailable, isDatabaseUnreachable } from '../lib/database-errors.js';

// A database that does not answer fails the request with UNAVAILABLE (and retryAfterSeconds), on
// both transports, instead of the masked "Unexpected error." of a bug. Over HTTP, a request that
// produced no data at all answers 503 with Retry-After.

/** The UNAVAILABLE error for a failure caused by the database not answering, where the error was. */
export function unavailableFor(error: unknown): GraphQLError | null {
  if (!isDatabaseUnreachable(error)) return null;
  const unavailable = databaseUnavailable();
  if (!(error instanceof GraphQLError)) return unavailable;
  return new GraphQLError(unavailable.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: unavailable.extensions,
  });
}

/** Yoga's masking, except for a database that did not answer (see above). */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  return unavailableFor(error) ?? maskUnexpected(error, message, isDev);
}

function isUnavailable(error: { extensions?: Record<string, unknown> }): boolean {
  return error.extensions?.code === 'UNAVAILABLE';
}

/**
 * No data, or only top-level fields that are null because the database did not answer (a nullable
 * field such as `viewer` fails alone when the session came from the session cache).
 */
function answeredNothing(data: unknown, errors: readonly GraphQLError[]): boolean {
  if (data == null) return true;
  if (typeof data !== 'object') return false;
  return Object.entries(data).every(
    ([field, value]) => value === null && errors.some((error) => isUnavailable(error) && error.path?.[0] === field),
  );
}

/** Over HTTP: no data and an UNAVAILABLE error → 503 with Retry-After (a partial answer stays 200). */
export function useUnavailableStatus(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || typeof result !== 'object' || result === null || !('errors' in result)) return;
      const { data, errors } = result as { data?: unknown; errors?: readonly GraphQLError[] };
      if (!errors?.some(isUnavailable) || !answeredNothing(data, errors)) return;
      setResult({
        ...result,
        ...(data === undefined ? {} : { data: null }),
        errors: errors.map((error) =>
          isUnavailable(error)
            ? new GraphQLError(error.message, {
                nodes: error.nodes,
                source: error.source,
                positions: error.positions,
                path: error.path,
                extensions: {
                  ...error.extensions,
                  // Read by Yoga for the status and headers, and left out of the body.
                  http: { status: 503, headers: { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) } },
                },
              })
            : error,
        ),
      });
    },
  };
}
