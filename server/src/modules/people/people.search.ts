import type { DbClient } from '../../db.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { OpenTo } from '../../generated/prisma/enums.js';
import { ValidationError } from '../../lib/errors.js';
import { isUuid } from '../../lib/ids.js';
import { notKeptApartSql } from './blocking.policy.js';
import { fieldVisibleSql, sharedWithViewerSql, standingSeenSql } from './people.policy.js';
import { slugOf } from './people.inputs.js';
import { PROFILE_COLUMNS, profileAggregatesSql, toProfileRow, type ProfileRow } from './profile.loader.js';

// Directory search in ONE statement: match, rank, count, page and read the page's profiles.
// Every condition on a profile field is guarded by that field's visibility for this viewer,
// so nobody is found by a skill or headline they hid from the viewer.
//
// Order: exact skill match first, then text rank (whole name, part of the name, headline), then
// name, then id (a total order, so the
// keyset cursor [exact, rank, name, id] is stable).

export interface PeopleFilterInput {
  text?: string | null;
  skills?: readonly string[] | null;
  /** Group row id (already decoded); null when the given id named no group. */
  groupId?: string | null;
  /** True when a groupId was asked for, even an undecodable one (then nobody matches). */
  groupAsked?: boolean;
  openTo?: readonly OpenTo[] | null;
  timeZones?: readonly string[] | null;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface SearchOptions {
  /** Count every match (totalCount)? Only when the query asks for it: it is most of the work. */
  count?: boolean;
  /** Whether the viewer is an instance admin (the safety module's rule): they see hidden profiles' words. */
  viewerIsAdmin?: boolean;
}

export interface SearchHit {
  cursor: string;
  row: ProfileRow;
}

export interface SearchResult {
  hits: SearchHit[];
  /** null when not counted (SearchOptions.count false). */
  totalCount: number | null;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

const DEFAULT_PAGE = 20;
const MAX_TERMS = 8;
const MAX_FILTER_VALUES = 20;

/** Words of the free text, each as a prefix query term ("ada:*"); letters and digits only, so safe for to_tsquery. */
export function searchTerms(text: string | null | undefined): string[] {
  const words =
    (text ?? '')
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.map((word) => word.slice(0, 50)))].slice(0, MAX_TERMS).map((word) => `${word}:*`);
}

type Key = [exact: number, rank: string, name: string, id: string];

export function encodeCursor(key: Key): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string): Key {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(key) &&
      key.length === 4 &&
      (key[0] === 0 || key[0] === 1) &&
      typeof key[1] === 'string' &&
      /^-?\d{1,6}(\.\d{1,12})?$/.test(key[1]) &&
      typeof key[2] === 'string' &&
      typeof key[3] === 'string' &&
      isUuid(key[3])
    ) {
      return key as Key;
    }
  } catch {
    // fall through
  }
  throw new ValidationError([{ path: 'after', message: 'That cursor is not valid here; start from the first page.' }]);
}

/**
 * "May this viewer see the members of this group?" is the groups module's rule (people does not
 * import groups): groups registers its policy's SQL here. Until it does, a group filter finds nobody.
 */
export interface DirectoryGroupFilter {
  /** A boolean SQL expression: the viewer may see the members of the group `groupId`. */
  visibleSql(groupId: string, viewerId: string): Prisma.Sql;
}

let directoryGroupFilter: DirectoryGroupFilter = { visibleSql: () => Prisma.sql`false` };

export function registerDirectoryGroupFilter(filter: DirectoryGroupFilter): void {
  directoryGroupFilter = filter;
}

interface SearchStatement {
  sql: Prisma.Sql | null;
  size: number;
  backward: boolean;
  groupId: string | null;
}

/** The one statement of a search (exported so its plan can be inspected); sql null means "nobody". */
export function searchStatement(
  viewerId: string,
  filter: PeopleFilterInput,
  page: PageArgs,
  { count = true, viewerIsAdmin = false }: SearchOptions = {},
): SearchStatement {
  const visible = (field: Parameters<typeof fieldVisibleSql>[0]) => fieldVisibleSql(field, viewerId, viewerIsAdmin);
  // The directory is where people pickers find members (new direct message): a block hides each
  // of the two from the other. A suspended member is in nobody's directory.
  const conditions: Prisma.Sql[] = [
    notKeptApartSql('suggest', viewerId, Prisma.raw('u.id')),
    standingSeenSql('person', viewerId, viewerIsAdmin),
  ];
  // Sets of member ids each condition needs, as MATERIALIZED CTEs: computed once per statement,
  // never re-run per member (the planner would otherwise flatten them into per-row joins).
  const sets: Prisma.Sql[] = [];
  const terms = searchTerms(filter.text);

  terms.forEach((term, index) => {
    const query = Prisma.sql`to_tsquery('simple', ${term})`;
    const name = Prisma.raw(`term_skill_${index}`);
    sets.push(Prisma.sql`${name} AS MATERIALIZED (SELECT us."userId" AS id FROM "UserSkill" us
      JOIN "Skill" s ON s.id = us."skillId" WHERE to_tsvector('simple', s.name) @@ ${query})`);
    conditions.push(Prisma.sql`(u."nameSearch" @@ ${query}
      OR (u."headlineSearch" @@ ${query} AND ${visible('headline')})
      OR (${visible('skills')} AND u.id IN (SELECT id FROM ${name})))`);
  });

  const skillSlugs = [...new Set((filter.skills ?? []).map((name) => slugOf(name.trim())))].slice(0, MAX_FILTER_VALUES);
  // Filters that name a set of members (skills, group): CTEs of member ids (see `inSet` below).
  const drivers: Prisma.Sql[] = [];
  if (skillSlugs.length > 0) {
    // Every listed skill, and only when this viewer may see the member's skills.
    sets.push(Prisma.sql`skill_filter AS MATERIALIZED (
      SELECT us."userId" AS id FROM "UserSkill" us JOIN "Skill" s ON s.id = us."skillId"
      WHERE s.slug = ANY(${skillSlugs}::text[])
      GROUP BY us."userId" HAVING count(DISTINCT s.id) = ${skillSlugs.length})`);
    conditions.push(Prisma.sql`${visible('skills')}`);
    drivers.push(Prisma.raw('skill_filter'));
  }

  const openTo = [...new Set(filter.openTo ?? [])];
  if (openTo.length > 0) {
    conditions.push(Prisma.sql`(${visible('openTo')} AND u."openTo" && ${openTo}::text[]::"OpenTo"[])`);
  }

  const timeZones = [...new Set(filter.timeZones ?? [])].slice(0, MAX_FILTER_VALUES);
  if (timeZones.length > 0) {
    conditions.push(Prisma.sql`(${visible('timeZone')} AND u."timeZone" = ANY(${timeZones}::text[]))`);
  }

  const groupId = filter.groupId && isUuid(filter.groupId) ? filter.groupId : null;
  const backward = page.first == null && page.last != null;
  const size = (backward ? page.last : page.first) ?? DEFAULT_PAGE;
  if (filter.groupAsked && !groupId) return { sql: null, size, backward, groupId };
  if (groupId) {
    // Members of a group whose member list the viewer may see (the rule of Group.members, from
    // the groups policy); a group whose members the viewer may not see has none here.
    sets.push(Prisma.sql`group_members AS MATERIALIZED (
      SELECT m."userId" AS id FROM "Membership" m WHERE m."groupId" = ${groupId}::uuid
        AND ${directoryGroupFilter.visibleSql(groupId, viewerId)})`);
    drivers.push(Prisma.raw('group_members'));
  }

  // Without text, the sets drive the scan: `u.id = ANY(ARRAY(...))` reads just those members by
  // primary key. With text the text's candidates drive it (below) and a set is a hashed `IN`
  // filter: ANY over an array that is not a constant is searched linearly, per member.
  const inSet = (set: Prisma.Sql) =>
    terms.length === 0
      ? Prisma.sql`u.id = ANY(ARRAY(SELECT id FROM ${set}))`
      : Prisma.sql`u.id IN (SELECT id FROM ${set})`;
  conditions.push(...drivers.map(inSet));
  const where = conditions.length > 0 ? Prisma.join(conditions, ' AND ') : Prisma.sql`true`;
  const limit = size + 1;
  const cursor = backward ? page.before : page.after;
  const key = cursor ? decodeCursor(cursor) : null;

  let ranked: Prisma.Sql;
  if (terms.length === 0) {
    // No text: everyone ties on exact and rank, so the order is (name, id) and an index on
    // exactly that serves the page; the count is a separate (inlined) scan.
    const keyset = !key
      ? Prisma.sql`true`
      : backward
        ? Prisma.sql`(u.name, u.id) < (${key[2]}, ${key[3]}::uuid)`
        : Prisma.sql`(u.name, u.id) > (${key[2]}, ${key[3]}::uuid)`;
    ranked = Prisma.sql`
      total AS (${count ? Prisma.sql`SELECT count(*)::int AS total FROM "User" u WHERE ${where}` : Prisma.sql`SELECT NULL::int AS total`}),
      page AS (SELECT u.id, u.name, 0 AS exact, 0::numeric AS rank FROM "User" u WHERE ${where} AND ${keyset}
               ORDER BY u.name ${backward ? Prisma.sql`DESC` : Prisma.sql`ASC`}, u.id ${backward ? Prisma.sql`DESC` : Prisma.sql`ASC`}
               LIMIT ${limit})`;
  } else {
    const textSlug = slugOf(filter.text ?? '');
    if (textSlug) {
      sets.push(Prisma.sql`exact_skill AS MATERIALIZED (SELECT us."userId" AS id FROM "UserSkill" us
        JOIN "Skill" s ON s.id = us."skillId" WHERE s.slug = ${textSlug})`);
    }
    const exact = textSlug
      ? Prisma.sql`(CASE WHEN ${visible('skills')} AND u.id IN (SELECT id FROM exact_skill) THEN 1 ELSE 0 END)`
      : Prisma.sql`0`;
    const anyTerm = Prisma.sql`to_tsquery('simple', ${terms.join(' | ')})`;
    // Which fields matched, not ts_rank: as useful for names and headlines this short, and cheap
    // enough for a word half the directory has in its headline.
    const allTerms = Prisma.sql`to_tsquery('simple', ${terms.join(' & ')})`;
    // (With one word "all" and "any" are the same test: made once.)
    const nameRank =
      terms.length === 1
        ? Prisma.sql`(CASE WHEN u."nameSearch" @@ ${anyTerm} THEN 4 ELSE 0 END)`
        : Prisma.sql`(CASE WHEN u."nameSearch" @@ ${allTerms} THEN 4 WHEN u."nameSearch" @@ ${anyTerm} THEN 2 ELSE 0 END)`;
    const rank = Prisma.sql`(${nameRank}
        + (CASE WHEN u."headlineSearch" @@ ${anyTerm} AND ${visible('headline')} THEN 1 ELSE 0 END))::numeric`;
    // Any word in the name, the headline or a skill: an OR the planner answers from the two GIN
    // indexes and the primary key (a BitmapOr), so only these candidates are read, each once;
    // `where` then holds the exact, visibility-aware test of every word. (ANY over the skill
    // holders' array is fine as an index condition; as a per-member filter it would be a linear
    // search, which is why every other set here is a hashed IN.)
    if (terms.length > 1) {
      sets.push(Prisma.sql`any_skill AS MATERIALIZED (SELECT us."userId" AS id FROM "UserSkill" us
        JOIN "Skill" s ON s.id = us."skillId" WHERE to_tsvector('simple', s.name) @@ ${anyTerm})`);
    }
    const anySkill = Prisma.raw(terms.length > 1 ? 'any_skill' : 'term_skill_0');
    const candidate = Prisma.sql`(u."nameSearch" @@ ${anyTerm} OR u."headlineSearch" @@ ${anyTerm}
      OR u.id = ANY(ARRAY(SELECT id FROM ${anySkill})))`;
    let keyset = Prisma.sql`true`;
    if (key) {
      const [e, r, n, id] = key;
      // Forward: after the key in (exact DESC, rank DESC, name ASC, id ASC); backward: before it.
      keyset = backward
        ? Prisma.sql`(exact > ${e} OR (exact = ${e} AND (rank > ${r}::numeric OR (rank = ${r}::numeric
            AND (name < ${n} OR (name = ${n} AND id < ${id}::uuid))))))`
        : Prisma.sql`(exact < ${e} OR (exact = ${e} AND (rank < ${r}::numeric OR (rank = ${r}::numeric
            AND (name > ${n} OR (name = ${n} AND id > ${id}::uuid))))))`;
    }
    const order = backward
      ? Prisma.sql`exact ASC, rank ASC, name DESC, id DESC`
      : Prisma.sql`exact DESC, rank DESC, name ASC, id ASC`;
    ranked = Prisma.sql`
      matched AS MATERIALIZED (
        SELECT u.id, u.name, ${exact} AS exact, ${rank} AS rank
        FROM "User" u WHERE ${candidate} AND ${where}),
      total AS (SELECT ${count ? Prisma.sql`count(*)::int` : Prisma.sql`NULL::int`} AS total${count ? Prisma.sql` FROM matched` : Prisma.empty}),
      page AS (SELECT * FROM matched WHERE ${keyset} ORDER BY ${order} LIMIT ${limit})`;
  }
  const pageOrder = backward
    ? Prisma.sql`page.exact ASC, page.rank ASC, page.name DESC, page.id DESC`
    : Prisma.sql`page.exact DESC, page.rank DESC, page.name ASC, page.id ASC`;

  const sql = Prisma.sql`
    WITH shared AS MATERIALIZED (${sharedWithViewerSql(viewerId)}),
    ${sets.length > 0 ? Prisma.sql`${Prisma.join(sets, ',\n')},` : Prisma.empty}
    ${ranked},
    ${profileAggregatesSql(Prisma.sql`ARRAY(SELECT id FROM page)`)}
    SELECT total.total,
      page.exact, page.rank::text AS "rankText", ${PROFILE_COLUMNS}
    FROM total LEFT JOIN page ON true LEFT JOIN "User" u ON u.id = page.id
      LEFT JOIN sk ON sk."userId" = u.id LEFT JOIN lk ON lk."userId" = u.id
    ORDER BY ${pageOrder}`;
  return { sql, size, backward, groupId };
}

export async function searchPeople(
  db: DbClient,
  viewerId: string,
  filter: PeopleFilterInput,
  page: PageArgs,
  options: SearchOptions = {},
): Promise<SearchResult> {
  const { sql, size, backward } = searchStatement(viewerId, filter, page, options);
  const nobody = {
    hits: [],
    totalCount: options.count === false ? null : 0,
    hasNextPage: false,
    hasPreviousPage: false,
  };
  if (!sql) return nobody;
  const rows =
    await db.$queryRaw<
      Array<
        Record<string, unknown> & {
          total: number;
          exact: number | null;
          rankText: string | null;
        }
      >
    >(sql);

  const first = rows[0];
  const found = rows.filter((row) => row.id != null);
  const more = found.length > size;
  const pageRows = found.slice(0, size);
  if (backward) pageRows.reverse();
  const hits = pageRows.map((raw) => {
    const row = toProfileRow(raw as unknown as Parameters<typeof toProfileRow>[0]);
    return { row, cursor: encodeCursor([Number(raw.exact), String(raw.rankText), row.name, row.id]) };
  });
  return {
    hits,
    totalCount: options.count === false ? null : (first?.total ?? 0),
    hasNextPage: backward ? page.before != null : more,
    hasPreviousPage: backward ? more : page.after != null,
  };
}
