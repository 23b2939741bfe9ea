import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { execute as executeEvent, GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { DomainError } from '../lib/errors.js';
import { CloseCode, type SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppServices, Viewer } from '../context.js';
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

/** A signed-in socket, as the modules that keep per-socket state (chat presence) see it. */
export interface SocketConnection {
  connectionId: string;
  viewer: Viewer;
}

export interface WebSocketOptions {
  isAllowedOrigin(origin: string): boolean;
  /** Who is connecting: from connectionParams or the upgrade's cookie; 'refuse' closes with 4403. */
  authenticate(
    request: IncomingMessage,
    connectionParams: Readonly<Record<string, unknown>> | undefined,
  ): Promise<Viewer | null | 'refuse'>;
  /** Checked before every operation: a session revoked on another instance closes its sockets. */
  isSessionLive(sessionId: string): Promise<boolean>;
  /** Told about every signed-in socket that opens and closes. */
  socketListeners?: Array<{ opened(socket: SocketConnection): void; closed(socket: SocketConnection): void }>;
}

export interface WebSocketEndpoint {
  /** Closes every socket of a session on this instance (signed out), after a short grace. */
  closeSession(sessionId: string): void;
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
  options: WebSocketOptions,
): WebSocketEndpoint {
  const { env, logger } = services;
  const { isAllowedOrigin, socketListeners = [] } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD });
  let closing = false;

  // The sockets of each session on this instance: sign-out closes them.
  const socketsBySession = new Map<string, Set<ConnectionState>>();
  function track(state: ConnectionState): void {
    const viewer = state.viewer;
    if (!viewer) return;
    for (const listener of socketListeners) listener.opened({ connectionId: state.connectionId, viewer });
    let sockets = socketsBySession.get(viewer.sessionId);
    if (!sockets) socketsBySession.set(viewer.sessionId, (sockets = new Set()));
    sockets.add(state);
  }
  function untrack(state: ConnectionState): void {
    const viewer = state.viewer;
    if (!viewer) return;
    for (const listener of socketListeners) listener.closed({ connectionId: state.connectionId, viewer });
    const sockets = socketsBySession.get(viewer.sessionId);
    sockets?.delete(state);
    if (sockets?.size === 0) socketsBySession.delete(viewer.sessionId);
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

  const serverCleanup = useServer<Record<string, unknown>, Extra>(
    {
      connectionInitWaitTimeout: env.WS_INIT_TIMEOUT_MS,
      onConnect: async (ctx) => {
        const viewer = await options.authenticate(ctx.extra.request, ctx.connectionParams);
        // A refused explicit token closes the socket with 4403.
        if (viewer === 'refuse') return false;
        const state: ConnectionState = {
          connectionId: randomUUID(),
          socket: ctx.extra.socket,
          viewer,
          clientAddress: clientAddressOf(ctx.extra.request, env.TRUST_PROXY),
          userAgent: ctx.extra.request.headers['user-agent'] ?? null,
        };
        ctx.extra.state = state;
        track(state);
        // Everything needed from the upgrade request is in `state`: let the request go.
        delete (ctx.extra as Partial<Extra>).request;
        return true;
      },
      onClose: (ctx) => {
        if (ctx.extra.state) untrack(ctx.extra.state);
      },
      onSubscribe: async (ctx, id, payload: SubscribePayload) => {
        const state = ctx.extra.state;
        if (!state) return;
        // The session may have been revoked on another instance while this socket stayed open.
        if (state.viewer && !(await options.isSessionLive(state.viewer.sessionId))) {
          ctx.extra.socket.close(CloseCode.Unauthorized, 'Session revoked');
          return;
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
    closeSession: (sessionId) => {
      for (const state of socketsBySession.get(sessionId) ?? []) {
        // A short grace lets a viewerSessionRevoked subscriber receive its event first.
        setTimeout(() => state.socket.close(CloseCode.Unauthorized, 'Session revoked'), 50);
      }
    },
    close: async () => {
      closing = true;
      clearInterval(keepAlive);
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
