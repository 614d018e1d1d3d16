import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/open.ts';
import { AppError } from '../src/errors.ts';
import { getAging, listOverdueInvoices } from '../src/services/aging.ts';
import { getDunningPlan } from '../src/services/dunning.ts';
import { getForecast } from '../src/services/forecast.ts';
import { getKpis } from '../src/services/kpis.ts';
import { findingText } from '../src/wording/aging.ts';
import { testContext } from './support/context.ts';
import { DRIVERS, freshDatabase } from './support/databases.ts';
import { agingPortfolio, KPI_PORTFOLIO_EXPECTED, kpiPortfolio } from './support/receivables-fixtures.ts';
import { seedFacts, seedUnallocatedPayment } from './support/seed-facts.ts';

const AS_OF = '2026-06-30';

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe.each(DRIVERS)('receivables services on %s', (driver) => {
  describe('aging (worked example of test/core-aging)', () => {
    let database: Database;
    beforeAll(async () => {
      database = await freshDatabase(driver);
      await seedFacts(database.db, agingPortfolio());
      await seedUnallocatedPayment(database.db, 'C1', 'UNMATCHED-1', '2026-06-01', 50000);
      await seedUnallocatedPayment(database.db, 'C1', 'UNMATCHED-LATER', '2026-07-15', 70000);
    });
    afterAll(() => database.close());

    it('returns the hand-computed portfolio aging with findings from the database', async () => {
      const r = await getAging(testContext(database), { asOf: AS_OF });
      expect(r.client).toBeNull();
      expect(r.policyVersion).toMatch(/^pol-/);
      expect(r.clients.map((c) => [c.clientRef, c.totalOpenCents])).toEqual([
        ['C1', 335000],
        ['C2', 26025],
      ]);
      const t = r.totals;
      expect([t.notDueCents, ...t.buckets.map((b) => b.amountCents), t.disputedCents]).toEqual([
        80000, 45000, 104000, 22025, 80000, 30000,
      ]);
      expect(t.totalOpenCents).toBe(361025);
      const unallocated = r.findings.filter((f) => f.kind === 'unallocated_payment');
      expect(unallocated).toEqual([
        {
          kind: 'unallocated_payment',
          clientRef: 'C1',
          params: { payment: 'UNMATCHED-1', date: '2026-06-01', left: 50000, amount: 50000 },
        },
      ]);
      expect(findingText(unallocated[0]!, 'en')).toBe(
        'payment UNMATCHED-1 of 1 June 2026: 500.00 of 500.00 is not allocated to any invoice',
      );
      expect(findingText(unallocated[0]!, 'fr')).toBe(
        'paiement UNMATCHED-1 du 1er juin 2026 : 500,00 sur 500,00 non affectés à une facture',
      );
      expect(r.findings.map((f) => f.kind).sort()).toEqual([
        'delivered_long_before_invoice',
        'due_before_issue',
        'overpayment',
        'payment_before_invoice',
        'terms_beyond_legal_cap',
        'unallocated_payment',
      ]);
    });

    it('finds one client by name, accents and case ignored', async () => {
      const r = await getAging(testContext(database), { asOf: AS_OF, client: 'beta' });
      expect(r.client).toEqual({ ref: 'C2', name: 'Beta' });
      expect(r.clients).toHaveLength(1);
      expect(r.totals.totalOpenCents).toBe(26025);
      expect(r.findings.every((f) => f.clientRef === 'C2')).toBe(true);
    });

    it('uses ENCOURS_AS_OF when no date is given', async () => {
      const ctx = testContext(database, { env: { ENCOURS_AS_OF: AS_OF } });
      const r = await getAging(ctx);
      expect(r.asOf).toBe(AS_OF);
      expect(r.totals.totalOpenCents).toBe(361025);
    });

    it('rejects a bad date and an unknown client with clear errors', async () => {
      const bad = await rejection(getAging(testContext(database), { asOf: '2026-02-30' }));
      expect(bad.code).toBe('INVALID_INPUT');
      expect(bad.message).toContain('2026-02-30');
      const missing = await rejection(getAging(testContext(database), { asOf: AS_OF, client: 'Nobody Ltd' }));
      expect(missing.code).toBe('NOT_FOUND');
    });
  });

  describe('KPIs, plan, forecast and overdue list (portfolio of test/core-kpis)', () => {
    let database: Database;
    beforeAll(async () => {
      database = await freshDatabase(driver);
      await seedFacts(database.db, kpiPortfolio());
    });
    afterAll(() => database.close());

    it('computes the hand-computed KPIs from the database', async () => {
      const r = await getKpis(testContext(database), { asOf: AS_OF, periodDays: 30 });
      const v = Object.fromEntries(Object.entries(r.kpis).map(([k, x]) => [k, x.value]));
      expect(v).toEqual(KPI_PORTFOLIO_EXPECTED);
      const k1 = await getKpis(testContext(database), { asOf: AS_OF, periodDays: 30, client: 'K1' });
      expect(k1.client).toEqual({ ref: 'K1', name: 'Client K1' });
      expect(k1.kpis.cei.value).toBe(68.4);
    });

    it('rejects a bad period', async () => {
      const e = await rejection(getKpis(testContext(database), { asOf: AS_OF, periodDays: 0 }));
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.message).toMatch(/periodDays/);
    });

    it('plans one action per client: K1 reminded, K3 exhausted, K2 on hold', async () => {
      const r = await getDunningPlan(testContext(database), { asOf: AS_OF });
      expect(r.plans.map((p) => [p.clientRef, p.status, p.nextAction?.stage ?? null])).toEqual([
        ['K1', 'action', 'clear'],
        ['K3', 'exhausted', null],
        ['K2', 'on_hold', null],
      ]);
      const k1 = r.plans[0]!;
      expect(k1.behaviour.class).toBe('new');
      expect(k1.nextAction).toMatchObject({ date: AS_OF, invoiceRefs: ['B'], totalOpenCents: 60000 });
      // 600.00 x 12.15% x 11 / 365 = 2.197 -> 2.20, plus 40.00
      expect(k1.penalties).toMatchObject({ interestCents: 220, indemnityCents: 4000, totalCents: 4220 });
      const k2 = r.plans[2]!;
      expect(k2.excluded.map((e) => [e.ref, e.reason])).toEqual([
        ['F', 'disputed'],
        ['E', 'paid'],
      ]);
      const one = await getDunningPlan(testContext(database), { asOf: AS_OF, client: 'K3' });
      expect(one.plans.map((p) => p.clientRef)).toEqual(['K3']);
    });

    it('forecasts weekly cash-in from the portfolio median delay', async () => {
      // Paid delays: A 26, D -1, E 20, G 65 (settled by credit note): median (20 + 26) / 2 = 23.
      const r = await getForecast(testContext(database), { asOf: AS_OF });
      expect(r.portfolioMedianDaysLate).toBe(23);
      const rows = Object.fromEntries(r.invoices.map((i) => [i.ref, [i.expectedDate, i.basis]]));
      expect(rows).toEqual({
        I: ['2026-07-03', 'promise'],
        H: ['2026-07-07', 'portfolio_median'],
        B: ['2026-07-12', 'portfolio_median'],
        C: ['2026-07-28', 'portfolio_median'],
        F: [null, 'disputed'],
      });
      expect(r.weeks.slice(0, 5).map((w) => w.amountCents)).toEqual([20000, 70000, 0, 0, 80000]);
      expect(r.disputed).toEqual({ amountCents: 40000, count: 1 });
      const k1 = await getForecast(testContext(database), { asOf: AS_OF, client: 'K1' });
      expect(k1.client).toEqual({ ref: 'K1', name: 'Client K1' });
      expect(k1.portfolioMedianDaysLate).toBe(23);
      expect(k1.weeks.slice(0, 5).map((w) => w.amountCents)).toEqual([0, 60000, 0, 0, 80000]);
    });

    it('lists overdue invoices, most overdue first, with a minimum age', async () => {
      const all = await listOverdueInvoices(testContext(database), { asOf: AS_OF });
      expect(all.map((i) => [i.ref, i.daysOverdue, i.column])).toEqual([
        ['H', 150, '90+'],
        ['I', 30, '1-30'],
        ['B', 11, '1-30'],
        ['F', 10, 'disputed'],
      ]);
      const old = await listOverdueInvoices(testContext(database), {
        asOf: AS_OF,
        minDays: 20,
        client: 'K3',
      });
      expect(old.map((i) => i.ref)).toEqual(['H', 'I']);
      expect(old[0]).toMatchObject({
        clientRef: 'K3',
        openCents: 10000,
        amountCents: 10000,
        disputed: false,
      });
      const e = await rejection(listOverdueInvoices(testContext(database), { asOf: AS_OF, minDays: 0 }));
      expect(e.code).toBe('INVALID_INPUT');
    });
  });
});
