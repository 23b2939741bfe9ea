import { type DestinationStream, pino } from 'pino';
import type { Env } from './env.js';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

type Level = keyof Logger;

/** What graphql-yoga 5 calls on a custom `logging` object: any arguments, often an Error. */
export type YogaLogger = Record<Level, (...args: unknown[]) => void>;

export interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  code?: unknown;
  path?: unknown;
  /** GraphQLError.originalError: the resolver's own error, with its stack. */
  originalError?: SerializedError;
  cause?: SerializedError;
}

/** An Error as JSON: its name, message and stack, and what it wraps (GraphQL errors wrap the real one). */
export function serializeError(error: Error, depth = 0): SerializedError {
  const out: SerializedError = { type: error.name, message: error.message, stack: error.stack };
  const extra = error as Error & { code?: unknown; path?: unknown; originalError?: unknown };
  if (extra.code !== undefined) out.code = extra.code;
  if (extra.path !== undefined) out.path = extra.path;
  if (depth < 5) {
    if (extra.originalError instanceof Error) out.originalError = serializeError(extra.originalError, depth + 1);
    if (error.cause instanceof Error) out.cause = serializeError(error.cause, depth + 1);
  }
  return out;
}

// Callers pass `{ error }` (or any field) holding an Error: pino's JSON.stringify would print `{}`.
function withSerializedErrors(fields: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const [key, value] of Object.entries(fields)) {
    if (value instanceof Error) {
      out ??= { ...fields };
      out[key] = serializeError(value);
    }
  }
  return out ?? fields;
}

/**
 * One JSON object per line on stderr ({"level":"info","time":"…","message":"…",…}): readable by
 * people, parseable by log shippers. `destination` is for tests.
 */
export function createLogger(level: Env['LOG_LEVEL'], destination?: DestinationStream): Logger {
  const base = pino(
    {
      level,
      // "message" (not pino's "msg") keeps the lines this server has always written.
      messageKey: 'message',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    // Synchronous: the last lines before process.exit() are not lost.
    destination ?? pino.destination({ dest: 2, sync: true }),
  );
  const write = (at: Level) => (message: string, fields?: Record<string, unknown>) => {
    if (!base.isLevelEnabled(at)) return;
    if (fields) base[at](withSerializedErrors(fields), message);
    else base[at](message);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** Routes graphql-yoga's own logging (`createYoga({ logging })`) into the server's log. */
export function yogaLoggerFor(logger: Logger): YogaLogger {
  const write =
    (at: Level) =>
    (...args: unknown[]) => {
      const message = args.find((arg): arg is string => typeof arg === 'string');
      const error = args.find((arg): arg is Error => arg instanceof Error);
      const details = args.filter((arg) => arg !== message && arg !== error);
      logger[at](message ?? (error ? `graphql: ${error.message}` : 'graphql'), {
        source: 'graphql-yoga',
        ...(error ? { error } : {}),
        ...(details.length > 0 ? { details } : {}),
      });
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
