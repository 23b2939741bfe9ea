import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { execute as executeEvent, GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { DomainError } from '../lib/errors.js';
import { CloseCode, type SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppServices, Viewer } from '../context.js';
import { readCookie, resolveSession, SESSION_COOKIE } from '../modules/accounts/sessions.js';
import { sessionTtlMs } from '../modules/accounts/accounts.service.js';
import { listenTo } from '../pubsub.js';
import { shareKeyOf, takeSharedStream } from './shared-stream.js';
import { clientAddressOf, type GraphQLServer, type WsServerContext } from './yoga.js';

/** Messages bigger than this are refused by `ws` before we parse them. */
export const WS_MAX_PAYLOAD = 64 * 1024;

const FRAME_END = Buffer.from('}');

/** A socket that stops reading is dropped (the client reconnects and resumes) past this backlog. */
const MAX_SOCKET_BUFFER_BYTES = 8 * 1024 * 1024;

interface ConnectionState {
  /** For presence: one entry per socket. */
  connectionId: string;
  socket: WebSocket;
  viewer: Viewer | null;
  clientAddress: string;
  userAgent: string | null;
}

type Extra = {
  socket: WebSocket;
  request: IncomingMessage;
  state?: ConnectionState;
};

export interface WebSocketEndpoint {
  /** Closes every socket with 1001 (going away) and stops accepting new ones. */
  close(): Promise<void>;
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function attachWebSocketEndpoint(
  httpServer: Server,
  yoga: GraphQLServer,
  services: AppServices,
  isAllowedOrigin: (origin: string) => boolean,
): WebSocketEndpoint {
  const { env, db, pubsub, logger } = services;
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD });
  let closing = false;

  // Presence: a member is online while a signed-in socket of theirs is open. setPresence may
  // arrive through any instance; the one holding the session's sockets applies it.
  const socketsBySession = new Map<string, Set<ConnectionState>>();
  const stopPresenceRequests = listenTo(
    pubsub.subscribe('chat:session-presence'),
    (request) => {
      for (const state of socketsBySession.get(request.sessionId) ?? []) {
        if (state.viewer) services.chat.presence.setStatus(state.viewer.id, state.connectionId, request.status);
      }
    },
    logger,
    'presence requests',
  );
  function trackPresence(state: ConnectionState): void {
    if (!state.viewer) return;
    services.chat.presence.connect(state.viewer.id, state.connectionId);
    // (also how revocations find the sockets of a session)
    let sockets = socketsBySession.get(state.viewer.sessionId);
    if (!sockets) socketsBySession.set(state.viewer.sessionId, (sockets = new Set()));
    sockets.add(state);
  }
  function untrackPresence(state: ConnectionState): void {
    if (!state.viewer) return;
    services.chat.presence.disconnect(state.viewer.id, state.connectionId);
    const sockets = socketsBySession.get(state.viewer.sessionId);
    sockets?.delete(state);
    if (sockets?.size === 0) socketsBySession.delete(state.viewer.sessionId);
  }

  httpServer.on('upgrade', (req, socket, head) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (pathname !== '/graphql') return refuseUpgrade(socket, 404, 'Not Found');
    if (closing) return refuseUpgrade(socket, 503, 'Service Unavailable');
    // Browsers always send Origin on WebSocket upgrades; refusing unknown ones stops
    // cross-site WebSocket hijacking with the member's cookie. Non-browser clients send none.
    const origin = req.headers.origin;
    if (origin !== undefined && !isAllowedOrigin(origin)) return refuseUpgrade(socket, 403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  // Keep-alive: a socket that does not answer a ping before the next one is dropped.
  const alive = new WeakMap<WebSocket, boolean>();
  wss.on('connection', (ws) => {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
  });
  const keepAlive = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, env.WS_KEEPALIVE_MS);
  keepAlive.unref();

  async function authenticate(ctx: { connectionParams?: Readonly<Record<string, unknown>>; extra: Extra }) {
    const explicit = ctx.connectionParams?.authToken;
    const cookieToken = readCookie(ctx.extra.request.headers.cookie, SESSION_COOKIE);
    const token = typeof explicit === 'string' ? explicit : cookieToken;
    const session = await resolveSession(db, token, sessionTtlMs(env));
    return { explicitTokenRejected: typeof explicit === 'string' && !session, session };
  }

  // Revocation: one listener for the instance (not one per socket: idle sockets stay small).
  const stopRevocations = listenTo(
    pubsub.subscribe('sessions:revoked'),
    (revoked) => {
      for (const state of socketsBySession.get(revoked.sessionId) ?? []) {
        // A short grace lets a viewerSessionRevoked subscriber receive its event first.
        setTimeout(() => state.socket.close(CloseCode.Unauthorized, 'Session revoked'), 50);
      }
    },
    logger,
    'session revocations',
  );

  const serverCleanup = useServer<Record<string, unknown>, Extra>(
    {
      connectionInitWaitTimeout: env.WS_INIT_TIMEOUT_MS,
      onConnect: async (ctx) => {
        const { explicitTokenRejected, session } = await authenticate(ctx);
        // A bad explicit token is refused (4403); a stale cookie just means "signed out".
        if (explicitTokenRejected) return false;
        const state: ConnectionState = {
          connectionId: randomUUID(),
          socket: ctx.extra.socket,
          viewer: session ? { id: session.userId, sessionId: session.sessionId } : null,
          clientAddress: clientAddressOf(ctx.extra.request, env.TRUST_PROXY),
          userAgent: ctx.extra.request.headers['user-agent'] ?? null,
        };
        ctx.extra.state = state;
        trackPresence(state);
        // Everything needed from the upgrade request is in `state`: let the request go.
        delete (ctx.extra as Partial<Extra>).request;
        return true;
      },
      onClose: (ctx) => {
        if (ctx.extra.state) untrackPresence(ctx.extra.state);
      },
      onSubscribe: async (ctx, id, payload: SubscribePayload) => {
        const state = ctx.extra.state;
        if (!state) return;
        // The session may have been revoked on another instance while this socket stayed open.
        if (state.viewer) {
          const live = await db.$queryRaw<unknown[]>`
            SELECT 1 FROM "Session"
             WHERE "id" = ${state.viewer.sessionId}::uuid AND "revokedAt" IS NULL AND "expiresAt" > ${new Date()}`;
          if (live.length === 0) {
            ctx.extra.socket.close(CloseCode.Unauthorized, 'Session revoked');
            return;
          }
        }
        const serverContext: WsServerContext = { ws: state };
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...serverContext,
          params: payload,
        });
        // Parse and validation failures (syntax, depth, alias, token and cost limits) are answered
        // as GraphQL errors on this operation, exactly as over HTTP.
        try {
          const document = parse(payload.query);
          const errors = validate(schema, document);
          if (errors.length > 0) return errors;
          return {
            schema,
            document,
            operationName: payload.operationName,
            variableValues: payload.variables,
            contextValue: await contextFactory(),
            rootValue: { execute, subscribe, operation: { id, payload, socket: ctx.extra.socket } } as OperationRoot,
          };
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
      },
      execute: (args) => (args.rootValue as OperationRoot).execute(args),
      subscribe: async (args) => {
        const root = args.rootValue as OperationRoot;
        const result = await root.subscribe(args);
        // A stream whose events look the same to every subscriber (chat) is fed straight to the
        // socket: executed once and serialised once per event for all who share the document.
        const stream = takeSharedStream(args.contextValue as object);
        if (stream && isAsyncIterable(result)) {
          const { id, payload, socket } = root.operation;
          const frameStart = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
          // Keep only what executing an event needs: idle subscribers should cost little memory.
          const { schema, document, operationName, variableValues, contextValue } = args;
          (args as { rootValue?: unknown }).rootValue = undefined;
          stream.attachDirect({
            shareKey: internShareKey(shareKeyOf(payload, document, stream.startOnlyArguments)),
            // What graphql-js subscribe() does per event: run the selection with the event as root.
            // (The enveloped execute would start a new subscription for a subscription document.)
            execute: (event) =>
              maskUnexpected(
                executeEvent({ schema, document, operationName, variableValues, contextValue, rootValue: event }),
              ),
            batch: (write) => {
              // ws corks the TCP socket around each frame; corking around several frames as well
              // turns them into one write (stream corks nest).
              const tcp = (socket as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
              tcp?.cork();
              try {
                write();
              } finally {
                tcp?.uncork();
              }
            },
            sendPayload: (payload) =>
              socket.send(Buffer.concat([frameStart, payload, FRAME_END], frameStart.length + payload.length + 1), {
                binary: false,
              }),
            isOpen: () => {
              if (socket.readyState !== socket.OPEN) return false;
              if (socket.bufferedAmount <= MAX_SOCKET_BUFFER_BYTES) return true;
              // It stopped reading: drop it; the client reconnects and resumes from its last seq.
              socket.close(1013, 'Too far behind: reconnect and resume');
              return false;
            },
          });
          // graphql-ws only waits for the end now; the events go out through the direct path.
          return stream.completion();
        }
        return result;
      },
      onError: (_ctx, _id, _payload, errors) => {
        logger.debug('websocket operation failed', { errors: errors.map((error) => error.message) });
      },
    },
    wss,
  );

  return {
    close: async () => {
      closing = true;
      clearInterval(keepAlive);
      stopPresenceRequests();
      stopRevocations();
      for (const ws of wss.clients) ws.close(1001, 'Server shutting down');
      await serverCleanup.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

type OperationRoot = {
  execute: (args: ExecutionArgs) => ReturnType<typeof import('graphql').execute>;
  subscribe: (args: ExecutionArgs) => ReturnType<typeof import('graphql').subscribe>;
  operation: { id: string; payload: SubscribePayload; socket: WebSocket };
};

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** Like the masking over HTTP: expected (domain) errors keep their message; anything else does not. */
function maskUnexpected(
  result: ExecutionResult | Promise<ExecutionResult>,
): ExecutionResult | Promise<ExecutionResult> {
  const mask = (value: ExecutionResult): ExecutionResult => {
    if (!value.errors?.some((error) => !(error.originalError instanceof DomainError))) return value;
    return {
      ...value,
      errors: value.errors.map((error) =>
        error.originalError instanceof DomainError
          ? error
          : new GraphQLError('Unexpected error.', { nodes: error.nodes, path: error.path }),
      ),
    };
  };
  return result instanceof Promise ? result.then(mask) : mask(result);
}

// Thousands of subscribers of one channel share one key string, not a copy each.
const shareKeys = new Map<string, string>();
function internShareKey(key: string): string {
  const known = shareKeys.get(key);
  if (known !== undefined) return known;
  if (shareKeys.size >= 10_000) shareKeys.clear();
  shareKeys.set(key, key);
  return key;
}
