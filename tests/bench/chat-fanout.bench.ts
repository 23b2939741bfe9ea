import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createTestDatabase } from '../support/database.js';
import {
  machineCpu,
  now,
  startClientWorker,
  startServerChild,
  type ClientWorker,
  type Delivered,
  type ServerChild,
  type Usage,
  type WorkerStats,
} from './chat-processes.js';
import {
  benchEnv,
  chatApiPresent,
  createChannel,
  globalId,
  insertMembers,
  MESSAGE_FILLER,
  withSeedingApp,
} from './chat-seed.js';
import type { Benchmark, BenchContext } from './registry.js';
import { ms, summarise } from './stats.js';

// One sender, 1,000 subscribers of one channel's conversationEvents over graphql-transport-ws.
// Each message enters the way a member's does (the sendMessage mutation over HTTP) and is timed
// from the start of that request until the LAST of the 1,000 sockets has it. The ceiling is a
// bare `ws` server in the same kind of child process, taking the same request body over HTTP and
// writing the same frame (captured from Guildhall) to 1,000 sockets, measured in the same run.
// The ceiling batches its writes as Guildhall does: events of one turn of the event loop are
// serialised once and each socket gets them in one corked write.
// The main figure is server CPU per delivery (throughput depends on how much of the machine the
// client processes get). Server CPU is the server process's own (process.cpuUsage over IPC); with
// PGlite that includes the database, with PostgreSQL + Redis it does not (they are other processes).
// Diagnosis: CHAT_BENCH_SQL=1 lists the SQL statements per message; CHAT_BENCH_CPU_PROF=<dir>
// writes a V8 CPU profile of each server during each scenario (<dir>/<server>-<scenario>.cpuprofile).

const SUBSCRIBERS = 1_000;
const CLIENT_WORKERS = 2;
const WARM_UP = 30;
const BURSTS = 200;
const STEADY_RATE = 20; // messages per second
const SECONDS = 10;
/** Scenario c: messages sent but not yet delivered to everyone, at most; keeps the server saturated without an unbounded queue. */
const WINDOW = 8;
/** Scenario c: sendMessage requests in flight at once. */
const SENDERS = 4;
const DELIVERY_TIMEOUT_MS = 15_000;

const SUBSCRIPTION = /* GraphQL */ `subscription Events($conversationId: ID!, $afterSeq: Int) {
  conversationEvents(conversationId: $conversationId, afterSeq: $afterSeq) {
    seq kind message { id seq body author { id name } createdAt }
  }
}`;

const SEND = /* GraphQL */ `mutation Send($input: SendMessageInput!) {
  sendMessage(input: $input) {
    __typename
    ... on MessagePayload { message { seq } }
    ... on Error { code errorMessage: message }
    ... on RateLimitedError { retryAfterSeconds }
  }
}`;

/** Every worker's "all my sockets have seq" reports, joined into "every subscriber has seq". */
class Deliveries {
  private readonly partial = new Map<number, { workers: number; last: number }>();
  readonly complete = new Map<number, number>();
  private readonly waiters = new Map<number, () => void>();
  private onAny: Array<() => void> = [];

  constructor(private readonly workers: number) {}

  readonly report = (event: Delivered) => {
    const entry = this.partial.get(event.seq) ?? { workers: 0, last: 0 };
    entry.workers += 1;
    entry.last = Math.max(entry.last, event.at);
    if (entry.workers < this.workers) return void this.partial.set(event.seq, entry);
    this.partial.delete(event.seq);
    this.complete.set(event.seq, entry.last);
    this.waiters.get(event.seq)?.();
    this.waiters.delete(event.seq);
    const waiting = this.onAny;
    this.onAny = [];
    for (const wake of waiting) wake();
  };

  /** Resolves true once every subscriber has seq, false after the timeout. */
  waitFor(seq: number, timeoutMs = DELIVERY_TIMEOUT_MS): Promise<boolean> {
    if (this.complete.has(seq)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(seq);
        resolve(false);
      }, timeoutMs);
      this.waiters.set(seq, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Resolves at the next completion of any seq (or after the timeout). */
  next(timeoutMs = DELIVERY_TIMEOUT_MS): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.onAny.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

interface Target {
  label: string;
  server: ServerChild;
  workers: ClientWorker[];
  deliveries: Deliveries;
  /** Sends message number i; resolves with its seq. */
  send(i: number): Promise<number>;
  /** The next message number. */
  counter: number;
}

interface Snapshot {
  server: Usage;
  clientsCpuMicros: number;
  /** This process: the sender and the bookkeeping. */
  senderCpuMicros: number;
  machineBusyMicros: number;
  stats: WorkerStats[];
}

async function snapshot(target: Target): Promise<Snapshot> {
  const [server, clients, stats] = await Promise.all([
    target.server.usage(),
    Promise.all(target.workers.map((w) => w.usage())),
    Promise.all(target.workers.map((w) => w.stats())),
  ]);
  const own = process.cpuUsage();
  return {
    server,
    clientsCpuMicros: clients.reduce((total, u) => total + u.cpuMicros, 0),
    senderCpuMicros: own.user + own.system,
    machineBusyMicros: machineCpu().busyMicros,
    stats,
  };
}

const sum = (stats: WorkerStats[], key: 'deliveries' | 'disorder' | 'gaps' | 'errorFrames' | 'dropped' | 'live') =>
  stats.reduce((total, s) => total + s[key], 0);

interface ScenarioResult {
  name: string;
  messages: number;
  /** Messages not delivered to every subscriber within the timeout. */
  undelivered: number;
  /** Expected deliveries (messages × subscribers) minus received ones. */
  lost: number;
  disorder: number;
  gaps: number;
  errorFrames: number;
  p50: number;
  p99: number;
  deliveriesPerSecond: number;
  serverMicrosPerDelivery: number;
  /** Client workers' CPU over the scenario, in cores (1 = one core fully busy). */
  clientCores: number;
  serverCores: number;
  senderCores: number;
  /** CPU the rest of the machine (other helpers' processes, PostgreSQL, Redis, the kernel) took meanwhile. */
  otherCores: number;
  seconds: number;
  /** With CHAT_BENCH_SQL=1: statements run during the scenario, by text, most frequent first. */
  sql: Array<[string, number]>;
}

async function scenario(
  target: Target,
  name: string,
  drive: (target: Target, send: Send) => Promise<void>,
): Promise<ScenarioResult> {
  const sent: Array<{ seq: number; at: number }> = [];
  let failures = 0;
  let firstFailure = '';
  /** Resolves with the message's seq, or -1 when the send failed. */
  const send = async (i: number) => {
    const at = now();
    try {
      const seq = await target.send(i);
      sent.push({ seq, at });
      return seq;
    } catch (error) {
      failures += 1;
      firstFailure ||= String(error);
      return -1;
    }
  };
  const diagnoseSql = process.env.CHAT_BENCH_SQL === '1';
  const profileDir = process.env.CHAT_BENCH_CPU_PROF;
  const sqlBefore = diagnoseSql ? await target.server.statements() : {};
  if (profileDir) await target.server.startProfile();
  const before = await snapshot(target);
  const started = now();
  await drive(target, send);
  const delivered = await Promise.all(sent.map(({ seq }) => target.deliveries.waitFor(seq)));
  const finished = Math.max(started, ...sent.map(({ seq }) => target.deliveries.complete.get(seq) ?? 0));
  // Deliveries to a socket that lost an event elsewhere still arrive; give stragglers a moment.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const after = await snapshot(target);
  if (profileDir) {
    fs.mkdirSync(profileDir, { recursive: true });
    const file = `${target.label.replace(/\W+/g, '-')}-${name.slice(0, 1)}.cpuprofile`;
    await target.server.stopProfile(path.resolve(profileDir, file));
  }
  const sqlAfter = diagnoseSql ? await target.server.statements() : {};
  if (failures > 0) throw new Error(`${target.label} ${name}: ${failures} sends failed; first: ${firstFailure}`);

  const received = sum(after.stats, 'deliveries') - sum(before.stats, 'deliveries');
  const subscribers = sum(before.stats, 'live');
  const latencies = sent.flatMap(({ seq, at }) => {
    const done = target.deliveries.complete.get(seq);
    return done === undefined ? [] : [done - at];
  });
  const { p50, p99 } = summarise(latencies);
  const seconds = (finished - started) / 1000;
  const elapsedAll = (now() - started) / 1000;
  return {
    name,
    messages: sent.length,
    undelivered: delivered.filter((ok) => !ok).length,
    lost: sent.length * subscribers - received,
    disorder: sum(after.stats, 'disorder') - sum(before.stats, 'disorder'),
    gaps: sum(after.stats, 'gaps') - sum(before.stats, 'gaps'),
    errorFrames:
      sum(after.stats, 'errorFrames') -
      sum(before.stats, 'errorFrames') +
      sum(after.stats, 'dropped') -
      sum(before.stats, 'dropped'),
    p50,
    p99,
    deliveriesPerSecond: received / seconds,
    serverMicrosPerDelivery: (after.server.cpuMicros - before.server.cpuMicros) / Math.max(1, received),
    clientCores: (after.clientsCpuMicros - before.clientsCpuMicros) / 1e6 / elapsedAll,
    serverCores: (after.server.cpuMicros - before.server.cpuMicros) / 1e6 / elapsedAll,
    senderCores: (after.senderCpuMicros - before.senderCpuMicros) / 1e6 / elapsedAll,
    otherCores:
      (after.machineBusyMicros -
        before.machineBusyMicros -
        (after.server.cpuMicros - before.server.cpuMicros) -
        (after.clientsCpuMicros - before.clientsCpuMicros) -
        (after.senderCpuMicros - before.senderCpuMicros)) /
      1e6 /
      elapsedAll,
    seconds,
    sql: Object.entries(sqlAfter)
      .map(([text, count]): [string, number] => [text, count - (sqlBefore[text] ?? 0)])
      .filter(([, count]) => count > 0)
      .sort((a, b) => b[1] - a[1]),
  };
}

const sleep = (msDelay: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, msDelay)));

/** JIT, prepared statements, and proof that every subscription is live (afterSeq 0 replays
 * whatever was sent before a subscription started, so none is missed). */
async function warmUp(target: Target): Promise<void> {
  for (let i = 0; i < WARM_UP; i += 1) {
    const seq = await target.send(target.counter++);
    if (!(await target.deliveries.waitFor(seq, 60_000))) {
      const stats = await Promise.all(target.workers.map((w) => w.stats()));
      throw new Error(
        `${target.label}: warm-up message ${seq} did not reach every subscriber: ${JSON.stringify(stats.map(({ sampleFrame: _, ...s }) => s))}`,
      );
    }
  }
}

type Send = (i: number) => Promise<number>;

const SCENARIOS: Array<{ name: string; drive(target: Target, send: Send): Promise<void> }> = [
  {
    name: `a) ${BURSTS} single-message bursts`,
    drive: async (target, send) => {
      for (let i = 0; i < BURSTS; i += 1) {
        // The next message goes out only once this one has reached everyone.
        const seq = await send(target.counter++);
        if (seq >= 0) await target.deliveries.waitFor(seq);
      }
    },
  },
  {
    name: `b) ${STEADY_RATE} messages/s for ${SECONDS} s`,
    drive: async (target, send) => {
      const start = performance.now();
      const inFlight: Array<Promise<number>> = [];
      for (let i = 0; i < STEADY_RATE * SECONDS; i += 1) {
        await sleep(start + (i * 1000) / STEADY_RATE - performance.now());
        inFlight.push(send(target.counter++));
      }
      await Promise.all(inFlight);
    },
  },
  {
    name: `c) as fast as it goes for ${SECONDS} s`,
    drive: async (target, send) => {
      const stopAt = performance.now() + SECONDS * 1000;
      const firstOfScenario = target.deliveries.complete.size;
      let issued = 0;
      await Promise.all(
        Array.from({ length: SENDERS }, async () => {
          while (performance.now() < stopAt) {
            // At most WINDOW messages on their way to the subscribers at once.
            while (
              issued - (target.deliveries.complete.size - firstOfScenario) >= WINDOW &&
              performance.now() < stopAt
            ) {
              await target.deliveries.next(1_000);
            }
            if (performance.now() >= stopAt) break;
            issued += 1;
            await send(target.counter++);
          }
        }),
      );
    },
  },
];

async function startTarget(
  label: string,
  server: ServerChild,
  tokens: string[],
  variables: Record<string, unknown>,
  send: (i: number) => Promise<number>,
): Promise<Target> {
  const deliveries = new Deliveries(CLIENT_WORKERS);
  const workers = Array.from({ length: CLIENT_WORKERS }, () => startClientWorker(deliveries.report));
  const target: Target = { label, server, workers, deliveries, send, counter: 0 };
  const url = `${server.url.replace('http', 'ws')}/graphql`;
  const shares = workers.map((_, w) => tokens.filter((_t, i) => i % CLIENT_WORKERS === w));
  const connected = await Promise.all(
    workers.map((worker, w) =>
      worker.connect({ url, tokens: shares[w]!, query: SUBSCRIPTION, variables, concurrency: 25 }),
    ),
  );
  const failed = connected.reduce((total, c) => total + c.failed, 0);
  if (failed > 0)
    throw new Error(
      `${label}: ${failed} sockets failed to connect; first: ${connected.find((c) => c.firstError)?.firstError}`,
    );
  return target;
}

async function stopTarget(target: Target | null): Promise<void> {
  if (!target) return;
  await Promise.all(target.workers.map((w) => w.close()));
  await target.server.stop();
}

const messageBody = (i: number) => `#${i} ${MESSAGE_FILLER}`;

function sendRequestBody(conversationId: string, run: string, i: number): string {
  return JSON.stringify({
    query: SEND,
    variables: { input: { conversationId, clientId: `bench-${run}-${i}`, body: messageBody(i) } },
  });
}

/** Used for the raw ceiling when there is no Guildhall frame to copy (chat API not there yet). */
function syntheticPayload(): unknown {
  return {
    data: {
      conversationEvents: {
        seq: 0,
        kind: 'MESSAGE_ADDED',
        message: {
          id: globalId('Message', '0190c6a4-3b7e-7000-8000-000000000001'),
          seq: 0,
          body: messageBody(123),
          author: { id: globalId('Person', '0190c6a4-3b7e-7000-8000-000000000002'), name: 'Fanout Owner' },
          createdAt: new Date().toISOString(),
        },
      },
    },
  };
}

const pct = (cores: number) => `${(cores * 100).toFixed(0)}%`;

function line(label: string, r: ScenarioResult): string {
  const loss =
    r.lost === 0 && r.undelivered === 0 && r.disorder === 0 && r.gaps === 0 && r.errorFrames === 0
      ? 'loss 0'
      : `LOSS ${r.lost} deliveries, ${r.undelivered} msgs incomplete, ${r.disorder} out of order, ${r.gaps} gaps, ${r.errorFrames} error frames/drops`;
  return (
    `${label.padEnd(9)} server ${r.serverMicrosPerDelivery.toFixed(2)} µs CPU/delivery (${pct(r.serverCores)} of a core)  ` +
    `${r.messages} msgs  ${loss}  all-have-it p50 ${ms(r.p50)} p99 ${ms(r.p99)}  ` +
    `${Math.round(r.deliveriesPerSecond).toLocaleString('en')} deliveries/s  clients ${pct(r.clientCores)}  sender ${pct(r.senderCores)}  rest of machine ${pct(r.otherCores)}`
  );
}

/** The target: Guildhall's server CPU per delivery in bursts at most this many times the ceiling's. */
const BURST_CPU_RATIO_TARGET = 1.2;

export const chatFanoutBenchmark: Benchmark = {
  name: 'chat-fanout',
  description: `one sender, ${SUBSCRIBERS.toLocaleString('en')} graphql-ws subscribers of one channel: bursts, ${STEADY_RATE}/s, flat out — vs a plain ws broadcast`,
  run: async ({ templates }: BenchContext) => {
    const lines: string[] = [];
    const database = await createTestDatabase(templates);
    const chatApi = chatApiPresent();
    let guildhall: Target | null = null;
    let raw: Target | null = null;
    const results: { guildhall: ScenarioResult[]; raw: ScenarioResult[] } = { guildhall: [], raw: [] };
    let payload: unknown = syntheticPayload();
    let frameBytes = 0;
    try {
      const seedStarted = performance.now();
      const { channel, members } = await withSeedingApp(database, async (app, graphqlUrl) => {
        const channel = await createChannel(graphqlUrl, app.services.db, 'Fanout Bench');
        const members = await insertMembers(app.services.db, channel.groupId, SUBSCRIBERS, 'Fanout Member');
        return { channel, members };
      });
      lines.push(
        `seeded ${SUBSCRIBERS} members in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s; ${CLIENT_WORKERS} client worker processes; back-end: ${database.env.DATABASE_URL ? 'PostgreSQL + Redis' : 'PGlite + in-process pub/sub'}`,
      );
      const run = randomBytes(3).toString('hex');
      const tokens = members.map((m) => m.token);

      if (chatApi) {
        const server = await startServerChild('guildhall', benchEnv(database));
        const graphqlUrl = `${server.url}/graphql`;
        const headers = { 'content-type': 'application/json', authorization: `Bearer ${channel.owner.token}` };
        const connectStarted = performance.now();
        guildhall = await startTarget(
          'guildhall',
          server,
          tokens,
          { conversationId: channel.conversationGlobalId, afterSeq: 0 },
          async (i) => {
            const response = await fetch(graphqlUrl, {
              method: 'POST',
              headers,
              body: sendRequestBody(channel.conversationGlobalId, run, i),
            });
            const body = (await response.json()) as {
              data?: { sendMessage?: { __typename: string; message?: { seq: number } } };
              errors?: unknown;
            };
            const seq = body.data?.sendMessage?.message?.seq;
            if (typeof seq !== 'number') throw new Error(`sendMessage: ${JSON.stringify(body)}`);
            return seq;
          },
        );
        lines.push(
          `guildhall: ${SUBSCRIBERS} sockets connected and subscribed in ${((performance.now() - connectStarted) / 1000).toFixed(1)} s`,
        );
        await warmUp(guildhall);
        const sample = (await guildhall.workers[0]!.stats()).sampleFrame;
        if (sample) {
          frameBytes = Buffer.byteLength(sample);
          payload = (JSON.parse(sample) as { payload: unknown }).payload;
        }
      } else {
        lines.push('guildhall: the chat API (Subscription.conversationEvents) is not in the schema yet — ceiling only');
      }

      const rawServer = await startServerChild('raw', { CHAT_BENCH_RAW_PAYLOAD: JSON.stringify(payload) });
      const rawUrl = `${rawServer.url}/send`;
      raw = await startTarget(
        'raw ws',
        rawServer,
        tokens,
        { conversationId: channel.conversationGlobalId, afterSeq: 0 },
        async (i) => {
          const response = await fetch(rawUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: sendRequestBody(channel.conversationGlobalId, run, i),
          });
          return ((await response.json()) as { seq: number }).seq;
        },
      );
      await warmUp(raw);
      if (!frameBytes) frameBytes = Buffer.byteLength((await raw.workers[0]!.stats()).sampleFrame ?? '');

      // Each scenario runs on Guildhall and then at once on the ceiling, so both see about the
      // same load from whatever else runs on the machine.
      for (const { name, drive } of SCENARIOS) {
        if (guildhall) results.guildhall.push(await scenario(guildhall, name, drive));
        results.raw.push(await scenario(raw, name, drive));
      }
      await stopTarget(guildhall);
      guildhall = null;
      await stopTarget(raw);
      raw = null;
    } finally {
      await stopTarget(guildhall).catch(() => {});
      await stopTarget(raw).catch(() => {});
      await database.drop();
    }

    lines.push(
      `frame: ${frameBytes} bytes per delivery${chatApi ? ' (copied from Guildhall for the ceiling)' : ' (synthetic)'}`,
    );
    for (const [i, r] of results.raw.entries()) {
      const g = results.guildhall[i];
      lines.push(r.name);
      if (g)
        lines.push(
          `  ${line('guildhall', g)}  (CPU/delivery ${(g.serverMicrosPerDelivery / r.serverMicrosPerDelivery).toFixed(2)}× the ceiling's; deliveries/s ${((g.deliveriesPerSecond / r.deliveriesPerSecond) * 100).toFixed(0)}% of the ceiling's)`,
        );
      if (g && g.sql.length > 0) {
        const total = g.sql.reduce((n, [, count]) => n + count, 0);
        lines.push(`    SQL: ${(total / g.messages).toFixed(1)} statements per message; most frequent:`);
        for (const [text, count] of g.sql.slice(0, 12))
          lines.push(`      ${(count / g.messages).toFixed(2).padStart(6)}/msg  ${text}`);
      }
      lines.push(`  ${line('raw ws', r)}  (ceiling)`);
    }
    const busiest = Math.max(0, ...[...results.guildhall, ...results.raw].map((r) => r.otherCores));
    if (busiest > 0.3) {
      lines.push(
        `NOISY: other processes took up to ${pct(busiest)} of a core during a scenario (the machine has 2); throughput and latency suffer, CPU per delivery less so`,
      );
    }
    const burst = results.guildhall[0];
    const burstCeiling = results.raw[0]!;
    const flatOut = results.guildhall[2];
    const ceiling = results.raw[2]!;
    const burstRatio = burst ? burst.serverMicrosPerDelivery / burstCeiling.serverMicrosPerDelivery : Number.NaN;
    lines.push(
      burst
        ? `main figure — bursts: Guildhall ${burst.serverMicrosPerDelivery.toFixed(2)} µs of server CPU per delivery, ceiling ${burstCeiling.serverMicrosPerDelivery.toFixed(2)} µs: ${burstRatio.toFixed(2)}× (target ≤ ${BURST_CPU_RATIO_TARGET}×)`
        : `main figure — bursts: ceiling ${burstCeiling.serverMicrosPerDelivery.toFixed(2)} µs of server CPU per delivery`,
    );
    const lossless =
      results.guildhall.length > 0 &&
      results.guildhall.every(
        (r) => r.lost === 0 && r.undelivered === 0 && r.disorder === 0 && r.gaps === 0 && r.errorFrames === 0,
      );
    const rawLossless = results.raw.every(
      (r) => r.lost === 0 && r.undelivered === 0 && r.disorder === 0 && r.gaps === 0,
    );
    if (!rawLossless)
      lines.push('WARNING: the raw ceiling itself lost or reordered deliveries — the client side is suspect');
    return {
      lines,
      targets: [
        {
          text: `zero loss, seq order kept, in every scenario${chatApi ? '' : ' (chat API not implemented yet)'}`,
          met: lossless,
        },
        {
          text: burst
            ? `bursts: server CPU per delivery ≤ ${BURST_CPU_RATIO_TARGET}× the batching plain ws ceiling's (was ${burstRatio.toFixed(2)}×: ${burst.serverMicrosPerDelivery.toFixed(2)} vs ${burstCeiling.serverMicrosPerDelivery.toFixed(2)} µs)`
            : `bursts: server CPU per delivery ≤ ${BURST_CPU_RATIO_TARGET}× the ceiling's (chat API not implemented yet)`,
          met: burstRatio <= BURST_CPU_RATIO_TARGET,
        },
        {
          text: flatOut
            ? `flat-out deliveries/s ≥ 0.6× the plain ws ceiling (was ${(flatOut.deliveriesPerSecond / ceiling.deliveriesPerSecond).toFixed(2)}×: ${Math.round(flatOut.deliveriesPerSecond).toLocaleString('en')} vs ${Math.round(ceiling.deliveriesPerSecond).toLocaleString('en')}/s)`
            : 'flat-out deliveries/s ≥ 0.6× the plain ws ceiling (chat API not implemented yet)',
          met: Boolean(flatOut && flatOut.deliveriesPerSecond >= 0.6 * ceiling.deliveriesPerSecond),
        },
        {
          text: burst
            ? `burst: every subscriber has the message, p99 ≤ 50 ms (was ${ms(burst.p99)})`
            : 'burst p99 ≤ 50 ms (chat API not implemented yet)',
          met: Boolean(burst && burst.p99 <= 50),
        },
      ],
    };
  },
};
