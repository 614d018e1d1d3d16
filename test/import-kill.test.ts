import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../src/services/demo/generate.ts';
import { REPO_ROOT, runCli } from './support/cli.ts';
import { writeFixture } from './support/import-fixtures.ts';

/**
 * An import is one transaction: a process killed while importing (SIGKILL, no clean-up) leaves the
 * database exactly as it was, and the next command takes over the stale PGlite lock.
 */
describe('import killed midway', () => {
  const root = mkdtempSync(join(tmpdir(), 'encours-kill-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('leaves the previous state intact', async () => {
    const db = join(root, 'db');
    const small = generateDemo({ clients: 5, seed: 1, asOf: '2020-06-30' }); // invoice refs of other years than the large one;
    const large = generateDemo({ clients: 600, seed: 2, asOf: '2026-06-30' });
    expect((await runCli(['import', writeFixture(small.files, join(root, 'small')), '--db', db])).code).toBe(
      0,
    );
    const before = await runCli(['invoices', 'list', '--db', db, '--json']);

    const child = spawn(
      process.execPath,
      [
        join(REPO_ROOT, 'bin/encours.js'),
        'import',
        writeFixture(large.files, join(root, 'large')),
        '--db',
        db,
      ],
      {
        stdio: 'ignore',
      },
    );
    // Kill once the import is well under way (it takes several seconds for 600 clients).
    await new Promise((r) => setTimeout(r, 4000));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const after = await runCli(['invoices', 'list', '--db', db, '--json']);
    expect(after.code).toBe(0);
    const verify = await runCli(['audit', 'verify', '--db', db]);
    expect(verify.code).toBe(0);
    // All or nothing: either the kill came before the commit (nothing changed) or after it (everything).
    const invoices = (JSON.parse(after.stdout) as unknown[]).length;
    if (invoices !== (JSON.parse(before.stdout) as unknown[]).length)
      expect(invoices).toBe(small.rows['invoices.csv'] + large.rows['invoices.csv']);
    else expect(after.stdout).toBe(before.stdout);
  });
});
