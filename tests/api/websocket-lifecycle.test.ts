import net from 'node:net';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { createLiveClient, subscribeWithRetry } from '../../web/src/app/live-connection.js';
import { backendFromEnv } from '../support/backend.js';
import { createTestDatabase } from '../support/database.js';
import { signUpMember, wsClient, wsRequest } from '../support/graphql.js';
import { spawnServer, startServer, type TestServer } from '../support/server.js';

// How long a socket lives and how many a member may hold: shutdown within SHUTDOWN_GRACE_MS whatever
// the clients do, WS_KEEPALIVE_MS alone deciding when a silent socket is dropped, and the caps on
// operations per socket and sockets per member (across instances on PostgreSQL + Redis).

const backend = backendFromEnv();
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function server(env: Record<string, string> = {}, shared?: TestServer): Promise<TestServer> {
  const started = await startServer({ env, database: shared?.database });
  cleanups.push(() => started.stop());
  return started;
}

type Outcome = 'acknowledged' | number;

/** A graphql-transport-ws socket driven by hand; `outcome` is connection_ack or the close code before it. */
function rawSocket(url: string, options: { token?: string; autoPong?: boolean } = {}) {
  const socket = new WebSocket(url, 'graphql-transport-ws', { autoPong: options.autoPong ?? true });
  socket.on('error', () => {}); // a refused or cut socket also reports an error; its close code is what we check
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  const outcome = new Promise<Outcome>((resolve) => {
    socket.once('open', () =>
      socket.send(
        JSON.stringify({ type: 'connection_init', payload: options.token ? { authToken: options.token } : {} }),
      ),
    );
    socket.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type === 'connection_ack') resolve('acknowledged');
    });
    void closed.then(resolve);
  });
  cleanups.push(() => socket.terminate());
  return { socket, outcome, closed };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('shutdown', () => {
  it('finishes within SHUTDOWN_GRACE_MS although a client stopped reading: the others get 1001, the stuck one is cut', async () => {
    const GRACE_MS = 1_000;
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const instance = await spawnServer({ ...database.env, SHUTDOWN_GRACE_MS: String(GRACE_MS) });
    cleanups.push(() => instance.stop());

    // A well-behaved client, as the web app's.
    const polite = wsClient(instance.wsUrl);
    cleanups.push(() => polite.dispose());
    const politeClosed = new Promise<number>((resolve) =>
      polite.on('closed', (event) => resolve((event as { code: number }).code)),
    );
    expect((await wsRequest(polite, '{ viewer { id } }')).data).toEqual({ viewer: null });
    // One that stops reading: the server's close frame sits unread, so its close handshake never ends.
    const stuck = rawSocket(instance.wsUrl);
    expect(await stuck.outcome).toBe('acknowledged');
    stuck.socket.pause();
    // And an HTTP request that never finishes arriving.
    const { port } = new URL(instance.url);
    const slow = net.connect(Number(port), '127.0.0.1');
    slow.on('error', () => {});
    cleanups.push(() => slow.destroy());
    await new Promise((resolve) => slow.once('connect', resolve));
    slow.write(
      'POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
    );

    const signalled = performance.now();
    instance.child.kill('SIGTERM');
    expect(await politeClosed).toBe(1001);
    // Not accepting any more (the stuck client still holds the process at this point).
    const late = rawSocket(instance.wsUrl);
    expect(await late.outcome).not.toBe('acknowledged');

    expect(await instance.exited).toBe(0);
    const took = performance.now() - signalled;
    // It waited the grace for the stuck client. That it stopped at all shows the grace ends the wait: without
    // it the stuck client would hold the process until the test's own timeout (no wall-clock ceiling here).
    expect(took).toBeGreaterThanOrEqual(GRACE_MS);
    expect(instance.output()).toContain('Guildhall stopped');
  });
});

describe('keep-alive', () => {
  // From before the upgrade, so the measured life is never shorter than the server's.
  async function lifeOfSilentSocket(keepAliveMs: number): Promise<{ life: number; pings: number }> {
    const target = await server({ WS_KEEPALIVE_MS: String(keepAliveMs) });
    const started = performance.now();
    const silent = rawSocket(target.wsUrl, { autoPong: false });
    let pings = 0;
    silent.socket.on('ping', () => {
      pings += 1;
    });
    expect(await silent.outcome).toBe('acknowledged');
    // Terminated without a close frame.
    expect(await silent.closed).toBe(1006);
    return { life: performance.now() - started, pings };
  }

  it('drops a socket that stops answering pings after 2× WS_KEEPALIVE_MS, not after one', async () => {
    const KEEPALIVE_MS = 600;
    const { life, pings } = await lifeOfSilentSocket(KEEPALIVE_MS);
    // Not before the second interval (a lower bound holds however loaded the machine is)…
    expect(life).toBeGreaterThanOrEqual(2 * KEEPALIVE_MS);
    // …and at the first tick after the unanswered ping, counted in the server's own ticks rather than
    // wall-clock time: exactly one ping went out, so it was not kept for a third interval.
    expect(pings).toBe(1);
  });

  // Pure WebSocket timing, the same on either back-end, and 26 s of waiting: run once, on the embedded pass.
  it.runIf(backend.kind !== 'scale-out')(
    'keeps a silent socket past graphql-ws’s own 12 s keep-alive (24 s) when WS_KEEPALIVE_MS says so',
    async () => {
      // 2 × 13 s = 26 s: past the 24 s at which graphql-ws's default keep-alive would cut it.
      const KEEPALIVE_MS = 13_000;
      const { life, pings } = await lifeOfSilentSocket(KEEPALIVE_MS);
      expect(life).toBeGreaterThanOrEqual(2 * KEEPALIVE_MS);
      expect(pings).toBe(1);
    },
    60_000,
  );

  it('keeps a socket that answers pings', async () => {
    const target = await server({ WS_KEEPALIVE_MS: '200' });
    const client = wsClient(target.wsUrl);
    cleanups.push(() => client.dispose());
    await wsRequest(client, '{ viewer { id } }');
    await sleep(1_000); // several keep-alive rounds
    expect((await wsRequest(client, '{ viewer { id } }')).data).toEqual({ viewer: null });
  });
});

const SUBSCRIPTION = 'subscription { viewerSessionRevoked { reason } }';

/** The first answer to an operation, or 'none' if the server says nothing for a while (a live subscription). */
function firstAnswer(client: ReturnType<typeof wsClient>, query: string) {
  return Promise.race([wsRequest(client, query), sleep(1_500).then(() => 'none' as const)]);
}

describe('operations per socket', () => {
  it('refuses an operation over WS_MAX_OPERATIONS_PER_SOCKET with a typed error and keeps the socket', async () => {
    const target = await server({ WS_MAX_OPERATIONS_PER_SOCKET: '3' });
    const member = await signUpMember(target.graphqlUrl);
    const client = wsClient(target.wsUrl, { connectionParams: { authToken: member.token } });
    cleanups.push(() => client.dispose());
    let closes = 0;
    client.on('closed', () => closes++);
    const failures: unknown[] = [];
    const live = Array.from({ length: 3 }, () =>
      client.subscribe(
        { query: SUBSCRIPTION },
        { next: () => {}, error: (error) => failures.push(error), complete: () => {} },
      ),
    );

    const refused = await firstAnswer(client, SUBSCRIPTION);
    expect(refused).not.toBe('none');
    expect(refused).toMatchObject({ errors: [{ extensions: { code: 'TOO_MANY_OPERATIONS' } }] });
    // A query counts while it runs, too.
    expect(await firstAnswer(client, '{ viewer { id } }')).toMatchObject({
      errors: [{ extensions: { code: 'TOO_MANY_OPERATIONS' } }],
    });

    // Ending one frees its place.
    live[0]!();
    expect(await firstAnswer(client, '{ viewer { id } }')).toEqual({ data: { viewer: { id: member.id } } });
    expect(await firstAnswer(client, SUBSCRIPTION)).toBe('none');
    expect(failures).toEqual([]);
    expect(closes).toBe(0);
  });
});

describe('sockets per member', () => {
  async function eventuallyAcknowledged(url: string, token: string): Promise<void> {
    // The server lets go of a closed socket's place when it sees the close: try until then.
    for (let attempt = 0; attempt < 50; attempt++) {
      const socket = rawSocket(url, { token });
      if ((await socket.outcome) === 'acknowledged') return;
      await sleep(100);
    }
    throw new Error('a place never came free');
  }

  it('closes a member’s socket over WS_MAX_SOCKETS_PER_MEMBER with 4429, and only that member’s', async () => {
    const target = await server({ WS_MAX_SOCKETS_PER_MEMBER: '2' });
    const [member, other] = await Promise.all([signUpMember(target.graphqlUrl), signUpMember(target.graphqlUrl)]);
    const first = rawSocket(target.wsUrl, { token: member.token });
    const second = rawSocket(target.wsUrl, { token: member.token });
    expect([await first.outcome, await second.outcome]).toEqual(['acknowledged', 'acknowledged']);
    expect(await rawSocket(target.wsUrl, { token: member.token }).outcome).toBe(4429);
    // Someone else, and a visitor, are not counted against this member.
    expect(await rawSocket(target.wsUrl, { token: other.token }).outcome).toBe('acknowledged');
    expect(await rawSocket(target.wsUrl).outcome).toBe('acknowledged');
    // The first two are untouched.
    expect(first.socket.readyState).toBe(WebSocket.OPEN);

    first.socket.close();
    await eventuallyAcknowledged(target.wsUrl, member.token);
  });

  it('does not make the web app’s live client reconnect in a loop at the cap', async () => {
    const target = await server({ WS_MAX_SOCKETS_PER_MEMBER: '1' });
    const member = await signUpMember(target.graphqlUrl);
    expect(await rawSocket(target.wsUrl, { token: member.token }).outcome).toBe('acknowledged');
    let attempts = 0;
    // The web app's client and retry policy, waiting no time between attempts: only the close code can stop it.
    const live = createLiveClient(target.wsUrl, {
      webSocketImpl: WebSocket,
      connectionParams: { authToken: member.token },
      retryWait: async () => {},
      on: { connecting: () => attempts++ },
    });
    cleanups.push(() => live.dispose());
    const ended = await Promise.race([
      new Promise<unknown>((resolve) =>
        subscribeWithRetry(
          live.client,
          { query: SUBSCRIPTION },
          { next: () => {}, error: resolve, complete: () => resolve('complete') },
        ),
      ),
      sleep(5_000).then(() => 'still open'),
    ]);
    expect((ended as { code?: number }).code).toBe(4429);
    await sleep(1_000);
    expect(attempts).toBe(1);
  });

  it.runIf(backend.kind === 'scale-out')('counts a member’s sockets across instances (Redis)', async () => {
    const a = await server({ WS_MAX_SOCKETS_PER_MEMBER: '2' });
    const b = await server({ WS_MAX_SOCKETS_PER_MEMBER: '2' }, a);
    const member = await signUpMember(a.graphqlUrl);
    const onA = rawSocket(a.wsUrl, { token: member.token });
    expect(await onA.outcome).toBe('acknowledged');
    const onB = rawSocket(b.wsUrl, { token: member.token });
    expect(await onB.outcome).toBe('acknowledged');
    expect(await rawSocket(a.wsUrl, { token: member.token }).outcome).toBe(4429);
    expect(await rawSocket(b.wsUrl, { token: member.token }).outcome).toBe(4429);

    // A place freed on B can be taken on A.
    onB.socket.close();
    await eventuallyAcknowledged(a.wsUrl, member.token);
    expect(await rawSocket(b.wsUrl, { token: member.token }).outcome).toBe(4429);
  });

  it.runIf(backend.kind === 'scale-out')('gives the places of a stopped instance back at once', async () => {
    const a = await server({ WS_MAX_SOCKETS_PER_MEMBER: '1' });
    const member = await signUpMember(a.graphqlUrl);
    const b = await startServer({ env: { WS_MAX_SOCKETS_PER_MEMBER: '1' }, database: a.database });
    const onB = rawSocket(b.wsUrl, { token: member.token });
    expect(await onB.outcome).toBe('acknowledged');
    expect(await rawSocket(a.wsUrl, { token: member.token }).outcome).toBe(4429);
    await b.stop();
    expect(await onB.closed).toBe(1001);
    expect(await rawSocket(a.wsUrl, { token: member.token }).outcome).toBe('acknowledged');
  });
});
