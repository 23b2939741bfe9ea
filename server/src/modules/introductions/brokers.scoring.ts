import type { BrokerLinks, Link, SharedGroup } from './introductions.policy.js';

// How strong a possible broker's ties are, and the reasons in words. Pure: the loaded links in,
// a score and sentences out (brokers.ts loads, brokers.scoring.test.ts pins the numbers and words).
// Who may broker at all is the policy's (mayBroker); this only ranks those who may.
//
// Strength, strongest first: a mentorship (either way, with either side); a small group or a
// chapter shared (an alumni cohort most of all) over a large one; a recent direct conversation
// (fading over a few months); introductions this broker made before that connected.

export interface BrokerCandidate {
  id: string;
  name: string;
  links: BrokerLinks;
  /** Introductions this broker made that connected (the requester or the target answered YES). */
  connectedIntroductions: number;
}

export interface ScoredBroker {
  id: string;
  reasons: string[];
  score: number;
}

interface Reason {
  words: string;
  weight: number;
}

const DAY_MS = 86_400_000;

export const WEIGHTS = {
  mentorship: 40,
  /** The strongest group shared with one side, before its size is counted. */
  group: 24,
  /** Each further group shared with the same side counts this much of its own strength. */
  moreGroups: 0.25,
  /** A direct conversation today; it halves every HALF_LIFE_DAYS. */
  conversation: 16,
  conversationHalfLifeDays: 30,
  /** Each introduction that connected, up to MAX_CONNECTED of them. */
  connectedIntroduction: 5,
  maxConnected: 4,
} as const;

/** A group's share of WEIGHTS.group: small ones count most; a chapter or an alumni cohort more. */
export function groupStrength(group: Pick<SharedGroup, 'memberCount' | 'parentId' | 'kind' | 'cohort'>): number {
  const size = Math.max(2, group.memberCount);
  // 1 for a pair, about 0.5 at 16 members, about 0.3 at 250.
  let strength = 1 / (1 + Math.log2(size / 2) / 3);
  if (group.parentId !== null) strength *= 1.2;
  if (group.kind === 'ALUMNI' && group.cohort) strength *= 1.25;
  return Math.min(1, strength);
}

/** "today", "yesterday", "3 days ago", "last week", "3 weeks ago", "2 months ago", "over a year ago". */
export function whenInWords(at: Date, now: Date): string {
  const days = Math.max(0, Math.floor((startOfDay(now) - startOfDay(at)) / DAY_MS));
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days < 7) return `${days} days ago`;
  if (days < 14) return 'last week';
  if (days < 60) return `${Math.floor(days / 7)} weeks ago`;
  if (days < 365) return `${Math.floor(days / 30)} months ago`;
  return 'over a year ago';
}

function startOfDay(date: Date): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

function cohortWords(group: SharedGroup): string | null {
  if (group.kind !== 'ALUMNI' || !group.cohort) return null;
  return `the ${group.cohort} cohort of ${group.institution ?? group.name}`;
}

/** The strongest group first (then by name). */
function byStrength(groups: readonly SharedGroup[]): SharedGroup[] {
  return [...groups].sort((a, b) => groupStrength(b) - groupStrength(a) || a.name.localeCompare(b.name));
}

function groupsScore(groups: readonly SharedGroup[]): number {
  return byStrength(groups).reduce(
    (sum, group, index) => sum + WEIGHTS.group * groupStrength(group) * (index === 0 ? 1 : WEIGHTS.moreGroups),
    0,
  );
}

function conversationScore(at: Date, now: Date): number {
  const days = Math.max(0, (now.getTime() - at.getTime()) / DAY_MS);
  return WEIGHTS.conversation * 0.5 ** (days / WEIGHTS.conversationHalfLifeDays);
}

/** The reasons one side gives, in words seen from the requester ("you") or about the target (by name). */
function sideReasons(link: Link, side: 'requester' | 'target', targetName: string, now: Date): Reason[] {
  const reasons: Reason[] = [];
  if (side === 'target') {
    // A mentorship and a direct conversation are the broker's and the target's alone (mentorship.policy,
    // chat): they weigh in the ranking, but the words say only that the broker knows them, and only
    // when no group they share (one the requester sees) already says why the broker is listed.
    const weight =
      (link.mentorship ? WEIGHTS.mentorship : 0) +
      (link.lastDirectMessageAt ? conversationScore(link.lastDirectMessageAt, now) : 0);
    if (weight > 0) {
      reasons.push({ words: link.groups.length > 0 ? '' : `knows ${targetName} personally`, weight });
    }
  } else if (link.mentorship) {
    reasons.push({
      words: link.mentorship === 'MENTORS_THEM' ? 'mentors you' : 'you mentor them',
      weight: WEIGHTS.mentorship,
    });
  }
  const [best] = byStrength(link.groups);
  if (best) {
    const cohort = cohortWords(best);
    const words =
      side === 'requester'
        ? cohort
          ? `you were both in ${cohort}`
          : `you are both in ${best.name}`
        : cohort
          ? `was in ${cohort} with ${targetName}`
          : `is in ${best.name} with ${targetName}`;
    reasons.push({ words, weight: groupsScore(link.groups) });
  }
  if (side === 'requester' && link.lastDirectMessageAt) {
    const when = whenInWords(link.lastDirectMessageAt, now);
    reasons.push({
      words: `talked with you ${when}`,
      weight: conversationScore(link.lastDirectMessageAt, now),
    });
  }
  return reasons;
}

/** One broker's score and reasons, strongest reason first. */
export function scoreBroker(candidate: BrokerCandidate, targetName: string, now: Date): ScoredBroker {
  const reasons = [
    ...sideReasons(candidate.links.requester, 'requester', targetName, now),
    ...sideReasons(candidate.links.target, 'target', targetName, now),
  ];
  const connected = Math.min(candidate.connectedIntroductions, WEIGHTS.maxConnected);
  if (candidate.connectedIntroductions > 0) {
    const n = candidate.connectedIntroductions;
    reasons.push({
      words: n === 1 ? 'made an introduction that connected' : `made ${n} introductions that connected`,
      weight: WEIGHTS.connectedIntroduction * connected,
    });
  }
  // Stable: equal weights keep the order above (the requester's side first).
  const ordered = reasons.map((reason, index) => ({ reason, index }));
  ordered.sort((a, b) => b.reason.weight - a.reason.weight || a.index - b.index);
  const score = reasons.reduce((sum, reason) => sum + reason.weight, 0);
  return {
    id: candidate.id,
    reasons: ordered.map(({ reason }) => reason.words).filter((words) => words !== ''),
    score: Math.round(score * 100) / 100,
  };
}

/** The brokers best first (score, then name, then id), at most `limit`. */
export function rankBrokers(
  candidates: readonly BrokerCandidate[],
  targetName: string,
  now: Date,
  limit: number,
): ScoredBroker[] {
  const names = new Map(candidates.map((candidate) => [candidate.id, candidate.name]));
  return candidates
    .map((candidate) => scoreBroker(candidate, targetName, now))
    .sort(
      (a, b) =>
        b.score - a.score ||
        names.get(a.id)!.localeCompare(names.get(b.id)!) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    )
    .slice(0, limit);
}
