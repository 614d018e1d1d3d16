import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/open.ts';
import { runBacktest } from '../src/services/backtest.ts';
import { runDemo } from '../src/services/demo/index.ts';
import { TEST_ADMIN, testContext } from './support/context.ts';
import { freshDatabase } from './support/databases.ts';

/**
 * The acceptance check of the score: on the demo portfolio (200 clients, three years, behaviour
 * archetypes that persist), scores as of one year before the end predict the following year.
 */
describe('backtest on the demo portfolio', () => {
  let database: Database;
  let out: string;
  beforeAll(async () => {
    database = await freshDatabase('pglite');
    out = mkdtempSync(join(tmpdir(), 'encours-backtest-demo-'));
    await runDemo(testContext(database), {
      clients: 200,
      seed: 42,
      asOf: '2026-06-30',
      out,
      actor: TEST_ADMIN,
    });
  });
  afterAll(async () => {
    await database.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('late rates fall monotonically from grade E to grade A', async () => {
    const r = await runBacktest(testContext(database), { cutoff: '2025-06-30' });
    expect(r.endOfData).toBe('2026-06-30');
    expect(r.counts.invoices).toBeGreaterThan(1000);
    for (const g of r.byGrade) expect(g.invoices, `grade ${g.grade}`).toBeGreaterThanOrEqual(50);
    const rates = r.byGrade.map((g) => g.lateRate!);
    // byGrade runs A..E: each grade's late rate is below the next worse grade's
    for (let i = 1; i < rates.length; i++) expect(rates[i - 1]!).toBeLessThan(rates[i]!);
    expect(r.gradeMonotone).toBe(true);
    expect(r.auc!).toBeGreaterThan(0.75);
    expect(r.brier!).toBeLessThan(r.brierBaseline!);
    expect(r.calibration).toHaveLength(10);
  });
});
