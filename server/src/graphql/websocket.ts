import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { execute as executeEvent, GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { DomainError } from '../lib/errors.js';
import { CloseCode, type SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppServices, Viewer } from '../context.js';
import { liveEventContext } from './live-events.js';
import type { MemberSocketLimit } from './member-sockets.js';
import { shareKeyOf, takeSharedStream, type DirectDelivery } from './shared-stream.js';
import { unavailableFor } from './unavailable.js';
import { clientAddressOf, type GraphQLServer, type WsServerContext } from './yoga.js';

/** Messages bigger than this are refused by `ws` before we parse them. */
export const WS_MAX_PAYLOAD = 64 * 1024;

/** A socket that stops reading is dropped (the client reconnects and resumes) past this backlog. */
const MAX_SOCKET_BUFFER_BYTES = 8 * 1024 * 1024;

/**
 * The close code of a socket over WS_MAX_SOCKETS_PER_MEMBER. graphql-ws clients treat 4429 as final
 * (so does the web app: it does not reconnect in a loop); the member closes another tab or reloads.
 */
export const MEMBER_SOCKET_LIMIT_CLOSE_CODE = 4429;

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
  /** Counts each member's sockets (on every instance, with Redis) against WS_MAX_SOCKETS_PER_MEMBER. */
  memberSockets: MemberSocketLimit;
}

export interface WebSocketEndpoint {
  /** Closes every socket of a session on this instance (signed out), after a short grace. */
  closeSession(sessionId: string): void;
  /**
   * Stops accepting sockets and closes every one with 1001 (going away); those whose close handshake
   * has not ended within `graceMs` (a client that stopped reading) are cut.
   */
  close(graceMs: number): Promise<void>;
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

  wss.on('connection', (ws) => keepAlive(ws, env.WS_KEEPALIVE_MS));

  // A member's socket takes one of their places once authenticated; over the cap it is closed.
  async function admitMemberSocket(socket: WebSocket, viewer: Viewer, connectionId: string): Promise<boolean> {
    if (!(await options.memberSockets.acquire(viewer.id, connectionId))) {
      socket.close(MEMBER_SOCKET_LIMIT_CLOSE_CODE, 'Too many connections for this member');
      return false;
    }
    // It closed while we counted: onClose has run without a place to give back.
    if (socket.readyState !== socket.OPEN) {
      options.memberSockets.release(viewer.id, connectionId);
      return false;
    }
    return true;
  }

  const serverCleanup = useServer<Record<string, unknown>, Extra>(
    {
      connectionInitWaitTimeout: env.WS_INIT_TIMEOUT_MS,
      onConnect: retryLaterIfDatabaseIsAway(async (ctx) => {
        const viewer = await options.authenticate(ctx.extra.request, ctx.connectionParams);
        // The token is not needed after this (and an idle socket should keep little).
        delete (ctx as { connectionParams?: unknown }).connectionParams;
        // A refused explicit token closes the socket with 4403.
        if (viewer === 'refuse') return false;
        // Made flat by native code: randomUUID() returns a rope of ~20 concatenated pieces (≈0.5 KB a
        // socket, kept by the presence and socket-limit maps).
        const connectionId = randomBytes(16).toString('hex');
        if (viewer && !(await admitMemberSocket(ctx.extra.socket, viewer, connectionId))) return false;
        const state: ConnectionState = {
          connectionId,
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
      }),
      onClose: (ctx) => {
        if (ctx.extra.state) untrack(ctx.extra.state);
        const { viewer, connectionId } = ctx.extra.state ?? {};
        if (viewer && connectionId) options.memberSockets.release(viewer.id, connectionId);
      },
      onSubscribe: failOperationIfDatabaseIsAway(async (ctx, id, payload: SubscribePayload) => {
        // First, before anything awaits: the count then includes every operation that arrived before.
        const overCap = refuseOverOperationCap(ctx.subscriptions, env.WS_MAX_OPERATIONS_PER_SOCKET);
        if (overCap) return overCap;
        const state = ctx.extra.state;
        if (!state) return;
        // graphql-ws keeps the subscribe message for the operation's life: thousands of subscribers
        // sending the same document keep one copy of its text.
        (payload as { query: string }).query = internQuery(payload.query);
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
      }),
      execute: (args) => (args.rootValue as OperationRoot).execute(args),
      subscribe: async (args) => {
        const root = args.rootValue as OperationRoot;
        const result = await root.subscribe(args);
        // A stream whose events look the same to every subscriber (chat) is fed straight to the
        // socket: executed once and serialised once per event for all who share the document.
        const stream = takeSharedStream(args.contextValue as object);
        if (stream && isAsyncIterable(result)) {
          const { id, payload, socket } = root.operation;
          // Keep only what executing an event needs: idle subscribers should cost little memory.
          // graphql-ws holds `args` until the stream ends: it lets go of the root (the enveloped
          // functions) and of the subscription's context, whose per-request caches (Pothos's
          // authorization cache, loaders) would otherwise live as long as the subscription.
          (args as { rootValue?: unknown }).rootValue = undefined;
          stream.attachDirect(
            new SocketDelivery(
              internShareKey(shareKeyOf(payload, args.document, stream.startOnlyArguments)),
              id,
              socket,
              args,
            ),
          );
          (args as { contextValue?: unknown }).contextValue = undefined;
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
    // graphql-ws's own keep-alive (12 s ping, drop 12 s later) is off: WS_KEEPALIVE_MS alone decides.
    0,
  );

  return {
    closeSession: (sessionId) => {
      for (const state of socketsBySession.get(sessionId) ?? []) {
        // A short grace lets a viewerSessionRevoked subscriber receive its event first.
        setTimeout(() => state.socket.close(CloseCode.Unauthorized, 'Session revoked'), 50);
      }
    },
    close: async (graceMs) => {
      closing = true;
      for (const ws of wss.clients) ws.close(1001, 'Server shutting down');
      // ws waits up to 30 s for each close handshake; a client that stopped reading never answers.
      const cut = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate();
      }, graceMs);
      // Resolves once every socket has closed (its own 1001s go to sockets already closing: no-ops).
      await serverCleanup.dispose();
      clearTimeout(cut);
    },
  };
}

/**
 * A subscriber of a shared stream (graphql/shared-stream.ts), fed straight to its socket. One object
 * with fields rather than closures: thousands of idle subscribers each keep one.
 */
class SocketDelivery implements DirectDelivery {
  private readonly schema: ExecutionArgs['schema'];
  private readonly document: ExecutionArgs['document'];
  private readonly operationName: ExecutionArgs['operationName'];
  private readonly variableValues: ExecutionArgs['variableValues'];
  /** The subscription's context as it was built, before any resolver cached anything on it. */
  private readonly context: object;

  constructor(
    readonly shareKey: string,
    readonly operationId: string,
    private readonly socket: WebSocket,
    args: ExecutionArgs,
  ) {
    this.schema = args.schema;
    this.document = args.document;
    this.operationName = args.operationName;
    this.variableValues = args.variableValues;
    // A copy: caches keyed by the original context object go with it.
    this.context = liveEventContext(args.contextValue as object);
  }

  // What graphql-js subscribe() does per event: run the selection with the event as root.
  // (The enveloped execute would start a new subscription for a subscription document.) Each
  // event gets a context of its own, as over the other paths (graphql/live-events.ts).
  execute(event: unknown): ExecutionResult | Promise<ExecutionResult> {
    return maskUnexpected(
      executeEvent({
        schema: this.schema,
        document: this.document,
        operationName: this.operationName,
        variableValues: this.variableValues,
        contextValue: liveEventContext(this.context),
        rootValue: event,
      }),
    );
  }

  send(frame: Buffer): void {
    this.socket.send(frame, { binary: false });
  }

  isOpen(): boolean {
    const socket = this.socket;
    if (socket.readyState !== socket.OPEN) return false;
    if (socket.bufferedAmount <= MAX_SOCKET_BUFFER_BYTES) return true;
    // It stopped reading: drop it; the client reconnects and resumes from its last seq.
    socket.close(1013, 'Too far behind: reconnect and resume');
    return false;
  }

  // ws corks the TCP socket around each frame; corking around several frames as well turns them
  // into one write (stream corks nest).
  cork(): void {
    tcpOf(this.socket)?.cork();
  }

  uncork(): void {
    tcpOf(this.socket)?.uncork();
  }
}

const tcpOf = (socket: WebSocket) => (socket as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;

type OperationRoot = {
  execute: (args: ExecutionArgs) => ReturnType<typeof import('graphql').execute>;
  subscribe: (args: ExecutionArgs) => ReturnType<typeof import('graphql').subscribe>;
  operation: { id: string; payload: SubscribePayload; socket: WebSocket };
};

/**
 * Ping every `intervalMs`; a socket that has not answered by the next ping is dropped: 2 × intervalMs
 * after the last ping it answered. One timer per socket: a shared sweep would drop a socket anywhere
 * between 1× and 2×, depending on when it connected.
 */
function keepAlive(ws: WebSocket, intervalMs: number): void {
  let answered = true;
  ws.on('pong', () => {
    answered = true;
  });
  const timer = setInterval(() => {
    if (!answered) return ws.terminate();
    answered = false;
    ws.ping();
  }, intervalMs);
  timer.unref();
  ws.once('close', () => clearInterval(timer));
}

/**
 * graphql-ws lists every operation of the socket, this one included, from when its subscribe message
 * arrives until it ends: live subscriptions, and queries or mutations while they run.
 */
function refuseOverOperationCap(operations: Readonly<Record<string, unknown>>, max: number): GraphQLError[] | null {
  if (Object.keys(operations).length <= max) return null;
  return [
    new GraphQLError(
      `Too many operations on this connection (at most ${max} subscriptions and running queries): end one first.`,
      {
        extensions: { code: 'TOO_MANY_OPERATIONS', max },
      },
    ),
  ];
}

// A database that does not answer is a passing failure: graphql-ws would close the whole socket with
// 4500 for anything thrown in its hooks, which clients take as final. Instead a new connection is
// closed with 1013 (try again later), which clients retry, and an operation on an open socket fails
// alone with UNAVAILABLE (retryAfterSeconds); the socket and its other operations carry on.

/** onConnect, but closing with 1013 when the database does not answer. */
function retryLaterIfDatabaseIsAway<Ctx extends { extra: { socket: WebSocket } }, Result>(
  onConnect: (ctx: Ctx) => Promise<Result>,
): (ctx: Ctx) => Promise<Result | false> {
  return async (ctx) => {
    try {
      return await onConnect(ctx);
    } catch (error) {
      if (!unavailableFor(error)) throw error;
      ctx.extra.socket.close(1013, 'Service briefly unavailable: reconnect');
      // graphql-ws then closes with 4403, which the socket ignores: it is already closing with 1013.
      return false;
    }
  };
}

/** onSubscribe, but failing just this operation with UNAVAILABLE when the database does not answer. */
function failOperationIfDatabaseIsAway<Args extends unknown[], Result>(
  onSubscribe: (...args: Args) => Promise<Result>,
): (...args: Args) => Promise<Result | GraphQLError[]> {
  return async (...args) => {
    try {
      return await onSubscribe(...args);
    } catch (error) {
      const unavailable = unavailableFor(error);
      if (!unavailable) throw error;
      return [unavailable];
    }
  };
}

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
          : (unavailableFor(error) ?? new GraphQLError('Unexpected error.', { nodes: error.nodes, path: error.path })),
      ),
    };
  };
  return result instanceof Promise ? result.then(mask) : mask(result);
}

/** One copy of each string for everyone who uses it (at most `max` kept; then it starts over). */
function interner(max: number): (value: string) => string {
  const known = new Map<string, string>();
  return (value) => {
    const found = known.get(value);
    if (found !== undefined) return found;
    if (known.size >= max) known.clear();
    known.set(value, value);
    return value;
  };
}

// Thousands of subscribers of one channel share one key string, not a copy each.
const internShareKey = interner(10_000);
// Documents are few (the clients' own); long ones are not worth keeping.
const internQueryText = interner(1_000);
const internQuery = (query: string) => (query.length <= 8_192 ? internQueryText(query) : query);
