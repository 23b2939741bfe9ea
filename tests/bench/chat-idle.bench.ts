import path from 'node:path';
import { createTestDatabase } from '../support/database.js';
import {
  startClientWorker,
  startServerChild,
  type ClientWorker,
  type Delivered,
  type ServerChild,
  type Usage,
} from './chat-processes.js';
import {
  benchEnv,
  chatApiPresent,
  createChannel,
  insertMembers,
  MESSAGE_FILLER,
  withSeedingApp,
  type Channel,
} from './chat-seed.js';
import type { Benchmark, BenchContext } from './registry.js';

// What an idle subscriber costs the server: 5,000 graphql-ws sockets, each with one
// conversationEvents subscription, over two channels (one client worker process each). Memory is
// read inside the server process after two forced GCs (node --expose-gc), once with a few warm
// subscribers (the baseline: code loaded, caches primed, one message delivered) and once with all
// of them (again after one message per channel, which proves every subscription is live).
// A bare `ws` server holding the same number of sockets is measured the same way, as a reference.
// Diagnosis: CHAT_BENCH_HEAP_SNAPSHOT=<dir> writes heap snapshots of both states to compare.

/** CHAT_IDLE_SUBSCRIBERS=<n> (even) for a quicker diagnosis run; the figure is measured with 5,000. */
const SUBSCRIBERS = Number(process.env.CHAT_IDLE_SUBSCRIBERS ?? 5_000);
const CHANNELS = 2;
const WARM = 20; // per channel, part of the baseline
const SETTLE_MS = 2_000;
/**
 * A socket has this long to send connection_init (a loaded machine can take seconds per socket
 * here); the loaded state is read once the last one's wait has run out, so it holds no such timers.
 */
const INIT_TIMEOUT_MS = 30_000;
/** The ceiling: server memory (RSS after GC) per idle subscriber. */
const CEILING_BYTES = 12 * 1024;

const SUBSCRIPTION = /* GraphQL */ `subscription Events($conversationId: ID!, $afterSeq: Int) {
  conversationEvents(conversationId: $conversationId, afterSeq: $afterSeq) {
    seq kind message { id seq body author { id name } createdAt }
  }
}`;

const SEND = /* GraphQL */ `mutation Send($input: SendMessageInput!) {
  sendMessage(input: $input) { __typename ... on MessagePayload { message { seq } } ... on Error { code errorMessage: message } }
}`;

/** One worker per channel, so a worker's sockets share one seq sequence. */
class Fleet {
  readonly workers: ClientWorker[];
  private readonly seen: Array<Set<number>>;
  private readonly waiters: Array<Map<number, () => void>>;

  constructor(count: number) {
    this.seen = Array.from({ length: count }, () => new Set<number>());
    this.waiters = Array.from({ length: count }, () => new Map<number, () => void>());
    this.workers = Array.from({ length: count }, (_, w) =>
      startClientWorker((event: Delivered) => {
        this.seen[w]!.add(event.seq);
        this.waiters[w]!.get(event.seq)?.();
      }),
    );
  }

  /** Resolves when every socket of worker `w` has `seq`; rejects after 60 s. */
  delivered(w: number, seq: number): Promise<void> {
    if (this.seen[w]!.has(seq)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`worker ${w}: seq ${seq} did not reach every socket in 60 s`)),
        60_000,
      );
      this.waiters[w]!.set(seq, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  close(): Promise<void> {
    return Promise.all(this.workers.map((w) => w.close())).then(() => {});
  }
}

interface Measured {
  baseline: Usage;
  /** With the first half of the subscribers. */
  half: Usage;
  loaded: Usage;
  subscribers: number;
  secondHalf: number;
  connectSeconds: number;
}

/** CHAT_BENCH_HEAP_SNAPSHOT=<dir>: heap snapshots at the baseline and with every subscriber, to diff. */
async function snapshotHeap(server: ServerChild, name: string): Promise<void> {
  const dir = process.env.CHAT_BENCH_HEAP_SNAPSHOT;
  if (dir) await server.ipc.request({ type: 'heapSnapshot', file: path.resolve(dir, `${name}.heapsnapshot`) });
}

async function measure(
  label: string,
  server: ServerChild,
  tokens: string[][],
  variables: Array<Record<string, unknown>>,
  sendTo: (channel: number, i: number) => Promise<number>,
): Promise<Measured> {
  const fleet = new Fleet(tokens.length);
  const url = `${server.url.replace('http', 'ws')}/graphql`;
  let sent = 0;
  const connectAndProve = async (slice: (list: string[]) => string[]) => {
    const connected = await Promise.all(
      fleet.workers.map((worker, w) =>
        worker.connect({
          url,
          tokens: slice(tokens[w]!),
          query: SUBSCRIPTION,
          variables: variables[w]!,
          concurrency: 50,
        }),
      ),
    );
    const failed = connected.find((c) => c.failed > 0);
    if (failed)
      throw new Error(
        `${connected.reduce((n, c) => n + c.failed, 0)} sockets failed to connect; first: ${failed.firstError}`,
      );
    // One message per channel reaches every socket: all subscriptions are live.
    for (let w = 0; w < tokens.length; w += 1) {
      const seq = await sendTo(w, sent++);
      await fleet.delivered(w, seq);
    }
  };
  try {
    await connectAndProve((list) => list.slice(0, WARM));
    // Both states are read after the same wait, so the allocator has settled alike.
    await new Promise((resolve) => setTimeout(resolve, INIT_TIMEOUT_MS + SETTLE_MS));
    const baseline = await server.usage(true);
    await snapshotHeap(server, `${label}-baseline`);
    const started = performance.now();
    const middle = (list: string[]) => WARM + Math.floor((list.length - WARM) / 2);
    await connectAndProve((list) => list.slice(WARM, middle(list)));
    let connectSeconds = (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, INIT_TIMEOUT_MS + SETTLE_MS));
    const half = await server.usage(true);
    const resumed = performance.now();
    await connectAndProve((list) => list.slice(middle(list)));
    connectSeconds += (performance.now() - resumed) / 1000;
    await new Promise((resolve) => setTimeout(resolve, INIT_TIMEOUT_MS + SETTLE_MS));
    const loaded = await server.usage(true);
    await snapshotHeap(server, `${label}-loaded`);
    const stats = await Promise.all(fleet.workers.map((w) => w.stats()));
    const live = stats.reduce((n, s) => n + s.live, 0);
    const problems = stats.reduce((n, s) => n + s.dropped + s.errorFrames + s.disorder + s.gaps, 0);
    if (problems > 0) throw new Error(`client problems: ${JSON.stringify(stats.map(({ sampleFrame: _, ...s }) => s))}`);
    const subscribers = live - WARM * tokens.length;
    const secondHalf = tokens.reduce((n, list) => n + list.length - middle(list), 0);
    return { baseline, half, loaded, subscribers, secondHalf, connectSeconds };
  } finally {
    await fleet.close();
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function perSubscriber(m: Measured) {
  const delta = (key: keyof Usage) => (m.loaded[key] - m.baseline[key]) / m.subscribers;
  // The second half's cost: what one more subscriber adds, without the one-off growth the first
  // burst causes (V8's young generation and the allocator grow to a size that does not scale with
  // subscribers: see heapTotal against heapUsed).
  const marginal = (key: keyof Usage) => (m.loaded[key] - m.half[key]) / m.secondHalf;
  return {
    rss: delta('rss'),
    heap: delta('heapUsed'),
    heapTotal: delta('heapTotal'),
    external: delta('external'),
    marginalRss: marginal('rss'),
    marginalHeap: marginal('heapUsed'),
  };
}

export const chatIdleBenchmark: Benchmark = {
  name: 'chat-idle',
  description: `${SUBSCRIBERS.toLocaleString('en')} idle conversationEvents subscribers over ${CHANNELS} channels: server memory per subscriber (vs bare ws sockets)`,
  run: async ({ templates }: BenchContext) => {
    const lines: string[] = [];
    const database = await createTestDatabase(templates);
    const perChannel = SUBSCRIBERS / CHANNELS;
    let guildhall: Measured | null = null;
    let raw: Measured | null = null;
    const servers: ServerChild[] = [];
    try {
      const { channels, tokens } = await withSeedingApp(database, async (app, graphqlUrl) => {
        const channels: Channel[] = [];
        const tokens: string[][] = [];
        for (let c = 0; c < CHANNELS; c += 1) {
          const channel = await createChannel(graphqlUrl, app.services.db, `Idle Bench ${c + 1}`);
          channels.push(channel);
          tokens.push(
            (await insertMembers(app.services.db, channel.groupId, perChannel + WARM, `Idle Member ${c + 1}`)).map(
              (m) => m.token,
            ),
          );
        }
        return { channels, tokens };
      });
      const variables = channels.map((channel) => ({ conversationId: channel.conversationGlobalId, afterSeq: 0 }));

      if (chatApiPresent()) {
        const server = await startServerChild(
          'guildhall',
          { ...benchEnv(database), WS_INIT_TIMEOUT_MS: String(INIT_TIMEOUT_MS) },
          { exposeGc: true },
        );
        servers.push(server);
        guildhall = await measure('guildhall', server, tokens, variables, async (c, i) => {
          const channel = channels[c]!;
          const response = await fetch(`${server.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${channel.owner.token}` },
            body: JSON.stringify({
              query: SEND,
              variables: {
                input: { conversationId: channel.conversationGlobalId, clientId: `idle-${i}`, body: MESSAGE_FILLER },
              },
            }),
          });
          const body = (await response.json()) as { data?: { sendMessage?: { message?: { seq: number } } } };
          const seq = body.data?.sendMessage?.message?.seq;
          if (typeof seq !== 'number') throw new Error(`sendMessage: ${JSON.stringify(body)}`);
          return seq;
        });
        await server.stop();
      } else {
        lines.push(
          'guildhall: the chat API (Subscription.conversationEvents) is not in the schema yet — reference only',
        );
      }

      // The reference: every socket gets every frame, so one worker's seqs are still in order. It
      // replays nothing, so its subscriptions start "from now" (no afterSeq).
      const payload = {
        data: { conversationEvents: { seq: 0, kind: 'MESSAGE_ADDED', message: { seq: 0, body: MESSAGE_FILLER } } },
      };
      const rawServer = await startServerChild(
        'raw',
        { CHAT_BENCH_RAW_PAYLOAD: JSON.stringify(payload) },
        { exposeGc: true },
      );
      servers.push(rawServer);
      raw = await measure('raw', rawServer, [tokens.flat().slice(0, SUBSCRIBERS + WARM)], [{}], async () => {
        const response = await fetch(`${rawServer.url}/send`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        return ((await response.json()) as { seq: number }).seq;
      });
      await rawServer.stop();
    } finally {
      for (const server of servers) await server.stop().catch(() => {});
      await database.drop();
    }

    const describe = (label: string, m: Measured) => {
      const per = perSubscriber(m);
      return (
        `${label.padEnd(10)} ${m.subscribers.toLocaleString('en')} more subscribers in ${m.connectSeconds.toFixed(1)} s: ` +
        `RSS ${mb(m.baseline.rss)}→${mb(m.half.rss)}→${mb(m.loaded.rss)} = ${kb(per.rss)}/subscriber over all, ${kb(per.marginalRss)} over the second half; ` +
        `heap used ${kb(per.heap)} (second half ${kb(per.marginalHeap)}), heap reserved ${kb(per.heapTotal)}, external ${kb(per.external)}/subscriber`
      );
    };
    if (guildhall) lines.push(describe('guildhall', guildhall));
    if (raw) lines.push(`${describe('bare ws', raw)} (reference: what a socket alone costs)`);
    const rss = guildhall ? perSubscriber(guildhall).marginalRss : Number.NaN;
    if (guildhall)
      lines.push(
        `figure: ${kb(rss)} of server memory per idle subscriber (RSS after GC, second half: what one more adds); ceiling ${kb(CEILING_BYTES)}`,
      );
    return {
      lines,
      targets: [
        {
          text: guildhall
            ? `idle subscriber ≤ ${kb(CEILING_BYTES)} of server memory (RSS delta after GC, second half; was ${kb(rss)})`
            : `idle subscriber ≤ ${kb(CEILING_BYTES)} (chat API not implemented yet)`,
          met: rss <= CEILING_BYTES,
        },
      ],
    };
  },
};
