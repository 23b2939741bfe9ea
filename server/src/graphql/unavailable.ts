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

/** Over HTTP: no data and an UNAVAILABLE error → 503 with Retry-After (a partial answer stays 200). */
export function useUnavailableStatus(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || typeof result !== 'object' || result === null || !('errors' in result)) return;
      const { data, errors } = result as { data?: unknown; errors?: readonly GraphQLError[] };
      if (data != null || !errors?.some(isUnavailable)) return;
      setResult({
        ...result,
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
