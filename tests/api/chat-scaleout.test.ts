import { spawn as spawnChild, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Client } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import { backendFromEnv } from '../support/backend.js';
import {
  chatMembers,
  conversation,
  conversationEvents,
  fullHistory,
  groupWithMembers,
  memberSocket,
  newClientId,
  presenceChanges,
  presenceOf,
  range,
  send,
  sendMessage,
  seqsOf,
  setPresenceOnSocket,
  setTyping,
  typingIndicators,
  warmUp,
  WAIT_MS,
  type ChatMember,
  type ConversationEvent,
  type Stream,
} from '../support/chat.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { tmpRoot } from '../support/paths.js';
import { spawnServer, type ServerProcess } from '../support/server.js';

// Chat on two server processes sharing one PostgreSQL database and Redis, under faults: a
// process killed with SIGKILL mid-burst, Redis killed and restarted mid-burst, a client
// dropping off mid-burst. The database is the record; pub/sub only nudges. Runs in the
// PostgreSQL + Redis run (which fails, never skips, when those services do not answer: see
// support/templates.ts) and is skipped on the embedded run, like server-process.test.ts.

const backend = backendFromEnv();
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function fresh(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  return database;
}

async function instance(env: Record<string, string>): Promise<ServerProcess> {
  const server = await spawnServer(env);
  cleanups.push(() => server.stop());
  return server;
}

function socket(server: ServerProcess, member: ChatMember): Client {
  const client = memberSocket(server.wsUrl, member);
  cleanups.push(async () => client.dispose());
  return client;
}

async function lastSeqOf(url: string, who: ChatMember, conversationId: string): Promise<number> {
  return (await conversation(url, who, conversationId))!.lastSeq;
}

/** Waits until the stream holds seq `last`, then expects exactly base+1..last, once each, in order. */
async function expectComplete(
  stream: Stream<ConversationEvent>,
  base: number,
  last: number,
  what: string,
): Promise<ConversationEvent[]> {
  const events = await stream.waitFor(
    (items) => items.some((event) => event.seq >= last),
    `${what}: events up to seq ${last}`,
    60_000,
  );
  expect(seqsOf(events), what).toEqual(range(base + 1, last));
  return events;
}

interface Ack {
  id: string;
  seq: number;
}

interface BurstOutcome {
  /** Every clientId whose send was started, in start order. */
  attempted: string[];
  acks: Map<string, Ack>;
  failures: Map<string, string>;
}

/**
 * Sends `count` messages with `concurrency` in flight, each through `urlFor(index)`. `onSettled`
 * runs after every answer (or failure) with the number settled so far; `shouldStop` ends the
 * burst early (no new sends start).
 */
async function burst(options: {
  count: number;
  concurrency: number;
  who: ChatMember;
  conversationId: string;
  urlFor: (index: number) => string;
  onSettled?: (settled: number, outcome: BurstOutcome) => void;
  shouldStop?: () => boolean;
}): Promise<BurstOutcome> {
  const outcome: BurstOutcome = { attempted: [], acks: new Map(), failures: new Map() };
  let next = 0;
  let settled = 0;
  const worker = async () => {
    while (next < options.count && !options.shouldStop?.()) {
      const index = next++;
      const clientId = `burst-${index}-${newClientId()}`;
      outcome.attempted.push(clientId);
      try {
        const result = await sendMessage(options.urlFor(index), options.who, options.conversationId, bodyOf(clientId), {
          clientId,
        });
        if (result.message) outcome.acks.set(clientId, { id: result.message.id, seq: result.message.seq });
        else outcome.failures.set(clientId, JSON.stringify(result));
      } catch (error) {
        outcome.failures.set(
          clientId,
          error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : String(error),
        );
      }
      settled += 1;
      options.onSettled?.(settled, outcome);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return outcome;
}

const bodyOf = (clientId: string) => `message ${clientId}`;

/** Retries every unacknowledged send with its clientId, as a client would; each must now succeed. */
async function retryUnacknowledged(
  url: string,
  who: ChatMember,
  conversationId: string,
  outcome: BurstOutcome,
): Promise<Map<string, Ack>> {
  const finalIds = new Map(outcome.acks);
  for (const clientId of outcome.attempted) {
    if (finalIds.has(clientId)) continue;
    const message = await send(url, who, conversationId, bodyOf(clientId), { clientId });
    finalIds.set(clientId, { id: message.id, seq: message.seq });
  }
  return finalIds;
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A throwaway Redis of this test's own: the run's shared Redis must never be stopped. */
async function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawnChild(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)));
  });
  return child;
}

async function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe.runIf(backend.kind === 'scale-out')('chat on two server processes (PostgreSQL + Redis)', () => {
  it('delivers on instance A, in order, what is sent through instance B; typing and presence too', async () => {
    const database = await fresh();
    const [a, b] = await Promise.all([instance(database.env), instance(database.env)]);
    const [ada, ben, cat] = await chatMembers(a.graphqlUrl, ['Ada on A', 'Ben on B', 'Cat Reader']);
    const group = await groupWithMembers(a.graphqlUrl, ada!, [ben!, cat!]);
    const base = await lastSeqOf(a.graphqlUrl, ada!, group.general);
    const onA = conversationEvents(socket(a, cat!), group.general, base);
    const onB = conversationEvents(socket(b, cat!), group.general, base);

    const sent = await Promise.all([
      (async () => {
        const list = [];
        for (let index = 0; index < 30; index += 1)
          list.push(await send(b.graphqlUrl, ben!, group.general, `from B ${index}`));
        return list;
      })(),
      (async () => {
        const list = [];
        for (let index = 0; index < 30; index += 1)
          list.push(await send(a.graphqlUrl, ada!, group.general, `from A ${index}`));
        return list;
      })(),
    ]);
    const bySeq = sent.flat().sort((x, y) => x.seq - y.seq);
    const last = bySeq.at(-1)!.seq;
    for (const [stream, what] of [
      [onA, 'reader on A'],
      [onB, 'reader on B'],
    ] as const) {
      const events = await expectComplete(stream, base, last, what);
      expect(events.map((event) => event.message.id)).toEqual(bySeq.map((message) => message.id));
    }

    const catTyping = typingIndicators(socket(a, cat!), group.general);
    await warmUp(
      catTyping,
      () => setTyping(b.graphqlUrl, ben!, group.general, true),
      (event) => event.person.id === ben!.personId && event.typing,
      'typing from B',
    );
    await setTyping(b.graphqlUrl, ben!, group.general, false);
    await catTyping.waitFor(
      (items) => items.some((event) => event.person.id === ben!.personId && !event.typing),
      'stopped typing, from B',
    );

    const adaPresence = presenceChanges(socket(a, ada!));
    const benSocket = memberSocket(b.wsUrl, ben!);
    cleanups.push(async () => benSocket.dispose());
    let away = false;
    await warmUp(
      adaPresence,
      () => setPresenceOnSocket(benSocket, (away = !away) ? 'AWAY' : 'ONLINE'),
      (event) => event.person.id === ben!.personId,
      'presence from B',
    );
    expect((await presenceOf(a.graphqlUrl, ada!, [ben!]))[ben!.personId]).not.toBe('OFFLINE');
    const seen = adaPresence.received.length;
    await benSocket.dispose();
    await adaPresence.waitFor(
      (items) => items.slice(seen).some((event) => event.person.id === ben!.personId && event.status === 'OFFLINE'),
      'offline, from B',
    );
    expect((await presenceOf(a.graphqlUrl, ada!, [ben!]))[ben!.personId]).toBe('OFFLINE');
  });

  it('stores one message for one clientId sent 50 times at once through both instances', async () => {
    const database = await fresh();
    const [a, b] = await Promise.all([instance(database.env), instance(database.env)]);
    const [ada] = await chatMembers(a.graphqlUrl, ['Ada Retrier']);
    const group = await groupWithMembers(a.graphqlUrl, ada!, []);
    const base = await lastSeqOf(a.graphqlUrl, ada!, group.general);
    const clientId = newClientId();

    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        sendMessage(index % 2 ? b.graphqlUrl : a.graphqlUrl, ada!, group.general, 'only once', { clientId }),
      ),
    );
    const messageIds = answers.map((answer) => answer.message?.id ?? JSON.stringify(answer));
    expect(new Set(messageIds)).toEqual(new Set([messageIds[0]]));
    expect(answers[0]!.message).toMatchObject({ seq: base + 1, clientId, body: 'only once' });
    expect(await lastSeqOf(b.graphqlUrl, ada!, group.general)).toBe(base + 1);
    expect(
      (await fullHistory(b.graphqlUrl, ada!, group.general)).filter((message) => message.clientId === clientId),
    ).toHaveLength(1);
  });

  it('loses no acknowledged message when an instance is killed (SIGKILL) mid-burst, and resuming yields each send once', {
    timeout: 300_000,
  }, async () => {
    const database = await fresh();
    const survivor = await instance(database.env);
    const victim = await instance(database.env);
    const [ada, ben] = await chatMembers(survivor.graphqlUrl, ['Ada Sender', 'Ben Reader']);
    const group = await groupWithMembers(survivor.graphqlUrl, ada!, [ben!]);
    const base = await lastSeqOf(survivor.graphqlUrl, ada!, group.general);
    const readerOnVictim = conversationEvents(socket(victim, ben!), group.general, base);
    const readerOnSurvivor = conversationEvents(socket(survivor, ben!), group.general, base);

    const killAt = 100 + Math.floor(Math.random() * 800);
    let killed = false;
    const outcome = await burst({
      count: 1000,
      concurrency: 10,
      who: ada!,
      conversationId: group.general,
      urlFor: () => victim.graphqlUrl,
      onSettled: (_settled, progress) => {
        if (!killed && progress.acks.size >= killAt) {
          killed = true;
          victim.child.kill('SIGKILL');
        }
      },
      shouldStop: () => killed,
    });
    await victim.exited;
    const context = `killed after ${killAt} acknowledgements; ${outcome.attempted.length} sends started, ${outcome.failures.size} unanswered`;
    expect(killed, context).toBe(true);
    // Only sends cut off by the kill may fail.
    expect(
      outcome.failures.size,
      `${context}: ${JSON.stringify([...outcome.failures.values()].slice(0, 3))}`,
    ).toBeLessThanOrEqual(10);

    // The client retries every unanswered send, with its clientId, through the survivor.
    const everySend = await retryUnacknowledged(survivor.graphqlUrl, ada!, group.general, outcome);
    // One more message, so that a reader waiting for a nudge gets one after the kill.
    const tail = await send(survivor.graphqlUrl, ada!, group.general, 'after the kill');
    const last = tail.seq;

    const history = (await fullHistory(survivor.graphqlUrl, ben!, group.general)).filter(
      (message) => message.seq > base,
    );
    const expected = [...everySend.entries()].sort((x, y) => x[1].seq - y[1].seq);
    expect(
      history.map((message) => [message.clientId, message.id, message.seq]),
      context,
    ).toEqual([...expected.map(([clientId, ack]) => [clientId, ack.id, ack.seq]), [tail.clientId, tail.id, tail.seq]]);
    expect(history.map((message) => message.seq)).toEqual(range(base + 1, last));

    // The reader whose socket died with the victim resumes on the survivor from its last seq.
    const lastSeen = Math.max(base, ...seqsOf(readerOnVictim.received));
    const resumed = conversationEvents(socket(survivor, ben!), group.general, lastSeen);
    await resumed.waitFor((items) => items.some((event) => event.seq >= last), `${context}: resumed reader`, 60_000);
    const combined = [...readerOnVictim.received, ...resumed.received];
    expect(seqsOf(combined), context).toEqual(range(base + 1, last));
    expect(combined.map((event) => event.message.clientId)).toEqual(history.map((message) => message.clientId));

    // The reader on the survivor never reconnected and still has every message, once, in order.
    await expectComplete(readerOnSurvivor, base, last, `${context}: reader on the survivor`);
  });

  it('catches subscribers up from the database when Redis is killed and restarted mid-burst', {
    timeout: 300_000,
  }, async () => {
    const port = await freePort();
    fs.mkdirSync(tmpRoot, { recursive: true });
    const redisDir = fs.mkdtempSync(path.join(tmpRoot, 'redis-'));
    let redis = await startRedis(port, redisDir);
    cleanups.push(async () => {
      await killProcess(redis);
      fs.rmSync(redisDir, { recursive: true, force: true });
    });
    const database = await fresh();
    const env = { ...database.env, REDIS_URL: `redis://127.0.0.1:${port}` };
    const [a, b] = await Promise.all([instance(env), instance(env)]);
    const [ada, ben, cat] = await chatMembers(a.graphqlUrl, ['Ada Sender', 'Ben on A', 'Cat on B']);
    const group = await groupWithMembers(a.graphqlUrl, ada!, [ben!, cat!]);
    const base = await lastSeqOf(a.graphqlUrl, ada!, group.general);
    const onA = conversationEvents(socket(a, ben!), group.general, base);
    const onB = conversationEvents(socket(b, cat!), group.general, base);

    let phase: 'up' | 'down' | 'restarting' | 'back' = 'up';
    let restarted: Promise<void> = Promise.resolve();
    const restart = () => {
      if (phase !== 'down') return;
      phase = 'restarting';
      restarted = startRedis(port, redisDir).then((child) => {
        redis = child;
        phase = 'back';
      });
    };
    const outcome = await burst({
      count: 400,
      concurrency: 4,
      who: ada!,
      conversationId: group.general,
      urlFor: (index) => (index % 2 ? b.graphqlUrl : a.graphqlUrl),
      onSettled: (settled) => {
        if (phase === 'up' && settled >= 100) {
          phase = 'down';
          redis.kill('SIGKILL');
          // Should sends stall while Redis is away, bring it back anyway; the burst then goes on.
          setTimeout(restart, 10_000).unref();
        } else if (settled >= 200) {
          restart();
        }
      },
    });
    await restarted;
    expect(phase).toBe('back');
    const everySend = await retryUnacknowledged(a.graphqlUrl, ada!, group.general, outcome);
    expect(everySend.size).toBe(400);

    // Nobody reconnects: the instances' streams must fill in what their lost nudges did not
    // bring. Messages keep coming, as in a live channel, until both readers are complete.
    let last = Math.max(...[...everySend.values()].map((ack) => ack.seq));
    const deadline = Date.now() + WAIT_MS * 3;
    for (let index = 0; ; index += 1) {
      const complete = await Promise.all(
        [onA, onB].map((stream) =>
          stream
            .waitFor((items) => items.some((event) => event.seq >= last), 'caught up', 1_000)
            .then(
              () => true,
              () => false,
            ),
        ),
      );
      if (complete.every(Boolean) || Date.now() > deadline) break;
      last = (await send(index % 2 ? b.graphqlUrl : a.graphqlUrl, ada!, group.general, `after the restart ${index}`))
        .seq;
    }
    await expectComplete(onA, base, last, 'reader on A');
    await expectComplete(onB, base, last, 'reader on B');
    expect(a.child.exitCode).toBeNull();
    expect(b.child.exitCode).toBeNull();
    const history = await fullHistory(b.graphqlUrl, ada!, group.general);
    expect(history.filter((message) => everySend.has(message.clientId))).toHaveLength(400);
  });

  it('gives a client that dropped off mid-burst every message once when it resubscribes with afterSeq', {
    timeout: 300_000,
  }, async () => {
    const database = await fresh();
    const [a, b] = await Promise.all([instance(database.env), instance(database.env)]);
    const [ada, ben] = await chatMembers(a.graphqlUrl, ['Ada Sender', 'Ben Flaky']);
    const group = await groupWithMembers(a.graphqlUrl, ada!, [ben!]);
    const base = await lastSeqOf(a.graphqlUrl, ada!, group.general);
    const firstClient = memberSocket(a.wsUrl, ben!);
    cleanups.push(async () => firstClient.dispose());
    const before = conversationEvents(firstClient, group.general, base);

    let resumed: Stream<ConversationEvent> | undefined;
    let dropped = false;
    let gone = false;
    let droppedAt = 0;
    const seam: Promise<void>[] = [];
    const outcome = await burst({
      count: 300,
      concurrency: 5,
      who: ada!,
      conversationId: group.general,
      urlFor: (index) => (index % 2 ? b.graphqlUrl : a.graphqlUrl),
      onSettled: (settled) => {
        if (!dropped && before.received.length >= 100) {
          dropped = true;
          droppedAt = settled;
          seam.push(Promise.resolve(firstClient.dispose()).then(() => void (gone = true)));
        } else if (gone && !resumed && settled >= droppedAt + 50) {
          // Resubscribe, on the other instance, while the burst goes on.
          const lastSeen = Math.max(base, ...seqsOf(before.received));
          resumed = conversationEvents(socket(b, ben!), group.general, lastSeen);
        }
      },
    });
    await Promise.all(seam);
    expect(outcome.failures.size, JSON.stringify([...outcome.failures.values()].slice(0, 3))).toBe(0);
    expect(resumed, 'the reader dropped and resubscribed during the burst').toBeDefined();
    const last = Math.max(...[...outcome.acks.values()].map((ack) => ack.seq));
    await resumed!.waitFor((items) => items.some((event) => event.seq >= last), 'the resumed reader', 60_000);
    const combined = [...before.received, ...resumed!.received];
    expect(seqsOf(combined)).toEqual(range(base + 1, last));
    expect(new Set(combined.map((event) => event.message.clientId))).toEqual(new Set(outcome.attempted));
  });
});
