// One process owns a PGlite database. PGlite has no locking of its own (two processes on one
// directory silently lose writes), so every process that opens it — the server and the schema-engine
// shim behind `prisma migrate` — takes this lock file first. `dataDir` is Guildhall's data directory
// (DATA_DIR); the PGlite cluster itself lives in DATA_DIR/pglite.
//
// Protocol: `${dataDir}/guildhall.lock` is created with an exclusive create ('wx') and holds
// `{"pid", "startedAt", "hostname", …}` as JSON. A lock whose PID is alive (process.kill(pid, 0) succeeds
// or fails with EPERM) refuses the newcomer with an Error whose code is 'PGLITE_LOCKED'. A lock whose
// PID is dead (crash, kill -9) is stale and taken over. Everything is synchronous on purpose: callers
// take the lock before they open the database, and release it on the way out (also on process exit).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const LOCK_FILE_NAME = 'guildhall.lock';

/** How long a newcomer waits for a holder that has announced it is closing (markClosing). */
const DEFAULT_CLOSING_GRACE_MS = 5000;
const POLL_MS = 50;

/** Lock files held by this process, so a lock that names our own PID can be told apart from a stale one. */
const heldHere = new Set();

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function pidIsAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM'; // alive, but owned by another user
  }
}

// Linux only, best effort: the kernel's boot id and a process's start time (in clock ticks since
// boot) tell a recycled PID (common in containers, where the server is often PID 1 on every start)
// or a lock left over from before a reboot apart from the real owner. Not wall-clock based.
function readProc(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function bootId() {
  return readProc('/proc/sys/kernel/random/boot_id')?.trim();
}

function startTicks(pid) {
  const stat = readProc(`/proc/${pid}/stat`);
  return stat === undefined ? undefined : stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

/** Returns the lock file's raw text, or null when there is no lock file. */
function readRaw(lockPath) {
  try {
    return fs.readFileSync(lockPath, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT') return null;
    throw error;
  }
}

function parseOwner(raw) {
  try {
    const owner = JSON.parse(raw);
    return Number.isInteger(owner?.pid) && owner.pid > 0 ? owner : null;
  } catch {
    return null;
  }
}

function lockedError(dir, lockPath, owner) {
  const where = owner.hostname && owner.hostname !== os.hostname() ? ` on host ${owner.hostname}` : '';
  const who = owner.pid === process.pid ? 'this process already' : 'another process';
  const error = new Error(
    `The data directory ${dir} (embedded PGlite database) is in use by ${who} (PID ${owner.pid}${where}, ` +
      `since ${owner.startedAt ?? 'an unknown time'}). Only one process may open it at a time: ` +
      `stop that process, or set DATABASE_URL=postgres://… to use PostgreSQL instead. ` +
      `(Lock file: ${lockPath}; delete it only if that process is really gone.)`,
  );
  error.name = 'PgliteLockedError';
  error.code = 'PGLITE_LOCKED';
  error.dataDir = dir;
  error.lockPath = lockPath;
  error.pid = owner.pid;
  return error;
}

/**
 * Moves a stale lock out of the way. Renaming (instead of unlinking) lets us check that the file we
 * removed is the stale one we judged: if a racing process replaced it meanwhile, we put theirs back.
 */
function removeStaleLock(lockPath, staleRaw) {
  const aside = `${lockPath}.stale-${process.pid}-${Date.now()}`;
  try {
    fs.renameSync(lockPath, aside);
  } catch (error) {
    if (error.code === 'ENOENT') return; // someone else removed it first
    throw error;
  }
  if (readRaw(aside) !== staleRaw) {
    try {
      fs.linkSync(aside, lockPath); // not the stale lock after all: restore it
    } catch {
      // lockPath was re-created in between; the exclusive create below sorts out who owns it
    }
  }
  fs.rmSync(aside, { force: true });
}

/**
 * Takes the lock on a data directory (`${dataDir}/guildhall.lock`), creating the directory if needed.
 * Throws an Error with code 'PGLITE_LOCKED' when a live process holds it.
 */
export function acquirePgliteLock(dataDir, options = {}) {
  const dir = path.resolve(dataDir);
  const lockPath = path.join(dir, LOCK_FILE_NAME);
  const closingGraceMs = options.closingGraceMs ?? DEFAULT_CLOSING_GRACE_MS;
  fs.mkdirSync(dir, { recursive: true });

  const owner = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    hostname: os.hostname(),
    bootId: bootId(),
    startTicks: startTicks(process.pid),
  };
  const ownRaw = `${JSON.stringify(owner)}\n`;
  const startedAt = Date.now();
  let unreadableSince = null;

  for (;;) {
    try {
      fs.writeFileSync(lockPath, ownRaw, { flag: 'wx' });
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }

    const raw = readRaw(lockPath);
    if (raw === null) continue; // released between our create and our read: try again
    const holder = parseOwner(raw);

    if (!holder) {
      // Empty or garbled: either a writer is between its create and its write, or it crashed there.
      unreadableSince ??= Date.now();
      if (Date.now() - unreadableSince < 1000) {
        sleepSync(POLL_MS);
        continue;
      }
      removeStaleLock(lockPath, raw);
      continue;
    }

    if (holder.pid === process.pid && heldHere.has(lockPath)) {
      throw lockedError(dir, lockPath, holder); // this process already has it open
    }
    // PIDs only mean something on the host that wrote the lock; a lock from elsewhere is respected.
    const sameHost = !holder.hostname || holder.hostname === os.hostname();
    const stale =
      sameHost &&
      (holder.pid === process.pid ||
        (holder.bootId && owner.bootId && holder.bootId !== owner.bootId) ||
        !pidIsAlive(holder.pid) ||
        (holder.startTicks && startTicks(holder.pid) && holder.startTicks !== startTicks(holder.pid)));
    if (stale) {
      removeStaleLock(lockPath, raw);
      continue;
    }
    // A holder that is shutting down (e.g. the schema engine the Prisma CLI just stopped) gets a
    // short grace period, so `prisma migrate deploy && node server` does not race its cleanup.
    if (holder.closing && Date.now() - startedAt < closingGraceMs) {
      sleepSync(POLL_MS);
      continue;
    }
    throw lockedError(dir, lockPath, holder);
  }

  heldHere.add(lockPath);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    heldHere.delete(lockPath);
    // Only remove the file while it is still ours (it may have been taken over as stale).
    const current = parseOwner(readRaw(lockPath) ?? '');
    if (current && current.pid === owner.pid && current.startedAt === owner.startedAt) {
      fs.rmSync(lockPath, { force: true });
    }
  };
  process.on('exit', release);

  return {
    lockPath,
    release,
    /** Announces that we are about to release, so a newcomer waits a moment instead of failing. */
    markClosing() {
      if (released) return;
      const tmp = `${lockPath}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, `${JSON.stringify({ ...owner, closing: true })}\n`);
      fs.renameSync(tmp, lockPath);
      owner.closing = true;
    },
  };
}

export function isPgliteLockedError(error) {
  return error instanceof Error && error.code === 'PGLITE_LOCKED';
}
