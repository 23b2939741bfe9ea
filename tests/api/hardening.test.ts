import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../server/src/graphql/limits.js';
import { gql, signUpMember, wsClient, wsRequest } from '../support/graphql.js';
import { startServer, type TestServer } from '../support/server.js';

// Every rule is checked over both transports: the WebSocket server runs operations through
// the same envelop plugins as HTTP.

type Transport = 'http' | 'ws';
let server: TestServer;
let production: TestServer;

beforeAll(async () => {
  server = await startServer({ env: { WS_INIT_TIMEOUT_MS: '300', WS_KEEPALIVE_MS: '200' } });
  production = await startServer({ env: { NODE_ENV: 'production' } });
});
afterAll(async () => {
  await Promise.all([server?.stop(), production?.stop()]);
});

async function run(
  target: TestServer,
  transport: Transport,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
) {
  if (transport === 'http') return (await gql(target.graphqlUrl, query, variables, { token })).body;
  const client = wsClient(target.wsUrl, { connectionParams: token ? { authToken: token } : {} });
  try {
    return await wsRequest(client, query, variables);
  } finally {
    await client.dispose();
  }
}

const messages = (body: { errors?: ReadonlyArray<{ message: string }> }) =>
  (body.errors ?? []).map((error) => error.message).join('\n');

function nested(depth: number): string {
  let selection = 'id';
  for (let level = 0; level < depth; level += 1) selection = `f${level} { ${selection} }`;
  return `{ viewer { ${selection} } }`;
}

describe.each<Transport>(['http', 'ws'])('query limits over %s', (transport) => {
  it('refuses queries nested deeper than the depth limit', async () => {
    const body = await run(server, transport, nested(LIMITS.maxDepth + 2));
    expect(body.data ?? null).toBeNull();
    expect(messages(body)).toContain(`depth limit of ${LIMITS.maxDepth} exceeded`);
  });

  it('refuses more aliases than allowed', async () => {
    const aliases = Array.from({ length: LIMITS.maxAliases + 1 }, (_, index) => `a${index}: viewer { id }`).join(' ');
    const body = await run(server, transport, `{ ${aliases} }`);
    expect(messages(body)).toContain(`Aliases limit of ${LIMITS.maxAliases} exceeded`);
  });

  it('refuses documents with too many tokens', async () => {
    const fields = Array.from({ length: LIMITS.maxTokens + 100 }, () => '__typename').join(' ');
    const body = await run(server, transport, `{ ${fields} }`);
    expect(messages(body)).toContain(`Token limit of ${LIMITS.maxTokens} exceeded`);
  });

  it('refuses queries that cost more than the cost limit', async () => {
    const fragment = `fragment S on Session { id createdAt lastUsedAt expiresAt userAgent current }`;
    // Few tokens, many fields: 20 spreads of 6 fields each, 100 times over.
    const spreads = Array.from({ length: 20 }, () => '...S').join(' ');
    const query = `{ viewer { sessions(first: 100) { edges { node { ${spreads} } } } } } ${fragment}`;
    const body = await run(server, transport, query);
    expect(messages(body).toLowerCase()).toContain(`cost limit of ${LIMITS.maxCost} exceeded`);
  });

  it('counts page sizes given as variables, not only literal ones', async () => {
    const member = await signUpMember(server.graphqlUrl);
    const query = /* GraphQL */ `
      query Pages($n: Int) {
        viewer {
          a: sessions(first: $n) { edges { node { ...S ...S } } }
          b: sessions(first: $n) { edges { node { ...S ...S } } }
          c: sessions(first: $n) { edges { node { ...S ...S } } }
          d: sessions(first: $n) { edges { node { ...S ...S } } }
          e: sessions(first: $n) { edges { node { ...S ...S } } }
          f: sessions(first: $n) { edges { node { ...S ...S } } }
          g: sessions(first: $n) { edges { node { ...S ...S } } }
          h: sessions(first: $n) { edges { node { ...S ...S } } }
        }
      }
      fragment S on Session { id createdAt lastUsedAt expiresAt userAgent current }
    `;
    const big = await run(server, transport, query, { n: 100 }, member.token);
    expect(big.data ?? null).toBeNull();
    expect(messages(big).toLowerCase()).toContain(`cost limit of ${LIMITS.maxCost} exceeded`);
    const small = await run(server, transport, query, { n: 2 }, member.token);
    expect(small.errors).toBeUndefined();
    expect(small.data!.viewer.a.edges).toHaveLength(1);
  });

  it('accepts an ordinary query within every limit', async () => {
    const member = await signUpMember(server.graphqlUrl);
    const body = await run(
      server,
      transport,
      '{ viewer { id name sessions(first: 5) { edges { node { id current } } } } }',
      {},
      member.token,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.viewer.id).toBe(member.id);
  });

  it('denies mutations and subscriptions to signed-out clients', async () => {
    const mutation = await run(server, transport, 'mutation { signOut { signedOut } }');
    expect(mutation.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    if (transport === 'ws') {
      const subscription = await run(server, transport, 'subscription { viewerSessionRevoked { reason } }');
      expect(subscription.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('keeps connection page sizes between 1 and 100', async () => {
    const member = await signUpMember(server.graphqlUrl);
    for (const first of [101, 0, -1]) {
      const body = await run(
        server,
        transport,
        `{ viewer { sessions(first: ${first}) { edges { cursor } } } }`,
        {},
        member.token,
      );
      expect(body.errors?.length, `first: ${first}`).toBeGreaterThan(0);
    }
    const ok = await run(
      server,
      transport,
      '{ viewer { sessions(first: 100) { edges { cursor } } } }',
      {},
      member.token,
    );
    expect(ok.errors).toBeUndefined();
  });
});

describe.each<Transport>(['http', 'ws'])('production mode over %s', (transport) => {
  it('turns introspection off', async () => {
    const body = await run(production, transport, '{ __schema { types { name } } }');
    expect(body.data ?? null).toBeNull();
    expect(messages(body)).toMatch(/introspection/i);
  });

  it('gives no field suggestions', async () => {
    const body = await run(production, transport, '{ viewr { id } }');
    expect(messages(body)).not.toMatch(/did you mean/i);
  });

  it('masks unexpected errors', async () => {
    const member = await signUpMember(production.graphqlUrl);
    const pubsub = production.app.services.pubsub;
    const original = pubsub.publish;
    // Force an unexpected failure inside a resolver: sign-out's publish blows up.
    pubsub.publish = () => {
      throw new Error('secret internal detail: redis://admin:hunter2@cache');
    };
    try {
      const body = await run(production, transport, 'mutation { signOut { signedOut } }', {}, member.token);
      expect(messages(body)).toBe('Unexpected error.');
      expect(JSON.stringify(body)).not.toContain('hunter2');
    } finally {
      pubsub.publish = original;
    }
  });
});

describe('HTTP transport rules', () => {
  it('offers GraphiQL in development only', async () => {
    const page = (target: TestServer) =>
      fetch(target.graphqlUrl, { headers: { accept: 'text/html', 'x-graphql-yoga-csrf': '1' } });
    expect(await (await page(server)).text()).toMatch(/graphiql/i);
    expect(await (await page(production)).text()).not.toMatch(/graphiql/i);
  });

  it('refuses simple (CSRF-able) requests without the CSRF header', async () => {
    const form = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    expect(form.status).toBe(403);
    const get = await fetch(`${server.graphqlUrl}?query=${encodeURIComponent('{ viewer { id } }')}`);
    expect(get.status).toBe(403);
    const withHeader = await fetch(`${server.graphqlUrl}?query=${encodeURIComponent('{ viewer { id } }')}`, {
      headers: { 'x-graphql-yoga-csrf': '1', accept: 'application/json' },
    });
    expect(withHeader.status).toBe(200);
  });

  it('never runs a mutation sent with GET', async () => {
    const query = encodeURIComponent('mutation { signOut { signedOut } }');
    const response = await fetch(`${server.graphqlUrl}?query=${query}`, {
      headers: { 'x-graphql-yoga-csrf': '1', accept: 'application/json' },
    });
    expect(response.status).toBe(405);
  });

  it('refuses batched requests', async () => {
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ viewer { id } }' }, { query: '{ viewer { id } }' }]),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    const body = await response.json();
    expect(Array.isArray(body)).toBe(false);
  });

  it('allows credentialed CORS only for allowed origins', async () => {
    const preflight = (origin: string) =>
      fetch(server.graphqlUrl, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const evil = await preflight('https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
    const own = await preflight(server.url);
    expect(own.headers.get('access-control-allow-origin')).toBe(server.url);
    expect(own.headers.get('access-control-allow-credentials')).toBe('true');
  });
});

describe('WebSocket transport rules', () => {
  function rawSocket(options: ConstructorParameters<typeof WebSocket>[2] = {}) {
    return new WebSocket(server.wsUrl, 'graphql-transport-ws', options);
  }

  it('refuses an upgrade from an origin that is not allowed', async () => {
    const socket = rawSocket({ headers: { origin: 'https://evil.example' } });
    socket.on('error', () => {}); // the refused handshake also surfaces as an error event
    const status = await new Promise<number>((resolve) => {
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('open', () => resolve(101));
    });
    expect(status).toBe(403);
  });

  it('accepts an upgrade from the server’s own origin', async () => {
    const client = wsClient(server.wsUrl, { headers: { origin: server.url } });
    try {
      expect((await wsRequest(client, '{ viewer { id } }')).data).toEqual({ viewer: null });
    } finally {
      await client.dispose();
    }
  });

  it('closes a socket that sends a message over 64 KiB', async () => {
    const socket = rawSocket();
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(70 * 1024) } }));
    expect(await closed).toBe(1009);
  });

  it('closes a socket that never sends connection_init', async () => {
    const socket = rawSocket();
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    expect(await closed).toBe(4408);
  });

  it('drops a socket that stops answering pings', async () => {
    const socket = rawSocket({ autoPong: false });
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    // Terminated without a close frame.
    expect(await closed).toBe(1006);
  });

  it('keeps a socket that answers pings', async () => {
    const client = wsClient(server.wsUrl);
    try {
      await wsRequest(client, '{ viewer { id } }');
      await new Promise((resolve) => setTimeout(resolve, 700)); // several keep-alive rounds
      expect((await wsRequest(client, '{ viewer { id } }')).data).toEqual({ viewer: null });
    } finally {
      await client.dispose();
    }
  });
});
