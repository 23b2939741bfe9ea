import type { PubSub } from '../../pubsub.js';

// The viewer's live mentorship activity: a nudge per member whenever a request or a mentorship they
// are part of changes. Published only after the change commits; the subscription
// (activity.subscriptions.ts) reads the request or mentorship afresh, with access as it is at delivery.

/** What changed. Goals, check-ins, feedback and endings (H3's parts) publish their kinds too. */
export const MENTORSHIP_ACTIVITY_KINDS = [
  'REQUEST_CREATED',
  'REQUEST_AGREED',
  'REQUEST_ACCEPTED',
  'REQUEST_DECLINED',
  'REQUEST_WITHDRAWN',
  'REQUEST_EXPIRED',
  'REQUEST_CANCELLED',
  'AGREEMENT_PROPOSED',
  'AGREEMENT_ACCEPTED',
  'GOAL_CHANGED',
  'CHECK_IN_CHANGED',
  'FEEDBACK_GIVEN',
  'MENTORSHIP_ENDED',
  'REVIEW_GIVEN',
  'ACHIEVEMENT_CELEBRATED',
  // Office hours' session series of the pair: proposed, confirmed, declined, cancelled.
  'SESSIONS_CHANGED',
] as const;
export type MentorshipActivityKind = (typeof MENTORSHIP_ACTIVITY_KINDS)[number];

export interface MentorshipActivity {
  userId: string;
  kind: MentorshipActivityKind;
  requestId: string | null;
  mentorshipId: string | null;
}

declare module '../../pubsub.js' {
  interface PubSubTopics {
    /** A request or mentorship a member is part of changed (per member). */
    'mentorship:activity': [userId: string, payload: MentorshipActivity];
  }
}

/**
 * Call after commit: tells each of `userIds` (the mentee and the mentor, usually) that this request
 * or mentorship changed. Nudges only; the subscription re-reads what it names.
 */
export function publishMentorshipActivity(
  pubsub: Pick<PubSub, 'publish'>,
  change: {
    userIds: readonly string[];
    kind: MentorshipActivityKind;
    requestId?: string | null;
    mentorshipId?: string | null;
  },
): void {
  for (const userId of new Set(change.userIds)) {
    pubsub.publish('mentorship:activity', userId, {
      userId,
      kind: change.kind,
      requestId: change.requestId ?? null,
      mentorshipId: change.mentorshipId ?? null,
    });
  }
}
