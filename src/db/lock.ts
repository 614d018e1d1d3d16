import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The owner lock of an embedded database directory: PGlite is a single-process database, and two
 * processes opening the same directory corrupt it, so only the process holding this lock opens it
 * (the embedded database server, see embedded-server.ts).
 *
 * The lock file holds the owner's pid (as JSON, `{"pid":123,"server":true}`; an encours older than
 * the shared server wrote the bare pid of a process that keeps the directory to itself). It is
 * created atomically with its content (a hard link of a file already written), so nobody ever reads
 * a half-written lock. A lock whose pid is dead (the
 * owner was killed) is taken over under a second, short-lived lock, so two processes finding the same
 * stale lock at once cannot both take it.
 */
export interface DirLock {
  /** Removes the lock if this process still holds it. */
  release(): void;
}

export const LOCK_FILE = 'encours.lock';

/** Who holds a lock: a live process, and whether it is an embedded database server. */
export interface LockHolder {
  heldBy: number;
  server: boolean;
}

/** Takes the lock (for an embedded database server), or says which live process holds it. */
export function tryLockDir(dir: string): DirLock | LockHolder {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 50; attempt++) {
    if (createWithPid(path)) return { release: () => removeIfOurs(path) };
    const owner = ownerIn(path);
    if (owner === null) continue; // removed meanwhile: try again
    if (isAlive(owner.heldBy)) return owner;
    const holder = owner.heldBy;
    // Stale: take it over, one process at a time.
    const takeover = `${path}.takeover`;
    if (!createWithPid(takeover)) {
      const other = ownerIn(takeover);
      if (other !== null && !isAlive(other.heldBy)) rmSync(takeover, { force: true }); // died taking over
      continue;
    }
    try {
      if (ownerIn(path)?.heldBy === holder) rmSync(path, { force: true });
    } finally {
      rmSync(takeover, { force: true });
    }
  }
  throw new Error(`could not take the lock ${path}: it keeps changing hands`);
}

/** The live process holding the directory's lock, if any. */
export function lockOwner(dir: string): LockHolder | null {
  const owner = ownerIn(join(dir, LOCK_FILE));
  return owner !== null && isAlive(owner.heldBy) ? owner : null;
}

export const lockHolder = (dir: string): number | null => lockOwner(dir)?.heldBy ?? null;

function createWithPid(path: string): boolean {
  const draft = `${path}.${process.pid}`;
  writeFileSync(draft, JSON.stringify({ pid: process.pid, server: true }));
  try {
    linkSync(draft, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    rmSync(draft, { force: true });
  }
}

/** The holder named in a lock file (pid 0 when unreadable, so it counts as dead), null when none. */
function ownerIn(path: string): LockHolder | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v === 'number') return { heldBy: v, server: false };
    const o = v as { pid?: unknown; server?: unknown };
    if (Number.isInteger(o.pid)) return { heldBy: o.pid as number, server: o.server === true };
  } catch {
    // not JSON: unreadable
  }
  return { heldBy: 0, server: false };
}

function removeIfOurs(path: string): void {
  try {
    if (ownerIn(path)?.heldBy === process.pid) rmSync(path, { force: true });
  } catch {
    // The directory is gone: nothing left to release.
  }
}

export function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
