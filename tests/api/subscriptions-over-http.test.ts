// Live streams are served over graphql-ws only: a WebSocket re-checks its session and is closed when
// the session is revoked, a server-sent-events stream over HTTP would keep its first viewer forever.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../support/events.js';
import { startServer, type TestServer } from '../support/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('subscriptions over plain HTTP', () => {
  it('are refused with a typed error and no stream (server-sent events)', async () => {
    const query = 'subscription { notificationEvents { unreadCount } }';
    const member = await createUser(server.app.services.db, 'Streamer');
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${member!.token}`,
        'x-graphql-yoga-csrf': '1',
      },
      body: JSON.stringify({ query }),
      signal: AbortSignal.timeout(20_000),
    });
    // The whole body arrives and ends: nothing is left open to stream events later.
    const body = await response.text();
    expect(body, `status ${response.status}`).toContain('BAD_REQUEST');
    expect(body).toContain('WebSocket');
    expect(body).not.toContain('unreadCount');
  });
});
