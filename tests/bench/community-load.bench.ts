import { randomBytes } from 'node:crypto';
import { parse, validate } from 'graphql';
import { schema } from '../../server/src/schema/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { gql } from '../support/graphql.js';
import { ChildIpc, machineCpu, spawnBenchChild, startServerChild, type ServerChild } from './chat-processes.js';
import { benchEnv, createChannel, globalId, insertMembers, MESSAGE_FILLER, withSeedingApp } from './chat-seed.js';
import { DOCUMENTS, HOME_QUERIES } from './community-load-documents.js';
import {
  ACTIONS,
  type LoadRequest,
  type LoadWorld,
  type Post,
  type SeededLoadMember,
  type StepReport,
} from './community-load-protocol.js';
import type { Benchmark, BenchContext } from './registry.js';
import { percentile } from './stats.js';

// `pnpm bench community-load`, modelled on Mattermost's ceiling test: simulated members (each with a
// live connection) sign in, open their home, browse groups and people, read and post in their
// channel and a direct conversation, react, book and give back office-hours seats and look at what
// waits for them, each acting on average every THINK_MS. Members are added in steps; after each
// step the health limits are checked — average request under 100 ms, p99 under 2 s, errors under
// 0.025 %, no live event lost — and the ramp stops at the first step that crosses one. The figure is
// the largest number of concurrent members a step held within every limit. On PostgreSQL + Redis
// two server instances share the members (each member talks to one, as behind a load balancer).
//
// The clients run in two worker processes on the same 2-core machine as the server(s), so the
// figure is what one machine holds with its own load generator on it — a floor, not a ceiling.

const GROUPS = 4;
/** Concurrent members of each step: fine steps first, coarser as the numbers grow. */
const LEVELS = [50, 100, 150, 200, 300, 400, 500, 650, 800, 1_000, 1_250, 1_500, 2_000, 2_500, 3_000, 4_000];
const MAX_MEMBERS = LEVELS.at(-1)!;
const STEP_SECONDS = 15;
const THINK_MS = 5_000;
const CLIENT_WORKERS = 2;
/** A message older than this must have reached every socket of its channel. */
const GRACE_MS = 5_000;

const LIMITS = { averageMs: 100, p99Ms: 2_000, errorRate: 0.00025 };

const MESSAGES = [
  MESSAGE_FILLER,
  'Thanks @everyone — the slides from yesterday are in the group files.',
  'Is anyone going to the **meetup** on Thursday? I can share a ride.',
  'Here is the snippet: `pnpm test --filter api` works for me.',
  'Great question! I wrote about it here: https://example.com/notes',
];

interface Worker {
  ipc: ChildIpc<LoadRequest>;
}

interface StepResult {
  members: number;
  requestsPerSecond: number;
  averageMs: number;
  p99Ms: number;
  errorRate: number;
  errors: number;
  firstError: string | null;
  lost: number;
  healthy: boolean;
  serverCpu: number;
  machineBusy: number;
  slowestAction: string;
}

function checkDocuments(): void {
  const documents = { ...DOCUMENTS, ...Object.fromEntries(HOME_QUERIES.map((query, i) => [`home ${i + 1}`, query])) };
  for (const [name, document] of Object.entries(documents)) {
    const errors = validate(schema, parse(document));
    if (errors.length > 0)
      throw new Error(`community-load document ${name}: ${errors.map((e) => e.message).join('; ')}`);
  }
}

async function publishOfficeHours(graphqlUrl: string, token: string): Promise<void> {
  const startDate = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  const response = await gql(
    graphqlUrl,
    `mutation Publish($input: PublishOfficeHoursInput!) {
      publishOfficeHours(input: $input) { __typename ... on Error { code message } ... on ValidationError { fieldErrors { path message } } }
    }`,
    {
      input: {
        topic: 'Career questions, any level',
        description: 'Bring a CV, a question or a plan.',
        timeZone: 'Europe/Berlin',
        startDate,
        startTime: '17:00',
        durationMinutes: 60,
        seats: 20,
        audience: 'PUBLIC',
        onlineUrl: 'https://meet.example.com/career',
        minimumNoticeMinutes: 60,
        bookingWindowDays: 60,
        recurrence: { everyWeeks: 1, weekdays: ['MONDAY', 'WEDNESDAY', 'FRIDAY'], occurrenceCount: 30 },
      },
    },
    { token },
  );
  const typename = response.body.data?.publishOfficeHours?.__typename;
  if (typename !== 'OfficeHoursPayload') throw new Error(`publishOfficeHours: ${JSON.stringify(response.body)}`);
}

async function seedWorld(
  database: TestDatabase,
): Promise<Omit<LoadWorld, 'urls' | 'members'> & { members: Omit<SeededLoadMember, 'instance'>[] }> {
  return withSeedingApp(database, async (app, graphqlUrl) => {
    const groupSlugs: string[] = [];
    const hostIds: string[] = [];
    const members: Omit<SeededLoadMember, 'instance'>[] = [];
    const perGroup = Math.ceil(MAX_MEMBERS / GROUPS);
    for (let g = 0; g < GROUPS; g += 1) {
      const channel = await createChannel(graphqlUrl, app.services.db, `Load Guild ${g + 1}`);
      const group = await app.services.db.group.findUniqueOrThrow({
        where: { id: channel.groupId },
        select: { slug: true },
      });
      groupSlugs.push(group.slug);
      await publishOfficeHours(graphqlUrl, channel.owner.token);
      hostIds.push(globalId('Person', channel.owner.userId));
      const seeded = await insertMembers(app.services.db, channel.groupId, perGroup, `Load Member ${g + 1}`);
      seeded.forEach((member, i) => {
        const peer = seeded[i % 2 === 0 ? i + 1 : i - 1] ?? seeded[0]!;
        members.push({
          userId: member.userId,
          token: member.token,
          channelId: channel.conversationGlobalId,
          directPeerId: globalId('Person', peer.userId),
        });
      });
    }
    // Interleave the groups so every step adds members to each of them.
    const interleaved = Array.from({ length: perGroup }, (_, i) =>
      Array.from({ length: GROUPS }, (_, g) => members[g * perGroup + i]!),
    ).flat();
    return {
      run: randomBytes(3).toString('hex'),
      groupSlugs,
      hostIds,
      members: interleaved,
      messages: MESSAGES,
      meanThinkMs: THINK_MS,
    };
  });
}

async function runRamp(
  workers: Worker[],
  servers: ServerChild[],
  lines: string[],
): Promise<{ held: number; steps: StepResult[] }> {
  const steps: StepResult[] = [];
  let held = 0;
  let members = 0;
  let pendingPosts: Post[] = [];
  for (const level of LEVELS) {
    const perWorker = Math.ceil((level - members) / workers.length);
    const added = await Promise.all(
      workers.map((w) =>
        w.ipc.request<{ added: number; failed: number; firstError: string | null }>({ type: 'add', count: perWorker }),
      ),
    );
    const failedToConnect = added.reduce((sum, a) => sum + a.failed, 0);
    members += added.reduce((sum, a) => sum + a.added, 0);
    // The step's window starts after everyone is connected: reset counters, then measure.
    await Promise.all(workers.map((w) => w.ipc.request<StepReport>({ type: 'report' })));
    const cpuBefore = await Promise.all(servers.map((s) => s.usage()));
    const machineBefore = machineCpu();
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, STEP_SECONDS * 1_000));
    const seconds = (performance.now() - started) / 1_000;
    const reports = await Promise.all(workers.map((w) => w.ipc.request<StepReport>({ type: 'report' })));
    const cpuAfter = await Promise.all(servers.map((s) => s.usage()));
    const machineAfter = machineCpu();

    // Messages sent in the previous step have had at least GRACE_MS to arrive everywhere.
    const due = pendingPosts.filter((post) => post.at < Date.now() - GRACE_MS);
    pendingPosts = [
      ...pendingPosts.filter((post) => post.at >= Date.now() - GRACE_MS),
      ...reports.flatMap((r) => r.posts),
    ];
    const missing = (
      await Promise.all(workers.map((w) => w.ipc.request<number>({ type: 'verify', posts: due })))
    ).reduce((sum, n) => sum + n, 0);

    const latencies = reports.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const requests = reports.reduce((sum, r) => sum + r.requests, 0);
    const errors = reports.reduce((sum, r) => sum + r.errors, 0) + failedToConnect;
    const gaps = reports.reduce((sum, r) => sum + r.gaps, 0);
    const disorder = reports.reduce((sum, r) => sum + r.disorder, 0);
    const dropped = reports.reduce((sum, r) => sum + r.dropped, 0);
    const lost = missing + gaps + disorder + dropped;
    const averageMs = latencies.reduce((sum, v) => sum + v, 0) / Math.max(1, latencies.length);
    const p99Ms = percentile(latencies, 99);
    const errorRate = errors / Math.max(1, requests);
    const byAction = new Map<string, { count: number; totalMs: number }>();
    for (const report of reports)
      for (const [name, entry] of Object.entries(report.byAction)) {
        const sum = byAction.get(name) ?? { count: 0, totalMs: 0 };
        sum.count += entry.count;
        sum.totalMs += entry.totalMs;
        byAction.set(name, sum);
      }
    const slowest = [...byAction].sort((a, b) => b[1].totalMs / b[1].count - a[1].totalMs / a[1].count)[0];
    const serverCpuMicros = cpuAfter.reduce((sum, u, i) => sum + u.cpuMicros - cpuBefore[i]!.cpuMicros, 0);
    const step: StepResult = {
      members,
      requestsPerSecond: requests / seconds,
      averageMs,
      p99Ms,
      errorRate,
      errors,
      firstError:
        reports.find((r) => r.firstError)?.firstError ??
        (failedToConnect ? (added.find((a) => a.firstError)?.firstError ?? null) : null),
      lost,
      healthy:
        requests > 0 &&
        averageMs < LIMITS.averageMs &&
        p99Ms < LIMITS.p99Ms &&
        errorRate < LIMITS.errorRate &&
        lost === 0,
      serverCpu: serverCpuMicros / (seconds * 1e6),
      machineBusy:
        (machineAfter.busyMicros - machineBefore.busyMicros) /
        Math.max(1, machineAfter.totalMicros - machineBefore.totalMicros),
      slowestAction: slowest ? `${slowest[0]} ${(slowest[1].totalMs / slowest[1].count).toFixed(0)} ms` : '-',
    };
    steps.push(step);
    lines.push(
      `${String(members).padStart(5)} members: ${step.requestsPerSecond.toFixed(0).padStart(4)} req/s, avg ${averageMs.toFixed(1)} ms, p99 ${p99Ms.toFixed(0)} ms, errors ${errors} (${(errorRate * 100).toFixed(3)} %), live events lost ${lost}, server CPU ${(step.serverCpu * 100).toFixed(0)} %, machine ${(step.machineBusy * 100).toFixed(0)} % busy; slowest action ${step.slowestAction}${step.healthy ? '' : '  ← over a limit'}`,
    );
    if (lost > 0)
      lines.push(
        `      live: ${missing} missing, ${gaps} gaps, ${disorder} out of order or repeated, ${dropped} connections dropped`,
      );
    if (step.firstError && !step.healthy) lines.push(`      first error: ${step.firstError.slice(0, 300)}`);
    if (!step.healthy) break;
    held = members;
  }
  // The last step's messages: stop acting, give them the grace period, check them too.
  await Promise.all(workers.map((w) => w.ipc.request({ type: 'pause' })));
  await new Promise((resolve) => setTimeout(resolve, GRACE_MS));
  const last = await Promise.all(workers.map((w) => w.ipc.request<StepReport>({ type: 'report' })));
  const finalPosts = [...pendingPosts, ...last.flatMap((r) => r.posts)];
  const missing = (
    await Promise.all(workers.map((w) => w.ipc.request<number>({ type: 'verify', posts: finalPosts })))
  ).reduce((sum, n) => sum + n, 0);
  const lateLoss = missing + last.reduce((sum, r) => sum + r.gaps + r.disorder, 0);
  if (lateLoss > 0) {
    lines.push(`live events lost in the last step's tail: ${lateLoss}`);
    // The last healthy step's messages were among them: it did not hold after all.
    if (steps.at(-1)?.healthy) held = steps.length > 1 ? steps.at(-2)!.members : 0;
  }
  return { held, steps };
}

export const communityLoadBenchmark: Benchmark = {
  name: 'community-load',
  description: `simulated members (a live connection each, an action every ~${THINK_MS / 1000} s) ramped from ${LEVELS[0]} to ${MAX_MEMBERS} until a health limit is crossed`,
  run: async ({ templates }: BenchContext) => {
    checkDocuments();
    const lines: string[] = [];
    const database = await createTestDatabase(templates);
    const scaleOut = Boolean(database.env.DATABASE_URL);
    const servers: ServerChild[] = [];
    const workers: Worker[] = [];
    try {
      const seedStarted = performance.now();
      const seeded = await seedWorld(database);
      const instances = scaleOut ? 2 : 1;
      const env = { ...benchEnv(database), JOBS_ENABLED: 'true' };
      for (let i = 0; i < instances; i += 1) servers.push(await startServerChild('guildhall', env));
      const world: LoadWorld = {
        ...seeded,
        urls: servers.map((s) => s.url),
        members: seeded.members.map((m, i) => ({ ...m, instance: i % instances })),
      };
      lines.push(
        `back-end: ${scaleOut ? 'PostgreSQL + Redis, 2 server instances' : 'embedded PGlite, 1 server'}; ${GROUPS} groups, ${world.members.length} members seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s; ${CLIENT_WORKERS} client processes on the same machine`,
      );
      lines.push(
        `each member: 2 live subscriptions, an action every ~${THINK_MS / 1000} s (${ACTIONS.map((a) => `${a.name} ${a.weight}`).join(', ')}); steps of ${STEP_SECONDS} s`,
      );
      for (let i = 0; i < CLIENT_WORKERS; i += 1) {
        const ipc = new ChildIpc<LoadRequest>(spawnBenchChild('community-load-worker.ts', [], {}));
        // Each worker gets every CLIENT_WORKERS-th member.
        await ipc.request({
          type: 'world',
          world: { ...world, members: world.members.filter((_, m) => m % CLIENT_WORKERS === i) },
        });
        workers.push({ ipc });
      }
      const { held, steps } = await runRamp(workers, servers, lines);
      const last = steps.at(-1);
      lines.push(
        `held: ${held} concurrent members within every limit (avg < ${LIMITS.averageMs} ms, p99 < ${LIMITS.p99Ms} ms, errors < ${LIMITS.errorRate * 100} %, no live event lost)${
          last && !last.healthy ? '' : ` — the ramp's top (${MAX_MEMBERS}) was reached before a limit`
        }`,
      );
      return {
        lines,
        targets: [
          { text: `community-load: the first step (${LEVELS[0]} members) held (${held})`, met: held >= LEVELS[0]! },
        ],
      };
    } finally {
      for (const worker of workers) {
        await worker.ipc.request({ type: 'close' }, 30_000).catch(() => {});
        await worker.ipc.stop();
      }
      for (const server of servers) await server.stop();
      await database.drop();
    }
  },
};
