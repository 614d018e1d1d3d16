import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors.ts';

/**
 * PGlite is a single-process database: two processes writing the same directory corrupt it.
 * We take an exclusive pid lock file; a lock left by a dead process is taken over.
 */
export function acquireDirLock(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'encours.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(readFileSync(path, 'utf8').trim());
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new AppError(
          'DB_LOCKED',
          `the database in ${dir} is in use by another encours process (pid ${holder})`,
          { dir, pid: holder },
          'wait for that command to finish or stop it; for concurrent use, run PostgreSQL and set DATABASE_URL',
        );
      }
      rmSync(path, { force: true }); // stale lock from a crashed process
    }
  }
  throw new AppError('DB_LOCKED', `could not lock the database directory ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
