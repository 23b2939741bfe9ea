import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/src/db.js';
import { ConversationFeeds, type FeedSubscription } from '../../server/src/modules/chat/conversation-feeds.js';
import { createChannel, insertMembers, type Channel, type SeededMember } from '../bench/chat-seed.js';
import { startServer, type TestServer } from '../support/server.js';

// A conversation feed re-checks its subscribers' access with one statement. Someone who subscribes
// while that statement runs is not in its answer: they must not be taken for someone who lost access
// (found by the community load test: members opening a busy channel got "That conversation was not
// found"), and the check that follows must cover them.

let server: TestServer;
let channel: Channel;
let members: SeededMember[];

beforeAll(async () => {
  server = await startServer();
  channel = await createChannel(server.graphqlUrl, server.app.services.db, 'Race Guild');
  members = await insertMembers(server.app.services.db, channel.groupId, 2, 'Racer');
});
afterAll(async () => {
  await server?.stop();
});

/** The database, with access checks (raw queries) held at a gate while `holding` is set. */
function gatedDb(db: Db) {
  const gate = { holding: false, open: () => {}, asked: [] as { values: unknown[]; answered: Promise<unknown> }[] };
  let opened = new Promise<void>((resolve) => (gate.open = resolve));
  const proxy = new Proxy(db, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (property !== '$queryRaw' || typeof value !== 'function') return value;
      return (strings: TemplateStringsArray, ...values: unknown[]) => {
        const run = () => (value as (...args: unknown[]) => Promise<unknown>).call(target, strings, ...values);
        const answered = gate.holding ? opened.then(run) : run();
        gate.asked.push({ values, answered });
        return answered;
      };
    },
  });
  return {
    db: proxy,
    gate,
    reset() {
      opened = new Promise<void>((resolve) => (gate.open = resolve));
    },
  };
}

const asksAbout = (values: unknown[], userId: string) =>
  values.some((value) => Array.isArray(value) && value.includes(userId));

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

describe('a conversation feed’s access check', () => {
  it('does not deny a member who subscribed while it ran, and checks them next', async () => {
    const { services } = server.app;
    const gated = gatedDb(services.db);
    const feeds = new ConversationFeeds(gated.db, services.pubsub, services.logger);
    const info = { id: channel.conversationId, kind: 'CHANNEL' as const, groupId: channel.groupId };
    const [first, second] = members as [SeededMember, SeededMember];
    try {
      const early: FeedSubscription = await feeds.subscribe(info, first.userId, null);

      // An access check starts (someone's access changed) and is held at the database.
      gated.gate.holding = true;
      early.feed.recheckAccess();
      await until(() => gated.gate.asked.some((q) => asksAbout(q.values, first.userId)), 'the access check');
      gated.gate.holding = false;

      // Meanwhile a member opens the channel.
      const late = await feeds.subscribe(info, second.userId, null);
      gated.gate.open();
      // The held check answers for the first member only; the one that follows asks about the second.
      await until(() => gated.gate.asked.some((q) => asksAbout(q.values, second.userId)), 'a check covering them');
      await Promise.all(gated.gate.asked.map((q) => q.answered));
      await new Promise((resolve) => setImmediate(resolve));
      expect(early.ended).toBe(false);
      expect(late.ended).toBe(false);

      // Their access is still enforced: once they leave, the next check ends their stream.
      await services.db.membership.deleteMany({ where: { groupId: channel.groupId, userId: second.userId } });
      late.feed.recheckAccess();
      await until(() => late.ended, 'the stream of the member who left to end');
      expect(early.ended).toBe(false);
    } finally {
      gated.reset();
      feeds.close();
    }
  });
});
