import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open.ts';
import { runCli } from './support/cli.ts';
import { freshPostgresUrl, pgAvailable } from './support/databases.ts';
import { kpiPortfolio } from './support/receivables-fixtures.ts';
import { seedFacts } from './support/seed-facts.ts';

/** The real `encours` binary on the hand-computed portfolio of test/core-kpis (as of 2026-06-30). */
const AS_OF = '2026-06-30';
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'encours-cli-receivables-'));
  const database = await openDatabase(dir);
  await seedFacts(database.db, kpiPortfolio());
  await database.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => runCli(['--db', dir, ...args]);
const json = (stdout: string) => JSON.parse(stdout);

describe('receivables commands (spawned CLI)', () => {
  it('aging --json gives integer cents that reconcile; the table shows formatted money', async () => {
    const r = await cli('aging', '--as-of', AS_OF, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = json(r.stdout);
    expect(out.asOf).toBe(AS_OF);
    expect(out.clients.map((c: { clientRef: string }) => c.clientRef)).toEqual(['K1', 'K2', 'K3']);
    expect(out.totals).toMatchObject({ notDueCents: 80000, disputedCents: 40000, totalOpenCents: 210000 });
    expect(out.totals.buckets.map((b: { amountCents: number }) => b.amountCents)).toEqual([
      80000, 0, 0, 10000,
    ]);

    const text = await cli('aging', '--as-of', AS_OF, '--client', 'K1');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Aging as of 2026-06-30');
    expect(text.stdout).toContain('EUR 1,400.00');
    expect(text.stdout).toMatch(/B\s+2026-05-20\s+2026-06-19\s+EUR 600\.00/);
  });

  it('kpis --period 30d --json labels each KPI with unit and definition', async () => {
    const r = await cli('kpis', '--as-of', AS_OF, '--period', '30d', '--json');
    expect(r.code).toBe(0);
    const out = json(r.stdout);
    expect(out.periodDays).toBe(30);
    expect(out.kpis.cei).toMatchObject({ value: 58.1, unit: 'percent' });
    expect(out.kpis.dsoCountBack).toMatchObject({
      value: 49.1,
      unit: 'days',
      label: 'DSO (count-back method)',
    });
    expect(out.kpis.dsoSimple.definition).toMatch(/net credit sales/);
    expect(out.kpis.totalOverdue).toMatchObject({ value: 130000, unit: 'cents' });
  });

  it('reminders plan --json, and the one-client detail with penalties', async () => {
    const r = await cli('reminders', 'plan', '--as-of', AS_OF, '--json');
    expect(r.code).toBe(0);
    const out = json(r.stdout);
    expect(out.plans.map((p: { clientRef: string; status: string }) => [p.clientRef, p.status])).toEqual([
      ['K1', 'action'],
      ['K3', 'exhausted'],
      ['K2', 'on_hold'],
    ]);
    expect(out.plans[0].nextAction).toMatchObject({ stage: 'clear', date: AS_OF, totalOpenCents: 60000 });

    const text = await cli('reminders', 'plan', '--as-of', AS_OF, '--client', 'K1');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Next: clear on 2026-06-30');
    expect(text.stdout).toContain('interest EUR 2.20 + indemnity EUR 40.00 = EUR 42.20');
  });

  it('forecast --json has 13 weeks in cents', async () => {
    const r = await cli('forecast', '--as-of', AS_OF, '--json');
    expect(r.code).toBe(0);
    const out = json(r.stdout);
    expect(out.weeks).toHaveLength(13);
    expect(out.weeks.slice(0, 2)).toEqual([
      { weekStart: '2026-06-29', weekEnd: '2026-07-05', amountCents: 20000, count: 1 },
      { weekStart: '2026-07-06', weekEnd: '2026-07-12', amountCents: 70000, count: 2 },
    ]);
  });

  it('bad flags exit 2 with one line naming the flag; an unknown client exits 3', async () => {
    const date = await cli('aging', '--as-of', '2026-02-30');
    expect(date.code).toBe(2);
    expect(date.stdout).toBe('');
    expect(date.stderr).toMatch(
      /^encours: --as-of: expected a calendar date YYYY-MM-DD, got "2026-02-30"\n {2}hint:/,
    );
    const period = await cli('kpis', '--period', '3m');
    expect(period.code).toBe(2);
    expect(period.stderr).toContain('--period: expected a number of days such as 30d');
    const client = await cli('reminders', 'plan', '--as-of', AS_OF, '--client', 'Nobody Ltd');
    expect(client.code).toBe(3);
    expect(client.stderr).toContain('no client matches "Nobody Ltd"');
  });

  it('every command has help with an example', async () => {
    for (const args of [['aging'], ['kpis'], ['reminders', 'plan'], ['forecast']]) {
      const r = await runCli([...args, '--help']);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Examples?:\n\s+\$ encours/);
      expect(r.stdout).toContain('--as-of <date>');
    }
  });
});

describe.runIf(pgAvailable)('receivables commands on PostgreSQL (spawned CLI)', () => {
  it('aging --json reads the same figures from a PostgreSQL database', async () => {
    const pg = await freshPostgresUrl();
    try {
      const database = await openDatabase(pg.url);
      await seedFacts(database.db, kpiPortfolio());
      await database.close();
      const r = await runCli(['aging', '--as-of', AS_OF, '--json'], { env: { DATABASE_URL: pg.url } });
      expect(r.code).toBe(0);
      expect(json(r.stdout).totals.totalOpenCents).toBe(210000);
    } finally {
      await pg.drop();
    }
  });
});
