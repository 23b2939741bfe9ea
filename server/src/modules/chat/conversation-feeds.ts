import type { Db } from '../../db.js';
import type { ConversationKind } from '../../generated/prisma/enums.js';
import { NotFoundError, UnavailableError, type DomainError } from '../../lib/errors.js';
import type { Logger } from '../../logger.js';
import { listenTo, type PubSub } from '../../pubsub.js';
import { encodePayload, nextFrame, type DirectDelivery, type SharedStream } from '../../graphql/shared-stream.js';
import { usersWithAccess } from './chat.policy.js';
import type { ConversationEventData } from './chat.events.js';
import { loadEventsAfter } from './message.loader.js';

// One feed per conversation per server instance, shared by all its local subscribers.
// docs/ARCHITECTURE.md "Realtime protocol": pub/sub only nudges, the database is the record. A feed delivers
// seq N only after N-1; when a nudge skips ahead (another instance's publish overtook it, or Redis
// lost one) the feed reads the missing events from the database first. A periodic check of every
// live feed's lastSeq (and one right after Redis comes back) catches nudges that never came.
// Authorization (one statement for all subscribers) runs at once on an access change or when nudges
// were lost, and at least every second while events flow; denied subscribers are skipped per event.

const REPLAY_PAGE = 500;
/** How often live feeds compare their position with the database (a lost nudge costs at most this). */
const RESYNC_INTERVAL_MS = 5_000;
/** At most this many events go to a socket in one write. */
const DISPATCH_SLICE = 64;
/** While events flow, subscribers' access is re-read from the database at least this often. */
const ACCESS_RECHECK_MS = 1_000;

/**
 * Why a stream ended early; the subscription's resolver turns it into a GraphQL error:
 * NOT_FOUND (access lost: stop) or UNAVAILABLE (a passing failure: resubscribe with afterSeq).
 */
export class StreamEnded {
  constructor(readonly error: DomainError) {}
}

export type FeedItem = ConversationEventData | StreamEnded;

/** An HTTP (SSE) subscriber that stops reading is ended past this many queued events. */
const MAX_QUEUED_EVENTS = 10_000;

interface ConversationInfo {
  id: string;
  kind: ConversationKind;
  groupId: string | null;
}

export class FeedSubscription implements AsyncIterable<FeedItem>, SharedStream {
  readonly startOnlyArguments = ['afterSeq'];
  /** The last seq this subscriber has been given. */
  cursor = 0;
  /** True while the backlog after `afterSeq` is replayed; live events wait in `held` meanwhile. */
  replaying = true;
  ended = false;
  private readonly held: ConversationEventData[] = [];
  private direct: DirectDelivery | null = null;
  /** Items for the async iterator (when no direct delivery is attached). */
  private readonly queue: FeedItem[] = [];
  private wake: (() => void) | null = null;
  /** Deliveries of this subscriber alone run one after another, in order. */
  private chain: Promise<void> = Promise.resolve();
  private chained = 0;

  constructor(
    readonly feed: ConversationFeed,
    readonly viewerId: string,
  ) {}

  /** The feed may send it shared frames: direct, caught up, and nothing of its own in flight. */
  get sharedDelivery(): DirectDelivery | null {
    return this.direct && !this.replaying && this.chained === 0 && !this.ended && !this.ending ? this.direct : null;
  }

  attachDirect(delivery: DirectDelivery): void {
    this.direct = delivery;
    // Anything queued before the switch was already counted as given: it goes out first, as is.
    for (const item of this.queue.splice(0)) void this.deliverAlone(item, { alreadyCounted: true });
  }

  /** Called by the feed, in seq order, when it cannot send this subscriber a shared frame. */
  offer(event: ConversationEventData): void {
    if (this.ended) return;
    if (this.replaying) this.held.push(event);
    else void this.deliverAlone(event);
  }

  /** Replays the stored events after `afterSeq`, then the live ones held meanwhile. */
  async start(db: Db, afterSeq: number | null): Promise<void> {
    if (afterSeq === null || afterSeq >= this.feed.lastSeq) {
      // A client may be ahead of this feed (it read a seq through another instance first):
      // it still never gets what it already has.
      this.cursor = afterSeq ?? this.feed.lastSeq;
    } else {
      this.cursor = Math.max(0, afterSeq);
      let position = this.cursor;
      for (;;) {
        const page = await loadEventsAfter(db, this.feed.info.id, position, REPLAY_PAGE);
        for (const event of page) void this.deliverAlone(event);
        if (page.length > 0) position = page[page.length - 1]!.seq;
        await this.chain;
        if (page.length < REPLAY_PAGE || this.ended) break;
      }
    }
    while (this.held.length > 0 && !this.ended) {
      for (const event of this.held.splice(0)) void this.deliverAlone(event);
      await this.chain;
    }
    this.replaying = false;
  }

  /** Marks an event as given (the feed sent it in a shared frame). */
  advance(seq: number): void {
    this.cursor = seq;
  }

  private deliverAlone(item: FeedItem, options: { alreadyCounted?: boolean } = {}): Promise<void> {
    this.chained += 1;
    this.chain = this.chain
      .then(() => this.deliverNow(item, options.alreadyCounted ?? false))
      .catch((error: unknown) => {
        this.feed.logFailure(error);
        this.interrupt();
      })
      .finally(() => void (this.chained -= 1));
    return this.chain;
  }

  private async deliverNow(item: FeedItem, alreadyCounted: boolean): Promise<void> {
    const ending = item instanceof StreamEnded;
    // Nothing after an end has begun (a denial goes out ahead of the queue).
    if (this.ended || (this.ending && !ending)) return;
    if (!ending && !alreadyCounted) {
      // Never twice, never backwards.
      if (item.seq <= this.cursor) return;
      this.cursor = item.seq;
    }
    const direct = this.direct;
    if (direct) {
      if (!direct.isOpen()) return this.end();
      const result = await direct.execute(item);
      // The client may have completed it meanwhile: nothing after its end.
      if (this.ended) return;
      direct.send(nextFrame(direct.operationId, encodePayload(result)));
    } else {
      if (this.queue.length >= MAX_QUEUED_EVENTS && !ending) return this.interrupt();
      this.queue.push(item);
      this.wake?.();
    }
    if (ending) this.end();
  }

  /** Ends the stream with a NOT_FOUND error (access lost). */
  deny(): void {
    this.endWith(new NotFoundError('That conversation'));
  }

  /** Ends the stream with UNAVAILABLE: the client resubscribes from its last seq and loses nothing. */
  interrupt(): void {
    this.endWith(new UnavailableError());
  }

  private endWith(error: DomainError): void {
    if (this.ended || this.ending) return;
    this.ending = true;
    const item = new StreamEnded(error);
    // Straight out, ahead of anything still waiting in the chain (which would be dropped anyway).
    void (async () => {
      try {
        if (this.direct) {
          const direct = this.direct;
          const result = await direct.execute(item);
          if (direct.isOpen()) direct.send(nextFrame(direct.operationId, encodePayload(result)));
        } else {
          this.queue.push(item);
          this.wake?.();
        }
      } catch (error) {
        this.feed.logFailure(error);
      } finally {
        this.end();
      }
    })();
  }
  private ending = false;

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.feed.remove(this);
    this.wake?.();
    this.onEnd?.();
  }
  private onEnd: (() => void) | null = null;

  completion(): AsyncIterable<never> {
    const finished = this.ended
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          this.onEnd = resolve;
        });
    // Its own iterator (with return()), so graphql-ws ends the stream when the client completes
    // or the socket closes.
    // (Plain promises, not async functions: an idle subscriber waits here, and a suspended async
    // function keeps its frame.)
    const end = finished.then((): IteratorResult<never> => ({ done: true, value: undefined }));
    const iterator: AsyncIterableIterator<never> = {
      [Symbol.asyncIterator]: () => iterator,
      next: () => end,
      return: async () => {
        this.end();
        return { done: true, value: undefined };
      },
    };
    return iterator;
  }

  [Symbol.asyncIterator](): AsyncIterator<FeedItem> {
    return {
      next: async () => {
        for (;;) {
          const item = this.queue.shift();
          if (item) return { value: item, done: false };
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

export class ConversationFeed {
  lastSeq = 0;
  readonly subscribers = new Set<FeedSubscription>();
  readonly ready: Promise<void>;
  private incoming: ConversationEventData[] = [];
  private wantResync = false;
  private draining: Promise<void> | null = null;
  private readonly stopListening: () => void;

  constructor(
    readonly info: ConversationInfo,
    private readonly runtime: ConversationFeeds,
  ) {
    // Listen first, then read the position: nothing committed in between is missed (a nudge
    // at or below the position is dropped, one above it is delivered).
    this.stopListening = listenTo(
      runtime.pubsub.subscribe('chat:events', info.id),
      (nudge) => {
        if (!Array.isArray(nudge?.events)) return;
        this.incoming.push(...nudge.events);
        // A nudge without all its events (the writer could not read them back) still says how far
        // to read; one that carries them needs no read.
        let carried = 0;
        for (const event of nudge.events) carried = Math.max(carried, event.seq);
        if (typeof nudge.upToSeq === 'number' && nudge.upToSeq > Math.max(carried, this.lastSeq))
          this.wantResync = true;
        this.kick();
      },
      runtime.logger,
      'conversation feed',
    );
    this.ready = runtime.db.conversation
      .findUniqueOrThrow({ where: { id: info.id }, select: { lastSeq: true } })
      .then((row) => void (this.lastSeq = row.lastSeq));
  }

  /** Check the database for events no nudge announced. */
  resync(): void {
    this.wantResync = true;
    this.kick();
  }

  logFailure(error: unknown): void {
    this.runtime.logger.error('chat delivery failed', { conversationId: this.info.id, error: String(error) });
  }

  remove(subscription: FeedSubscription): void {
    this.subscribers.delete(subscription);
    if (this.subscribers.size === 0) this.runtime.retire(this);
  }

  close(): void {
    this.stopListening();
    for (const subscription of this.subscribers) subscription.end();
  }

  /** Re-checks every subscriber's access now (someone left or was removed). */
  recheckAccess(): void {
    this.wantAccessCheck = true;
    this.kick();
  }
  private wantAccessCheck = false;

  private kick(): void {
    if (this.draining) return;
    this.draining = (async () => {
      try {
        await this.ready;
        while (this.incoming.length > 0 || this.wantResync || this.wantAccessCheck) {
          // Let nudges that already arrived on the sockets join this batch (one write per socket
          // for all of them); costs nothing when the instance is idle.
          await new Promise<void>((resolve) => setImmediate(resolve));
          await this.drainOnce();
        }
      } catch (error) {
        this.runtime.logger.error('conversation feed failed; subscribers resume from their last seq', {
          conversationId: this.info.id,
          error: String(error),
        });
        // The subscribers resubscribe with afterSeq and lose nothing.
        for (const subscription of this.subscribers) subscription.interrupt();
      } finally {
        this.draining = null;
      }
    })();
  }

  private async drainOnce(): Promise<void> {
    const batch = this.incoming.splice(0).sort((a, b) => a.seq - b.seq);
    const resync = this.wantResync;
    const accessCheckWanted = this.wantAccessCheck;
    this.wantResync = false;
    this.wantAccessCheck = false;
    const events: ConversationEventData[] = [];
    // Events read from the database (a gap, a resync) mean nudges were lost: access changes may
    // have been lost with them.
    let fromDatabase = false;
    let position = this.lastSeq;
    for (const event of batch) {
      if (event.seq <= position) continue;
      if (event.seq > position + 1) {
        events.push(...(await this.readStored(position, event.seq - 1)));
        fromDatabase = true;
      }
      events.push(event);
      position = event.seq;
    }
    if (resync) {
      const row = await this.runtime.db.conversation.findUnique({
        where: { id: this.info.id },
        select: { lastSeq: true },
      });
      if (row && row.lastSeq > position) {
        events.push(...(await this.readStored(position, row.lastSeq)));
        fromDatabase = true;
        position = row.lastSeq;
      }
    }
    // Authorisation before delivery, for all subscribers in one statement: whenever an access
    // change was announced, whenever nudges may have been lost, and at least every second while
    // events flow (an access nudge and a message nudge from different instances may overtake
    // each other). Subscribers denied meanwhile are skipped per event, in memory.
    const stale = Date.now() - this.accessCheckedAt >= ACCESS_RECHECK_MS;
    if ((accessCheckWanted || fromDatabase || (events.length > 0 && stale)) && this.subscribers.size > 0) {
      await this.enforceAccess();
    }
    const fresh = events.filter(
      (event, index) => event.seq > this.lastSeq && (index === 0 || event.seq > events[index - 1]!.seq),
    );
    for (let start = 0; start < fresh.length; start += DISPATCH_SLICE) {
      const slice = fresh.slice(start, start + DISPATCH_SLICE);
      this.lastSeq = slice[slice.length - 1]!.seq;
      await this.dispatch(slice);
    }
  }

  private async readStored(afterSeq: number, untilSeq: number): Promise<ConversationEventData[]> {
    const events: ConversationEventData[] = [];
    let cursor = afterSeq;
    while (cursor < untilSeq) {
      const page = await loadEventsAfter(this.runtime.db, this.info.id, cursor, REPLAY_PAGE, untilSeq);
      if (page.length === 0) break;
      events.push(...page);
      cursor = page[page.length - 1]!.seq;
    }
    return events;
  }

  private accessCheckedAt = 0;

  private async enforceAccess(): Promise<void> {
    this.accessCheckedAt = Date.now();
    const checked = [...this.subscribers];
    const viewers = [...new Set(checked.map((subscription) => subscription.viewerId))];
    this.accessChecking = true;
    try {
      const allowed = await usersWithAccess(this.runtime.db, this.info, viewers);
      // Only those asked about: someone who subscribed meanwhile is not in the answer, and was
      // checked as they subscribed (the check that follows covers them).
      for (const subscription of checked) {
        if (!allowed.has(subscription.viewerId)) subscription.deny();
      }
    } finally {
      this.accessChecking = false;
    }
  }

  /** A subscriber joined: if an access check is in flight without them, one more follows it. */
  joined(): void {
    if (this.accessChecking) this.recheckAccess();
  }
  private accessChecking = false;

  /**
   * Events (in seq order) to every subscriber: each executed and serialised once per share key;
   * when several are waiting, each socket gets all of them in one write.
   */
  private async dispatch(events: ConversationEventData[]): Promise<void> {
    const groups = new Map<string, { delivery: DirectDelivery; subscribers: FeedSubscription[] }>();
    for (const subscription of this.subscribers) {
      if (subscription.ended) continue;
      const direct = subscription.sharedDelivery;
      if (!direct) {
        for (const event of events) subscription.offer(event);
        continue;
      }
      let group = groups.get(direct.shareKey);
      if (!group) groups.set(direct.shareKey, (group = { delivery: direct, subscribers: [] }));
      group.subscribers.push(subscription);
    }
    for (const group of groups.values()) {
      const payloads: Buffer[] = [];
      for (const event of events) payloads.push(encodePayload(await group.delivery.execute(event)));
      // The frames of each operation id, made once: clients that number their operations alike share them.
      const framesById = new Map<string, Buffer[]>();
      for (const subscription of group.subscribers) {
        // Checked again after the awaits: the subscriber may have gone meanwhile.
        const direct = subscription.sharedDelivery;
        if (!direct) {
          for (const event of events)
            if (!subscription.ended && subscription.cursor < event.seq) subscription.offer(event);
          continue;
        }
        if (!direct.isOpen()) {
          subscription.end();
          continue;
        }
        let frames = framesById.get(direct.operationId);
        if (!frames) {
          frames = payloads.map((payload) => nextFrame(direct.operationId, payload));
          framesById.set(direct.operationId, frames);
        }
        direct.cork();
        try {
          for (let index = 0; index < events.length; index += 1) {
            const seq = events[index]!.seq;
            if (subscription.cursor >= seq) continue;
            subscription.advance(seq);
            direct.send(frames[index]!);
          }
        } finally {
          direct.uncork();
        }
      }
    }
  }
}

/** The instance's feeds, created on first subscriber and dropped after the last. */
export class ConversationFeeds {
  private readonly feeds = new Map<string, ConversationFeed>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly db: Db,
    readonly pubsub: PubSub,
    readonly logger: Logger,
  ) {
    pubsub.onReconnect(() => this.resyncAll());
    this.timer = setInterval(() => void this.resyncStale(), RESYNC_INTERVAL_MS);
    this.timer.unref();
    // Someone left or was removed: their live streams end at once (checked against the database).
    this.stopAccess = listenTo(
      pubsub.subscribe('chat:access'),
      (change) => {
        for (const feed of this.feeds.values()) {
          const concerned =
            (change.conversationId !== null && feed.info.id === change.conversationId) ||
            (change.groupId !== null && feed.info.groupId === change.groupId);
          if (concerned && [...feed.subscribers].some((s) => s.viewerId === change.userId)) feed.recheckAccess();
        }
      },
      logger,
      'chat access listener',
    );
  }
  private readonly stopAccess: () => void;

  /** A live stream of one conversation for one viewer (who may see it: checked by the caller). */
  async subscribe(info: ConversationInfo, viewerId: string, afterSeq: number | null): Promise<FeedSubscription> {
    let feed = this.feeds.get(info.id);
    if (!feed) this.feeds.set(info.id, (feed = new ConversationFeed(info, this)));
    const subscription = new FeedSubscription(feed, viewerId);
    feed.subscribers.add(subscription);
    feed.joined();
    try {
      await feed.ready;
    } catch (error) {
      subscription.end();
      throw error;
    }
    // The replay runs beside the live feed; live events wait in `held` until it is done.
    void subscription.start(this.db, afterSeq).catch((error: unknown) => {
      this.logger.error('replay failed', { conversationId: info.id, error: String(error) });
      subscription.interrupt();
    });
    return subscription;
  }

  retire(feed: ConversationFeed): void {
    if (this.feeds.get(feed.info.id) === feed && feed.subscribers.size === 0) {
      this.feeds.delete(feed.info.id);
      feed.close();
    }
  }

  /** After Redis came back: nudges (and access changes) may have been lost meanwhile. */
  resyncAll(): void {
    for (const feed of this.feeds.values()) {
      feed.recheckAccess();
      feed.resync();
    }
  }

  /** One statement for all live feeds: those behind the database read what they missed. */
  private async resyncStale(): Promise<void> {
    if (this.feeds.size === 0) return;
    try {
      const rows = await this.db.conversation.findMany({
        where: { id: { in: [...this.feeds.keys()] } },
        select: { id: true, lastSeq: true },
      });
      for (const row of rows) {
        const feed = this.feeds.get(row.id);
        if (feed && row.lastSeq > feed.lastSeq) feed.resync();
      }
    } catch (error) {
      this.logger.warn('chat resync check failed', { error: String(error) });
    }
  }

  get size(): number {
    return this.feeds.size;
  }

  close(): void {
    clearInterval(this.timer);
    this.stopAccess();
    for (const feed of this.feeds.values()) feed.close();
    this.feeds.clear();
  }
}
