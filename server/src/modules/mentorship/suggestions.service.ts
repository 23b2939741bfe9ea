import type { DbClient } from '../../db.js';
import { Prisma } from '../../generated/prisma/client.js';
import type {
  FieldVisibility,
  GroupKind,
  MentorAskScope,
  MentorHelpKind,
  MentoringCadence,
  MentoringFormat,
  SkillLevel,
} from '../../generated/prisma/enums.js';
import { audienceOf, sharedWithViewerSql, slugOf } from '../people/index.js';
import type { WorkingHours } from './mentorship.inputs.js';
import { canSeeMentorField, type MentorField, mentorVisibilitiesOf } from './mentorship.policy.js';
import { InstantCache } from './suggestions.hours.js';
import {
  applyTopFairness,
  type CandidateFacts,
  type MenteeFacts,
  type Perspective,
  rankCandidates,
  type Scored,
  scoreCandidate,
  TOP_HOLD_MS,
} from './suggestions.scoring.js';
import {
  menteeGroupsSql,
  mentorFieldSeenSql,
  mentorInGroupSql,
  sharedGroupsJsonSql,
  suggestibleMentorSql,
} from './suggestions.policy.js';

// mentorSuggestions: the mentee's needs (one statement), every candidate mentor with all a score
// needs (ONE statement: exclusions, filters and a cheap relevance order in SQL, bounded by
// CANDIDATE_LIMIT), scoring and fairness in code (suggestions.scoring.ts), then the top
// suggestion's hold (one statement, only when the mentee looks themselves).

/** The most relevant candidates the statement returns (by skills covered, a shared group, help offered). */
export const CANDIDATE_LIMIT = 100;
export const MAX_SUGGESTIONS = 50;
export const DEFAULT_SUGGESTIONS = 10;

export interface SuggestionFilter {
  helpKind?: MentorHelpKind | null;
  format?: MentoringFormat | null;
  /** A BCP 47 tag; its language matches any region ("pt" finds pt-BR). */
  language?: string | null;
  /** A skill name or slug the mentor must show among their expertise. */
  skill?: string | null;
}

export interface CandidateRow {
  userId: string;
  name: string;
  helpOffered: MentorHelpKind[];
  capacity: number;
  accepting: boolean;
  formats: MentoringFormat[];
  cadences: MentoringCadence[];
  timeZone: string;
  weeklyHours: Prisma.JsonValue;
  languages: string[];
  askScope: MentorAskScope;
  createdAt: Date;
  updatedAt: Date;
  expertiseVisibility: FieldVisibility;
  helpOfferedVisibility: FieldVisibility;
  capacityVisibility: FieldVisibility;
  formatsVisibility: FieldVisibility;
  cadencesVisibility: FieldVisibility;
  weeklyHoursVisibility: FieldVisibility;
  languagesVisibility: FieldVisibility;
  askScopeVisibility: FieldVisibility;
  sharesGroup: boolean;
  active: number;
  skills: Array<{ skillId: string; level: SkillLevel }>;
  groups: Array<{ id: string; name: string; kind: GroupKind }>;
  ratings: number;
  ratingAverage: number | null;
  reviews: number;
  recommends: number;
  topHolders: number;
  heldByMentee: boolean;
}

export interface Suggestion extends Scored {
  row: CandidateRow;
}

export async function loadMenteeFacts(db: DbClient, menteeId: string): Promise<MenteeFacts | null> {
  const rows = await db.$queryRaw<
    Array<Omit<MenteeFacts, 'skills' | 'weeklyHours'> & { skills: MenteeFacts['skills']; weeklyHours: unknown }>
  >`SELECT n."userId" AS id, n."helpWanted"::text[] AS "helpWanted", n.formats::text[] AS formats,
      n.cadence::text AS cadence, n.languages, n."timeZone", n."weeklyHours",
      COALESCE((SELECT json_agg(json_build_object('skillId', s."skillId", 'name', k.name,
          'currentLevel', s."currentLevel", 'wantedLevel', s."wantedLevel") ORDER BY s.position)
        FROM "MenteeSkill" s JOIN "Skill" k ON k.id = s."skillId" WHERE s."userId" = n."userId"), '[]'::json) AS skills
    FROM "MenteeNeeds" n WHERE n."userId" = ${menteeId}::uuid`;
  const row = rows[0];
  if (!row) return null;
  return { ...row, weeklyHours: (row.weeklyHours ?? []) as WorkingHours[] };
}

// Whether the mentor shares a group with the mentee, computed once per mentor (the column `u.shares`).
const SHARES_SUBQUERY = Prisma.sql`uu.id IN (SELECT id FROM shared)`;
const SHARED = Prisma.sql`u.shares`;

/** The candidate statement (exported so the benchmark and tests can inspect its plan). */
export function candidateStatement(
  mentee: MenteeFacts,
  options: { groupId: string | null; filter: SuggestionFilter; now: Date },
): Prisma.Sql {
  const menteeId = mentee.id;
  const skillIds = mentee.skills.map((skill) => skill.skillId);
  const conditions: Prisma.Sql[] = [suggestibleMentorSql(menteeId, Prisma.raw('act.active'))];
  if (options.groupId) conditions.push(mentorInGroupSql(options.groupId));
  const { helpKind, format, language, skill } = options.filter;
  // A filter only finds a mentor by a field the mentee may see.
  if (helpKind) {
    conditions.push(Prisma.sql`(${mentorFieldSeenSql('helpOffered', SHARED)}
      AND ${helpKind}::text::"MentorHelpKind" = ANY(mp."helpOffered"))`);
  }
  if (format) {
    conditions.push(Prisma.sql`(${mentorFieldSeenSql('formats', SHARED)}
      AND ${format}::text::"MentoringFormat" = ANY(mp.formats))`);
  }
  if (language) {
    const primary = language.split('-')[0]!.toLowerCase();
    conditions.push(Prisma.sql`(${mentorFieldSeenSql('languages', SHARED)} AND EXISTS (SELECT 1 FROM unnest(mp.languages) l
      WHERE lower(split_part(l, '-', 1)) = ${primary}))`);
  }
  if (skill) {
    conditions.push(Prisma.sql`(${mentorFieldSeenSql('expertise', SHARED)} AND EXISTS (SELECT 1 FROM "MentorSkill" fs
      JOIN "Skill" fk ON fk.id = fs."skillId" WHERE fs."mentorId" = mp."userId" AND fk.slug = ${slugOf(skill)}))`);
  }
  const since = new Date(options.now.getTime() - TOP_HOLD_MS);
  const wanted = mentee.helpWanted.length > 0 ? mentee.helpWanted : ['NONE'];
  // First the bounded list of candidates (the exclusions, the filters and a cheap relevance order
  // over every mentor), then what scoring needs for those only.
  return Prisma.sql`WITH shared AS MATERIALIZED (${sharedWithViewerSql(menteeId)}),
    mentee_groups AS MATERIALIZED (${menteeGroupsSql(menteeId)}),
    candidates AS MATERIALIZED (
      SELECT mp."userId" AS id, act.active, u.shares
      FROM "MentorProfile" mp
      -- The mentor's own row by key (OFFSET 0 keeps it a per-mentor lookup: otherwise the planner
      -- checks standing and blocks on every member before joining the mentors).
      CROSS JOIN LATERAL (SELECT uu.id, uu."suspendedAt", uu."profileHiddenAt", ${SHARES_SUBQUERY} AS shares
        FROM "User" uu WHERE uu.id = mp."userId" OFFSET 0) u
      CROSS JOIN LATERAL (SELECT count(*)::int AS active FROM "Mentorship" am
        WHERE am."mentorId" = mp."userId" AND am.status = 'ACTIVE') act
      WHERE ${Prisma.join(conditions, ' AND ')}
      ORDER BY
        (CASE WHEN ${mentorFieldSeenSql('expertise', SHARED)} THEN (SELECT count(*) FROM "MentorSkill" hs
          WHERE hs."mentorId" = mp."userId" AND hs."skillId" = ANY(${skillIds}::uuid[])) ELSE 0 END) DESC,
        u.shares DESC,
        (${mentorFieldSeenSql('helpOffered', SHARED)} AND mp."helpOffered"::text[] && ${wanted}::text[]) DESC,
        mp."userId"
      LIMIT ${CANDIDATE_LIMIT})
    SELECT mp."userId", u.name, mp."helpOffered"::text[] AS "helpOffered", mp.capacity, mp.accepting,
      mp.formats::text[] AS formats, mp.cadences::text[] AS cadences, mp."timeZone", mp."weeklyHours",
      mp.languages, mp."askScope"::text AS "askScope", mp."createdAt", mp."updatedAt",
      mp."expertiseVisibility"::text AS "expertiseVisibility", mp."helpOfferedVisibility"::text AS "helpOfferedVisibility",
      mp."capacityVisibility"::text AS "capacityVisibility", mp."formatsVisibility"::text AS "formatsVisibility",
      mp."cadencesVisibility"::text AS "cadencesVisibility", mp."weeklyHoursVisibility"::text AS "weeklyHoursVisibility",
      mp."languagesVisibility"::text AS "languagesVisibility", mp."askScopeVisibility"::text AS "askScopeVisibility",
      c.shares AS "sharesGroup",
      c.active,
      CASE WHEN ${mentorFieldSeenSql('expertise', Prisma.sql`c.shares`)} THEN COALESCE((SELECT json_agg(json_build_object('skillId', ms."skillId", 'level', ms.level))
        FROM "MentorSkill" ms WHERE ms."mentorId" = mp."userId" AND ms."skillId" = ANY(${skillIds}::uuid[])), '[]'::json)
        ELSE '[]'::json END AS skills,
      CASE WHEN c.shares THEN ${sharedGroupsJsonSql()} ELSE '[]'::json END AS groups,
      fb.ratings, fb."ratingAverage", rv.reviews, rv.recommends,
      (SELECT count(*)::int FROM "MentorTopSuggestion" t WHERE t."mentorId" = mp."userId"
        AND t."shownAt" > ${since} AND t."menteeId" <> ${menteeId}::uuid) AS "topHolders",
      EXISTS (SELECT 1 FROM "MentorTopSuggestion" t WHERE t."menteeId" = ${menteeId}::uuid
        AND t."mentorId" = mp."userId" AND t."shownAt" > ${since}) AS "heldByMentee"
    FROM candidates c
    JOIN "MentorProfile" mp ON mp."userId" = c.id
    JOIN "User" u ON u.id = c.id
    CROSS JOIN LATERAL (SELECT count(*)::int AS ratings, avg(f.rating)::float8 AS "ratingAverage"
      FROM "Mentorship" fm JOIN "CheckIn" ci ON ci."mentorshipId" = fm.id
      JOIN "CheckInFeedback" f ON f."checkInId" = ci.id AND f."authorId" = fm."menteeId"
      WHERE fm."mentorId" = mp."userId") fb
    CROSS JOIN LATERAL (SELECT count(*)::int AS reviews, count(*) FILTER (WHERE r."wouldRecommend")::int AS recommends
      FROM "Mentorship" rm JOIN "MentorshipReview" r ON r."mentorshipId" = rm.id AND r."authorId" = rm."menteeId"
      WHERE rm."mentorId" = mp."userId") rv`;
}

/** What the mentee may see of one candidate, as scoring facts. */
export function candidateFacts(row: CandidateRow, menteeId: string): CandidateFacts {
  const visibilities = mentorVisibilitiesOf(row);
  const audience = audienceOf(menteeId, row.userId, row.sharesGroup);
  const sees = (field: MentorField) => canSeeMentorField(visibilities, field, audience);
  return {
    id: row.userId,
    capacity: row.capacity,
    active: row.active,
    // The statement already left out expertise the mentee may not see.
    expertise: row.skills,
    helpOffered: sees('helpOffered') ? row.helpOffered : null,
    formats: sees('formats') ? row.formats : null,
    cadences: sees('cadences') ? row.cadences : null,
    languages: sees('languages') ? row.languages : null,
    hours: sees('weeklyHours')
      ? { timeZone: row.timeZone, weeklyHours: (row.weeklyHours ?? []) as unknown as WorkingHours[] }
      : null,
    capacityShown: sees('capacity'),
    sharedGroups: row.groups,
    feedback: {
      ratings: row.ratings,
      ratingAverage: row.ratingAverage,
      reviews: row.reviews,
      recommends: row.recommends,
    },
    topHolders: row.topHolders,
    heldByMentee: row.heldByMentee,
  };
}

export interface SuggestOptions {
  groupId: string | null;
  filter: SuggestionFilter;
  first: number;
  now: Date;
  /** MENTEE: the mentee looks (their top suggestion is held); ADMIN: a program admin looks (nothing is written). */
  perspective: Perspective;
}

/** The mentee's suggestions, best first, fairness applied; [] without mentee needs. */
export async function suggestMentors(db: DbClient, menteeId: string, options: SuggestOptions): Promise<Suggestion[]> {
  const mentee = await loadMenteeFacts(db, menteeId);
  if (!mentee) return [];
  const rows = await db.$queryRaw<CandidateRow[]>(candidateStatement(mentee, options));
  const cache: InstantCache = new InstantCache();
  const byId = new Map(rows.map((row) => [row.userId, row]));
  const ranked = rankCandidates(
    rows.map((row) => scoreCandidate(mentee, candidateFacts(row, menteeId), options.now, options.perspective, cache)),
  );
  const { ordered, top } = applyTopFairness(ranked);
  if (options.perspective === 'MENTEE') await holdTop(db, menteeId, top?.candidate.id ?? null, options.now);
  return ordered.slice(0, options.first).map((scored) => ({ ...scored, row: byId.get(scored.candidate.id)! }));
}

/**
 * Records the mentee's current top suggestion (one row per mentee), or forgets it when there is
 * none. A race between two mentees looking at the same moment can let both take the last place:
 * a suggestion is advice, not a booking, so it is not worth a lock (requests lock the mentor).
 */
async function holdTop(db: DbClient, menteeId: string, mentorId: string | null, now: Date): Promise<void> {
  if (mentorId === null) {
    await db.$executeRaw`DELETE FROM "MentorTopSuggestion" WHERE "menteeId" = ${menteeId}::uuid`;
    return;
  }
  await db.$executeRaw`INSERT INTO "MentorTopSuggestion" ("menteeId", "mentorId", "shownAt")
    VALUES (${menteeId}::uuid, ${mentorId}::uuid, ${now})
    ON CONFLICT ("menteeId") DO UPDATE SET "mentorId" = EXCLUDED."mentorId", "shownAt" = EXCLUDED."shownAt"`;
}
