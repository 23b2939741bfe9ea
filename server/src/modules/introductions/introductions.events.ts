import type { PubSub } from '../../pubsub.js';
import { type IntroductionFacts, type IntroductionField, introductionViewerIds } from './introductions.policy.js';

// The live nudge of introductions: one per member who sees the introduction now (the requester,
// the broker, and the target once forwarded), published only after the change commits. The
// subscription (introductions.subscriptions.ts) reads the introduction again through the policy,
// with the recipient's access at delivery.

export interface IntroductionChange {
  userId: string;
  introductionId: string;
}

declare module '../../pubsub.js' {
  interface PubSubTopics {
    /** An introduction a member sees changed (per member). */
    'introductions:changed': [userId: string, payload: IntroductionChange];
  }
}

/**
 * Call after commit: tells everyone who may see this introduction now that it changed (with
 * `field`: only those who read that field, the one thing that changed).
 */
export function publishIntroductionChange(
  pubsub: Pick<PubSub, 'publish'>,
  intro: Pick<IntroductionFacts, 'requesterId' | 'brokerId' | 'targetId' | 'forwardedAt'> &
    Partial<Pick<IntroductionFacts, 'status'>> & { id: string },
  field?: IntroductionField,
): void {
  for (const userId of introductionViewerIds(intro, field)) {
    pubsub.publish('introductions:changed', userId, { userId, introductionId: intro.id });
  }
}
