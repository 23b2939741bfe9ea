import fs from 'node:fs';
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { backendFromEnv } from '../support/backend.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { gql, SIGN_IN, signUpMember, wsClient } from '../support/graphql.js';
import { spawnServer, startServer, type ServerProcess } from '../support/server.js';

// Whole server processes, started the way `pnpm start` starts them.
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

async function spawn(env: Record<string, string>): Promise<ServerProcess> {
  const server = await spawnServer(env);
  cleanups.push(() => server.stop());
  return server;
}

describe('a server process', () => {
  it('answers /healthz, and /readyz once its database is reachable', async () => {
    const server = await spawn((await fresh()).env);
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      database: backend.kind === 'embedded' ? 'pglite' : 'postgres',
      pubsub: backend.kind === 'embedded' ? 'memory' : 'redis',
    });
  });

  it('keeps data across a restart', async () => {
    const database = await fresh();
    const first = await spawnServer(database.env);
    const member = await signUpMember(first.graphqlUrl, { name: 'Persistent Person' });
    expect(await first.stop()).toBe(0);

    const second = await spawn(database.env);
    const signIn = await gql(second.graphqlUrl, SIGN_IN, { input: { email: member.email, password: member.password } });
    expect(signIn.body.data!.signIn.viewer.name).toBe('Persistent Person');
    const viewer = await gql(second.graphqlUrl, '{ viewer { name } }', {}, { token: member.token });
    expect(viewer.body.data!.viewer.name).toBe('Persistent Person');
  });

  it('shuts down gracefully on SIGTERM: in-flight requests finish, sockets get 1001, exit 0', async () => {
    const server = await spawnServer((await fresh()).env);
    const client = wsClient(server.wsUrl);
    const closed = new Promise<number>((resolve) =>
      client.on('closed', (event) => resolve((event as CloseEvent).code)),
    );
    await new Promise<void>((resolve, reject) => {
      client.subscribe({ query: '{ viewer { id } }' }, { next: () => resolve(), error: reject, complete: () => {} });
    });
    // A slow request (argon2 hashing) that is in flight when the signal arrives.
    const { sent, response } = postRaw(server.graphqlUrl, SIGN_IN, {
      input: { email: 'nobody@example.com', password: 'whatever pass' },
    });
    await sent;
    server.child.kill('SIGTERM');
    expect(JSON.parse(await response).data.signIn.code).toBe('INVALID_CREDENTIALS');
    expect(await closed).toBe(1001);
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('Guildhall stopped');
    await client.dispose();
  });

  it('refuses to start with invalid configuration, naming the variable', async () => {
    const server = spawnServer({ PORT: 'not-a-port' });
    await expect(server).rejects.toThrow(/PORT/);
  });
});

describe.runIf(backend.kind === 'embedded')('the embedded database', () => {
  it('belongs to one process: a second server on the same directory exits at once with a clear message', async () => {
    const database = await fresh();
    const owner = await spawn(database.env);
    const started = Date.now();
    const intruder = spawnServer(database.env);
    await expect(intruder).rejects.toThrow(/is in use by another process/i);
    expect(Date.now() - started).toBeLessThan(30_000);
    // The owner is unharmed.
    expect((await fetch(`${owner.url}/readyz`)).status).toBe(200);
  });

  it('recovers the lock left by a process that was killed', async () => {
    const database = await fresh();
    const victim = await spawnServer(database.env);
    await signUpMember(victim.graphqlUrl, { email: 'survivor@example.com' });
    victim.child.kill('SIGKILL');
    await victim.exited;
    expect(fs.existsSync(`${database.env.DATA_DIR}/guildhall.lock`)).toBe(true);
    const next = await spawn(database.env);
    const signIn = await gql(next.graphqlUrl, SIGN_IN, {
      input: { email: 'survivor@example.com', password: 'correct horse battery' },
    });
    expect(signIn.body.data!.signIn.__typename).toBe('AuthPayload');
  });
});

describe.runIf(backend.kind === 'scale-out')('several instances on PostgreSQL + Redis', () => {
  it('accepts a token issued by one process in another process', async () => {
    const database = await fresh();
    const [a, b] = await Promise.all([spawn(database.env), spawn(database.env)]);
    const member = await signUpMember(a.graphqlUrl);
    const viewer = await gql(b.graphqlUrl, '{ viewer { id } }', {}, { token: member.token });
    expect(viewer.body.data!.viewer.id).toBe(member.id);
  });

  it('closes a socket on instance B as soon as the session is signed out through instance A', async () => {
    const database = await fresh();
    const [a, b] = await Promise.all([spawn(database.env), spawn(database.env)]);
    const member = await signUpMember(a.graphqlUrl);
    const client = wsClient(b.wsUrl, { connectionParams: { authToken: member.token } });
    cleanups.push(async () => client.dispose());
    const closed = new Promise<number>((resolve) =>
      client.on('closed', (event) => resolve((event as CloseEvent).code)),
    );
    const revoked = new Promise((resolve) =>
      client.subscribe(
        { query: 'subscription { viewerSessionRevoked { reason } }' },
        { next: resolve, error: () => {}, complete: () => {} },
      ),
    );
    await new Promise((resolve) => client.on('connected', resolve));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await gql(a.graphqlUrl, 'mutation { signOut { signedOut } }', {}, { token: member.token });
    expect(await revoked).toEqual({ data: { viewerSessionRevoked: { reason: 'SIGNED_OUT' } } });
    expect(await closed).toBe(4401);
  });

  it('fails to start, rather than run without pub/sub, when Redis is unreachable', async () => {
    const database = await fresh();
    await expect(spawnServer({ ...database.env, REDIS_URL: 'redis://127.0.0.1:1' })).rejects.toThrow(/exited/);
  });
});

describe('the web app', () => {
  it('is served at / with client-side routes falling back to index.html', async () => {
    const server = await startServer();
    cleanups.push(() => server.stop());
    for (const path of ['/', '/sign-in', '/some/deep/route']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).toContain('<div id="root">');
    }
    expect((await fetch(`${server.url}/missing-file.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/..%2f..%2fpackage.json`)).status).not.toBe(200);
    const page = await fetch(`${server.url}/`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

/** A POST whose `sent` resolves once the whole request is on the wire. */
function postRaw(url: string, query: string, variables: unknown) {
  const body = JSON.stringify({ query, variables });
  let onSent!: () => void;
  const sent = new Promise<void>((resolve) => (onSent = resolve));
  const response = new Promise<string>((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve(text));
    });
    request.on('error', reject);
    request.end(body, onSent);
  });
  return { sent, response };
}
