import type { Context } from '../../context.js';
import type { DbClient } from '../../db.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { FieldVisibility, OpenTo, SkillLevel } from '../../generated/prisma/enums.js';
import { viewerIsInstanceAdmin } from './instance-admin.js';
import {
  audienceOf,
  maskProfile,
  maskStanding,
  type ProfileStanding,
  seesStanding,
  sharedWithViewerSql,
  standingOf,
  standingViewerOf,
  visibilitiesOf,
  type Masked,
} from './people.policy.js';

// Profiles are read with one SQL statement for every person a request touches (a page of the
// directory, a group's member list), with skills and links aggregated as JSON, then masked in JS
// with people.policy's rules (each field's visibility, and the member's standing). Directory search primes the loader from its own statement, so a page
// of people costs no extra statement at all.

export interface SkillData {
  id: string;
  name: string;
  slug: string;
}
export interface PersonSkillData {
  skill: SkillData;
  level: SkillLevel;
}
export interface LinkData {
  label: string;
  url: string;
}
export interface ProfileData {
  headline: string | null;
  bio: string;
  location: string | null;
  timeZone: string;
  skills: PersonSkillData[];
  openTo: OpenTo[];
  links: LinkData[];
}
export type VisibleProfile = Masked<ProfileData> & {
  /** What the instance's admins did to the member, for the member and the admins only (else null). */
  standing: ProfileStanding | null;
};

/** What PROFILE_COLUMNS yields for one member. */
export interface ProfileRow extends ProfileData {
  id: string;
  name: string;
  sharesGroup: boolean;
  headlineVisibility: FieldVisibility;
  bioVisibility: FieldVisibility;
  locationVisibility: FieldVisibility;
  timeZoneVisibility: FieldVisibility;
  skillsVisibility: FieldVisibility;
  openToVisibility: FieldVisibility;
  linksVisibility: FieldVisibility;
  /** The standing the instance's admins gave the member (people.policy STANDING_SIGHT). */
  suspendedAt: Date | null;
  profileHiddenAt: Date | null;
}

/**
 * The columns of one profile, for the User row aliased `u` joined to the `sk` and `lk` rows of
 * profileAggregatesSql (needs the `shared` CTE).
 */
export const PROFILE_COLUMNS = Prisma.sql`u.id, u.name, u.headline, u.bio, u.location, u."timeZone",
  u."openTo"::text[] AS "openTo",
  u."headlineVisibility"::text AS "headlineVisibility", u."bioVisibility"::text AS "bioVisibility",
  u."locationVisibility"::text AS "locationVisibility", u."timeZoneVisibility"::text AS "timeZoneVisibility",
  u."skillsVisibility"::text AS "skillsVisibility", u."openToVisibility"::text AS "openToVisibility",
  u."linksVisibility"::text AS "linksVisibility", u."suspendedAt", u."profileHiddenAt",
  (u.id IN (SELECT id FROM shared)) AS "sharesGroup",
  COALESCE(sk.skills, '[]'::json) AS skills, COALESCE(lk.links, '[]'::json) AS links`;

/**
 * Two CTEs, `sk` and `lk`: the skills and links of the members `ids` (a uuid[] expression),
 * aggregated per member in one pass each. `= ANY(array)` lets the planner use the userId
 * indexes; a semi-join with a CTE makes it guess and scan whole tables.
 */
export function profileAggregatesSql(ids: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`sk AS (
      SELECT us."userId", json_agg(json_build_object('id', s.id, 'name', s.name, 'slug', s.slug, 'level', us.level)
                                   ORDER BY us.level DESC, s.name) AS skills
      FROM "UserSkill" us JOIN "Skill" s ON s.id = us."skillId"
      WHERE us."userId" = ANY(${ids}) GROUP BY us."userId"),
    lk AS (
      SELECT l."userId", json_agg(json_build_object('label', l.label, 'url', l.url) ORDER BY l.position) AS links
      FROM "ProfileLink" l WHERE l."userId" = ANY(${ids}) GROUP BY l."userId")`;
}

type RawProfileRow = Omit<ProfileRow, 'skills' | 'links' | 'openTo'> & {
  skills: unknown;
  links: unknown;
  openTo: unknown;
};

// Drivers differ on json (object or text) and on enum arrays (array or "{A,B}").
function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
function textArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string')
    return value
      .replace(/^\{|\}$/g, '')
      .split(',')
      .filter(Boolean);
  return [];
}

export function toProfileRow(raw: RawProfileRow): ProfileRow {
  return {
    ...raw,
    skills: json<Array<SkillData & { level: SkillLevel }>>(raw.skills).map(({ level, ...skill }) => ({ skill, level })),
    links: json<LinkData[]>(raw.links),
    openTo: textArray(raw.openTo) as OpenTo[],
  };
}

/** The profile as this viewer sees it: each field by its visibility, the member's own words by their standing. */
export function visibleProfile(
  row: ProfileRow,
  viewerId: string | null | undefined,
  viewerIsAdmin: boolean,
): VisibleProfile {
  const byVisibility = maskProfile(row, visibilitiesOf(row), audienceOf(viewerId, row.id, row.sharesGroup));
  const standing = standingOf(row);
  const viewer = standingViewerOf(viewerId, row.id, viewerIsAdmin);
  return {
    ...maskStanding(byVisibility, standing, viewer),
    standing: viewerId && seesStanding('told', standing, viewer) ? standing : null,
  };
}

export async function loadProfileRows(
  db: DbClient,
  viewerId: string | null,
  ids: readonly string[],
): Promise<ProfileRow[]> {
  if (ids.length === 0) return [];
  // Signed out: nobody shares a group with you (the rule hides everything anyway).
  const shared = viewerId ? sharedWithViewerSql(viewerId) : Prisma.sql`SELECT NULL::uuid AS id WHERE false`;
  const rows = await db.$queryRaw<RawProfileRow[]>`
    WITH shared AS (${shared}),
      ${profileAggregatesSql(Prisma.sql`${[...ids]}::uuid[]`)}
    SELECT ${PROFILE_COLUMNS}
    FROM "User" u LEFT JOIN sk ON sk."userId" = u.id LEFT JOIN lk ON lk."userId" = u.id
    WHERE u.id = ANY(${[...ids]}::uuid[])`;
  return rows.map(toProfileRow);
}

export class ProfileLoader {
  private readonly cache = new Map<string, Promise<VisibleProfile | null>>();
  private pending: Array<{ id: string; resolve: (p: VisibleProfile | null) => void; reject: (e: unknown) => void }> =
    [];

  constructor(
    private readonly db: DbClient,
    private readonly viewerId: string | null,
    /** Whether the viewer is an instance admin (asked once per request, when a profile is first read). */
    private readonly viewerIsAdmin: () => Promise<boolean>,
  ) {}

  /** Seeds the cache from rows another statement already read (directory search). */
  prime(row: ProfileRow): void {
    if (!this.cache.has(row.id)) {
      this.cache.set(
        row.id,
        this.viewerIsAdmin().then((isAdmin) => visibleProfile(row, this.viewerId, isAdmin)),
      );
    }
  }

  load(id: string): Promise<VisibleProfile | null> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const promise = new Promise<VisibleProfile | null>((resolve, reject) => {
      this.pending.push({ id, resolve, reject });
      // Like DataLoader: after the current promise jobs, so every sibling field joins the batch.
      if (this.pending.length === 1) void Promise.resolve().then(() => process.nextTick(() => void this.flush()));
    });
    this.cache.set(id, promise);
    return promise;
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      const [rows, isAdmin] = await Promise.all([
        loadProfileRows(this.db, this.viewerId, [...new Set(batch.map((item) => item.id))]),
        this.viewerIsAdmin(),
      ]);
      const byId = new Map(rows.map((row) => [row.id, visibleProfile(row, this.viewerId, isAdmin)]));
      for (const item of batch) item.resolve(byId.get(item.id) ?? null);
    } catch (error) {
      for (const item of batch) {
        this.cache.delete(item.id);
        item.reject(error);
      }
    }
  }
}

const loaders = new WeakMap<Context, ProfileLoader>();

/** One loader per request (per GraphQL operation context). */
export function profileLoader(ctx: Context): ProfileLoader {
  let loader = loaders.get(ctx);
  if (!loader) {
    let isAdmin: Promise<boolean> | null = null;
    loader = new ProfileLoader(ctx.db, ctx.viewer?.id ?? null, () => {
      isAdmin ??= viewerIsInstanceAdmin(ctx);
      return isAdmin;
    });
    loaders.set(ctx, loader);
  }
  return loader;
}
