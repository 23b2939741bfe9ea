import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, tmpRoot } from '../support/paths.js';
import type { Benchmark } from './registry.js';

// `pnpm start` (node server/dist/main.js) on the embedded default: once on a fresh data directory
// (every migration and the demo data), then again on the same directory with nothing to migrate, the
// way a restart or a deploy without schema changes runs. Each figure is seconds from spawning the
// process to the first 200 from /readyz.

const RESTART_CEILING_S = 2;
const serverMain = path.join(repoRoot, 'server/dist/main.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function startUntilReady(dataDir: string): Promise<{ seconds: number; child: ChildProcess; log: string[] }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir };
  env.LOG_LEVEL = 'info';
  env.SEED_DEMO = 'auto';
  // The embedded default, whatever back-end this run's tests use.
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  delete env.NODE_ENV;
  const started = performance.now();
  const child = spawn(process.execPath, [serverMain], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  for (;;) {
    if (exited) throw new Error(`the server exited before it was ready:\n${log.join('').slice(-2000)}`);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { seconds: (performance.now() - started) / 1000, child, log };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export const restartBenchmark: Benchmark = {
  name: 'restart',
  description: 'seconds from `pnpm start` to /readyz: fresh data directory, then a restart with nothing to migrate',
  needsDatabase: false,
  async run() {
    await promisify(execFile)('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: path.join(repoRoot, 'server') });
    fs.mkdirSync(tmpRoot, { recursive: true });
    const dataDir = fs.mkdtempSync(path.join(tmpRoot, 'restart-'));
    try {
      const first = await startUntilReady(dataDir);
      await stop(first.child);
      const second = await startUntilReady(dataDir);
      await stop(second.child);
      const migratedAgain = second.log.join('').includes('running prisma migrate deploy');
      return {
        lines: [
          `first start (migrations + demo data): ${first.seconds.toFixed(2)} s`,
          `restart (nothing to migrate): ${second.seconds.toFixed(2)} s${migratedAgain ? ' (ran the schema engine!)' : ''}`,
        ],
        targets: [
          {
            text: `restart ready in ${second.seconds.toFixed(2)} s ≤ ${RESTART_CEILING_S} s, without the schema engine`,
            met: second.seconds <= RESTART_CEILING_S && !migratedAgain,
          },
        ],
      };
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
