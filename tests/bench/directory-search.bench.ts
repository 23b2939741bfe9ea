import { buildApp } from '../../server/src/app.js';
import { loadEnv } from '../../server/src/env.js';
import type { Db } from '../../server/src/db.js';
import { gql, signUpMember, type Member } from '../support/graphql.js';
import { trackInProcessServer } from '../support/sign-up.js';
import { createTestDatabase } from '../support/database.js';
import type { Benchmark, BenchContext } from './registry.js';
import { ms, summarise } from './stats.js';

// Directory search on a realistic community: 10,000 members with names, headlines, 3–4 skills
// each, time zones, open-to and groups (some SECRET, some fields hidden), searched through the
// real GraphQL endpoint. Reports latency and the SQL statements each request costs (every
// statement Prisma runs for it: session lookup, rate-limit counter, the search itself).

const MEMBERS = 10_000;
const VIEWERS = 12; // rotated, so the 120-per-minute search limit of one member is never hit
const ROUNDS = 40;

const FIRST = [
  'Ada',
  'Bruno',
  'Chen',
  'Divya',
  'Emeka',
  'Fatima',
  'Gabriel',
  'Hana',
  'Ibrahim',
  'Julia',
  'Kwame',
  'Laura',
  'Mateus',
  'Nadia',
  'Omar',
  'Priya',
  'Quentin',
  'Rosa',
  'Samuel',
  'Tamar',
  'Uwe',
  'Valentina',
  'Wanjiru',
  'Xavier',
  'Yara',
  'Zoltan',
  'Maria',
  'Ahmed',
  'Sofia',
  'Lukas',
  'Mei',
  'Arjun',
  'Elena',
  'Kofi',
  'Ingrid',
  'Diego',
  'Aiko',
  'Noah',
  'Leila',
  'Tomasz',
];
const LAST = [
  'Okafor',
  'Lindqvist',
  'Wei',
  'Raman',
  'Nwosu',
  'Benali',
  'Souza',
  'Kobayashi',
  'Haddad',
  'Nowak',
  'Mensah',
  'Martinez',
  'Oliveira',
  'Petrova',
  'Farouk',
  'Shah',
  'Moreau',
  'Delgado',
  'Adeyemi',
  'Cohen',
  'Schmidt',
  'Rossi',
  'Kamau',
  'Dubois',
  'Horvat',
  'Bello',
  'Eriksson',
  'Torres',
  'Iyer',
  'Yilmaz',
  'Garcia',
  'Kim',
  'Nguyen',
  'Silva',
  'Jensen',
  'Novak',
];
const ROLES = [
  'Senior software engineer',
  'Staff engineer',
  'Frontend developer',
  'Backend engineer',
  'Platform engineer',
  'Data engineer',
  'ML engineer',
  'Product manager',
  'Engineering manager',
  'UX researcher',
  'Security engineer',
  'SRE',
  'Mobile developer',
  'Technical writer',
  'Junior developer',
  'Data scientist',
  'Design engineer',
  'QA lead',
  'CTO',
  'Developer advocate',
];
const PLACES = [
  'a payments company',
  'a streaming service',
  'a health start-up',
  'a bank',
  'a logistics firm',
  'an agency',
  'a travel start-up',
  'a university',
  'a game studio',
  'an open-source foundation',
  'a retailer',
  'a telecom',
];
const SKILLS = [
  'TypeScript',
  'React',
  'Node.js',
  'PostgreSQL',
  'Kubernetes',
  'Go',
  'Rust',
  'Python',
  'Machine Learning',
  'Data Engineering',
  'Product Management',
  'UX Research',
  'Interaction Design',
  'Security',
  'Site Reliability',
  'AWS',
  'Terraform',
  'iOS',
  'Android',
  'Engineering Management',
  'Technical Writing',
  'GraphQL',
  'Java',
  'Kotlin',
  'Accessibility',
  'Career Coaching',
  'Distributed Systems',
  'Testing',
  'Mobile',
  'Analytics',
  'C++',
  'C#',
  'Swift',
  'Scala',
  'Elixir',
  'Ruby',
  'PHP',
  'Vue',
  'Angular',
  'Svelte',
  'Docker',
  'Linux',
  'Networking',
  'Azure',
  'GCP',
  'Spark',
  'Kafka',
  'Redis',
  'MongoDB',
  'Figma',
  'Observability',
  'Compilers',
  'Embedded',
  'Blockchain',
  'Computer Vision',
  'NLP',
  'Statistics',
  'Leadership',
  'Public Speaking',
  'Hiring',
];
const ZONES = [
  'Europe/Berlin',
  'Europe/London',
  'Europe/Paris',
  'Europe/Warsaw',
  'Europe/Lisbon',
  'Africa/Lagos',
  'Africa/Nairobi',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Asia/Kolkata',
  'Asia/Tokyo',
  'Asia/Singapore',
  'Australia/Sydney',
  'UTC',
];
const GROUPS = 60;

const slugOf = (name: string) =>
  name
    .toLowerCase()
    .replace(/\+/g, ' plus ')
    .replace(/#/g, ' sharp ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** Bulk, in SQL: a few statements, not 10,000 sign-ups. */
export async function seedCommunity(db: Db): Promise<{ groupIds: { public: string[]; secret: string[] } }> {
  await db.$executeRaw`INSERT INTO "Skill" (id, slug, name)
    SELECT gen_random_uuid(), slug, name FROM unnest(${SKILLS.map(slugOf)}::text[], ${SKILLS}::text[]) AS t(slug, name)
    ON CONFLICT (slug) DO NOTHING`;
  await db.$executeRaw`INSERT INTO "User" (id, email, "passwordHash", name, headline, bio, location, "timeZone", "openTo",
      "headlineVisibility", "skillsVisibility", "timeZoneVisibility", "openToVisibility", "updatedAt")
    SELECT gen_random_uuid(), 'bench-' || i || '@example.com', 'not-a-hash',
      (${FIRST}::text[])[1 + i % ${FIRST.length}] || ' ' || (${LAST}::text[])[1 + (i / ${FIRST.length}) % ${LAST.length}],
      (${ROLES}::text[])[1 + (i * 7) % ${ROLES.length}] || ' at ' || (${PLACES}::text[])[1 + (i * 3) % ${PLACES.length}],
      'Member number ' || i || ' of the benchmark community.',
      'City ' || (i % 97),
      (${ZONES}::text[])[1 + (i * 5) % ${ZONES.length}],
      CASE i % 5 WHEN 0 THEN ARRAY[]::"OpenTo"[] WHEN 1 THEN ARRAY['MENTORING']::"OpenTo"[]
        WHEN 2 THEN ARRAY['BEING_MENTORED']::"OpenTo"[] WHEN 3 THEN ARRAY['INTRODUCTIONS','HIRING']::"OpenTo"[]
        ELSE ARRAY['MENTORING','INTRODUCTIONS']::"OpenTo"[] END,
      CASE WHEN i % 20 = 0 THEN 'ONLY_ME' ELSE 'MEMBERS' END::"FieldVisibility",
      CASE WHEN i % 10 = 0 THEN 'SHARED_GROUPS' WHEN i % 25 = 0 THEN 'ONLY_ME' ELSE 'MEMBERS' END::"FieldVisibility",
      CASE WHEN i % 8 = 0 THEN 'SHARED_GROUPS' ELSE 'MEMBERS' END::"FieldVisibility",
      CASE WHEN i % 15 = 0 THEN 'ONLY_ME' ELSE 'MEMBERS' END::"FieldVisibility",
      now()
    FROM generate_series(1, ${MEMBERS}) AS i`;
  await db.$executeRaw`INSERT INTO "UserSkill" ("userId", "skillId", level)
    SELECT u.id, s.id, (ARRAY['LEARNING','WORKING','EXPERT']::"SkillLevel"[])[1 + (u.n + k) % 3]
    FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM "User" WHERE email LIKE 'bench-%') u
    CROSS JOIN generate_series(0, 3) AS k
    JOIN (SELECT id, row_number() OVER (ORDER BY slug) - 1 AS idx FROM "Skill") s
      ON s.idx = ((u.n * 7 + k * 13 + (u.n / 50) * k) % ${SKILLS.length})
    WHERE k < 3 OR u.n % 2 = 0
    ON CONFLICT DO NOTHING`;
  await db.$executeRaw`INSERT INTO "ProfileLink" (id, "userId", label, url, position)
    SELECT gen_random_uuid(), id, 'Website', 'https://example.com/' || id, 0 FROM "User" WHERE email LIKE 'bench-%'`;
  await db.$executeRaw`INSERT INTO "Group" (id, slug, name, kind, visibility, "updatedAt")
    SELECT gen_random_uuid(), 'bench-group-' || g, 'Bench group ' || g,
      (ARRAY['COMMUNITY','ALUMNI','PROGRAM']::"GroupKind"[])[1 + g % 3],
      (ARRAY['PUBLIC','PUBLIC','PRIVATE','SECRET']::"GroupVisibility"[])[1 + g % 4], now()
    FROM generate_series(0, ${GROUPS - 1}) AS g`;
  // One to three groups per member; group sizes vary from a few dozen to several hundred.
  await db.$executeRaw`INSERT INTO "Membership" ("groupId", "userId", role)
    SELECT g.id, u.id, 'MEMBER'
    FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM "User" WHERE email LIKE 'bench-%') u
    CROSS JOIN generate_series(0, 2) AS k
    JOIN (SELECT id, row_number() OVER (ORDER BY slug) - 1 AS idx FROM "Group" WHERE slug LIKE 'bench-group-%') g
      ON g.idx = ((u.n * (k + 1) * 31 + k * 7) % ${GROUPS})
    WHERE k = 0 OR u.n % (k + 2) = 0
    ON CONFLICT DO NOTHING`;
  // What autovacuum would have done on a server; PGlite has no autovacuum of its own.
  await db.$executeRawUnsafe('ANALYZE');
  const groups = await db.group.findMany({
    where: { slug: { startsWith: 'bench-group-' } },
    select: { id: true, visibility: true },
  });
  return {
    groupIds: {
      public: groups.filter((g) => g.visibility === 'PUBLIC').map((g) => g.id),
      secret: groups.filter((g) => g.visibility === 'SECRET').map((g) => g.id),
    },
  };
}

const SEARCH = /* GraphQL */ `
  query Directory($filter: PeopleFilter, $first: Int, $after: String) {
    people(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id name initials headline location timeZone openTo isViewer
        skills { level skill { id name slug } } links { label url } } }
    }
  }
`;

export const directorySearchBenchmark: Benchmark = {
  name: 'directory-search',
  description: `people(filter) on ${MEMBERS.toLocaleString('en')} members: text, skills, group, open-to, time zones; pages of 20 and 40 (40 × a full profile is near the query cost limit)`,
  run: async ({ templates }: BenchContext) => {
    const database = await createTestDatabase(templates);
    let statements = 0;
    const env = loadEnv({
      LOG_LEVEL: 'silent',
      SEED_DEMO: 'never',
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      SIGN_UP_MAX_PER_ADDRESS: '100000',
      SIGN_IN_MAX_PER_ADDRESS: '100000',
      ...database.env,
    });
    const app = await buildApp(env, { onQuery: () => void (statements += 1) });
    await app.start();
    // signUpMember makes members on this app's database (sign-up itself finishes through an email).
    trackInProcessServer(app);
    const url = `${app.url}/graphql`;
    try {
      const seedStarted = performance.now();
      const { groupIds } = await seedCommunity(app.services.db);
      const seedSeconds = (performance.now() - seedStarted) / 1000;

      const viewers: Member[] = [];
      for (let i = 0; i < VIEWERS; i += 1) viewers.push(await signUpMember(url, { name: `Bench Viewer ${i}` }));
      // Each viewer is in two groups, so SHARED_GROUPS fields are in play.
      const db = app.services.db;
      for (const [i, viewer] of viewers.entries()) {
        const userId = Buffer.from(viewer.id, 'base64').toString('utf8').split(':')[1]!;
        await db.membership.createMany({
          data: [groupIds.public[i % groupIds.public.length]!, groupIds.secret[i % groupIds.secret.length]!].map(
            (groupId) => ({ groupId, userId }),
          ),
          skipDuplicates: true,
        });
      }
      const gid = (id: string) => Buffer.from(`Group:${id}`).toString('base64');
      const mix: Array<{ kind: string; filter: Record<string, unknown>; first: number; secondPage?: boolean }> = [
        { kind: 'browse everyone', filter: {}, first: 20 },
        { kind: 'browse, page 2', filter: {}, first: 20, secondPage: true },
        { kind: 'text: first name', filter: { text: 'maria' }, first: 20 },
        { kind: 'text: full name', filter: { text: 'Ada Okafor' }, first: 20 },
        { kind: 'text: prefix', filter: { text: 'kub' }, first: 20 },
        { kind: 'text: skill (exact)', filter: { text: 'Rust' }, first: 20 },
        { kind: 'text: headline words', filter: { text: 'platform engineer' }, first: 40 },
        { kind: 'text: common word, 40', filter: { text: 'engineer' }, first: 40 },
        { kind: 'text: no match', filter: { text: 'zzyzx' }, first: 20 },
        { kind: 'skill filter', filter: { skills: ['TypeScript'] }, first: 20 },
        { kind: 'two skills', filter: { skills: ['Go', 'Kubernetes'] }, first: 40 },
        { kind: 'group filter', filter: { groupId: gid(groupIds.public[3]!) }, first: 40 },
        { kind: 'secret group (not a member)', filter: { groupId: gid(groupIds.secret[5]!) }, first: 20 },
        { kind: 'open to', filter: { openTo: ['MENTORING'] }, first: 20 },
        { kind: 'time zones', filter: { timeZones: ['Europe/Berlin', 'Europe/Paris'] }, first: 40 },
        {
          kind: 'text + filters',
          filter: { text: 'senior', skills: ['Python'], openTo: ['MENTORING', 'HIRING'] },
          first: 20,
        },
        { kind: 'text + page 2', filter: { text: 'engineer' }, first: 20, secondPage: true },
      ];
      const cursors = new Map<string, string>();
      let turn = 0;
      const send = async (entry: (typeof mix)[number]) => {
        const viewer = viewers[turn++ % viewers.length]!;
        const after = entry.secondPage ? cursors.get(entry.kind) : undefined;
        const before = statements;
        const t0 = performance.now();
        const response = await gql(
          url,
          SEARCH,
          { filter: entry.filter, first: entry.first, after },
          { token: viewer.token },
        );
        const elapsed = performance.now() - t0;
        const used = statements - before;
        if (response.body.errors) throw new Error(`${entry.kind}: ${JSON.stringify(response.body.errors)}`);
        const connection = response.body.data!.people;
        if (entry.secondPage && !after) cursors.set(entry.kind, connection.pageInfo.endCursor);
        return { elapsed, used, total: connection.totalCount as number, rows: connection.edges.length as number };
      };

      // Warm-up; a "page 2" entry's first run reads page 1 and keeps its end cursor.
      for (let i = 0; i < 3; i += 1) for (const entry of mix) await send(entry);

      const samples: number[] = [];
      const perKind = new Map<string, { samples: number[]; total: number; rows: number }>();
      let maxStatements = 0;
      let statementSum = 0;
      for (let round = 0; round < ROUNDS; round += 1) {
        for (const entry of mix) {
          const { elapsed, used, total, rows } = await send(entry);
          samples.push(elapsed);
          maxStatements = Math.max(maxStatements, used);
          statementSum += used;
          const kind = perKind.get(entry.kind) ?? { samples: [], total, rows };
          kind.samples.push(elapsed);
          perKind.set(entry.kind, kind);
        }
      }
      const all = summarise(samples);
      const lines = [
        `seeded ${MEMBERS.toLocaleString('en')} members, ${GROUPS} groups in ${seedSeconds.toFixed(1)} s; database: ${app.database.kind}`,
        `${all.count} searches, one at a time: p50 ${ms(all.p50)}  p99 ${ms(all.p99)}`,
        `SQL statements per request: max ${maxStatements}, mean ${(statementSum / all.count).toFixed(2)} (session lookup + rate-limit counter + search)`,
        ...[...perKind.entries()].map(([kind, k]) => {
          const s = summarise(k.samples);
          return `  ${kind.padEnd(28)} p50 ${ms(s.p50).padStart(9)}  p99 ${ms(s.p99).padStart(9)}  (${k.rows} of ${k.total})`;
        }),
      ];
      return {
        lines,
        targets: [
          { text: `directory search p99 ≤ 50 ms (was ${ms(all.p99)})`, met: all.p99 <= 50 },
          {
            text: `≤ 3 SQL statements per request whatever the page size (max was ${maxStatements})`,
            met: maxStatements <= 3,
          },
        ],
      };
    } finally {
      await app.stop();
      await database.drop();
    }
  },
};
