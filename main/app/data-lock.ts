/**
 * One console per data folder. Two hosts on one folder (the desktop app and `npm run serve`, or
 * `serve` and `mine`) would share one database, both resume the same training runs and both try
 * to mine with the same hotkey. The first to start writes `console.lock` (created exclusively)
 * saying who it is; a second one is refused with that sentence. A lock whose process is gone, or
 * that was written before the machine last booted (its pid may be another program's now), is
 * stale and taken over.
 */
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { uptime } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = 'console.lock';

/** Two readings of the boot time differ by the clock's drift and rounding: this much is the same boot. */
const SAME_BOOT_MS = 2 * 60_000;

export interface LockHolder {
  pid: number;
  /** Who holds it, as the operator started it: "npm run serve", "the desktop app". */
  program: string;
  /** When it took the lock (ISO). */
  since: string;
  /** When its machine booted (ms since the epoch): a lock from an earlier boot is stale. */
  bootedAt: number;
}

export class DataFolderInUse extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The data folder ${dataDir} is in use by ${holder.program} (pid ${holder.pid}, since ${localTime(holder.since)}). Two consoles on one folder would share its database and both resume the same training runs: stop that one first, or give this one another data folder (--data-dir).`,
    );
  }
}

export interface DataLock {
  readonly path: string;
  /** Removes the lock, if it is still ours. */
  release(): void;
}

/** Takes the data folder for this process, or throws DataFolderInUse naming the process that has it. */
export function lockDataDir(dataDir: string, program: string): DataLock {
  const path = join(dataDir, LOCK_FILE);
  const ours: LockHolder = { pid: process.pid, program, since: new Date().toISOString(), bootedAt: bootedAt() };
  const text = `${JSON.stringify(ours)}\n`;
  // Written aside, then linked into place: link fails if the lock exists, and a reader never
  // sees a half-written lock.
  const candidate = `${path}.${process.pid}.${Date.now()}`;
  writeFileSync(candidate, text, { mode: 0o600 });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(candidate, path);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
      }
      const existing = readLock(path);
      if (existing.holder && holds(existing.holder)) throw new DataFolderInUse(dataDir, existing.holder);
      // Stale (or unreadable): removed only if it is still the lock just judged, so two hosts
      // taking over the same stale lock cannot remove each other's fresh one.
      if (readLock(path).text === existing.text) removeQuietly(path);
    }
  } finally {
    removeQuietly(candidate);
  }

  // A process that exits without closing its host (a failed start calls process.exit) leaves no lock.
  const onExit = (): void => release();
  process.on('exit', onExit);
  let released = false;
  function release(): void {
    if (released) return;
    released = true;
    process.off('exit', onExit);
    if (readLock(path).text === text) removeQuietly(path);
  }
  return { path, release };
}

function readLock(path: string): { text: string | null; holder: LockHolder | null } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { text: null, holder: null };
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid) || parsed.pid <= 0)
      return { text, holder: null };
    return {
      text,
      holder: {
        pid: parsed.pid,
        program: typeof parsed.program === 'string' ? parsed.program : 'another console',
        since: typeof parsed.since === 'string' ? parsed.since : 'an unknown time',
        bootedAt: typeof parsed.bootedAt === 'number' ? parsed.bootedAt : Number.NaN,
      },
    };
  } catch {
    return { text, holder: null };
  }
}

/** Whether the process that wrote the lock is still running, in this boot of the machine. */
function holds(holder: LockHolder): boolean {
  if (!(Math.abs(holder.bootedAt - bootedAt()) < SAME_BOOT_MS)) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function bootedAt(): number {
  return Date.now() - uptime() * 1000;
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

function localTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
