import { UnavailableError } from './errors.js';

// A database that does not answer (stopped, restarting, unreachable, out of connections) is a
// passing failure: the request was fine and the same request will work again shortly. Clients are
// told so with UNAVAILABLE and a retryAfterSeconds, never with an internal error they cannot tell
// from a bug. Only PostgreSQL through @prisma/adapter-pg fails this way; PGlite runs in-process.

/** What the client is told to wait before trying again. */
export const DATABASE_RETRY_AFTER_SECONDS = 3;

// Prisma's codes: can't reach (P1001), timed out connecting (P1002), timed out (P1008), connection
// closed (P1017), no connection from the pool in time (P2024), too many connections (P2037).
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);

// The driver adapter's kinds for the same (Prisma wraps them as meta.driverAdapterError.cause).
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);

// PostgreSQL's own: class 08 (connection exception), 53300 too many connections, 57P01–57P03
// (admin shutdown, crash shutdown, cannot connect now: a server stopping or starting).
function isUnreachableSqlState(code: unknown): boolean {
  return typeof code === 'string' && (code.startsWith('08') || ['53300', '57P01', '57P02', '57P03'].includes(code));
}

// node-postgres errors without a SQLSTATE, passed on as they are by the adapter.
const DRIVER_MESSAGES = [
  /Connection terminated unexpectedly/i,
  /Connection terminated due to connection timeout/i,
  /timeout exceeded when trying to connect/i,
  /Can't reach database server/i,
];

function isUnreachableAdapterCause(cause: unknown): boolean {
  if (typeof cause !== 'object' || cause === null) return false;
  const { kind, code, originalCode } = cause as { kind?: unknown; code?: unknown; originalCode?: unknown };
  if (typeof kind === 'string' && ADAPTER_KINDS.has(kind)) return true;
  return kind === 'postgres' && (isUnreachableSqlState(code) || isUnreachableSqlState(originalCode));
}

function isUnreachableOne(error: object): boolean {
  const { name, code, meta, cause, message } = error as {
    name?: unknown;
    code?: unknown;
    meta?: { driverAdapterError?: { cause?: unknown } };
    cause?: unknown;
    message?: unknown;
  };
  if (name === 'PrismaClientInitializationError') return true;
  if (typeof code === 'string' && PRISMA_CODES.has(code)) return true;
  if (isUnreachableAdapterCause(meta?.driverAdapterError?.cause)) return true;
  if (name === 'DriverAdapterError' && isUnreachableAdapterCause(cause)) return true;
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE'].includes(String(code))) return true;
  // A PostgreSQL error straight from node-postgres (it carries a severity).
  if ('severity' in error && isUnreachableSqlState(code)) return true;
  return typeof message === 'string' && DRIVER_MESSAGES.some((pattern) => pattern.test(message));
}

/** Whether `error` (or what it wraps: GraphQL's originalError, an Error's cause) says the database did not answer. */
export function isDatabaseUnreachable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth += 1) {
    if (isUnreachableOne(current)) return true;
    const next = current as { originalError?: unknown; cause?: unknown };
    current = next.originalError ?? next.cause;
  }
  return false;
}

/** The error a client gets for a request the database could not serve just now. */
export function databaseUnavailable(): UnavailableError {
  return new UnavailableError(
    `The service is briefly unavailable. Try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds.`,
    DATABASE_RETRY_AFTER_SECONDS,
  );
}
