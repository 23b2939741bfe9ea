import http from 'node:http';
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
// one frame shaped like Guildhall's event and writes it to every subscriber.

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

serveIpc<ServerRequest>((request) => {
  if (request.type === 'statements') return Object.fromEntries(statements);
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

function startRawServer(): void {
  // The `payload` of a Guildhall `next` frame, so both servers send the same bytes per delivery.
  const sample = JSON.parse(process.env.CHAT_BENCH_RAW_PAYLOAD ?? 'null') as EventPayload | null;
  if (!sample) throw new Error('CHAT_BENCH_RAW_PAYLOAD is required');
  const subscribers = new Map<WebSocket, string>();
  let seq = 0;

  const server = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/send') return void res.writeHead(404).end();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      // Parsed like a GraphQL request body would be, then ignored.
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      seq += 1;
      sample.data.conversationEvents.seq = seq;
      sample.data.conversationEvents.message.seq = seq;
      const payload = JSON.stringify(sample);
      // One frame per distinct subscription id (every benchmark client uses the same one).
      const frames = new Map<string, Buffer>();
      for (const [socket, id] of subscribers) {
        let frame = frames.get(id);
        if (!frame) {
          frame = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":${payload}}`);
          frames.set(id, frame);
        }
        socket.send(frame, { binary: false });
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
