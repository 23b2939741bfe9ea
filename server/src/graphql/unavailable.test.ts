import { GraphQLError } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { Prisma } from '../generated/prisma/client.js';
import { isDatabaseUnreachable } from '../lib/database-errors.js';
import { NotFoundError } from '../lib/errors.js';
import { maskError, useUnavailableStatus } from './unavailable.js';

// The errors below have the shapes seen with PostgreSQL stopped under @prisma/adapter-pg 7.10
// (tests/api/database-outage.test.ts stops a real one).
const clientVersion = '7.10.0';
const adapterError = (cause: Record<string, unknown>) => ({
  driverAdapterError: { name: 'DriverAdapterError', cause },
});
const unreachable = {
  'P1001 from a model query': new Prisma.PrismaClientKnownRequestError(
    "Can't reach database server at 127.0.0.1:5433",
    {
      code: 'P1001',
      clientVersion,
      meta: adapterError({ kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5433 }),
    },
  ),
  'P2010 from a raw query, unreachable': new Prisma.PrismaClientKnownRequestError('Raw query failed.', {
    code: 'P2010',
    clientVersion,
    meta: adapterError({ kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5433 }),
  }),
  'P2010, cut by a shutdown (57P01)': new Prisma.PrismaClientKnownRequestError('Raw query failed.', {
    code: 'P2010',
    clientVersion,
    meta: adapterError({ kind: 'postgres', code: '57P01', severity: 'FATAL', message: 'terminating connection' }),
  }),
  'P1017 connection closed': new Prisma.PrismaClientKnownRequestError('Server has closed the connection.', {
    code: 'P1017',
    clientVersion,
    meta: adapterError({ kind: 'ConnectionClosed' }),
  }),
  'P2024 no connection from the pool': new Prisma.PrismaClientKnownRequestError('Timed out fetching a connection', {
    code: 'P2024',
    clientVersion,
  }),
  'an initialization error': new Prisma.PrismaClientInitializationError("Can't reach database server", clientVersion),
  'node-postgres, connection cut': new Error('Connection terminated unexpectedly'),
  'node-postgres, refused': Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5433'), {
    code: 'ECONNREFUSED',
    syscall: 'connect',
    errno: -111,
  }),
  'PostgreSQL starting up (57P03)': Object.assign(new Error('the database system is starting up'), {
    code: '57P03',
    severity: 'FATAL',
  }),
  'wrapped by GraphQL': new GraphQLError('x', {
    originalError: new Prisma.PrismaClientKnownRequestError('x', { code: 'P1001', clientVersion }),
  }),
};
const notUnreachable = {
  'a unique violation': new Prisma.PrismaClientKnownRequestError('Unique constraint failed', {
    code: 'P2002',
    clientVersion,
    meta: adapterError({ kind: 'UniqueConstraintViolation' }),
  }),
  'a bad UUID (22P02)': new Prisma.PrismaClientKnownRequestError('Raw query failed.', {
    code: 'P2010',
    clientVersion,
    meta: adapterError({ kind: 'postgres', code: '22P02', severity: 'ERROR', message: 'invalid input syntax' }),
  }),
  'a bug': new TypeError("Cannot read properties of undefined (reading 'id')"),
  'a domain error': new NotFoundError(),
  'nothing at all': undefined,
};

describe('isDatabaseUnreachable', () => {
  it.each(Object.entries(unreachable))('is true for %s', (_name, error) => {
    expect(isDatabaseUnreachable(error)).toBe(true);
  });
  it.each(Object.entries(notUnreachable))('is false for %s', (_name, error) => {
    expect(isDatabaseUnreachable(error)).toBe(false);
  });
});

describe('UNAVAILABLE over HTTP', () => {
  const down = unreachable['P1001 from a model query'];
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: /* GraphQL */ `
        type Query { ok: String, down: String, bug: String }
        type Mutation { send: String! }
      `,
      resolvers: {
        Query: { ok: () => 'ok', down: () => Promise.reject(down), bug: () => Promise.reject(new Error('bug')) },
        Mutation: { send: () => Promise.reject(down) },
      },
    }),
    maskedErrors: { maskError },
    logging: false,
    plugins: [useUnavailableStatus()],
    context: ({ request }) => {
      if (request.headers.get('x-session-lookup') === 'down') throw down;
      return {};
    },
  });
  const post = async (query: string, headers: Record<string, string> = {}) => {
    const response = await yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
  };
  const unavailable = { message: expect.any(String), extensions: { code: 'UNAVAILABLE', retryAfterSeconds: 3 } };

  it('answers 503 with Retry-After and a typed UNAVAILABLE when a mutation met a database that did not answer', async () => {
    const answer = await post('mutation { send }');
    expect(answer).toEqual({
      status: 503,
      retryAfter: '3',
      body: { data: null, errors: [{ ...unavailable, locations: expect.any(Array), path: ['send'] }] },
    });
  });

  it('answers 503 when the request failed before any resolver (the session lookup)', async () => {
    const answer = await post('{ ok }', { 'x-session-lookup': 'down' });
    expect(answer).toEqual({ status: 503, retryAfter: '3', body: { errors: [unavailable] } });
  });

  it('keeps 200 for a partial answer, the failed field being UNAVAILABLE', async () => {
    const answer = await post('{ ok down }');
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ ok: 'ok', down: null });
    expect(answer.body.errors).toEqual([{ ...unavailable, locations: expect.any(Array), path: ['down'] }]);
  });

  it('still masks every other failure as an unexpected error', async () => {
    const answer = await post('{ bug }');
    expect(answer.body.errors).toEqual([
      expect.objectContaining({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
    ]);
    expect(answer.retryAfter).toBeNull();
  });
});
