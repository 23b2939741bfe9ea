import type { Db } from '../../db.js';
import type { Logger } from '../../logger.js';
import { listenTo, type PubSub } from '../../pubsub.js';
import type { ChatActivity } from './chat.events.js';
import { audiencesOf } from './chat.policy.js';
import { totalUnread, unreadStats, type UnreadStats } from './unread.js';

// Live unread counts for the members connected to this instance. A member's counts are read in
// full when their first inbox stream opens; after that only the conversation that changed is
// recounted — for all of this instance's affected members in one statement — and the total is
// the sum. Triggers: a new message anywhere ('chat:activity'), the member read something on any
// device ('chat:read'), the member lost access somewhere ('chat:access'). Because a nudge can be
// lost (Redis away), every connected member's counts are also re-read every 30 s, in one statement.

const REFRESH_INTERVAL_MS = 30_000;

export interface InboxUpdate {
  conversationId: string;
  stats: UnreadStats;
  totalUnread: number;
}

export class InboxSubscription implements AsyncIterable<InboxUpdate> {
  private readonly queue: InboxUpdate[] = [];
  private wake: (() => void) | null = null;
  ended = false;

  constructor(
    readonly userId: string,
    private readonly hub: InboxHub,
  ) {}

  push(update: InboxUpdate): void {
    if (this.ended) return;
    this.queue.push(update);
    this.wake?.();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.hub.remove(this);
    this.wake?.();
  }

  [Symbol.asyncIterator](): AsyncIterator<InboxUpdate> {
    return {
      next: async () => {
        for (;;) {
          const update = this.queue.shift();
          if (update) return { value: update, done: false };
          if (this.ended) return { value: undefined, done: true };
          await new Promise<void>((resolve) => (this.wake = resolve));
          this.wake = null;
        }
      },
      return: async () => {
        this.end();
        return { value: undefined, done: true };
      },
    };
  }
}

interface LocalMember {
  subscriptions: Set<InboxSubscription>;
  stats: Map<string, UnreadStats>;
  stopReads: () => void;
}

type Work =
  | { kind: 'activity'; activity: ChatActivity }
  | { kind: 'read'; userId: string; conversationId: string }
  /** Re-read all counts of these members and push what changed. */
  | { kind: 'refresh'; userIds: string[] }
  /** A member's first stream here: read their counts (push nothing). */
  | { kind: 'load'; userId: string };

export class InboxHub {
  private readonly members = new Map<string, LocalMember>();
  private pending: Work[] = [];
  private draining: Promise<void> | null = null;
  private readonly stops: Array<() => void> = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    private readonly pubsub: PubSub,
    private readonly logger: Logger,
  ) {
    this.listen(pubsub.subscribe('chat:activity'), (activity) => {
      if (this.members.size > 0) this.enqueue({ kind: 'activity', activity });
    });
    this.listen(pubsub.subscribe('chat:access'), (change) => {
      if (this.members.has(change.userId)) this.enqueue({ kind: 'refresh', userIds: [change.userId] });
    });
    // Messages sent while Redis was away never nudged anyone: recount everyone connected here.
    const refreshAll = () => {
      if (this.members.size > 0) this.enqueue({ kind: 'refresh', userIds: [...this.members.keys()] });
    };
    pubsub.onReconnect(refreshAll);
    this.timer = setInterval(refreshAll, REFRESH_INTERVAL_MS);
    this.timer.unref();
  }

  private listen<T>(stream: AsyncIterable<T>, handle: (value: T) => void): () => void {
    const stop = listenTo(stream, handle, this.logger, 'inbox listener');
    this.stops.push(stop);
    return stop;
  }

  subscribe(userId: string): InboxSubscription {
    const subscription = new InboxSubscription(userId, this);
    let member = this.members.get(userId);
    if (!member) {
      // Listen first, then read: whatever happens during the read is recounted after it (the
      // same queue), so nothing between the two is missed.
      const stopReads = this.listen(this.pubsub.subscribe('chat:read', userId), (read) =>
        this.enqueue({ kind: 'read', userId: read.userId, conversationId: read.conversationId }),
      );
      this.members.set(userId, (member = { subscriptions: new Set(), stats: new Map(), stopReads }));
      this.enqueue({ kind: 'load', userId });
    }
    member.subscriptions.add(subscription);
    return subscription;
  }

  /** The member's current counts (as this instance knows them), if they are connected here. */
  snapshot(userId: string): Map<string, UnreadStats> | undefined {
    return this.members.get(userId)?.stats;
  }

  remove(subscription: InboxSubscription): void {
    const member = this.members.get(subscription.userId);
    if (!member) return;
    member.subscriptions.delete(subscription);
    if (member.subscriptions.size === 0) {
      member.stopReads();
      this.members.delete(subscription.userId);
    }
  }

  private enqueue(work: Work): void {
    this.pending.push(work);
    if (this.draining) return;
    this.draining = (async () => {
      try {
        while (this.pending.length > 0) await this.drain(this.pending.splice(0));
      } catch (error) {
        this.logger.error('inbox update failed', { error: String(error) });
      } finally {
        this.draining = null;
      }
    })();
  }

  private async drain(batch: Work[]): Promise<void> {
    const refresh = new Set<string>();
    const load = new Set<string>();
    // conversationId → members of this instance whose counts there may have changed
    const recount = new Map<string, Set<string>>();
    const add = (conversationId: string, userIds: Iterable<string>) => {
      let set = recount.get(conversationId);
      if (!set) recount.set(conversationId, (set = new Set()));
      for (const id of userIds) set.add(id);
    };
    const active = new Set<string>();
    for (const work of batch) {
      if (work.kind === 'refresh') for (const id of work.userIds) refresh.add(id);
      else if (work.kind === 'load') load.add(work.userId);
      else if (work.kind === 'read') add(work.conversationId, [work.userId]);
      else active.add(work.activity.conversationId);
    }
    if (load.size > 0) {
      const all = await unreadStats(this.db, [...load]);
      for (const userId of load) {
        const member = this.members.get(userId);
        if (member) member.stats = all.get(userId) ?? new Map();
      }
    }
    if (active.size > 0) {
      // Who of this instance's members may see each active conversation (the chat policy's rule).
      for (const row of await audiencesOf(this.db, [...active], [...this.members.keys()])) {
        add(row.conversationId, [row.userId]);
      }
    }
    const refreshed =
      refresh.size > 0 ? await unreadStats(this.db, [...refresh]) : new Map<string, Map<string, UnreadStats>>();
    for (const userId of refresh) {
      const member = this.members.get(userId);
      if (!member) continue;
      const fresh = refreshed.get(userId) ?? new Map<string, UnreadStats>();
      const before = member.stats;
      member.stats = fresh;
      // Push only what changed.
      for (const conversationId of new Set([...before.keys(), ...fresh.keys()])) {
        const a = before.get(conversationId);
        const b = fresh.get(conversationId);
        if (a?.unread !== b?.unread || a?.mentions !== b?.mentions || a?.lastReadSeq !== b?.lastReadSeq) {
          this.publish(userId, conversationId);
        }
      }
    }
    for (const [conversationId, userIds] of recount) {
      const users = [...userIds].filter((id) => this.members.has(id) && !refresh.has(id));
      if (users.length === 0) continue;
      const stats = await unreadStats(this.db, users, conversationId);
      for (const userId of users) {
        const member = this.members.get(userId);
        if (!member) continue;
        const entry = stats.get(userId)?.get(conversationId);
        if (entry) member.stats.set(conversationId, entry);
        else member.stats.delete(conversationId);
        this.publish(userId, conversationId);
      }
    }
  }

  private publish(userId: string, conversationId: string): void {
    const member = this.members.get(userId);
    if (!member) return;
    const stats = member.stats.get(conversationId) ?? { conversationId, lastReadSeq: 0, unread: 0, mentions: 0 };
    const update: InboxUpdate = { conversationId, stats, totalUnread: totalUnread(member.stats) };
    for (const subscription of member.subscriptions) subscription.push(update);
  }

  close(): void {
    clearInterval(this.timer);
    for (const stop of this.stops) stop();
    for (const member of this.members.values()) for (const subscription of member.subscriptions) subscription.end();
    this.members.clear();
  }
}
