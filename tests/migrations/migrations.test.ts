// The migration history in prisma/migrations, applied with the ordinary Prisma CLI through our
// schema-engine shim (prisma/engine/schema-engine.mjs), to a fresh PGlite data directory and — when
// DATABASE_URL is set — to a fresh PostgreSQL database. Plus the single-owner PGlite lock, both
// through the CLI and on its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { acquirePgliteLock, isPgliteLockedError, LOCK_FILE_NAME } from '../../prisma/engine/pglite-lock.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const prismaBin = path.join(repoRoot, 'node_modules/.bin/prisma');
const lockModuleUrl = pathToFileURL(path.join(repoRoot, 'prisma/engine/pglite-lock.mjs')).href;

// Every CLI call starts Node, the CLI and the WebAssembly engine; a fresh PGlite directory adds its
// initdb. Seconds each on an idle machine, much more when the test workers share two cores.
const CLI_TIMEOUT_MS = 240_000;
const TEST_TIMEOUT_MS = 2 * CLI_TIMEOUT_MS;

const migrationNames = fs
  .readdirSync(path.join(repoRoot, 'prisma/migrations'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

interface CliResult {
  code: number | null;
  output: string;
}

/** Runs `prisma <args>` from the repo root, against PGlite in `dataDir` or PostgreSQL at `databaseUrl`. */
function prisma(args: string[], target: { dataDir: string } | { databaseUrl: string }): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', NO_COLOR: '1' };
  delete env.DATABASE_URL;
  delete env.DATA_DIR;
  if ('dataDir' in target) env.DATA_DIR = target.dataDir;
  else env.DATABASE_URL = target.databaseUrl;
  return new Promise((resolve) => {
    execFile(prismaBin, args, { cwd: repoRoot, env, timeout: CLI_TIMEOUT_MS }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, output: `${stdout}\n${stderr}` });
    });
  });
}

/** A PID that certainly belongs to no running process: one that has just exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

/** Runs a small ES module in a separate Node process (a second process for the lock to refuse). */
function runNode(source: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--input-type=module', '-e', source], (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, output: `${stdout}${stderr}` });
    });
  });
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'gh-mig-'));
}

function expectAllApplied(result: CliResult) {
  expect(result.output).toContain('All migrations have been successfully applied.');
  for (const name of migrationNames) expect(result.output).toContain(name);
  expect(result.code).toBe(0);
}

function expectUpToDate(result: CliResult) {
  expect(result.output).toContain('Database schema is up to date!');
  expect(result.code).toBe(0);
}

it('has a migration history to test', () => {
  expect(migrationNames.length).toBeGreaterThan(0);
  expect(fs.existsSync(path.join(repoRoot, 'prisma/migrations/migration_lock.toml'))).toBe(true);
});

describe('migration history on PGlite', () => {
  let dataDir: string;
  let pgliteDir: string;
  let lockPath: string;

  beforeAll(() => {
    dataDir = tempDir(); // DATA_DIR: the cluster goes to DATA_DIR/pglite, the lock to DATA_DIR/guildhall.lock
    pgliteDir = path.join(dataDir, 'pglite');
    lockPath = path.join(dataDir, LOCK_FILE_NAME);
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it(
    'applies every migration to a fresh data directory, and has closed it when the CLI exits',
    async () => {
      expectAllApplied(await prisma(['migrate', 'deploy'], { dataDir }));
      expect(fs.existsSync(path.join(pgliteDir, 'PG_VERSION'))).toBe(true);
      expect(fs.existsSync(lockPath)).toBe(false); // released on the way out
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'then reports the database up to date',
    async () => {
      expectUpToDate(await prisma(['migrate', 'status'], { dataDir }));
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'refuses at once while another live process holds the directory',
    async () => {
      const lock = acquirePgliteLock(dataDir); // this test process plays the running server
      try {
        const before = fs.readFileSync(lockPath, 'utf8');
        const result = await prisma(['migrate', 'deploy'], { dataDir });
        expect(result.code).not.toBe(0);
        expect(result.output).toContain('PGLITE_LOCKED');
        expect(result.output).toContain(`is in use by another process (PID ${process.pid}`);
        expect(result.output).toContain(dataDir);
        expect(result.output).toContain('DATABASE_URL');
        expect(fs.readFileSync(lockPath, 'utf8')).toBe(before); // our lock was left alone
      } finally {
        lock.release();
      }
      expect(fs.existsSync(lockPath)).toBe(false);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'takes over a stale lock left by a dead process',
    async () => {
      const pid = await deadPid();
      fs.writeFileSync(lockPath, JSON.stringify({ pid, startedAt: new Date().toISOString() }));
      const result = await prisma(['migrate', 'deploy'], { dataDir });
      expect(result.output).toContain('No pending migrations to apply.');
      expect(result.code).toBe(0);
      expect(fs.existsSync(lockPath)).toBe(false);
    },
    TEST_TIMEOUT_MS,
  );
});

describe.skipIf(!process.env.DATABASE_URL)('migration history on PostgreSQL', () => {
  // A throw-away database next to the one DATABASE_URL names, on the same server and credentials.
  const adminUrl = process.env.DATABASE_URL!;
  const database = `gh_mig_${randomBytes(6).toString('hex')}`;
  let databaseUrl: string;

  async function admin<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []) {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      return (await client.query<R>(sql, values)).rows;
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    await admin(`CREATE DATABASE "${database}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    databaseUrl = url.toString();
  });
  afterAll(async () => {
    await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  });

  it(
    'applies every migration to a fresh database, and is disconnected when the CLI exits',
    async () => {
      expectAllApplied(await prisma(['migrate', 'deploy'], { databaseUrl }));
      // What runs next (e.g. CREATE DATABASE … TEMPLATE this one) needs it free of sessions.
      const sessions = await admin<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
        [database],
      );
      expect(sessions[0]?.n).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'then reports the database up to date',
    async () => {
      expectUpToDate(await prisma(['migrate', 'status'], { databaseUrl }));
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'records each migration with the sha256 of its migration.sql',
    async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ migration_name: string; checksum: string; finished: boolean }>(
          'SELECT migration_name, checksum, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY migration_name',
        );
        const { createHash } = await import('node:crypto');
        expect(rows).toEqual(
          migrationNames.map((name) => ({
            migration_name: name,
            checksum: createHash('sha256')
              .update(fs.readFileSync(path.join(repoRoot, 'prisma/migrations', name, 'migration.sql')))
              .digest('hex'),
            finished: true,
          })),
        );
      } finally {
        await client.end();
      }
    },
    TEST_TIMEOUT_MS,
  );
});

describe('pglite-lock', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const fresh = (name: string) => path.join(dir, name);

  it('creates the directory and a lock file naming this process, removed on release', () => {
    const dataDir = fresh('basic');
    const lock = acquirePgliteLock(dataDir);
    expect(lock.lockPath).toBe(path.join(dataDir, LOCK_FILE_NAME));
    const owner = JSON.parse(fs.readFileSync(lock.lockPath, 'utf8'));
    expect(owner.pid).toBe(process.pid);
    expect(Number.isNaN(Date.parse(owner.startedAt))).toBe(false);
    lock.release();
    expect(fs.existsSync(lock.lockPath)).toBe(false);
    lock.release(); // idempotent
    acquirePgliteLock(dataDir).release(); // and free again
  });

  it('refuses a second owner in the same process', () => {
    const dataDir = fresh('twice');
    const lock = acquirePgliteLock(dataDir);
    try {
      expect(() => acquirePgliteLock(dataDir)).toThrow(/already/);
    } finally {
      lock.release();
    }
  });

  it('refuses another live process with PGLITE_LOCKED, naming the directory and the PID', async () => {
    const dataDir = fresh('other-process');
    const lock = acquirePgliteLock(dataDir);
    try {
      const result = await runNode(`
        import { acquirePgliteLock } from ${JSON.stringify(lockModuleUrl)};
        try { acquirePgliteLock(${JSON.stringify(dataDir)}); process.exit(0); }
        catch (error) { console.log(JSON.stringify({ code: error.code, pid: error.pid, message: error.message })); process.exit(3); }
      `);
      expect(result.code).toBe(3);
      const error = JSON.parse(result.output);
      expect(error.code).toBe('PGLITE_LOCKED');
      expect(error.pid).toBe(process.pid);
      expect(error.message).toContain(dataDir);
      expect(error.message).toContain(`PID ${process.pid}`);
      expect(error.message).toMatch(/stop that process, or set DATABASE_URL/);
    } finally {
      lock.release();
    }
  });

  it('exposes the refusal as a typed error', () => {
    const dataDir = fresh('typed');
    const lock = acquirePgliteLock(dataDir);
    try {
      acquirePgliteLock(dataDir);
      expect.unreachable();
    } catch (error) {
      expect(isPgliteLockedError(error)).toBe(true);
      if (isPgliteLockedError(error)) {
        expect(error.dataDir).toBe(dataDir);
        expect(error.lockPath).toBe(lock.lockPath);
      }
    } finally {
      lock.release();
    }
  });

  it('takes over a lock whose process is dead', async () => {
    const dataDir = fresh('stale');
    fs.mkdirSync(dataDir, { recursive: true });
    const pid = await deadPid();
    fs.writeFileSync(path.join(dataDir, LOCK_FILE_NAME), JSON.stringify({ pid, startedAt: new Date().toISOString() }));
    const lock = acquirePgliteLock(dataDir);
    expect(JSON.parse(fs.readFileSync(lock.lockPath, 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(fs.readdirSync(dataDir)).toEqual([]); // no leftovers from the takeover
  });

  it.skipIf(process.platform !== 'linux')('takes over a lock whose PID now belongs to another process', () => {
    const dataDir = fresh('recycled');
    fs.mkdirSync(dataDir, { recursive: true });
    // Our parent is alive, but it is not the process that wrote this lock (different start time).
    const recycled = { pid: process.ppid, startedAt: new Date().toISOString(), startTicks: '1' };
    fs.writeFileSync(path.join(dataDir, LOCK_FILE_NAME), JSON.stringify(recycled));
    const lock = acquirePgliteLock(dataDir);
    expect(JSON.parse(fs.readFileSync(lock.lockPath, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over an unreadable lock file once it is clearly not being written', () => {
    const dataDir = fresh('garbled');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, LOCK_FILE_NAME), '');
    const lock = acquirePgliteLock(dataDir);
    expect(JSON.parse(fs.readFileSync(lock.lockPath, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('release leaves a lock that is no longer ours alone', () => {
    const dataDir = fresh('not-ours');
    const lock = acquirePgliteLock(dataDir);
    const someoneElse = JSON.stringify({ pid: process.ppid, startedAt: new Date().toISOString() });
    fs.writeFileSync(lock.lockPath, someoneElse);
    lock.release();
    expect(fs.readFileSync(lock.lockPath, 'utf8')).toBe(someoneElse);
    fs.rmSync(lock.lockPath);
  });

  it('waits briefly for a holder that is closing instead of failing', async () => {
    const dataDir = fresh('closing');
    // The holder announces it is closing, then releases 300 ms later, like the schema engine
    // the Prisma CLI has just stopped.
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { acquirePgliteLock } from ${JSON.stringify(lockModuleUrl)};
         const lock = acquirePgliteLock(${JSON.stringify(dataDir)});
         lock.markClosing();
         console.log('closing');
         setTimeout(() => lock.release(), 300);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise((resolve) => holder.stdout!.once('data', resolve));
    const lock = acquirePgliteLock(dataDir, { closingGraceMs: 10_000 });
    expect(JSON.parse(fs.readFileSync(lock.lockPath, 'utf8')).pid).toBe(process.pid);
    lock.release();
    await new Promise((resolve) => holder.on('exit', resolve));
  });

  it('releases the lock when the process exits without calling release()', async () => {
    const dataDir = fresh('exit');
    const result = await runNode(`
      import { acquirePgliteLock } from ${JSON.stringify(lockModuleUrl)};
      acquirePgliteLock(${JSON.stringify(dataDir)});
      process.exit(0);
    `);
    expect(result.code).toBe(0);
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(false);
  });
});
