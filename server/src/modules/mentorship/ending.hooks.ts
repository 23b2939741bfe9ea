import type { DbClient } from '../../db.js';
import type { CreatedNotification } from '../notifications/index.js';

// What ending a mentorship tells the modules built on it (office hours' session series), so that
// mentorship imports none of them: each registers its hook when it is imported; endMentorship runs
// them inside its transaction, after the Mentorship row is locked and marked ENDED (so their locks
// come after it, as the lock order says), and publishes the notifications they return after commit.

export interface MentorshipEnded {
  mentorshipId: string;
  endedById: string;
  mentorId: string;
  menteeId: string;
}

export type MentorshipEndedHook = (tx: DbClient, ended: MentorshipEnded) => Promise<CreatedNotification[]>;

const hooks: MentorshipEndedHook[] = [];

export function onMentorshipEnded(hook: MentorshipEndedHook): void {
  hooks.push(hook);
}

export async function mentorshipEnded(tx: DbClient, ended: MentorshipEnded): Promise<CreatedNotification[]> {
  const notes: CreatedNotification[] = [];
  // One after another: a transaction runs one statement at a time.
  for (const hook of hooks) notes.push(...(await hook(tx, ended)));
  return notes;
}
