#!/usr/bin/env node
// `pnpm dev`: applies migrations, then runs the API with reload (tsx watch) and Vite with
// its proxy to the API. Ctrl-C stops both.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name) => path.join(root, 'node_modules/.bin', name);

// The server (under tsx) loads @guildhall/markup's dist: build it from the current source.
const markup = spawnSync(bin('tsc'), ['-p', 'markup/tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (markup.status !== 0) process.exit(markup.status ?? 1);

const migrate = spawnSync(bin('prisma'), ['migrate', 'deploy'], { cwd: root, stdio: 'inherit' });
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const children = [
  spawn(bin('tsx'), ['watch', '--clear-screen=false', 'server/src/main.ts'], { cwd: root, stdio: 'inherit' }),
  spawn(path.join(root, 'web/node_modules/.bin/vite'), [], { cwd: path.join(root, 'web'), stdio: 'inherit' }),
];

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}
for (const child of children) child.on('exit', (code) => stop(code ?? 0));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
