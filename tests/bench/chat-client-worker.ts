import WebSocket from 'ws';
import {
  now,
  scanSeq,
  serveIpc,
  usageNow,
  type WorkerConnected,
  type WorkerRequest,
  type WorkerStats,
} from './chat-processes.js';

// A client worker process of the chat benchmarks: holds many graphql-transport-ws sockets, each
// with one subscription, and checks every event each socket receives (count and seq order).
// When every one of its sockets has an event it tells the benchmark, with the time the last
// socket got it. Kept cheap on purpose — the client must not be what is measured: frames are
// scanned for their seq instead of parsed (after the first frame proved the scan agrees with
// JSON.parse).

interface SocketState {
  ws: WebSocket;
  lastSeq: number;
}

const sockets = new Set<SocketState>();
let closing = false;
let live = 0;
let dropped = 0;
let deliveries = 0;
let disorder = 0;
let gaps = 0;
let errorFrames = 0;
let firstErrorFrame: string | null = null;
let sampleFrame: string | null = null;
let fastScan: boolean | null = null;
/** seq → how many of this worker's sockets have it so far. */
const pending = new Map<number, number>();

const NEXT = Buffer.from('"type":"next"');

interface Frame {
  type?: string;
  payload?: { data?: { conversationEvents?: { seq?: unknown } } | null; errors?: unknown };
}

function recordError(text: string): void {
  errorFrames += 1;
  firstErrorFrame ??= text.slice(0, 2_000);
}

function onFrame(state: SocketState, data: Buffer): void {
  let seq = -1;
  if (fastScan === true && data.indexOf(NEXT) >= 0) {
    seq = scanSeq(data);
  } else {
    const text = data.toString('utf8');
    const frame = JSON.parse(text) as Frame;
    if (frame.type === 'ping') {
      state.ws.send('{"type":"pong"}');
      return;
    }
    if (frame.type === 'pong') return;
    const parsed = frame.payload?.data?.conversationEvents?.seq;
    if (frame.type !== 'next' || typeof parsed !== 'number' || frame.payload?.errors) {
      recordError(text);
      return;
    }
    seq = parsed;
    if (fastScan === null) {
      sampleFrame = text;
      fastScan = scanSeq(data) === parsed;
    }
  }
  if (seq < 0) {
    recordError(data.toString('utf8'));
    return;
  }
  deliveries += 1;
  if (seq <= state.lastSeq) {
    disorder += 1;
    return;
  }
  if (state.lastSeq >= 0 && seq > state.lastSeq + 1) gaps += 1;
  state.lastSeq = seq;
  const count = (pending.get(seq) ?? 0) + 1;
  if (count >= live) {
    pending.delete(seq);
    process.send?.({ type: 'delivered', seq, at: now() });
  } else {
    pending.set(seq, count);
  }
}

function openSocket(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<void> {
  // Without afterSeq a subscription starts "from now": its first seq can be anything.
  const afterSeq = typeof variables.afterSeq === 'number' ? variables.afterSeq : -1;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false, skipUTF8Validation: true });
    const state: SocketState = { ws, lastSeq: afterSeq };
    let subscribed = false;
    ws.once('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authToken: token } })));
    ws.on('message', (data: Buffer) => {
      if (subscribed) return onFrame(state, data);
      const text = data.toString('utf8');
      const frame = JSON.parse(text) as Frame;
      if (frame.type !== 'connection_ack') {
        ws.terminate();
        return reject(new Error(`expected connection_ack, got ${text.slice(0, 300)}`));
      }
      subscribed = true;
      live += 1;
      sockets.add(state);
      ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
      resolve();
    });
    ws.on('error', (error) => {
      if (!subscribed) reject(error);
    });
    ws.on('close', (code, reason) => {
      if (!subscribed) return reject(new Error(`closed before ack: ${code} ${reason.toString()}`));
      sockets.delete(state);
      live -= 1;
      if (!closing) {
        dropped += 1;
        recordError(`socket closed: ${code} ${reason.toString()}`);
      }
    });
  });
}

async function connect(request: Extract<WorkerRequest, { type: 'connect' }>): Promise<WorkerConnected> {
  let next = 0;
  let opened = 0;
  let failed = 0;
  let firstError: string | null = null;
  await Promise.all(
    Array.from({ length: request.concurrency }, async () => {
      while (next < request.tokens.length) {
        const token = request.tokens[next++]!;
        try {
          await openSocket(request.url, token, request.query, request.variables);
          opened += 1;
        } catch (error) {
          failed += 1;
          firstError ??= String(error);
        }
      }
    }),
  );
  return { opened, failed, firstError };
}

async function closeAll(): Promise<void> {
  closing = true;
  const closed = [...sockets].map(
    (state) =>
      new Promise<void>((resolve) => {
        state.ws.once('close', () => resolve());
        state.ws.close(1000);
      }),
  );
  await Promise.race([Promise.all(closed), new Promise((resolve) => setTimeout(resolve, 5_000))]);
  for (const state of sockets) state.ws.terminate();
}

serveIpc<WorkerRequest>(async (request) => {
  switch (request.type) {
    case 'connect':
      return connect(request);
    case 'stats':
      return {
        live,
        dropped,
        deliveries,
        disorder,
        gaps,
        errorFrames,
        firstErrorFrame,
        incomplete: pending.size,
        sampleFrame,
      } satisfies WorkerStats;
    case 'usage':
      return usageNow();
    case 'close':
      await closeAll();
      return null;
  }
});
process.once('disconnect', () => process.exit(0));
