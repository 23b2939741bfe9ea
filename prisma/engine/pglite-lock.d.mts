// Types for pglite-lock.mjs (hand-written; the module is plain JavaScript so the Prisma CLI's
// schema-engine shim can load it without a build step).

/** Name of the lock file inside the data directory. */
export declare const LOCK_FILE_NAME: 'guildhall.lock';

export interface AcquirePgliteLockOptions {
  /**
   * How long to wait for a holder that has called `markClosing()` (it is shutting down) before
   * giving up with PGLITE_LOCKED. Holders that are not closing are refused at once. Default 5000.
   */
  closingGraceMs?: number;
}

export interface PgliteLock {
  /** Absolute path of the lock file (`<dataDir>/guildhall.lock`). */
  readonly lockPath: string;
  /** Removes the lock file if it still holds our PID. Idempotent; also runs on process 'exit'. */
  release(): void;
  /** Marks the lock as "closing" so a process starting right now waits briefly instead of failing. */
  markClosing(): void;
}

/** Thrown by acquirePgliteLock when a live process holds the directory. */
export interface PgliteLockedError extends Error {
  code: 'PGLITE_LOCKED';
  /** The absolute data directory. */
  dataDir: string;
  lockPath: string;
  /** PID of the process holding the lock. */
  pid: number;
}

/**
 * Takes the single-owner lock on Guildhall's data directory — DATA_DIR, whose `pglite/` subdirectory
 * holds the PGlite cluster; the lock file is `${dataDir}/guildhall.lock`. Creates the directory if
 * missing. Take it before opening PGlite and keep it until PGlite is closed.
 *
 * @throws {PgliteLockedError} when another live process holds the lock (a lock left by a dead
 *   process is taken over silently).
 */
export declare function acquirePgliteLock(dataDir: string, options?: AcquirePgliteLockOptions): PgliteLock;

export declare function isPgliteLockedError(error: unknown): error is PgliteLockedError;
