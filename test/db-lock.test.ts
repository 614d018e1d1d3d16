import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open.ts';
import { runCli } from './support/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'encours-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('embedded database lock', () => {
  it('a second process on the same PGlite directory gets DB_LOCKED (exit 6), then works once it is free', {
    timeout: 120_000,
  }, async () => {
    const dir = join(root, 'held');
    const held = await openDatabase(dir);
    try {
      const r = await runCli(['clients', 'list', '--db', dir]);
      expect(r.code).toBe(6);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `encours: the database in ${dir} is in use by another encours process (pid ${process.pid})\n` +
          '  hint: wait for that command to finish or stop it; for concurrent use, run PostgreSQL and set DATABASE_URL\n',
      );
    } finally {
      await held.close();
    }
    expect(existsSync(join(dir, 'encours.lock'))).toBe(false);
    const after = await runCli(['clients', 'list', '--db', dir]);
    expect(after.code).toBe(0);
    expect(after.stdout).toBe('(none)\n');
  });

  it('takes over a lock left by a process that died', async () => {
    const dir = join(root, 'stale');
    mkdirSync(dir, { recursive: true });
    // The pid of a process that has already exited.
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(join(dir, 'encours.lock'), String(dead));
    const r = await runCli(['db', 'migrate', '--db', dir]);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'encours.lock'))).toBe(false);
  });
});
