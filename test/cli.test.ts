import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open.ts';
import { DEMO_FILES } from '../src/services/demo/index.ts';
import { importDirectory } from '../src/services/import/index.ts';
import { runCli } from './support/cli.ts';
import { TEST_ADMIN, testContext } from './support/context.ts';
import { DRIVERS, freshPostgresUrl } from './support/databases.ts';
import { BASE_FILES, csv, writeFixture } from './support/import-fixtures.ts';

const AS_OF = '2026-05-01';
const env = { ENCOURS_AS_OF: AS_OF };
const tmp: string[] = [];
const tempDir = (prefix = 'encours-cli-') => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  tmp.push(d);
  return d;
};
afterAll(() => {
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
});
const json = <T = unknown>(text: string): T => JSON.parse(text) as T;

describe('encours CLI (spawned)', () => {
  let db: string;
  let csvDir: string;
  beforeAll(async () => {
    db = join(tempDir(), 'db');
    csvDir = writeFixture(BASE_FILES, tempDir());
    const r = await runCli(['import', csvDir, '--db', db, '--json'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(json<{ totals: { inserted: number } }>(r.stdout).totals.inserted).toBe(22);
  });

  it('every command has --help with an example', async () => {
    const commands = [
      ['import'],
      ['demo'],
      ['clients', 'list'],
      ['clients', 'show'],
      ['invoices', 'list'],
      ['audit', 'log'],
      ['audit', 'verify'],
    ];
    const results = await Promise.all(commands.map((c) => runCli([...c, '--help'])));
    results.forEach((r, i) => {
      expect(r.code, commands[i]!.join(' ')).toBe(0);
      expect(r.stdout, commands[i]!.join(' ')).toMatch(/Examples?:\n {2}\$ encours /);
    });
  });

  it('re-import prints one summary line per file', async () => {
    const r = await runCli(['import', csvDir, '--db', db], { env });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      'clients.csv: 0 inserted, 0 updated, 3 unchanged',
      'invoices.csv: 0 inserted, 0 updated, 4 unchanged',
      'payments.csv: 0 inserted, 0 updated, 5 unchanged',
    ]);
  });

  it('bad rows: exit code 2, one line per problem, a hint, no stack trace', async () => {
    const bad = writeFixture(
      {
        ...BASE_FILES,
        'invoices.csv': csv(
          'ref,client_ref,issue_date,due_date,amount',
          'F-001,007,2026-01-05,2026-02-19,1200.00',
          'F-009,C404,2026-01-05,2026-02-19,12,5',
          'F-010,007,2026-01-05,2026-02-19,abc',
        ),
      },
      tempDir(),
    );
    const r = await runCli(['import', bad, '--db', db], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([
      `encours: 2 problems in ${bad}; nothing was imported`,
      '  hint: fix the rows listed below and run the import again (`encours import --help` describes the columns)',
      '  invoices.csv:3: row: has 6 fields, the header has 5 (a decimal comma or an unquoted comma in a text?)',
      '  invoices.csv:4: amount: not a decimal amount (expected like 1234.56): "abc"',
      '',
    ]);
    const flag = await runCli(['import', csvDir, '--db', db, '--date-format', 'mm/dd/yyyy']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe('encours: --date-format: expected yyyy-mm-dd or dd/mm/yyyy, got "mm/dd/yyyy"\n');
  });

  it('clients list and show: hand-computed balances as of the date', async () => {
    const list = await runCli(['clients', 'list', '--db', db, '--json'], { env });
    expect(list.code).toBe(0);
    // 007: F-003 350.50 unpaid, due 2026-03-18. C2: F-004 5,000 less 1,000 paid, due 2026-04-11.
    // C3: USD invoice fully paid (368.60 + 552.90 = 921.50 EUR).
    expect(
      json<{ ref: string; openBalance: number; overdue: number }[]>(list.stdout).map((c) => [
        c.ref,
        c.openBalance,
        c.overdue,
      ]),
    ).toEqual([
      ['007', 35_050, 35_050],
      ['C2', 400_000, 400_000],
      ['C3', 0, 0],
    ]);
    const show = await runCli(['clients', 'show', 'dupont', '--db', db, '--json'], { env });
    expect(show.code).toBe(0);
    const profile = json<{
      client: { ref: string };
      totals: { openBalance: number; openOrders: number; exposure: number };
      openInvoices: { ref: string }[];
      disputes: { status: string }[];
    }>(show.stdout);
    expect(profile.client.ref).toBe('007');
    expect(profile.totals).toMatchObject({ openBalance: 35_050, openOrders: 250_000, exposure: 285_050 });
    expect(profile.openInvoices.map((i) => i.ref)).toEqual(['F-003']);
    expect(profile.disputes.map((d) => d.status)).toEqual(['resolved']);
    const text = await runCli(['clients', 'show', 'Acme Industrie', '--db', db], { env });
    expect(text.stdout).toContain('Acme Industrie (C2) as of 2026-05-01');
    expect(text.stdout).toMatch(/F-004 .* yes/);
    const missing = await runCli(['clients', 'show', 'Nobody Ltd', '--db', db], { env });
    expect(missing.code).toBe(3);
    expect(missing.stderr.split('\n')[0]).toBe('encours: no client matches "Nobody Ltd"');
  });

  it('invoices list filters by status and client', async () => {
    const refs = async (...args: string[]) => {
      const r = await runCli(['invoices', 'list', '--db', db, '--json', ...args], { env });
      expect(r.code).toBe(0);
      return json<{ ref: string }[]>(r.stdout).map((i) => i.ref);
    };
    expect(await refs('--status', 'overdue')).toEqual(['F-003', 'F-004']);
    expect(await refs('--status', 'paid')).toEqual(['F-001', 'F-002']);
    expect(await refs('--client', 'C2')).toEqual(['F-004']);
    expect(await refs('--as-of', '2026-02-01', '--status', 'open')).toEqual(['F-001', 'F-002', 'F-003']);
    const bad = await runCli(['invoices', 'list', '--db', db, '--status', 'late']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('encours: --status: expected one of open, overdue, paid, got "late"\n');
  });

  it('demo: summary, same seed gives the same files, CONFLICT without --reset', async () => {
    const demoDb = join(tempDir(), 'db');
    const out1 = tempDir();
    const out2 = tempDir();
    const args = ['demo', '--clients', '12', '--seed', '5', '--as-of', '2026-06-30'];
    const first = await runCli([...args, '--out', out1, '--db', demoDb]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Portfolio as of 2026-06-30');
    expect(first.stdout).toMatch(/ {2}clients {8}12\n/);
    const again = await runCli([...args, '--out', out2, '--db', demoDb]);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain('hint: run `encours demo --reset`');
    // Resetting is a decision: only an admin's token (the first admin needs none to be added).
    const anonymous = await runCli([...args, '--out', out2, '--db', demoDb, '--reset']);
    expect(anonymous.code).toBe(5);
    expect(anonymous.stderr).toContain('resetting the data needs a verified user with the admin role');
    const admin = await runCli([
      'users',
      'add',
      '--name',
      'ada',
      '--role',
      'admin',
      '--json',
      '--db',
      demoDb,
    ]);
    const { token } = json<{ token: string }>(admin.stdout);
    const reset = await runCli([
      ...args,
      '--out',
      out2,
      '--db',
      demoDb,
      '--reset',
      '--json',
      '--token',
      token,
    ]);
    expect(reset.code, reset.stderr).toBe(0);
    const result = json<{ reset: Record<string, number>; summary: { clients: number } }>(reset.stdout);
    expect(result.reset.clients).toBe(12);
    expect(result.summary.clients).toBe(12);
    for (const f of DEMO_FILES) expect(readFileSync(join(out2, f))).toEqual(readFileSync(join(out1, f)));
    const flag = await runCli(['demo', '--clients', 'abc', '--db', demoDb]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe('encours: --clients: expected a whole number >= 2, got "abc"\n');
  });
});

describe.each(DRIVERS)('audit verify and migrations through the CLI on %s', (driver) => {
  /** A fresh empty database target (directory or URL) and raw SQL access to it. */
  async function freshTarget(): Promise<{
    target: string;
    exec: (q: string) => Promise<unknown[]>;
    done: () => Promise<void>;
  }> {
    if (driver === 'pglite') {
      const target = join(tempDir(), 'db');
      return {
        target,
        exec: async (q) => {
          const database = await openDatabase(target);
          try {
            // A directory is reached through its database server with postgres.js: rows are an array.
            return [...((await database.db.execute(sql.raw(q))) as unknown as unknown[])];
          } finally {
            await database.close();
          }
        },
        done: async () => {},
      };
    }
    const { url, drop } = await freshPostgresUrl();
    return {
      target: url,
      exec: async (q) => {
        const client = postgres(url, { max: 1, onnotice: () => {} });
        try {
          return [...(await client.unsafe(q))];
        } finally {
          await client.end({ timeout: 2 });
        }
      },
      done: drop,
    };
  }

  it('migrations apply from an empty database', async () => {
    const { target, exec, done } = await freshTarget();
    try {
      const r = await runCli(['db', 'migrate', '--db', target]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/is up to date\n$/);
      const tables = (await exec(
        "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
      )) as { table_name: string }[];
      expect(tables.map((t) => t.table_name)).toEqual(
        expect.arrayContaining([
          'audit_log',
          'clients',
          'decisions',
          'dispute_events',
          'disputes',
          'invoices',
          'orders',
          'payment_allocations',
          'payments',
          'promises',
          'reminders',
          'score_snapshots',
          'users',
        ]),
      );
    } finally {
      await done();
    }
  });

  it('catches an altered row and a deleted row (exit code 7)', async () => {
    const { target, exec, done } = await freshTarget();
    try {
      // Set up in-process (faster than spawning): two imports give three audit entries.
      const dir = writeFixture(BASE_FILES, tempDir());
      const database = await openDatabase(target);
      try {
        await importDirectory(testContext(database), dir, { actor: TEST_ADMIN });
        await importDirectory(testContext(database), dir, { actor: TEST_ADMIN });
      } finally {
        await database.close();
      }
      const ok = await runCli(['audit', 'verify', '--db', target, '--json']);
      expect(ok.code).toBe(0);
      expect(json(ok.stdout)).toEqual({ ok: true, checked: 3 });
      const log = await runCli(['audit', 'log', '--db', target, '--json', '--limit', '1']);
      expect(json<{ seq: number; action: string }[]>(log.stdout).map((e) => [e.seq, e.action])).toEqual([
        [3, 'import.run'],
      ]);

      await exec(`update audit_log set data = data || '{"forged": true}'::jsonb where seq = 1`);
      const altered = await runCli(['audit', 'verify', '--db', target]);
      expect(altered.code).toBe(7);
      expect(altered.stderr.split('\n')[0]).toBe(
        'encours: audit log does not verify: row 1: content does not match its hash (altered) (0 rows checked before it)',
      );

      // Undo the forgery, then delete a row instead.
      await exec(`update audit_log set data = data - 'forged' where seq = 1`);
      await exec('delete from audit_log where seq = 2');
      const deleted = await runCli(['audit', 'verify', '--db', target]);
      expect(deleted.code).toBe(7);
      expect(deleted.stderr.split('\n')[0]).toBe(
        'encours: audit log does not verify: row 2: row 2 is missing (deleted) (1 rows checked before it)',
      );
    } finally {
      await done();
    }
  });
});
