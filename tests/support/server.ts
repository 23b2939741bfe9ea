import fs from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { buildApp, type App } from '../../server/src/app.js';
import { loadEnv } from '../../server/src/env.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { builtServerMain, repoRoot, serverMain } from './paths.js';
import { trackInProcessServer, trackServerProcess } from './sign-up.js';

// Real servers on free ports, on a fresh database of this run's back-end.

// Every test talks from 127.0.0.1, so the per-address limits are lifted unless a test sets them.
const QUIET_ENV = {
  LOG_LEVEL: 'silent',
  SEED_DEMO: 'never',
  NODE_ENV: 'test',
  PORT: '0',
  HOST: '127.0.0.1',
  SIGN_IN_MAX_PER_ADDRESS: '100000',
  SIGN_UP_MAX_PER_ADDRESS: '100000',
  PASSWORD_RESET_MAX_PER_ADDRESS: '100000',
  // Chat tests send bursts of thousands; the rate-limit test sets its own limit.
  CHAT_SEND_MAX_PER_MINUTE: '1000000',
  CHAT_ACTIONS_MAX_PER_MINUTE: '1000000',
  // Per-member mutation limits: tests/api/mutation-limits.test.ts sets its own.
  MUTATIONS_MAX_PER_MINUTE: '1000000',
  INVITES_MAX_PER_HOUR: '1000000',
  JOIN_REQUESTS_MAX_PER_HOUR: '1000000',
  EVENTS_CREATED_MAX_PER_HOUR: '1000000',
  GROUPS_CREATED_MAX_PER_HOUR: '1000000',
};

export interface TestServer {
  app: App;
  url: string;
  graphqlUrl: string;
  wsUrl: string;
  database: TestDatabase;
  stop(): Promise<void>;
}

/** Starts buildApp() in this process; pass `database` to share one with another server. */
export async function startServer(
  options: { env?: Record<string, string>; database?: TestDatabase } = {},
): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase());
  const env = loadEnv({ ...QUIET_ENV, ...database.env, ...options.env });
  const app = await buildApp(env);
  await app.start();
  const untrack = trackInProcessServer(app);
  return {
    app,
    url: app.url,
    graphqlUrl: `${app.url}/graphql`,
    wsUrl: `${app.url.replace('http', 'ws')}/graphql`,
    database,
    stop: async () => {
      untrack();
      await app.stop();
      if (!options.database) await database.drop();
    },
  };
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  graphqlUrl: string;
  wsUrl: string;
  /** Everything the process wrote to stderr so far. */
  output(): string;
  /** SIGTERM, then wait for exit. */
  stop(): Promise<number | null>;
  exited: Promise<number | null>;
}

/**
 * Runs server/src/main.ts as its own process, as `pnpm start` would (minus the build); `built` runs
 * what `pnpm start` runs, the bundle `pnpm build` makes (server/dist/main.js).
 */
export async function spawnServer(
  env: Record<string, string>,
  options: { built?: boolean } = {},
): Promise<ServerProcess> {
  if (options.built && !fs.existsSync(builtServerMain))
    throw new Error(`${builtServerMain} is missing: build the server first (pnpm build)`);
  // One process (node, with tsx's loader for the source), so a signal reaches the server itself.
  const args = options.built ? [builtServerMain] : ['--import', 'tsx', serverMain];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, ...QUIET_ENV, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Its log holds the links of held emails (a member's sign-up link: see sign-up.ts).
  const untrack = trackServerProcess(() => output);
  void exited.then(untrack);
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // The log is JSON lines (pino): read the start-up line by its fields, not their order.
      const lines = output.split('\n').slice(0, -1); // complete lines only
      const line = lines.find((text) => text.includes('"message":"Guildhall is listening"'));
      const url = line ? (JSON.parse(line) as { url?: unknown }).url : undefined;
      if (typeof url === 'string') resolve(url);
    };
    child.stderr!.on('data', onData);
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
  return {
    child,
    url,
    graphqlUrl: `${url}/graphql`,
    wsUrl: `${url.replace('http', 'ws')}/graphql`,
    output: () => output,
    exited,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
