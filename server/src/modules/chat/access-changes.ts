import type { Logger } from '../../logger.js';
import { listenTo, type PubSub } from '../../pubsub.js';

// When each member's access last changed, as this instance heard it: 'chat:access' (left, removed
// or banned from a group, taken out of a conversation), and everyone's after Redis comes back
// (nudges may have been lost meanwhile). A live stream that caches an access check (typing,
// presence) keeps its verdict only while nothing changed, for anyone it is about, since the check
// began: the rule stays in chat.policy.ts, asked again after every change.

/** Longer than any cached verdict lives: a change older than this concerns no cache any more. */
const FORGET_AFTER_MS = 5 * 60_000;

export class AccessChanges {
  private readonly changedAt = new Map<string, number>();
  private everyoneAt = 0;
  private readonly stop: () => void;

  constructor(pubsub: PubSub, logger: Logger) {
    this.stop = listenTo(
      pubsub.subscribe('chat:access'),
      (change) => this.changed(change.userId),
      logger,
      'access changes',
    );
    pubsub.onReconnect(() => {
      this.everyoneAt = Date.now();
    });
  }

  private changed(userId: string): void {
    const now = Date.now();
    this.changedAt.set(userId, now);
    for (const [id, at] of this.changedAt) if (now - at > FORGET_AFTER_MS) this.changedAt.delete(id);
  }

  /** Whether a check that began at `since` (Date.now()) still holds for these people. */
  unchangedSince(since: number, ...userIds: string[]): boolean {
    if (this.everyoneAt >= since) return false;
    return userIds.every((id) => (this.changedAt.get(id) ?? Number.NEGATIVE_INFINITY) < since);
  }

  close(): void {
    this.stop();
  }
}
