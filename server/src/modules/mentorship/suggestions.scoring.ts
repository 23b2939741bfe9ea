import type {
  GroupKind,
  MentorHelpKind,
  MentoringCadence,
  MentoringFormat,
  SkillLevel,
} from '../../generated/prisma/enums.js';
import type { WorkingHours } from './mentorship.inputs.js';
import { InstantCache, sharedMinutesThisWeek, type Weekly } from './suggestions.hours.js';

// Scoring a mentee's candidate mentors, in code and deterministically: the same facts give the
// same score, reasons and order. The candidate statement (suggestions.service.ts) hands over only
// what the mentee may see of each mentor (a hidden field is null here), so no reason tells what a
// mentor chose not to show.

export const MATCH_REASON_KINDS = [
  'SKILLS',
  'HELP',
  'SHARED_GROUP',
  'HOURS',
  'FORMAT',
  'CADENCE',
  'LANGUAGE',
  'CAPACITY',
  'FEEDBACK',
] as const;
export type MatchReasonKind = (typeof MATCH_REASON_KINDS)[number];

export interface MatchReason {
  kind: MatchReasonKind;
  text: string;
}

export interface MenteeFacts {
  id: string;
  skills: ReadonlyArray<{ skillId: string; name: string; currentLevel: SkillLevel | null; wantedLevel: SkillLevel }>;
  helpWanted: readonly MentorHelpKind[];
  formats: readonly MentoringFormat[];
  cadence: MentoringCadence | null;
  languages: readonly string[];
  timeZone: string;
  weeklyHours: readonly WorkingHours[];
}

export interface CandidateFacts {
  id: string;
  capacity: number;
  /** ACTIVE mentorships now. */
  active: number;
  /** The mentor's expertise among the mentee's skills; null when hidden from the mentee. */
  expertise: ReadonlyArray<{ skillId: string; level: SkillLevel }> | null;
  helpOffered: readonly MentorHelpKind[] | null;
  formats: readonly MentoringFormat[] | null;
  cadences: readonly MentoringCadence[] | null;
  languages: readonly string[] | null;
  hours: Weekly | null;
  /** Whether the mentee may see the capacity (then "has room for …" is a reason). */
  capacityShown: boolean;
  sharedGroups: ReadonlyArray<{ id: string; name: string; kind: GroupKind }>;
  /** Check-in ratings (1–5) given by the mentor's mentees, and their exit reviews. */
  feedback: { ratings: number; ratingAverage: number | null; reviews: number; recommends: number };
  /** Other mentees now holding this mentor as their top suggestion (suggestions.fairness). */
  topHolders: number;
  /** The mentee holds this mentor as their top suggestion now. */
  heldByMentee: boolean;
}

/** Whose suggestions the words are about: the mentee's own ("your"), or a member's seen by a program admin ("their"). */
export type Perspective = 'MENTEE' | 'ADMIN';

export interface Scored {
  candidate: CandidateFacts;
  score: number;
  reasons: MatchReason[];
}

// Points, out of about 110. Skills lead; shared time and community come next; the rest break ties.
export const WEIGHTS = {
  /** All of the mentee's skills covered at the wanted level. */
  skills: 40,
  /** Every kind of help wanted is offered. */
  help: 10,
  /** Per shared group, alumni and program groups count more; capped. */
  alumniOrProgramGroup: 8,
  communityGroup: 3,
  groupsCap: 15,
  /** Reached at FULL_HOURS_MINUTES of shared working time a week. */
  hours: 15,
  format: 5,
  cadence: 5,
  language: 8,
  /** Reached at 3 free places. */
  capacity: 4,
  /** From the average rating (1 → 0, 5 → full) and the share of mentees who would recommend. */
  rating: 6,
  recommend: 6,
} as const;
const FULL_HOURS_MINUTES = 4 * 60;

const LEVEL: Record<SkillLevel, number> = { LEARNING: 1, WORKING: 2, EXPERT: 3 };

const HELP_WORDS: Record<MentorHelpKind, string> = {
  TECHNICAL_SKILLS: 'technical skills',
  CAREER_GUIDANCE: 'career guidance',
  LEADERSHIP: 'leadership',
  JOB_SEARCH: 'job search',
  WORK_LIFE_BALANCE: 'work–life balance',
  NETWORKING: 'networking',
};
const HELP_ORDER = Object.keys(HELP_WORDS) as MentorHelpKind[];
const FORMAT_WORDS: Record<MentoringFormat, string> = {
  VIDEO: 'by video call',
  CHAT: 'by chat',
  IN_PERSON: 'in person',
  PHONE: 'by phone',
};
const FORMAT_ORDER = Object.keys(FORMAT_WORDS) as MentoringFormat[];
const CADENCE_WORDS: Record<MentoringCadence, string> = {
  WEEKLY: 'weekly',
  BIWEEKLY: 'every two weeks',
  MONTHLY: 'monthly',
};

/** "a", "a and b", "a, b and c" (or "or"). */
export function listWords(words: readonly string[], last: 'and' | 'or' = 'and'): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} ${last} ${words.at(-1)}`;
}

let languageNames: Intl.DisplayNames | undefined;
/** 'pt-BR' → 'Portuguese': the language, not the region (a mentee of pt-BR and a mentor of pt-PT talk). */
export function languageWord(tag: string): string {
  const primary = tag.split('-')[0]!.toLowerCase();
  try {
    languageNames ??= new Intl.DisplayNames(['en'], { type: 'language' });
    return languageNames.of(primary) ?? primary;
  } catch {
    return primary;
  }
}

/** "4 h", "1.5 h", "45 min": shared time rounded to the half hour (minutes under an hour). */
export function hoursWords(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 30) / 2;
  return Number.isInteger(hours) ? `${hours} h` : `${hours.toFixed(1)} h`;
}

function groupWords(group: { name: string; kind: GroupKind }): string {
  if (group.kind === 'ALUMNI') return `both alumni of ${group.name}`;
  if (group.kind === 'PROGRAM') return `both in the program ${group.name}`;
  return `both members of ${group.name}`;
}

const round = (value: number) => Math.round(value * 100) / 100;

export function scoreCandidate(
  mentee: MenteeFacts,
  candidate: CandidateFacts,
  now: Date,
  perspective: Perspective = 'MENTEE',
  cache: InstantCache = new InstantCache(),
): Scored {
  const your = perspective === 'MENTEE' ? 'your' : 'their';
  const reasons: MatchReason[] = [];
  let score = 0;

  // Skills, weighted by the level gap: a skill the mentee wants to move further counts more.
  // Covered: the mentor is at the wanted level or above (1), or above where the mentee is now (0.5).
  if (mentee.skills.length > 0 && candidate.expertise) {
    const levelOf = new Map(candidate.expertise.map((entry) => [entry.skillId, entry.level]));
    let weighted = 0;
    let total = 0;
    let covered = 0;
    let experts = 0;
    let onlyName = '';
    for (const skill of mentee.skills) {
      const gap = Math.max(1, LEVEL[skill.wantedLevel] - (skill.currentLevel ? LEVEL[skill.currentLevel] : 0));
      total += gap;
      const level = levelOf.get(skill.skillId);
      if (!level) continue;
      const fit =
        LEVEL[level] >= LEVEL[skill.wantedLevel]
          ? 1
          : LEVEL[level] > (skill.currentLevel ? LEVEL[skill.currentLevel] : 0)
            ? 0.5
            : 0;
      if (fit === 0) continue;
      weighted += gap * fit;
      covered += 1;
      if (level === 'EXPERT') experts += 1;
      onlyName = skill.name;
    }
    if (covered > 0) {
      score += (WEIGHTS.skills * weighted) / total;
      const expertWords =
        experts > 0 ? (mentee.skills.length === 1 ? ' at expert level' : `, ${experts} at expert level`) : '';
      reasons.push({
        kind: 'SKILLS',
        text:
          mentee.skills.length === 1
            ? `knows ${onlyName}${expertWords}`
            : `${covered} of ${your} ${mentee.skills.length} skills${expertWords}`,
      });
    }
  }

  if (mentee.helpWanted.length > 0 && candidate.helpOffered) {
    const offered = new Set(candidate.helpOffered);
    const both = HELP_ORDER.filter((kind) => mentee.helpWanted.includes(kind) && offered.has(kind));
    if (both.length > 0) {
      score += (WEIGHTS.help * both.length) / mentee.helpWanted.length;
      reasons.push({ kind: 'HELP', text: `offers ${listWords(both.map((kind) => HELP_WORDS[kind]))}` });
    }
  }

  // Alumni and program groups first (they say more about a shared background), then by name.
  const groups = [...candidate.sharedGroups].sort(
    (a, b) =>
      Number(b.kind !== 'COMMUNITY') - Number(a.kind !== 'COMMUNITY') ||
      a.name.localeCompare(b.name, 'en') ||
      a.id.localeCompare(b.id),
  );
  let groupPoints = 0;
  for (const group of groups) {
    groupPoints += group.kind === 'COMMUNITY' ? WEIGHTS.communityGroup : WEIGHTS.alumniOrProgramGroup;
  }
  score += Math.min(groupPoints, WEIGHTS.groupsCap);
  for (const group of groups.slice(0, 2)) reasons.push({ kind: 'SHARED_GROUP', text: groupWords(group) });

  if (candidate.hours && mentee.weeklyHours.length > 0 && candidate.hours.weeklyHours.length > 0) {
    const minutes = sharedMinutesThisWeek(mentee, candidate.hours, now, cache);
    if (minutes > 0) {
      score += (WEIGHTS.hours * Math.min(minutes, FULL_HOURS_MINUTES)) / FULL_HOURS_MINUTES;
      reasons.push({ kind: 'HOURS', text: `${hoursWords(minutes)} of shared working time a week` });
    }
  }

  if (mentee.formats.length > 0 && candidate.formats) {
    const both = FORMAT_ORDER.filter(
      (format) => mentee.formats.includes(format) && candidate.formats!.includes(format),
    );
    if (both.length > 0) {
      score += WEIGHTS.format;
      reasons.push({
        kind: 'FORMAT',
        text: `meets ${listWords(
          both.map((format) => FORMAT_WORDS[format]),
          'or',
        )}`,
      });
    }
  }

  if (mentee.cadence && candidate.cadences?.includes(mentee.cadence)) {
    score += WEIGHTS.cadence;
    reasons.push({
      kind: 'CADENCE',
      text: `meets ${CADENCE_WORDS[mentee.cadence]}, as ${perspective === 'MENTEE' ? 'you' : 'they'} asked`,
    });
  }

  if (mentee.languages.length > 0 && candidate.languages) {
    const spoken = new Set(candidate.languages.map(languageWord));
    const both = [...new Set(mentee.languages.map(languageWord))].filter((word) => spoken.has(word));
    if (both.length > 0) {
      score += WEIGHTS.language;
      reasons.push({ kind: 'LANGUAGE', text: `speaks ${listWords(both)}` });
    }
  }

  const room = candidate.capacity - candidate.active;
  if (candidate.capacityShown && room > 0) {
    score += (WEIGHTS.capacity * Math.min(room, 3)) / 3;
    reasons.push({ kind: 'CAPACITY', text: `has room for ${room} more mentee${room === 1 ? '' : 's'}` });
  }

  const { ratings, ratingAverage, reviews, recommends } = candidate.feedback;
  if (ratings > 0 && ratingAverage !== null) {
    score += (WEIGHTS.rating * (ratingAverage - 1)) / 4;
    reasons.push({ kind: 'FEEDBACK', text: `mentees rate their check-ins ${ratingAverage.toFixed(1)} of 5` });
  }
  if (reviews > 0) {
    score += (WEIGHTS.recommend * recommends) / reviews;
    reasons.push({
      kind: 'FEEDBACK',
      text: `${recommends} of ${reviews} former mentee${reviews === 1 ? '' : 's'} would recommend them`,
    });
  }

  return { candidate, score: round(score), reasons };
}

/** Best first; equal scores by mentor id, so the order never depends on the statement's. */
export function rankCandidates(scored: Scored[]): Scored[] {
  return [...scored].sort((a, b) => b.score - a.score || (a.candidate.id < b.candidate.id ? -1 : 1));
}

/**
 * Fairness: a mentor is the top suggestion of at most as many mentees at once as they have room for
 * (capacity minus ACTIVE mentorships). "At once" is a window (TOP_HOLD_MS): each mentee's current
 * top suggestion is stored (MentorTopSuggestion, one row per mentee) when they are shown it, and
 * counts against the mentor until it is older than the window or the mentee's top changes.
 * So of three similar mentees and a popular mentor with room for 1, the first to look sees that
 * mentor first; the other two see their next best first and the popular mentor further down
 * (still there: nobody is hidden, only not pushed at everyone). Deterministic for a given order
 * of requests; a mentee who keeps the mentor as top keeps their hold.
 *
 * Returns the ranked list with the first mentor who may be top moved to the front, and that
 * mentor (null when none has a free top place: the order then stays as scored).
 */
export function applyTopFairness(ranked: Scored[]): { ordered: Scored[]; top: Scored | null } {
  const index = ranked.findIndex(
    ({ candidate }) => candidate.heldByMentee || candidate.topHolders < candidate.capacity - candidate.active,
  );
  if (index < 0) return { ordered: ranked, top: null };
  const top = ranked[index]!;
  return { ordered: [top, ...ranked.slice(0, index), ...ranked.slice(index + 1)], top };
}

/** How long being shown a mentor first holds one of their free places for the top spot. */
export const TOP_HOLD_MS = 48 * 3600_000;
