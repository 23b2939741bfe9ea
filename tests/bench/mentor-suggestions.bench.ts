import { buildApp } from '../../server/src/app.js';
import type { Db } from '../../server/src/db.js';
import { loadEnv } from '../../server/src/env.js';
import { CANDIDATE_LIMIT } from '../../server/src/modules/mentorship/suggestions.service.js';
import { createTestDatabase } from '../support/database.js';
import { gql, type Member, signUpMember } from '../support/graphql.js';
import { trackInProcessServer } from '../support/sign-up.js';
import { seedCommunity } from './directory-search.bench.js';
import type { BenchContext, Benchmark } from './registry.js';
import { ms, summarise } from './stats.js';

// mentorSuggestions on a realistic community: the directory benchmark's 10,000 members (skills,
// groups, time zones), 1,000 of them mentors with expertise, help, formats, cadences, weekly hours
// in their zones, languages, some asking only chosen groups, some paused, some full, with past
// mentorships, feedback and reviews; mentees ask through the real GraphQL endpoint, with and
// without a group and filters. Reports latency and the SQL statements each request costs (session
// lookup, the mentee's needs, the one candidate statement, the top-suggestion hold, the people
// shown).

const MENTORS = 1_000;
const VIEWERS = 12;
const ROUNDS = 25;
const P99_CEILING_MS = 500;
// Session lookup (and its renewal, now and then), mentee needs, candidates, top-suggestion hold, the
// instance-admin check and the people shown (people's loader): a constant, whatever the page size.
const STATEMENTS_CEILING = 7;

const SKILLS = ['TypeScript', 'React', 'PostgreSQL', 'Kubernetes', 'Go', 'Python', 'Security', 'Leadership'];
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'America/Sao_Paulo', 'Europe/Lisbon'];

/** 1,000 mentors among the seeded members, in a few statements. */
async function seedMentors(db: Db): Promise<void> {
  await db.$executeRaw`INSERT INTO "MentorProfile" ("userId", "helpOffered", capacity, accepting, formats, cadences,
      "timeZone", "weeklyHours", languages, "askScope", "updatedAt", "languagesVisibility", "capacityVisibility")
    SELECT u.id,
      CASE u.n % 4 WHEN 0 THEN ARRAY['TECHNICAL_SKILLS','CAREER_GUIDANCE'] WHEN 1 THEN ARRAY['LEADERSHIP','NETWORKING']
        WHEN 2 THEN ARRAY['JOB_SEARCH','TECHNICAL_SKILLS'] ELSE ARRAY['WORK_LIFE_BALANCE','CAREER_GUIDANCE'] END::"MentorHelpKind"[],
      1 + u.n % 4,
      u.n % 17 <> 0,
      CASE u.n % 4 WHEN 0 THEN ARRAY['VIDEO','CHAT'] WHEN 1 THEN ARRAY['IN_PERSON'] WHEN 2 THEN ARRAY['PHONE','VIDEO']
        ELSE ARRAY['CHAT'] END::"MentoringFormat"[],
      CASE u.n % 3 WHEN 0 THEN ARRAY['WEEKLY'] WHEN 1 THEN ARRAY['BIWEEKLY','MONTHLY'] ELSE ARRAY['MONTHLY'] END::"MentoringCadence"[],
      u."timeZone",
      (SELECT jsonb_agg(jsonb_build_object('weekday', d, 'start', lpad((8 + u.n % 10)::text, 2, '0') || ':00',
          'end', lpad((10 + u.n % 10)::text, 2, '0') || ':30'))
        FROM unnest(ARRAY['MONDAY','TUESDAY','WEDNESDAY','THURSDAY','FRIDAY']) WITH ORDINALITY AS w(d, k) WHERE (k + u.n) % 2 = 0),
      CASE u.n % 5 WHEN 0 THEN ARRAY['en'] WHEN 1 THEN ARRAY['en','pt-BR'] WHEN 2 THEN ARRAY['de','en'] WHEN 3 THEN ARRAY['hi','en']
        ELSE ARRAY['es'] END,
      CASE WHEN u.n % 9 = 0 THEN 'CHOSEN_GROUPS' ELSE 'EVERYONE' END::"MentorAskScope",
      now(),
      CASE WHEN u.n % 7 = 0 THEN 'SHARED_GROUPS' ELSE 'MEMBERS' END::"FieldVisibility",
      CASE WHEN u.n % 11 = 0 THEN 'ONLY_ME' ELSE 'MEMBERS' END::"FieldVisibility"
    FROM (SELECT id, "timeZone", row_number() OVER (ORDER BY md5(id::text)) AS n FROM "User" WHERE email LIKE 'bench-%') u
    WHERE u.n <= ${MENTORS}`;
  // Expertise: the member's own skills, at their level or one above.
  await db.$executeRaw`INSERT INTO "MentorSkill" ("mentorId", "skillId", level, position)
    SELECT us."userId", us."skillId",
      CASE us.level WHEN 'LEARNING' THEN 'WORKING' ELSE 'EXPERT' END::"SkillLevel",
      row_number() OVER (PARTITION BY us."userId" ORDER BY us."skillId")
    FROM "UserSkill" us JOIN "MentorProfile" mp ON mp."userId" = us."userId"`;
  await db.$executeRaw`INSERT INTO "MentorAskGroup" ("mentorId", "groupId")
    SELECT mp."userId", (SELECT m."groupId" FROM "Membership" m WHERE m."userId" = mp."userId" LIMIT 1)
    FROM "MentorProfile" mp WHERE mp."askScope" = 'CHOSEN_GROUPS'`;
  // Past and current mentorships (some mentors full), with mentees' check-in feedback and reviews.
  await db.$executeRaw`INSERT INTO "Mentorship" (id, "mentorId", "menteeId", "conversationId", status, "startedAt", "endedAt")
    SELECT gen_random_uuid(), mp."userId", mentee.id, gen_random_uuid(),
      CASE WHEN k = 0 THEN 'ACTIVE' ELSE 'ENDED' END::"MentorshipStatus", now() - interval '90 days',
      CASE WHEN k = 0 THEN NULL ELSE now() - interval '10 days' END
    FROM (SELECT "userId", row_number() OVER (ORDER BY "userId") AS n FROM "MentorProfile") mp
    CROSS JOIN generate_series(0, 1) AS k
    JOIN LATERAL (SELECT id FROM "User" WHERE email = 'bench-' || ((mp.n * 37 + k * 11) % 9000 + 1) || '@example.com') mentee ON true
    WHERE mentee.id <> mp."userId" AND (k = 1 OR mp.n % 3 = 0)`;
  await db.$executeRaw`INSERT INTO "CheckIn" (id, "mentorshipId", "heldAt", "updatedAt")
    SELECT gen_random_uuid(), m.id, now() - interval '20 days', now() FROM "Mentorship" m`;
  await db.$executeRaw`INSERT INTO "CheckInFeedback" ("checkInId", "authorId", rating, "pairingWorking")
    SELECT c.id, m."menteeId", 3 + (abs(hashtext(c.id::text)) % 3), true
    FROM "CheckIn" c JOIN "Mentorship" m ON m.id = c."mentorshipId"`;
  await db.$executeRaw`INSERT INTO "MentorshipReview" ("mentorshipId", "authorId", "wentWell", outcome, "wouldRecommend")
    SELECT m.id, m."menteeId", 'Good advice.', 'GOALS_MET', abs(hashtext(m.id::text)) % 4 <> 0
    FROM "Mentorship" m WHERE m.status = 'ENDED'`;
  await db.$executeRawUnsafe('ANALYZE');
}

const SUGGEST = /* GraphQL */ `
  query Suggest($groupId: ID, $first: Int, $filter: MentorSuggestionFilter) {
    mentorSuggestions(groupId: $groupId, first: $first, filter: $filter) {
      score
      reasons { kind text }
      mentor { id name initials headline }
      mentorProfile { id capacity languages formats helpOffered timeZone }
    }
  }
`;
const NEEDS = /* GraphQL */ `
  mutation ($input: SaveMenteeNeedsInput!) { saveMenteeNeeds(input: $input) { __typename } }
`;

export const mentorSuggestionsBenchmark: Benchmark = {
  name: 'mentor-suggestions',
  description: `mentorSuggestions among 10,000 members and ${MENTORS.toLocaleString('en')} mentors: plain, in a group, with filters`,
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
      MUTATIONS_MAX_PER_MINUTE: '100000',
      ...database.env,
    });
    // The job runner polls in the same process; its statements are not the request's.
    const app = await buildApp(env, { onQuery: (sql) => void (/"Job"/.test(sql) ? null : (statements += 1)) });
    await app.start();
    trackInProcessServer(app);
    const url = `${app.url}/graphql`;
    try {
      const db = app.services.db;
      const seedStarted = performance.now();
      const { groupIds } = await seedCommunity(db);
      await seedMentors(db);
      const seedSeconds = (performance.now() - seedStarted) / 1000;
      const mentorCount = await db.mentorProfile.count();
      // The public group with the most mentors: every mentee joins it, and matches within it.
      const [busiest] = await db.$queryRaw<Array<{ id: string; mentors: number }>>`
        SELECT m."groupId" AS id, count(*)::int AS mentors FROM "Membership" m
        JOIN "MentorProfile" mp ON mp."userId" = m."userId" JOIN "Group" g ON g.id = m."groupId"
        WHERE g.visibility = 'PUBLIC' GROUP BY m."groupId" ORDER BY count(*) DESC, m."groupId" LIMIT 1`;

      const viewers: Member[] = [];
      for (let i = 0; i < VIEWERS; i += 1) {
        const viewer = await signUpMember(url, { name: `Bench Mentee ${i}` });
        viewers.push(viewer);
        const userId = Buffer.from(viewer.id, 'base64').toString('utf8').split(':')[1]!;
        await db.membership.createMany({
          data: [
            groupIds.public[i % groupIds.public.length]!,
            groupIds.secret[i % groupIds.secret.length]!,
            busiest!.id,
          ].map((groupId) => ({ groupId, userId })),
          skipDuplicates: true,
        });
        const response = await gql(
          url,
          NEEDS,
          {
            input: {
              skills: [0, 1, 2, 3].map((k) => ({
                name: SKILLS[(i + k * 3) % SKILLS.length],
                currentLevel: k % 2 === 0 ? 'LEARNING' : null,
                wantedLevel: k === 0 ? 'EXPERT' : 'WORKING',
              })),
              goals: 'Grow into a senior role.',
              helpWanted: ['TECHNICAL_SKILLS', 'CAREER_GUIDANCE'],
              formats: ['VIDEO', 'CHAT'],
              cadence: 'BIWEEKLY',
              timeZone: ZONES[i % ZONES.length],
              weeklyHours: ['MONDAY', 'WEDNESDAY', 'THURSDAY'].map((weekday) => ({
                weekday,
                start: '09:00',
                end: '13:00',
              })),
              languages: i % 2 === 0 ? ['en'] : ['pt-BR', 'en'],
            },
          },
          { token: viewer.token },
        );
        if (response.body.data?.saveMenteeNeeds?.__typename !== 'SaveMenteeNeedsPayload') {
          throw new Error(`saveMenteeNeeds: ${JSON.stringify(response.body)}`);
        }
      }
      const gid = (id: string) => Buffer.from(`Group:${id}`).toString('base64');
      const mix: Array<{ kind: string; variables: (i: number) => Record<string, unknown> }> = [
        { kind: 'top 10', variables: () => ({ first: 10 }) },
        { kind: 'top 50', variables: () => ({ first: 50 }) },
        {
          kind: `in a group (${busiest!.mentors} mentors)`,
          variables: () => ({ first: 10, groupId: gid(busiest!.id) }),
        },
        { kind: 'filter: help', variables: () => ({ first: 10, filter: { helpKind: 'LEADERSHIP' } }) },
        { kind: 'filter: language', variables: () => ({ first: 10, filter: { language: 'pt' } }) },
        { kind: 'filter: skill + format', variables: () => ({ first: 10, filter: { skill: 'Go', format: 'VIDEO' } }) },
      ];
      let turn = 0;
      // CPU time of this process per request (server, embedded database and client all run here):
      // less sensitive than wall time to other work on a shared machine.
      let cpuSamples: number[] = [];
      const send = async (entry: (typeof mix)[number]) => {
        const index = turn++ % viewers.length;
        const before = statements;
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        const response = await gql(url, SUGGEST, entry.variables(index), { token: viewers[index]!.token });
        const elapsed = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        cpuSamples.push((cpu.user + cpu.system) / 1000);
        if (response.body.errors) throw new Error(`${entry.kind}: ${JSON.stringify(response.body.errors)}`);
        return {
          elapsed,
          used: statements - before,
          rows: (response.body.data!.mentorSuggestions as unknown[]).length,
        };
      };
      for (let i = 0; i < 2; i += 1) for (const entry of mix) await send(entry);

      cpuSamples = [];
      const samples: number[] = [];
      const perKind = new Map<string, { samples: number[]; rows: number }>();
      let maxStatements = 0;
      let statementSum = 0;
      for (let round = 0; round < ROUNDS; round += 1) {
        for (const entry of mix) {
          const { elapsed, used, rows } = await send(entry);
          samples.push(elapsed);
          maxStatements = Math.max(maxStatements, used);
          statementSum += used;
          const kind = perKind.get(entry.kind) ?? { samples: [], rows };
          kind.samples.push(elapsed);
          perKind.set(entry.kind, kind);
        }
      }
      const all = summarise(samples);
      return {
        lines: [
          `seeded 10,000 members, ${mentorCount.toLocaleString('en')} mentors in ${seedSeconds.toFixed(1)} s; database: ${app.database.kind}; candidates scored per request ≤ ${CANDIDATE_LIMIT}`,
          `${all.count} requests, one at a time: p50 ${ms(all.p50)}  p99 ${ms(all.p99)}`,
          `CPU time per request (this process): p50 ${ms(summarise(cpuSamples).p50)}  p99 ${ms(summarise(cpuSamples).p99)}`,
          `SQL statements per request: max ${maxStatements}, mean ${(statementSum / all.count).toFixed(2)} (session [+ renewal], mentee needs, candidates, top-suggestion hold, instance-admin check, people shown)`,
          ...[...perKind.entries()].map(([kind, k]) => {
            const s = summarise(k.samples);
            return `  ${kind.padEnd(24)} p50 ${ms(s.p50).padStart(9)}  p99 ${ms(s.p99).padStart(9)}  (${k.rows} suggestions)`;
          }),
        ],
        targets: [
          {
            text: `mentor suggestions p99 ≤ ${P99_CEILING_MS} ms (was ${ms(all.p99)})`,
            met: all.p99 <= P99_CEILING_MS,
          },
          {
            text: `≤ ${STATEMENTS_CEILING} SQL statements per request whatever the page size (max was ${maxStatements})`,
            met: maxStatements <= STATEMENTS_CEILING,
          },
        ],
      };
    } finally {
      await app.stop();
      await database.drop();
    }
  },
};
