import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/open.ts';
import { queryRows } from '../src/db/rows.ts';
import * as t from '../src/db/schema.ts';
import { runDemo } from '../src/services/demo/index.ts';
import { loadFacts } from '../src/services/facts.ts';
import { getClientScore, scorePortfolio } from '../src/services/scoring.ts';
import { TEST_ADMIN, testContext } from './support/context.ts';
import { DRIVERS, freshDatabase } from './support/databases.ts';

describe.each(DRIVERS)('facts loader on %s (demo portfolio)', (driver) => {
  let database: Database;
  let out: string;
  beforeAll(async () => {
    database = await freshDatabase(driver);
    out = mkdtempSync(join(tmpdir(), 'encours-bulk-'));
    await runDemo(testContext(database), {
      clients: 40,
      seed: 7,
      asOf: '2026-06-30',
      out,
      actor: TEST_ADMIN,
    });
  });
  afterAll(async () => {
    await database.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('reads every row of every table once, for the portfolio and for some clients', async () => {
    const facts = await loadFacts(database.db);
    expect(facts).toHaveLength(40);
    const count = async (table: string) =>
      (await queryRows<{ n: number }>(database.db, sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n;
    const total = (key: 'invoices' | 'payments' | 'disputes' | 'promises' | 'orders') =>
      facts.reduce((n, f) => n + f[key].length, 0);
    expect(total('invoices')).toBe(await count('invoices'));
    expect(total('payments')).toBe(await count('payment_allocations'));
    expect(total('disputes')).toBe(await count('disputes'));
    expect(total('promises')).toBe(await count('promises'));
    expect(total('orders')).toBe(await count('orders'));
    expect(facts.reduce((n, f) => n + f.disputes.reduce((m, d) => m + d.events.length, 0), 0)).toBe(
      await count('dispute_events'),
    );
    expect(facts.reduce((n, f) => n + f.reminders.length, 0)).toBe(
      await count("reminders where status = 'sent' and sent_date is not null"),
    );
    // every fact sits with its own client
    for (const f of facts) {
      expect(f.invoices.every((i) => i.clientRef === f.client.ref)).toBe(true);
      const refs = new Set(f.invoices.map((i) => i.ref));
      expect(f.payments.every((p) => refs.has(p.invoiceRef))).toBe(true);
      expect(f.disputes.every((d) => refs.has(d.invoiceRef))).toBe(true);
    }
    // a subset reads the same facts as the portfolio for those clients
    const some = await loadFacts(database.db, [3, 11]);
    expect(some.map((f) => f.client.ref)).toEqual(['C0003', 'C0011']);
    expect(some).toEqual(facts.filter((f) => f.client.ref === 'C0003' || f.client.ref === 'C0011'));
  });

  it('the scoring scope only leaves out descriptions, dispute events, reminders and pauses', async () => {
    const full = await loadFacts(database.db);
    const scoring = await loadFacts(database.db, undefined, { scope: 'scoring' });
    expect(scoring).toEqual(
      full.map(({ pauses: _p, ...f }) => ({
        ...f,
        invoices: f.invoices.map((i) => ({ ...i, description: null })),
        disputes: f.disputes.map((d) => ({ ...d, events: [] })),
        reminders: [],
      })),
    );
  });

  it('reads one snapshot: clients committed meanwhile come whole, with their invoices, or not at all', async () => {
    // Each write commits a new client with two invoices in one transaction, while the facts are read
    // again and again. Reading table by table could see the invoices of a client it did not see.
    const writes = (async () => {
      for (let n = 0; n < 25; n++)
        await database.db.transaction(async (tx) => {
          const [c] = await tx
            .insert(t.clients)
            .values({ ref: `SNAP${n}`, name: `Snapshot ${n}` })
            .returning({ id: t.clients.id });
          for (const k of [1, 2])
            await tx.insert(t.invoices).values({
              ref: `SNAP${n}-${k}`,
              clientId: c!.id,
              issueDate: '2026-06-01',
              dueDate: '2026-07-01',
              amount: 1000,
              currency: 'EUR',
              baseAmount: 1000,
            });
        });
    })();
    let done = false;
    void writes.finally(() => {
      done = true;
    });
    const check = async () => {
      const added = (await loadFacts(database.db)).filter((f) => f.client.ref.startsWith('SNAP'));
      for (const f of added)
        expect(f.invoices.map((i) => i.ref)).toEqual([`${f.client.ref}-1`, `${f.client.ref}-2`]);
      return added.length;
    };
    while (!done) await check();
    await writes;
    expect(await check()).toBe(25);
    // Leave the demo portfolio as the other tests expect it.
    await database.db.execute(sql`delete from invoices where ref like 'SNAP%'`);
    await database.db.execute(sql`delete from clients where ref like 'SNAP%'`);
  });

  it('scores one client exactly as the portfolio run scores it', async () => {
    const ctx = testContext(database);
    const portfolio = await scorePortfolio(ctx, { asOf: '2026-06-30', actor: TEST_ADMIN });
    for (const ref of ['C0001', 'C0002', 'C0017']) {
      const one = await getClientScore(ctx, ref, '2026-06-30');
      expect(one).toEqual(portfolio.find((s) => s.client === ref));
    }
  });
});
