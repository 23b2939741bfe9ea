import { Writable } from 'node:stream';
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { createLogger, yogaLoggerFor } from './logger.js';

function capture() {
  const lines: string[] = [];
  let pending = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      pending += chunk.toString();
      const parts = pending.split('\n');
      pending = parts.pop()!;
      lines.push(...parts);
      done();
    },
  });
  return { stream, lines, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the server log', () => {
  it('writes one JSON object per line with level, time and message', async () => {
    const out = capture();
    createLogger('info', out.stream).info('Guildhall is listening', { url: 'http://localhost:4000' });
    await settle();
    expect(out.lines).toHaveLength(1);
    const entry = out.entries()[0]!;
    expect(entry).toMatchObject({ level: 'info', message: 'Guildhall is listening', url: 'http://localhost:4000' });
    expect(new Date(entry.time as string).toISOString()).toBe(entry.time);
  });

  it('serialises an Error in the fields with its stack', async () => {
    const out = capture();
    const error = new Error('the database went away', { cause: new TypeError('socket closed') });
    createLogger('info', out.stream).error('job failed', { error, kind: 'demo' });
    await settle();
    const entry = out.entries()[0]!;
    expect(entry).toMatchObject({ level: 'error', message: 'job failed', kind: 'demo' });
    expect(entry.error).toMatchObject({ type: 'Error', message: 'the database went away' });
    expect((entry.error as { stack: string }).stack).toContain('logger.test.ts');
    expect((entry.error as { cause: { message: string } }).cause.message).toBe('socket closed');
  });

  it('honours the level', async () => {
    const out = capture();
    const logger = createLogger('warn', out.stream);
    logger.debug('hidden');
    logger.info('hidden too');
    logger.warn('shown');
    createLogger('silent', out.stream).error('never');
    await settle();
    expect(out.entries().map((entry) => entry.message)).toEqual(['shown']);
  });

  it("receives Yoga's own errors, with the resolver's stack", async () => {
    const out = capture();
    const yoga = createYoga({
      schema: createSchema({
        typeDefs: 'type Query { broken: String }',
        resolvers: {
          Query: {
            broken: () => {
              throw new Error('resolver exploded');
            },
          },
        },
      }),
      maskedErrors: true,
      logging: yogaLoggerFor(createLogger('info', out.stream)),
    });
    const response = await yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ broken }' }),
    });
    const body = (await response.json()) as { errors: Array<{ message: string }> };
    expect(body.errors[0]!.message).toBe('Unexpected error.');
    await settle();
    const entry = out.entries().find((line) => line.level === 'error')!;
    expect(entry).toMatchObject({ source: 'graphql-yoga' });
    const error = entry.error as { message: string; stack: string; originalError?: { stack: string } };
    expect(error.originalError?.stack ?? error.stack).toContain('resolver exploded');
    expect(error.originalError?.stack ?? error.stack).toContain('logger.test.ts');
  });
});
