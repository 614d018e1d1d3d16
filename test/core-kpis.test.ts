import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeKpis, KPI_DEFINITIONS, parsePeriodDays } from '../src/core/kpis.ts';
import { DEFAULT_POLICY } from '../src/core/policy.ts';
import { REPO_ROOT } from './support/cli.ts';
import { KPI_PORTFOLIO_EXPECTED, kpiPortfolio } from './support/receivables-fixtures.ts';

const AS_OF = '2026-06-30';
const policy = DEFAULT_POLICY;

const values = (r: ReturnType<typeof computeKpis>) =>
  Object.fromEntries(Object.entries(r.kpis).map(([k, v]) => [k, v.value]));

describe('KPIs on a hand-built portfolio (30-day period)', () => {
  const r = computeKpis(kpiPortfolio(), AS_OF, policy, 30);

  it('builds the period and its inputs', () => {
    expect(r.periodStart).toBe('2026-06-01');
    expect(r.inputs).toEqual({
      openingDate: '2026-05-31',
      openingReceivablesCents: 260000,
      closingReceivablesCents: 210000,
      closingCurrentCents: 80000,
      closingOverdueCents: 130000,
      invoicedInPeriodCents: 160000,
      creditNotesInPeriodCents: 30000,
      netCreditSalesCents: 130000,
      openInvoices: 5,
      overdueInvoices: 4,
      reminderPairs: 2,
      reminderPairsPaid: 1,
    });
  });

  it('computes every KPI as worked out by hand', () => {
    expect(values(r)).toEqual(KPI_PORTFOLIO_EXPECTED);
  });

  it('gives the on-time payment rate per segment, by count and by amount', () => {
    expect(r.bySegment).toEqual([
      {
        segment: 'btp',
        invoicesDue: 2,
        paidOnTime: 1,
        rate: 50,
        amountDueCents: 90000,
        amountPaidOnTimeCents: 30000,
        amountRate: 33.3,
      },
      {
        segment: 'retail',
        invoicesDue: 1,
        paidOnTime: 0,
        rate: 0,
        amountDueCents: 40000,
        amountPaidOnTimeCents: 0,
        amountRate: 0,
      },
    ]);
  });

  it('labels every KPI with its unit and definition', () => {
    for (const [key, k] of Object.entries(r.kpis)) {
      const d = KPI_DEFINITIONS[key as keyof typeof KPI_DEFINITIONS];
      expect(k).toMatchObject({ label: d.label, unit: d.unit, definition: d.definition });
    }
    expect(r.kpis.dsoCountBack.label).toMatch(/count-back/);
    expect(r.kpis.dsoSimple.label).toMatch(/simple/);
  });

  it('computes one client alone', () => {
    const k1 = computeKpis([kpiPortfolio()[0]!], AS_OF, policy, 30);
    // opening A 1 000 + B 600; sales 900 + 300 - 100 = 1 100; closing B 600 + C 800; current 800
    expect(k1.inputs.openingReceivablesCents).toBe(160000);
    expect(k1.inputs.netCreditSalesCents).toBe(110000);
    expect(k1.kpis.dsoSimple.value).toBe(38.2); // 1 400 / 1 100 x 30 = 38.18
    expect(k1.kpis.cei.value).toBe(68.4); // (1 600 + 1 100 - 1 400) / (1 600 + 1 100 - 800) = 1 300 / 1 900
  });

  it('returns null with a reason when a KPI is undefined', () => {
    const k3 = computeKpis([kpiPortfolio()[2]!], AS_OF, policy, 30);
    expect(k3.kpis.dsoSimple).toMatchObject({ value: null, note: expect.stringMatching(/division by zero/) });
    expect(k3.kpis.bestPossibleDso.value).toBeNull();
    // opening 300 + sales 0 - closing 300 = 0 collected out of 300 collectable
    expect(k3.kpis.cei.value).toBe(0);
    expect(k3.kpis.averageDisputeResolutionDays).toMatchObject({ value: null, note: expect.any(String) });
    expect(k3.kpis.deliveryToInvoiceDays.value).toBeNull();
    expect(k3.kpis.paymentRateAfterReminders.value).toBeNull();
    expect(k3.kpis.onTimePaymentRate.value).toBeNull();
    // Count-back of 300: June has no sales (30 days), May's 200 (I) are absorbed (31), April, March
    // and February have none (30 + 31 + 28), January's 100 (H) absorb the rest exactly (31).
    expect(k3.kpis.dsoCountBack.value).toBe(30 + 31 + 30 + 31 + 28 + 31);
  });

  it('uses the default 90-day period', () => {
    const r90 = computeKpis(kpiPortfolio(), AS_OF, policy);
    expect(r90.periodDays).toBe(90);
    expect(r90.periodStart).toBe('2026-04-02');
    expect(r90.inputs.openingDate).toBe('2026-04-01');
  });

  it('parses period flags', () => {
    expect(['30d', '90d', '180d', '365d'].map(parsePeriodDays)).toEqual([30, 90, 180, 365]);
    expect(['90', 'd', '0d', '-5d', '3m', '99999d'].map(parsePeriodDays)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });
});

describe('KPI definitions in the README', () => {
  it('states every definition exactly as the JSON does', () => {
    // Compare cell by cell: a markdown formatter may pad the table columns.
    const rows = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('|'))
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim())
          .join(' | '),
      );
    for (const [key, d] of Object.entries(KPI_DEFINITIONS))
      expect(rows, key).toContain(`\`${key}\` | ${d.label} | ${d.unit} | ${d.definition}`);
  });
});
