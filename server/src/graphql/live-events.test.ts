import { buildSchema, type ExecutionResult, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { subscribeWithContextPerEvent } from './live-events.js';

// A per-request cache keyed by the context, as the modules keep them (the viewer's roles, readers).
const cache = new WeakMap<object, number>();
let loads = 0;

function source(values: number[], ended: { returned: boolean }): AsyncIterableIterator<{ n: number }> {
  let index = 0;
  const iterator: AsyncIterableIterator<{ n: number }> = {
    next: async () => {
      if (index < values.length) return { value: { n: values[index++]! }, done: false };
      // Then waits forever, as a live stream with nothing to say does.
      return new Promise<IteratorResult<{ n: number }>>(() => undefined);
    },
    return: async () => {
      ended.returned = true;
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

const schema = buildSchema(
  'type Query { ok: Boolean } type Subscription { tick: Tick } type Tick { n: Int, role: Int, services: String }',
);

function run(values: number[], ended: { returned: boolean }, context: { services: string }) {
  return subscribeWithContextPerEvent({
    schema,
    document: parse('subscription { tick { n role services } }'),
    contextValue: context,
    rootValue: { tick: () => source(values, ended) },
    subscribeFieldResolver: (root: { tick: () => unknown }) => root.tick(),
    fieldResolver: (parent: Record<string, unknown>, _args: unknown, ctx: { services: string }, info) => {
      if (info.fieldName === 'tick') return parent;
      if (info.fieldName === 'n') return (parent as { n: number }).n;
      if (info.fieldName === 'services') return ctx.services;
      // role: loaded once per context
      let role = cache.get(ctx);
      if (role === undefined) {
        loads += 1;
        role = loads;
        cache.set(ctx, role);
      }
      return role;
    },
  });
}

describe('live events, each with a context of its own', () => {
  it('resolves every event with fresh per-request caches and the same services', async () => {
    loads = 0;
    const ended = { returned: false };
    const stream = (await run([1, 2, 3], ended, { services: 'db' })) as AsyncGenerator<ExecutionResult>;
    const results: unknown[] = [];
    for (let i = 0; i < 3; i += 1) results.push((await stream.next()).value?.data);
    // One load per event: a cache of the first event does not answer for the later ones.
    expect(results).toEqual([
      { tick: { n: 1, role: 1, services: 'db' } },
      { tick: { n: 2, role: 2, services: 'db' } },
      { tick: { n: 3, role: 3, services: 'db' } },
    ]);
    await stream.return(undefined);
    expect(ended.returned).toBe(true);
  });

  it('ends the source at once when the client completes, even while it waits for an event', async () => {
    const ended = { returned: false };
    const stream = (await run([], ended, { services: 'db' })) as AsyncGenerator<ExecutionResult>;
    const pending = stream.next();
    await stream.return(undefined);
    expect(ended.returned).toBe(true);
    void pending;
  });

  it('answers errors of the subscribe step as a result, not a stream', async () => {
    const result = await subscribeWithContextPerEvent({
      schema,
      document: parse('subscription { tick { n } }'),
      contextValue: {},
      subscribeFieldResolver: () => {
        throw new Error('no such conversation');
      },
    });
    expect(result).toMatchObject({ errors: [{ message: 'no such conversation' }] });
  });
});
