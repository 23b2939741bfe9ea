import fs from 'node:fs';
import http from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import { WebSocketServer, type WebSocket } from 'ws';
import { buildApp } from '../../server/src/app.js';
import { loadEnv } from '../../server/src/env.js';
import { serveIpc, usageNow, type ServerRequest } from './chat-processes.js';

// A server process for the chat benchmarks (started by startServerChild). It answers `usage`
// requests over IPC so the benchmark reads the server's own CPU and memory.
//
// guildhall: buildApp() as main.ts runs it.
// raw: the ceiling — a bare `ws` server that speaks just enough graphql-transport-ws for the same
// client code (ack the init, remember the subscription id) and, for each POST /send, serialises
// one frame shaped like Guildhall's event and writes it to every subscriber, batching writes the
// way Guildhall does (one corked write per socket for all events of a turn of the event loop).

const mode = process.env.CHAT_BENCH_SERVER;

// CHAT_BENCH_SQL=1: count the SQL statements Prisma runs, by statement (a diagnosis aid; off by
// default because the query events cost a little CPU themselves).
const statements = new Map<string, number>();
const onQuery =
  process.env.CHAT_BENCH_SQL === '1'
    ? (sql: string) => {
        const key = sql.replace(/\s+/g, ' ').slice(0, 160);
        statements.set(key, (statements.get(key) ?? 0) + 1);
      }
    : undefined;

let profiler: Session | null = null;

serveIpc<ServerRequest>(async (request) => {
  if (request.type === 'statements') return Object.fromEntries(statements);
  if (request.type === 'profileStart') {
    profiler ??= new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
    return null;
  }
  if (request.type === 'profileStop') {
    if (!profiler) throw new Error('profileStop without profileStart');
    const { profile } = await profiler.post('Profiler.stop');
    profiler.disconnect();
    profiler = null;
    fs.writeFileSync(request.file, JSON.stringify(profile));
    return request.file;
  }
  if (request.type === 'heapSnapshot') {
    globalThis.gc?.();
    return v8.writeHeapSnapshot(request.file);
  }
  if (request.type === 'usage') {
    // globalThis.gc exists when node runs with --expose-gc.
    if (request.gc && globalThis.gc) {
      // Twice: the first pass queues finalizers, the second frees what they released.
      globalThis.gc();
      globalThis.gc();
    }
    return usageNow();
  }
  throw new Error(`unknown request ${JSON.stringify(request)}`);
});
// Never outlive the benchmark, even when it crashes.
process.once('disconnect', () => process.exit(0));

if (mode === 'guildhall') {
  const app = await buildApp(loadEnv(), { onQuery });
  await app.start();
  process.send?.({ type: 'listening', url: app.url.replace('localhost', '127.0.0.1') });
  process.once('SIGTERM', () => {
    app.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
} else if (mode === 'raw') {
  startRawServer();
} else {
  throw new Error(`CHAT_BENCH_SERVER must be guildhall or raw, not ${mode}`);
}

interface EventPayload {
  data: { conversationEvents: { seq: number; message: { seq: number } } };
}

/** Like Guildhall's conversation feeds: at most this many events go to a socket in one write. */
const RAW_DISPATCH_SLICE = 64;

function startRawServer(): void {
  // The `payload` of a Guildhall `next` frame, so both servers send the same bytes per delivery.
  const sample = JSON.parse(process.env.CHAT_BENCH_RAW_PAYLOAD ?? 'null') as EventPayload | null;
  if (!sample) throw new Error('CHAT_BENCH_RAW_PAYLOAD is required');
  const subscribers = new Map<WebSocket, string>();
  let seq = 0;
  let pending: number[] = [];
  let scheduled = false;

  // Batched as Guildhall's feed batches (conversation-feeds.ts): events that arrive in the same
  // turn of the event loop wait for setImmediate, each is serialised once, one frame per distinct
  // subscription id, and every socket gets all of them in one corked write.
  const broadcast = () => {
    scheduled = false;
    const events = pending;
    pending = [];
    for (let start = 0; start < events.length; start += RAW_DISPATCH_SLICE) {
      const payloads = events.slice(start, start + RAW_DISPATCH_SLICE).map((eventSeq) => {
        sample.data.conversationEvents.seq = eventSeq;
        sample.data.conversationEvents.message.seq = eventSeq;
        return JSON.stringify(sample);
      });
      const frames = new Map<string, Buffer[]>();
      for (const [socket, id] of subscribers) {
        if (socket.readyState !== socket.OPEN) continue;
        let list = frames.get(id);
        if (!list) {
          const start = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
          list = payloads.map((payload) => Buffer.from(`${start}${payload}}`));
          frames.set(id, list);
        }
        const tcp = (socket as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
        tcp?.cork();
        for (const frame of list) socket.send(frame, { binary: false });
        tcp?.uncork();
      }
    }
  };

  const server = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/send') return void res.writeHead(404).end();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      // Parsed like a GraphQL request body would be, then ignored.
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      seq += 1;
      pending.push(seq);
      if (!scheduled) {
        scheduled = true;
        setImmediate(broadcast);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(`{"seq":${seq}}`);
    });
  });
  const wss = new WebSocketServer({ server, path: '/graphql' });
  wss.on('connection', (socket) => {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as { type: string; id?: string };
      if (message.type === 'connection_init') socket.send('{"type":"connection_ack"}');
      else if (message.type === 'subscribe' && message.id) subscribers.set(socket, message.id);
      else if (message.type === 'complete') subscribers.delete(socket);
      else if (message.type === 'ping') socket.send('{"type":"pong"}');
    });
    socket.on('close', () => subscribers.delete(socket));
  });
  server.listen(0, '127.0.0.1', () => {
    process.send?.({ type: 'listening', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  });
  process.once('SIGTERM', () => {
    for (const socket of wss.clients) socket.terminate();
    wss.close();
    server.close(() => process.exit(0));
  });
}
