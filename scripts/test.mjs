#!/usr/bin/env node
// `pnpm test`: every test, on the embedded default and then, when DATABASE_URL and REDIS_URL
// are set, again on PostgreSQL + Redis. Installs Debian's Chromium for the browser tests when
// it is missing and this machine allows it.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function step(title) {
  console.log(`\n━━ ${title}`);
}

// Re-use the pnpm that runs this script (npx pnpm@… need not leave `pnpm` on PATH). pnpm 12 is
// a native executable; older ones are a JavaScript file run by node.
const execPath = process.env.npm_execpath;
const pnpmExec = !execPath?.includes('pnpm')
  ? ['pnpm']
  : /\.[cm]?js$/.test(execPath)
    ? [process.execPath, execPath]
    : [execPath];

function pnpm(args, env = process.env) {
  run(pnpmExec[0], [...pnpmExec.slice(1), ...args], env);
}

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) return;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) {
    console.error(
      `The browser tests need Debian's Chromium at ${CHROMIUM}. Install it with\n` +
        '  sudo apt-get update && sudo apt-get install -y chromium\n' +
        'or point CHROMIUM_PATH at a Chromium binary.',
    );
    process.exit(1);
  }
  step('installing Chromium for the browser tests (apt-get)');
  try {
    execFileSync('apt-get', ['update'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch {
    console.error('Installing Chromium with apt-get failed; the browser tests cannot run.');
    process.exit(1);
  }
}

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
if (Boolean(databaseUrl) !== Boolean(redisUrl)) {
  console.error('Set both DATABASE_URL and REDIS_URL for the scale-out run, or neither.');
  process.exit(1);
}

ensureChromium();

step('building the web app the server serves, and the server `pnpm start` runs');
pnpm(['--filter', '@guildhall/web', 'run', 'generate']);
pnpm(['--filter', '@guildhall/web', 'run', 'build']);
pnpm(['--filter', '@guildhall/server', 'run', 'build']);

step('formatting and lint (biome ci)');
pnpm(['exec', 'biome', 'ci', '.']);

step('type-checking every package');
pnpm(['-r', 'run', 'typecheck']);

const vitest = [
  '--filter',
  '@guildhall/tests',
  'exec',
  'vitest',
  'run',
  '--config',
  'vitest.config.ts',
  ...process.argv.slice(2),
];
const { DATABASE_URL: _d, REDIS_URL: _r, ...embeddedEnv } = process.env;

step('tests on the embedded default (PGlite, in-process pub/sub)');
pnpm(vitest, embeddedEnv);

if (databaseUrl) {
  // The browser tests drive the web app through one server; what differs between the back-ends
  // (locks, pub/sub, several instances) is tested at the API, on both passes. Running the browser
  // tests once keeps a full run inside its time budget on a 2-core machine.
  // Unit tests (server/src, tests/web) touch no database: they ran on the first pass.
  step(
    `tests on PostgreSQL + Redis (${new URL(databaseUrl).host}, ${new URL(redisUrl).host}), browser and unit tests excepted`,
  );
  pnpm(
    [
      ...vitest,
      '--exclude',
      'tests/e2e/**',
      '--exclude',
      'tests/web/**',
      '--exclude',
      'server/src/**',
      '--exclude',
      'tests/migrations/notification-registry-data.test.ts',
    ],
    process.env,
  );
} else {
  console.log('\nDATABASE_URL and REDIS_URL are not set: the PostgreSQL + Redis run was not requested.');
}
