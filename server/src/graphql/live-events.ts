import { createSourceEventStream, type ExecutionArgs, type ExecutionResult, execute } from 'graphql';
import type { Plugin } from 'graphql-yoga';

// A subscription keeps one context for its whole life, and per-request caches are keyed by the
// context (the viewer's roles in groups, the notification reader, profile loaders, unread counts):
// executed with it, every live event would show the recipient's access as it was at the first one.
// Here each event is executed with a context of its own (the same services and viewer, no caches),
// so every field of every live event is resolved with the recipient's access at delivery time.
// Over HTTP (SSE) and graphql-ws alike: the WebSocket server runs operations through Yoga's plugins.
// (The shared fan-out path of graphql/shared-stream.ts executes one event for many subscribers, so
// the types it serves hold nothing that depends on the viewer.)

/** The context one live event is executed with. */
export function liveEventContext<T extends object>(subscriptionContext: T): T {
  return { ...subscriptionContext };
}

/** What graphql-js `subscribe` does, but each event gets a fresh context. */
export function subscribeWithContextPerEvent(
  args: ExecutionArgs,
): Promise<AsyncGenerator<ExecutionResult, void, void> | ExecutionResult> {
  return Promise.resolve(createSourceEventStream(args)).then((source) => {
    if (!isAsyncIterable(source)) return source;
    return mapEvents(source, (event) =>
      execute({
        ...args,
        rootValue: event,
        contextValue: liveEventContext((args.contextValue ?? {}) as object),
      }),
    );
  });
}

export function useContextPerLiveEvent(): Plugin {
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(subscribeWithContextPerEvent);
    },
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * Maps a stream like graphql-js's mapAsyncIterator: return() reaches the source at once (an async
 * generator would wait for the source's next event first, keeping an ended subscription alive).
 */
function mapEvents<T>(
  source: AsyncIterable<unknown>,
  run: (event: unknown) => T | Promise<T>,
): AsyncGenerator<T, void, void> {
  const iterator = source[Symbol.asyncIterator]();
  const done = { value: undefined, done: true } as const;
  const close = async () => {
    await iterator.return?.();
  };
  const mapped: AsyncGenerator<T, void, void> = {
    async next() {
      const step = await iterator.next();
      if (step.done) return done;
      try {
        return { value: await run(step.value), done: false };
      } catch (error) {
        await close().catch(() => undefined);
        throw error;
      }
    },
    async return() {
      await close();
      return done;
    },
    async throw(error: unknown) {
      await close();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return mapped;
    },
  };
  return mapped;
}
