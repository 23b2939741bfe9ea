import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppServices } from './context.js';
import { openDatabase, type Database } from './db.js';
import type { Env } from './env.js';
import { createGraphQLServer } from './graphql/yoga.js';
import { attachWebSocketEndpoint } from './graphql/websocket.js';
import { setSecurityHeaders } from './http/security-headers.js';
import { createStaticHandler } from './http/static-files.js';
import { readClockOffsetFrom } from './lib/clock.js';
import { createLogger, type Logger } from './logger.js';
import { createPubSubBackend, type PubSub } from './pubsub.js';
import {
  authenticateHttp,
  authenticateSocket,
  fetchHeaders,
  isSessionLive,
  watchRevokedSessions,
} from './modules/accounts/index.js';
import { type ChatRuntime, createChatRuntime } from './modules/chat/index.js';
import { matchUnsubscribe, serveUnsubscribe } from './modules/email/index.js';
import { matchEventCalendar, serveEventCalendar } from './modules/groups/index.js';
import { createJobRunner } from './modules/jobs/index.js';
import { schema } from './schema/index.js';

// The composition root: the one place that knows both the infrastructure (HTTP, GraphQL,
// WebSocket, pub/sub, database) and the domain modules, and wires them together.

export interface App {
  /** http://host:port once started. */
  url: string;
  services: AppServices;
  database: Database;
  start(): Promise<void>;
  /** Graceful: stop accepting, finish in-flight requests, close sockets, close the database. */
  stop(): Promise<void>;
}

const SHUTDOWN_GRACE_MS = 10_000;

export async function buildApp(
  env: Env,
  // onQuery: every SQL statement Prisma runs (benchmarks count statements per request).
  options: { logger?: Logger; onQuery?: (sql: string) => void } = {},
): Promise<App> {
  const logger = options.logger ?? createLogger(env.LOG_LEVEL);
  // Tests move the clock of spawned servers through this file (lib/clock.ts).
  if (env.CLOCK_OFFSET_FILE) readClockOffsetFrom(env.CLOCK_OFFSET_FILE);
  // Job kinds that only the tests schedule (they record runs in tables the tests create).
  if (env.NODE_ENV === 'test') await import('./modules/jobs/test-jobs.js');
  const database = await openDatabase(env, { onQuery: options.onQuery });
  let pubsub: PubSub | undefined;
  let chat: ChatRuntime;
  try {
    pubsub = await createPubSubBackend(env, logger);
    chat = await createChatRuntime({ env, db: database.prisma, pubsub, logger });
  } catch (error) {
    await pubsub?.close();
    await database.close();
    throw error;
  }
  const services: AppServices = { env, db: database.prisma, pubsub, logger, chat };
  const jobs = createJobRunner(services, {
    pollMs: env.JOBS_POLL_MS,
    leaseMs: env.JOBS_LEASE_MS,
    concurrency: env.JOBS_CONCURRENCY,
  });
  // The origin the server is really reached at joins the allowlist once the port is known.
  const allowedOrigins = new Set(env.allowedOrigins);
  const isAllowedOrigin = (origin: string) => allowedOrigins.has(origin);
  const yoga = createGraphQLServer(services, {
    schema,
    isAllowedOrigin,
    authenticate: (request) => authenticateHttp(services, fetchHeaders(request)),
  });
  const serveStatic = createStaticHandler(env.WEB_DIST);
  let stopping = false;

  const server = http.createServer(async (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    setSecurityHeaders(res, { contentSecurityPolicy: pathname !== '/graphql' });
    if (pathname === '/graphql') return yoga.handle(req, res, { req });
    if (pathname === '/healthz') return json(res, 200, { status: 'ok' });
    if (pathname === '/readyz') {
      if (stopping) return json(res, 503, { status: 'stopping' });
      try {
        await withTimeout(database.ping(), 2_000);
        return json(res, 200, { status: 'ready', database: database.kind, pubsub: pubsub.kind });
      } catch {
        return json(res, 503, { status: 'database unreachable' });
      }
    }
    const calendarEventId = matchEventCalendar(req.method, pathname);
    if (calendarEventId !== null) {
      return authenticateHttp(services, req.headers)
        .then(({ viewer }) => serveEventCalendar(req, res, services, viewer, calendarEventId))
        .catch((error: unknown) => {
          logger.error('event calendar failed', { error });
          if (!res.headersSent) json(res, 500, { error: 'internal' });
          else res.end();
        });
    }
    if (matchUnsubscribe(req.method, pathname)) {
      // No session and no CSRF header: the signed link is the proof (RFC 8058 one-click POST).
      return serveUnsubscribe(req, res, services).catch((error: unknown) => {
        logger.error('unsubscribe failed', { error });
        if (!res.headersSent) json(res, 500, { error: 'internal' });
        else res.end();
      });
    }
    serveStatic(req, res);
  });

  const websocket = attachWebSocketEndpoint(server, yoga, services, {
    isAllowedOrigin,
    authenticate: (request, connectionParams) => authenticateSocket(services, request, connectionParams),
    isSessionLive: (sessionId) => isSessionLive(services.db, sessionId),
    socketListeners: [chat.sockets],
  });
  const stopRevocations = watchRevokedSessions(services, (sessionId) => websocket.closeSession(sessionId));

  const app: App = {
    url: '',
    services,
    database,
    start: async () => {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(env.PORT, env.HOST, () => resolve());
      });
      const { port } = server.address() as AddressInfo;
      app.url = `http://localhost:${port}`;
      if (!process.env.PUBLIC_ORIGIN) {
        allowedOrigins.add(`http://localhost:${port}`).add(`http://127.0.0.1:${port}`);
      }
      logger.info('Guildhall is listening', { url: app.url, database: database.kind, pubsub: pubsub.kind });
      if (env.JOBS_ENABLED) jobs.start();
    },
    stop: async () => {
      if (stopping) return;
      stopping = true;
      // First, so no job starts against a closing database; running ones finish or are abandoned.
      await jobs.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      stopRevocations();
      await websocket.close();
      // In-flight requests finish; anything still open after the grace period is cut.
      const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await closed;
      clearTimeout(force);
      await yoga.dispose();
      await chat.close();
      await pubsub.close();
      await database.close();
      logger.info('Guildhall stopped');
    },
  };
  return app;
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
