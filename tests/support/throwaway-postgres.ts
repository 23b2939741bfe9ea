import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { prismaBin, repoRoot, tmpRoot } from './paths.js';

// A PostgreSQL server of one test's own (initdb + pg_ctl on a free port), for tests that stop the
// database: the run's shared PostgreSQL must never be stopped. Needs PostgreSQL's server binaries
// (PG_BIN, else `pg_config --bindir`, else Debian's /usr/lib/postgresql/<version>/bin); a test that
// uses it runs in the PostgreSQL + Redis run, which fails, never skips, when they are missing.

const run = promisify(execFile);

export interface ThrowawayPostgres {
  /** postgres://… of a migrated, empty database on this server. */
  url: string;
  /** Stops the server (fast shutdown: open connections are cut); the data stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** Stops it and removes its files. */
  destroy(): Promise<void>;
}

export function postgresBinDir(): string {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // No pg_config on PATH: try Debian's layout below.
  }
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) {
    for (const version of fs.readdirSync(debian).sort().reverse()) candidates.push(path.join(debian, version, 'bin'));
  }
  const found = candidates.find(
    (dir) => fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl')),
  );
  if (!found) {
    throw new Error(
      `This test starts its own PostgreSQL and needs initdb and pg_ctl (looked in: ${candidates.join(', ') || 'nothing'}). ` +
        'Install PostgreSQL’s server package or set PG_BIN to its bin directory.',
    );
  }
  return found;
}

/** initdb and pg_ctl refuse to run as root: run them as the `postgres` user then. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = postgresBinDir();
  const user = runAs();
  fs.mkdirSync(tmpRoot, { recursive: true });
  const root = fs.mkdtempSync(path.join(tmpRoot, 'postgres-'));
  const dataDir = path.join(root, 'data');
  const logFile = path.join(root, 'server.log');
  if (user) fs.chownSync(root, user.uid, user.gid);
  const port = await freePort();
  const as = user ? { uid: user.uid, gid: user.gid } : {};
  const tool = (name: string, args: string[]) =>
    run(path.join(bin, name), args, { ...as, cwd: root, env: { ...process.env, LC_ALL: 'C' } });

  await tool('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
  // TCP only (no socket file to place), and no fsync: this database lives for one test.
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off -c full_page_writes=off`;
  const start = async () => {
    try {
      await tool('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']);
    } catch (error) {
      const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2_000) : '';
      throw new Error(`pg_ctl start failed: ${String(error)}\n${log}`);
    }
  };
  const stop = async () => {
    await tool('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
  };
  const destroy = async () => {
    await stop().catch(() => undefined);
    fs.rmSync(root, { recursive: true, force: true });
  };

  try {
    await start();
    const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
    await admin.connect();
    try {
      await admin.query('CREATE DATABASE guildhall');
    } finally {
      await admin.end();
    }
    const url = `postgres://postgres@127.0.0.1:${port}/guildhall`;
    await run(prismaBin, ['migrate', 'deploy'], { cwd: repoRoot, env: { ...process.env, DATABASE_URL: url } });
    return { url, stop, start, destroy };
  } catch (error) {
    await destroy();
    throw error;
  }
}
