import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../support/paths.js';

// Child processes of the chat benchmarks and the small request/reply protocol they speak over
// Node's IPC channel. The servers run in their own process so their CPU and memory can be read
// apart from the clients'; the clients run in worker processes so that 1,000–5,000 sockets do
// not share a thread with the sender and the bookkeeping.

export interface Usage {
  /** process.cpuUsage() user + system, in microseconds. */
  cpuMicros: number;
  rss: number;
  heapUsed: number;
  /** V8's heap as reserved from the system (young generation included). */
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

/** What a client worker is asked to do. */
export type WorkerRequest =
  | {
      type: 'connect';
      url: string;
      /** One socket per token (sent as connection_init { authToken }). */
      tokens: string[];
      query: string;
      variables: Record<string, unknown>;
      concurrency: number;
    }
  | { type: 'stats' }
  | { type: 'usage' }
  | { type: 'close' };

export interface WorkerConnected {
  opened: number;
  failed: number;
  firstError: string | null;
}

export interface WorkerStats {
  /** Sockets whose subscription was sent and that are still open. */
  live: number;
  /** Sockets that closed or errored after subscribing. */
  dropped: number;
  deliveries: number;
  /** A seq at or below the last one this socket saw (duplicate or out of order). */
  disorder: number;
  /** A seq more than one past the last one this socket saw. */
  gaps: number;
  /** error/complete frames, or frames without a seq. */
  errorFrames: number;
  firstErrorFrame: string | null;
  /** Seqs some but not all of this worker's sockets have. */
  incomplete: number;
  /** The first `next` frame received, verbatim (payload shape and size). */
  sampleFrame: string | null;
}

/** A worker's unprompted report: every one of its sockets now has `seq`; `at` is epoch ms. */
export interface Delivered {
  type: 'delivered';
  seq: number;
  at: number;
}

export type ServerRequest =
  | { type: 'usage'; gc: boolean }
  | { type: 'statements' }
  | { type: 'heapSnapshot'; file: string }
  /** Starts a V8 CPU profile of the server (node:inspector), until profileStop writes it to `file`. */
  | { type: 'profileStart' }
  | { type: 'profileStop'; file: string };

export interface Reply {
  replyTo: number;
  body: unknown;
}

/** CPU time of the whole machine so far (from /proc/stat), to see what other processes took. */
export function machineCpu(): { busyMicros: number; totalMicros: number } {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const ticks = fields.slice(0, 8).reduce((sum, value) => sum + value, 0); // up to steal; guest is inside user
  const idle = fields[3]! + fields[4]!; // idle + iowait
  const tick = 1e6 / 100; // USER_HZ is 100 on Linux
  return { busyMicros: (ticks - idle) * tick, totalMicros: ticks * tick };
}

const SEQ = Buffer.from('"seq":');

/** The first `"seq":<int>` in the frame: the event's seq, the first field of the selection. */
export function scanSeq(data: Buffer): number {
  const at = data.indexOf(SEQ);
  if (at < 0) return -1;
  let value = 0;
  let digits = 0;
  for (let i = at + SEQ.length; i < data.length; i += 1) {
    const c = data[i]!;
    if (c < 48 || c > 57) break;
    value = value * 10 + (c - 48);
    digits += 1;
  }
  return digits > 0 ? value : -1;
}

/** Epoch milliseconds with sub-millisecond resolution, comparable between processes. */
export const now = () => performance.timeOrigin + performance.now();

export class ChildIpc<Request extends { type: string }> {
  private nextId = 1;
  private readonly waiting = new Map<number, (body: unknown) => void>();
  readonly exited: Promise<number | null>;
  stderr = '';

  constructor(
    readonly child: ChildProcess,
    onEvent: (message: unknown) => void = () => {},
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-20_000);
    });
    child.stdout?.on('data', () => {});
    child.on('message', (message: unknown) => {
      const reply = message as Partial<Reply>;
      if (typeof reply.replyTo === 'number') {
        this.waiting.get(reply.replyTo)?.(reply.body);
        this.waiting.delete(reply.replyTo);
      } else {
        onEvent(message);
      }
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  request<T>(request: Request, timeoutMs = 600_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${request.type}: no answer in ${timeoutMs} ms\n${this.stderr}`)),
        timeoutMs,
      );
      void this.exited.then((code) =>
        reject(new Error(`child exited (${code}) during ${request.type}\n${this.stderr}`)),
      );
      this.waiting.set(id, (body) => {
        clearTimeout(timer);
        resolve(body as T);
      });
      this.child.send({ id, request });
    });
  }

  /** SIGTERM, then SIGKILL if it lingers. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** The child side: answers each request with whatever `handle` returns. */
export function serveIpc<Request>(handle: (request: Request) => Promise<unknown> | unknown): void {
  process.on('message', (message: unknown) => {
    const { id, request } = message as { id: number; request: Request };
    void Promise.resolve()
      .then(() => handle(request))
      .then(
        (body) => process.send?.({ replyTo: id, body }),
        (error: unknown) => process.send?.({ replyTo: id, body: { error: String(error) } }),
      );
  });
}

export function usageNow(): Usage {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return {
    cpuMicros: cpu.user + cpu.system,
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    heapTotal: memory.heapTotal,
    external: memory.external,
    arrayBuffers: memory.arrayBuffers,
  };
}

export function spawnBenchChild(file: string, nodeArgs: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(import.meta.dirname, file)], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
}

export interface ServerChild {
  ipc: ChildIpc<ServerRequest>;
  /** http://127.0.0.1:port */
  url: string;
  usage(gc?: boolean): Promise<Usage>;
  /** SQL statements run so far, by text (only with CHAT_BENCH_SQL=1). */
  statements(): Promise<Record<string, number>>;
  /** Profiles the server's CPU from now until `stopProfile` writes it (a .cpuprofile for DevTools or speedscope). */
  startProfile(): Promise<void>;
  stopProfile(file: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a server in its own process: `guildhall` is buildApp() exactly as main.ts runs it (env from
 * `env`); `raw` is the plain `ws` broadcast ceiling. CHAT_BENCH_CPU_PROF=<dir> writes a V8 CPU
 * profile of the server when it stops (open it in Chrome DevTools or speedscope).
 */
export async function startServerChild(
  mode: 'guildhall' | 'raw',
  env: Record<string, string>,
  options: { exposeGc?: boolean } = {},
): Promise<ServerChild> {
  const nodeArgs: string[] = [];
  if (options.exposeGc) nodeArgs.push('--expose-gc');
  let listening: (url: string) => void = () => {};
  const url = new Promise<string>((resolve) => (listening = resolve));
  const child = spawnBenchChild('chat-server-process.ts', nodeArgs, { ...env, CHAT_BENCH_SERVER: mode });
  const ipc = new ChildIpc<ServerRequest>(child, (message) => {
    const event = message as { type?: string; url?: string };
    if (event.type === 'listening' && event.url) listening(event.url);
  });
  const started = await Promise.race([
    url,
    ipc.exited.then((code) => {
      throw new Error(`${mode} server exited (${code}) before listening:\n${ipc.stderr}`);
    }),
  ]);
  return {
    ipc,
    url: started,
    usage: (gc = false) => ipc.request<Usage>({ type: 'usage', gc }),
    statements: () => ipc.request<Record<string, number>>({ type: 'statements' }),
    startProfile: () => ipc.request({ type: 'profileStart' }),
    stopProfile: (file) => ipc.request({ type: 'profileStop', file }),
    stop: () => ipc.stop(),
  };
}

export interface ClientWorker {
  ipc: ChildIpc<WorkerRequest>;
  connect(request: Omit<Extract<WorkerRequest, { type: 'connect' }>, 'type'>): Promise<WorkerConnected>;
  stats(): Promise<WorkerStats>;
  usage(): Promise<Usage>;
  close(): Promise<void>;
}

export function startClientWorker(onDelivered: (event: Delivered) => void): ClientWorker {
  const child = spawnBenchChild('chat-client-worker.ts', [], {});
  const ipc = new ChildIpc<WorkerRequest>(child, (message) => {
    const event = message as Partial<Delivered>;
    if (event.type === 'delivered') onDelivered(event as Delivered);
  });
  return {
    ipc,
    // Thousands of sockets on a loaded machine can take a while to connect.
    connect: (request) => ipc.request<WorkerConnected>({ type: 'connect', ...request }, 1_800_000),
    stats: () => ipc.request<WorkerStats>({ type: 'stats' }),
    usage: () => ipc.request<Usage>({ type: 'usage' }),
    close: async () => {
      await ipc.request({ type: 'close' }, 30_000).catch(() => {});
      await ipc.stop();
    },
  };
}
