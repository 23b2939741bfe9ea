import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppServices } from './context.js';
import { openDatabase, type Database } from './db.js';
import type { Env } from './env.js';
import { createGraphQLServer } from './graphql/yoga.js';
import { createMemberSocketLimit, type MemberSocketLimit } from './graphql/member-sockets.js';
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
  createSessionCache,
  isSessionLive,
  type SessionCache,
  watchRevokedSessions,
} from './modules/accounts/index.js';
import { type ChatRuntime, createChatRuntime } from './modules/chat/index.js';
import { matchUnsubscribe, serveUnsubscribe } from './modules/email/index.js';
import { matchEventCalendar, serveEventCalendar } from './modules/groups/index.js';
import { createJobRunner } from './modules/jobs/index.js';
import {
  matchOfficeHoursCalendar,
  officeHoursPageMeta,
  serveOfficeHoursCalendar,
} from './modules/office-hours/index.js';
import { schema } from './schema/index.js';

// The composition root: the one place that knows both the infrastructure (HTTP, GraphQL,
// WebSocket, pub/sub, database) and the domain modules, and wires them together.

export interface App {
  /** http://host:port once started. */
  url: string;
  services: AppServices;
  database: Database;
  start(): Promise<void>;
  /**
   * Graceful: stop accepting, let in-flight requests, sockets and jobs finish for SHUTDOWN_GRACE_MS
   * and cut what is left, then close the database.
   */
  stop(): Promise<void>;
}

/** After the grace, how long cut connections get to report closed before the shutdown goes on anyway. */
const CUT_WAIT_MS = 1_000;

export async function buildApp(
  env: Env,
  // onQuery: every SQL statement Prisma runs (benchmarks count statements per request). database: one
  // already open (main.ts opens it to check the migrations first); the app closes it on stop.
  options: { logger?: Logger; onQuery?: (sql: string) => void; database?: Database } = {},
): Promise<App> {
  const logger = options.logger ?? createLogger(env.LOG_LEVEL);
  // Tests move the clock of spawned servers through this file (lib/clock.ts).
  if (env.CLOCK_OFFSET_FILE) readClockOffsetFrom(env.CLOCK_OFFSET_FILE);
  // Job kinds that only the tests schedule (they record runs in tables the tests create).
  if (env.NODE_ENV === 'test') await import('./modules/jobs/test-jobs.js');
  const database = options.database ?? (await openDatabase(env, { onQuery: options.onQuery }));
  let pubsub: PubSub | undefined;
  let chat: ChatRuntime;
  let memberSockets: MemberSocketLimit | undefined;
  let sessionCache: SessionCache | undefined;
  try {
    pubsub = await createPubSubBackend(env, logger);
    sessionCache = createSessionCache(pubsub, logger);
    memberSockets = await createMemberSocketLimit({
      max: env.WS_MAX_SOCKETS_PER_MEMBER,
      redisUrl: env.REDIS_URL,
      logger,
    });
    chat = await createChatRuntime({ env, db: database.prisma, pubsub, logger });
  } catch (error) {
    sessionCache?.close();
    await memberSockets?.close();
    await pubsub?.close();
    await database.close();
    throw error;
  }
  const services: AppServices = { env, db: database.prisma, pubsub, logger, chat, sessionCache };
  const jobs = createJobRunner(services, {
    pollMs: env.JOBS_POLL_MS,
    leaseMs: env.JOBS_LEASE_MS,
    concurrency: env.JOBS_CONCURRENCY,
    stopGraceMs: env.SHUTDOWN_GRACE_MS,
  });
  // The origin the server is really reached at joins the allowlist once the port is known.
  const allowedOrigins = new Set(env.allowedOrigins);
  const isAllowedOrigin = (origin: string) => allowedOrigins.has(origin);
  const yoga = createGraphQLServer(services, {
    schema,
    isAllowedOrigin,
    authenticate: (request) => authenticateHttp(services, fetchHeaders(request)),
  });
  // Link previews of pages the domain modules know (infrastructure imports no module: passed in here).
  const serveStatic = createStaticHandler(env.WEB_DIST, {
    pageMeta: (pathname) => officeHoursPageMeta(services, pathname),
  });
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
    const officeHoursCalendar = matchOfficeHoursCalendar(req.method, pathname);
    if (officeHoursCalendar !== null) {
      // A booking's .ics needs a session (cookie or Bearer); a feed's secret address is its own proof.
      const authenticate = async () => (await authenticateHttp(services, req.headers)).viewer;
      return serveOfficeHoursCalendar(req, res, services, officeHoursCalendar, authenticate).catch((error: unknown) => {
        logger.error('office hours calendar failed', { error });
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
  // Idle keep-alive connections stay open longer than a load balancer's (commonly 60 s) and a
  // client's own timer: with Node's 5 s, a client or proxy reusing a connection the server had just
  // closed got a reset instead of an answer (seen on a loaded machine).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  const websocket = attachWebSocketEndpoint(server, yoga, services, {
    isAllowedOrigin,
    authenticate: (request, connectionParams) => authenticateSocket(services, request, connectionParams),
    isSessionLive: (sessionId) => isSessionLive(services.db, sessionId),
    socketListeners: [chat.sockets],
    memberSockets,
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
      // One grace, from now, for jobs, requests and sockets together, whatever the clients do.
      const graceMs = env.SHUTDOWN_GRACE_MS;
      // First, so no job starts against a closing database; running ones finish or are abandoned.
      const jobsStopped = jobs.stop();
      // Stops listening at once; resolves when every connection, upgraded ones included, has closed.
      const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      stopRevocations();
      const socketsClosed = websocket.close(graceMs);
      // In-flight requests finish; anything still open after the grace is cut.
      const force = setTimeout(() => server.closeAllConnections(), graceMs);
      // A connection that is neither a request nor a WebSocket (a refused upgrade whose client never
      // hangs up) would hold server.close() for good: go on shortly after the cut regardless.
      let giveUp: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all([jobsStopped, httpClosed, socketsClosed]),
        new Promise<void>((resolve) => {
          giveUp = setTimeout(resolve, graceMs + CUT_WAIT_MS);
        }),
      ]);
      clearTimeout(force);
      clearTimeout(giveUp);
      await memberSockets.close();
      await yoga.dispose();
      sessionCache.close();
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
