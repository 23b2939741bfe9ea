import fs from 'node:fs';

// The one clock for the whole server: business time (expiry, due jobs, "created at" decisions)
// comes from now()/nowMs(), never from new Date()/Date.now(), so tests can move time instead of
// sleeping. The clock is the wall clock plus an offset:
//   - in-process servers (tests that call buildApp themselves): setClockOffset / advanceClock;
//   - spawned server processes: CLOCK_OFFSET_FILE (only accepted when NODE_ENV=test, see env.ts)
//     names a file holding the offset in milliseconds as a decimal integer. It is re-read when its
//     modification time or size changes (one stat per call), so a test moves the clock of every
//     process sharing the file by writing a new number into it (writeClockOffsetFile).
// Both offsets add up. A missing or empty file means 0.

let offsetMs = 0;
let offsetFile: string | null = null;
let fileOffsetMs = 0;
let fileStamp = '';

export function nowMs(): number {
  return Date.now() + offsetMs + (offsetFile === null ? 0 : readFileOffset(offsetFile));
}

export function now(): Date {
  return new Date(nowMs());
}

/** Tests: the clock runs `ms` ahead of (or, negative, behind) the wall clock from now on. */
export function setClockOffset(ms: number): void {
  if (!Number.isFinite(ms)) throw new RangeError(`clock offset must be finite, got ${ms}`);
  offsetMs = Math.trunc(ms);
}

/** Tests: moves the clock forward by `ms`. */
export function advanceClock(ms: number): void {
  setClockOffset(offsetMs + ms);
}

/** The in-process offset (without the file's). */
export function clockOffset(): number {
  return offsetMs;
}

/** Called once at start-up from the environment (CLOCK_OFFSET_FILE); null turns it off. */
export function readClockOffsetFrom(file: string | null): void {
  offsetFile = file;
  fileStamp = '';
  fileOffsetMs = 0;
}

/** Tests: writes the offset that every process started with CLOCK_OFFSET_FILE=`file` reads. */
export function writeClockOffsetFile(file: string, ms: number): void {
  // Write then rename, so a reader never sees a half-written number.
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, String(Math.trunc(ms)));
  fs.renameSync(temporary, file);
}

function readFileOffset(file: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    fileStamp = '';
    fileOffsetMs = 0;
    return 0;
  }
  // ino changes on every rename, so two writes within one mtime tick are still seen.
  const stamp = `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
  if (stamp !== fileStamp) {
    const text = fs.readFileSync(file, 'utf8').trim();
    const parsed = text === '' ? 0 : Number(text);
    if (!Number.isFinite(parsed)) throw new Error(`CLOCK_OFFSET_FILE ${file} holds "${text}", not a number of ms`);
    fileOffsetMs = Math.trunc(parsed);
    fileStamp = stamp;
  }
  return fileOffsetMs;
}
