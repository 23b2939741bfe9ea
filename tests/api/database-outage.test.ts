import type { Client } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLiveClient, passingFailureDelayMs, type RequestFailure } from '../../web/src/app/live-connection.js';
import { followConversation } from '../../web/src/features/chat/conversation-stream.js';
import { backendFromEnv } from '../support/backend.js';
import {
  CONVERSATION_EVENTS,
  type ChatMember,
  type ConversationEvent,
  chatMembers,
  conversation,
  fullHistory,
  groupWithMembers,
  memberSocket,
  newClientId,
  range,
} from '../support/chat.js';
import { gql, wsRequest } from '../support/graphql.js';
import { type ServerProcess, spawnServer } from '../support/server.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres.js';

// PostgreSQL stopped for 10 s in the middle of a chat burst, on two server processes (+ Redis), with
// clients set up exactly like the web app: its graphql-ws client and reconnect policy, its chat stream
// (web/src/app/live-connection.ts, web/src/features/chat/conversation-stream.ts) and its send retry.
// A passing failure of the database must end no client: every client ends with every acknowledged
// message, once, in order. The test stops a PostgreSQL of its own (initdb + pg_ctl on another port),
// never the run's shared one. Runs in the PostgreSQL + Redis run, where missing PostgreSQL binaries
// fail it (they are looked up, not skipped); skipped on the embedded run.

const backend = backendFromEnv();
const OUTAGE_MS = 10_000;
/** A send still unacknowledged this long after it was written counts as failed (anti-hang bound). */
const SEND_GIVE_UP_MS = 60_000;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function throwawayPostgres(): Promise<ThrowawayPostgres> {
  const postgres = await startThrowawayPostgres();
  cleanups.push(() => postgres.destroy());
  return postgres;
}

async function instance(postgres: ThrowawayPostgres): Promise<ServerProcess> {
  const server = await spawnServer({ DATABASE_URL: postgres.url, REDIS_URL: backend.redisUrl! });
  cleanups.push(() => server.stop());
  return server;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ── clients as the web app sets them up ──────────────────────────────────────────────────────────────

interface WebLikeClient {
  client: Client;
  /** Every close code this client's socket saw. */
  closes: number[];
}

/**
 * ws emits 'error' on a socket closed while it was still connecting, after graphql-ws's terminate()
 * took its own listeners off (the dropped client may be reconnecting during the outage): a listener
 * here keeps that from being an uncaught exception. The close still reaches the client.
 */
class QuietWebSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    this.on('error', () => undefined);
  }
}

function webLikeClient(server: ServerProcess, member: ChatMember): WebLikeClient {
  const live = createLiveClient(server.wsUrl, {
    // The browser sends the session cookie; a Node client sends the same session as a bearer token.
    webSocketImpl: QuietWebSocket,
    connectionParams: { authToken: member.token },
  });
  const closes: number[] = [];
  live.client.on('closed', (event) => closes.push((event as { code: number }).code));
  cleanups.push(async () => live.dispose());
  return { client: live.client, closes };
}

interface Reader {
  name: string;
  events: ConversationEvent[];
  /** Set when the stream ended for good (the web would show "live updates stopped"). */
  ended: Array<string | null>;
  closes: number[];
  /** Follows again from the last seq it has, then ends the old stream: a subscribe on the open socket. */
  resubscribe(): void;
}

function reader(name: string, live: WebLikeClient, conversationId: string, afterSeq: number): Reader {
  const events: ConversationEvent[] = [];
  const ended: Array<string | null> = [];
  const follow = () =>
    followConversation<ConversationEvent>(live.client, {
      query: CONVERSATION_EVENTS,
      conversationId,
      afterSeq: () => events.at(-1)?.seq ?? afterSeq,
      onEvent: (event) => events.push(event),
      onEnded: (code) => ended.push(code),
    });
  let stop = follow();
  cleanups.push(async () => stop());
  return {
    name,
    events,
    ended,
    closes: live.closes,
    resubscribe: () => {
      const previous = stop;
      stop = follow();
      previous();
    },
  };
}

// ── sends as the web app makes them: one at a time, each retried with its clientId after a passing failure

const SEND = /* GraphQL */ `
  mutation Send($input: SendMessageInput!) {
    sendMessage(input: $input) {
      __typename
      ... on MessagePayload { message { id seq clientId } }
      ... on Error { code text: message }
    }
  }
`;

interface Ack {
  clientId: string;
  id: string;
  seq: number;
}

type Attempt = { ack: Ack } | { failure: RequestFailure; status?: number };

interface Sender {
  name: string;
  sent: number;
  attempts: number;
  acks: Ack[];
  /** Answers that were UNAVAILABLE (HTTP: with status 503). */
  unavailable: number;
  /** Sends that failed for good: the web would show "Not sent — Retry". */
  failures: string[];
}

function attemptOf(
  data: { sendMessage?: { message?: { id: string; seq: number; clientId: string } } } | null | undefined,
): Ack | null {
  const message = data?.sendMessage?.message;
  return message ? { clientId: message.clientId, id: message.id, seq: message.seq } : null;
}

function overHttp(server: ServerProcess, who: ChatMember, conversationId: string) {
  return async (clientId: string, body: string): Promise<Attempt> => {
    try {
      const response = await gql(
        server.graphqlUrl,
        SEND,
        { input: { conversationId, clientId, body } },
        { token: who.token },
      );
      const ack = attemptOf(response.body.data);
      if (ack) return { ack };
      return { failure: { graphQLErrors: response.body.errors ?? [] }, status: response.status };
    } catch (error) {
      return { failure: { networkError: error } };
    }
  };
}

function overWebSocket(live: WebLikeClient, conversationId: string) {
  return async (clientId: string, body: string): Promise<Attempt> => {
    try {
      const result = await wsRequest(live.client, SEND, { input: { conversationId, clientId, body } });
      const ack = attemptOf(result.data as never);
      if (ack) return { ack };
      return { failure: { graphQLErrors: result.errors ?? [] } };
    } catch (error) {
      return { failure: { networkError: error } };
    }
  };
}

async function sendBurst(
  name: string,
  count: number,
  attempt: (clientId: string, body: string) => Promise<Attempt>,
  options: { pauseMs: number; onAck(): void },
): Promise<Sender> {
  const sender: Sender = { name, sent: 0, attempts: 0, acks: [], unavailable: 0, failures: [] };
  for (let index = 0; index < count; index += 1) {
    const clientId = newClientId(`${name}-${index}`);
    sender.sent += 1;
    const giveUpAt = Date.now() + SEND_GIVE_UP_MS;
    for (let retry = 0; ; retry += 1) {
      sender.attempts += 1;
      const outcome = await attempt(clientId, `${name} ${index}`);
      if ('ack' in outcome) {
        sender.acks.push(outcome.ack);
        options.onAck();
        break;
      }
      if (outcome.failure.graphQLErrors?.some((error) => error.extensions?.code === 'UNAVAILABLE')) {
        sender.unavailable += 1;
        if (outcome.status !== undefined) expect(outcome.status, 'UNAVAILABLE over HTTP answers 503').toBe(503);
      }
      const delay = passingFailureDelayMs(outcome.failure, retry);
      if (delay === null || Date.now() + delay > giveUpAt) {
        sender.failures.push(`${clientId}: ${JSON.stringify(outcome)}`);
        break;
      }
      await sleep(delay);
    }
    await sleep(options.pauseMs);
  }
  return sender;
}

async function readiness(server: ServerProcess): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.url}/readyz`);
  return { status: response.status, body: await response.json() };
}

describe.runIf(backend.kind === 'scale-out')('realtime through a database outage (PostgreSQL + Redis)', () => {
  it('loses no client when PostgreSQL stops for 10 s mid-burst: every client ends with every acknowledged message, once, in order', {
    timeout: 420_000,
  }, async () => {
    const postgres = await throwawayPostgres();
    const [a, b] = await Promise.all([instance(postgres), instance(postgres)]);
    const [ada, ben, cat, dan] = await chatMembers(a.graphqlUrl, [
      'Ada Sender',
      'Ben Sender',
      'Cat Reader',
      'Dan Reader',
    ]);
    const group = await groupWithMembers(a.graphqlUrl, ada!, [ben!, cat!, dan!]);
    const base = (await conversation(a.graphqlUrl, ada!, group.general))!.lastSeq;

    // Readers connected before the outage (one of them resubscribes on its open socket during it, one
    // loses its socket during it), and one that first connects during it.
    const readers = [
      reader('cat on A', webLikeClient(a, cat!), group.general, base),
      reader('dan on B', webLikeClient(b, dan!), group.general, base),
    ];
    const resubscriber = reader(
      'cat on A, resubscribes during the outage',
      webLikeClient(a, cat!),
      group.general,
      base,
    );
    const droppedClient = webLikeClient(b, dan!);
    const dropped = reader('dan on B, socket dropped during the outage', droppedClient, group.general, base);
    readers.push(resubscriber, dropped);
    const benSocket = webLikeClient(b, ben!);

    let acknowledged = 0;
    let outageStarted = 0;
    let outageEnded = 0;
    const readyDuringOutage: Array<{ status: number; body: unknown }> = [];
    const outage = (async () => {
      while (acknowledged < 60) await sleep(20);
      await postgres.stop();
      outageStarted = Date.now();
      await sleep(1_000);
      readyDuringOutage.push(await readiness(a), await readiness(b));
      resubscriber.resubscribe();
      droppedClient.client.terminate();
      readers.push(reader('cat on A, connects during the outage', webLikeClient(a, cat!), group.general, base));
      await sleep(OUTAGE_MS - (Date.now() - outageStarted));
      await postgres.start();
      outageEnded = Date.now();
    })();

    const onAck = () => void (acknowledged += 1);
    const progress = setInterval(
      () =>
        console.log(
          `t=${Math.round((Date.now() - (outageStarted || Date.now())) / 1000)}s acked=${acknowledged} readers=${readers.map((r) => `${r.events.at(-1)?.seq ?? base}${r.ended.length ? '(ended)' : ''}`).join(',')}`,
        ),
      5_000,
    );
    cleanups.push(async () => clearInterval(progress));
    const [overA, overB] = await Promise.all([
      sendBurst('ada-http-A', 150, overHttp(a, ada!, group.general), { pauseMs: 30, onAck }),
      sendBurst('ben-ws-B', 150, overWebSocket(benSocket, group.general), { pauseMs: 30, onAck }),
    ]);
    await outage;
    const outageMs = outageEnded - outageStarted;

    const acks = [...overA.acks, ...overB.acks].sort((x, y) => x.seq - y.seq);
    const last = acks.at(-1)?.seq ?? base;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && readers.some((r) => (r.events.at(-1)?.seq ?? base) < last && r.ended.length === 0))
      await sleep(250);

    const report = {
      outageMs,
      senders: [overA, overB].map((s) => ({
        name: s.name,
        sent: s.sent,
        acknowledged: s.acks.length,
        attempts: s.attempts,
        unavailable: s.unavailable,
        failedForGood: s.failures.length,
      })),
      readers: readers.map((r) => ({
        name: r.name,
        received: r.events.length,
        distinct: new Set(r.events.map((event) => event.message.id)).size,
        ended: r.ended,
        closeCodes: [...new Set(r.closes)],
      })),
      readyDuringOutage,
    };
    console.log(`database outage: ${JSON.stringify(report, null, 2)}`);

    expect(outageMs).toBeGreaterThanOrEqual(OUTAGE_MS - 100);
    for (const ready of readyDuringOutage)
      expect(ready).toEqual({ status: 503, body: { status: 'database unreachable' } });
    for (const sender of [overA, overB]) {
      expect(sender.failures, `${sender.name} sends that failed for good`).toEqual([]);
      expect(sender.acks).toHaveLength(sender.sent);
    }
    expect(overA.unavailable + overB.unavailable, 'some sends met the outage').toBeGreaterThan(0);
    // The record: each acknowledged message once, nothing else, no seq spent on a retry.
    expect(acks.map((ack) => ack.seq)).toEqual(range(base + 1, last));
    const history = (await fullHistory(a.graphqlUrl, cat!, group.general)).filter((message) => message.seq > base);
    expect(history.map((message) => [message.clientId, message.id, message.seq])).toEqual(
      acks.map((ack) => [ack.clientId, ack.id, ack.seq]),
    );
    for (const r of readers) {
      expect(r.ended, `${r.name}: its stream never ends for good`).toEqual([]);
      expect(
        r.closes.filter((code) => code === 4500 || code === 1011),
        `${r.name}: no internal-error close`,
      ).toEqual([]);
      expect(
        r.events.map((event) => [event.seq, event.message.id]),
        `${r.name}: every acknowledged message, once, in order`,
      ).toEqual(acks.map((ack) => [ack.seq, ack.id]));
    }
  });

  it('answers requests during the outage with UNAVAILABLE and retryAfterSeconds (HTTP 503, Retry-After) while /readyz says the database is unreachable, on HTTP and WebSocket, without closing open sockets', {
    timeout: 180_000,
  }, async () => {
    const postgres = await throwawayPostgres();
    const server = await instance(postgres);
    const [ada] = await chatMembers(server.graphqlUrl, ['Ada Patient']);
    const group = await groupWithMembers(server.graphqlUrl, ada!, []);
    const openSocket = memberSocket(server.wsUrl, ada!);
    cleanups.push(async () => openSocket.dispose());
    const closes: number[] = [];
    openSocket.on('closed', (event) => closes.push((event as { code: number }).code));
    expect((await wsRequest(openSocket, '{ viewer { id } }')).errors).toBeUndefined();

    await postgres.stop();
    expect(await readiness(server)).toEqual({ status: 503, body: { status: 'database unreachable' } });
    const clientId = newClientId('outage');
    const input = { conversationId: group.general, clientId, body: 'sent during the outage' };

    // HTTP: a mutation, another mutation, a query.
    const expectUnavailable = (response: Awaited<ReturnType<typeof gql>>, what: string) => {
      expect(response.status, `${what}: ${JSON.stringify(response.body)}`).toBe(503);
      expect(response.headers.get('retry-after'), what).toMatch(/^\d+$/);
      expect(response.body.data ?? null, what).toBeNull();
      expect(
        response.body.errors?.map((error) => error.extensions?.code),
        what,
      ).toEqual(['UNAVAILABLE']);
      const retryAfter = response.body.errors?.[0]?.extensions?.retryAfterSeconds;
      expect(retryAfter, what).toBeGreaterThan(0);
      expect(String(retryAfter)).toBe(response.headers.get('retry-after'));
      expect(JSON.stringify(response.body), what).not.toContain('http');
    };
    expectUnavailable(await gql(server.graphqlUrl, SEND, { input }, { token: ada!.token }), 'sendMessage over HTTP');
    expectUnavailable(
      await gql(
        server.graphqlUrl,
        'mutation Read($input: MarkConversationReadInput!) { markConversationRead(input: $input) { __typename } }',
        { input: { conversationId: group.general, seq: 1 } },
        { token: ada!.token },
      ),
      'markConversationRead over HTTP',
    );
    expectUnavailable(
      await gql(server.graphqlUrl, '{ viewer { id } }', {}, { token: ada!.token }),
      'a query over HTTP',
    );

    // WebSocket, on a socket opened before the outage: the operation fails, the socket stays.
    const overSocket = await wsRequest(openSocket, SEND, { input });
    expect(
      overSocket.errors?.map((error) => error.extensions?.code),
      JSON.stringify(overSocket),
    ).toEqual(['UNAVAILABLE']);
    expect(overSocket.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    // WebSocket, a new connection: closed with 1013 (try again later), which clients retry; never 4500.
    const newcomer = memberSocket(server.wsUrl, ada!);
    cleanups.push(async () => newcomer.dispose());
    const refused = await wsRequest(newcomer, '{ viewer { id } }').then(
      (result) => ({ result }),
      (error: unknown) => ({ code: (error as { code?: number }).code }),
    );
    expect(refused).toEqual({ code: 1013 });

    await postgres.start();
    // The same socket carries on, and the send retried with its clientId is stored once.
    const again = await wsRequest<{ sendMessage: { message?: Ack } }>(openSocket, SEND, { input });
    expect(again.data?.sendMessage.message?.clientId, JSON.stringify(again)).toBe(clientId);
    const overHttpAgain = await gql(server.graphqlUrl, SEND, { input }, { token: ada!.token });
    expect(overHttpAgain.status).toBe(200);
    expect(overHttpAgain.body.data?.sendMessage?.message?.id).toBe(again.data?.sendMessage.message?.id);
    expect(closes).toEqual([]);
    expect((await readiness(server)).status).toBe(200);
    const stored = (await fullHistory(server.graphqlUrl, ada!, group.general)).filter(
      (message) => message.clientId === clientId,
    );
    expect(stored).toHaveLength(1);
  });
});
