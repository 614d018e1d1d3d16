import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientFacts } from '../src/core/types.ts';
import type { Database } from '../src/db/open.ts';
import { runDemo } from '../src/services/demo/index.ts';
import { loadFacts } from '../src/services/facts.ts';
import { loadFactsBulk } from '../src/services/facts-bulk.ts';
import { getClientScore, scorePortfolio } from '../src/services/scoring.ts';
import { testContext } from './support/context.ts';
import { DRIVERS, freshDatabase } from './support/databases.ts';

/** Orders what `loadFacts` leaves in database order, so the two loaders can be compared. */
const normalise = (portfolio: ClientFacts[]) =>
  portfolio.map((f) => ({
    ...f,
    payments: [...f.payments].sort((a, b) =>
      `${a.date}|${a.ref}|${a.invoiceRef}` < `${b.date}|${b.ref}|${b.invoiceRef}` ? -1 : 1,
    ),
    disputes: [...f.disputes].sort((a, b) =>
      `${a.invoiceRef}|${a.openedDate}` < `${b.invoiceRef}|${b.openedDate}` ? -1 : 1,
    ),
    promises: [...f.promises].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
    orders: [...f.orders].sort((a, b) => (a.ref < b.ref ? -1 : 1)),
    reminders: [...f.reminders].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
  }));

describe.each(DRIVERS)('bulk facts loader on %s (demo portfolio)', (driver) => {
  let database: Database;
  let out: string;
  beforeAll(async () => {
    database = await freshDatabase(driver);
    out = mkdtempSync(join(tmpdir(), 'encours-bulk-'));
    await runDemo(testContext(database), { clients: 40, seed: 7, asOf: '2026-06-30', out, actor: 'test' });
  });
  afterAll(async () => {
    await database.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('reads exactly the facts loadFacts reads, for the portfolio and for some clients', async () => {
    const slow = await loadFacts(database.db);
    const fast = await loadFactsBulk(database.db);
    expect(fast).toHaveLength(40);
    // the demo has every kind of fact
    for (const key of ['payments', 'disputes', 'promises', 'orders', 'reminders'] as const)
      expect(
        fast.some((f) => f[key].length > 0),
        key,
      ).toBe(true);
    expect(fast.some((f) => f.disputes.some((d) => d.events.length > 0))).toBe(true);
    expect(normalise(fast)).toEqual(normalise(slow));
    expect(normalise(await loadFactsBulk(database.db, [3, 11]))).toEqual(
      normalise(await loadFacts(database.db, [3, 11])),
    );
  });

  it('the scoring scope only leaves out descriptions, dispute events and reminders', async () => {
    const full = normalise(await loadFacts(database.db));
    const scoring = normalise(await loadFactsBulk(database.db, undefined, { scope: 'scoring' }));
    expect(scoring).toEqual(
      full.map((f) => ({
        ...f,
        invoices: f.invoices.map((i) => ({ ...i, description: null })),
        disputes: f.disputes.map((d) => ({ ...d, events: [] })),
        reminders: [],
      })),
    );
  });

  it('scores the same, with the same input hash, whichever loader read the facts', async () => {
    const ctx = testContext(database);
    const portfolio = await scorePortfolio(ctx, { asOf: '2026-06-30', actor: 'test' });
    for (const ref of ['C0001', 'C0002', 'C0017']) {
      const one = await getClientScore(ctx, ref, '2026-06-30');
      expect(one).toEqual(portfolio.find((s) => s.client === ref));
    }
  });
});
