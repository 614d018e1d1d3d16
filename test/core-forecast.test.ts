import { describe, expect, it } from 'vitest';
import { addDays } from '../src/core/dates.ts';
import { computeForecast, medianDays, weekStart } from '../src/core/forecast.ts';
import { DEFAULT_POLICY } from '../src/core/policy.ts';
import type { ClientFacts } from '../src/core/types.ts';
import { addDispute, addInvoice, addPromise, clientFacts } from './support/receivables-fixtures.ts';

const AS_OF = '2026-06-30'; // a Tuesday: week 1 runs Monday 06-29 to Sunday 07-05
const policy = DEFAULT_POLICY;

function paidHistory(f: ClientFacts, delays: number[]): ClientFacts {
  delays.forEach((late, i) => {
    const issue = addDays('2025-01-01', 20 * i);
    const due = addDays(issue, 30);
    addInvoice(f, `${f.client.ref}-P${i + 1}`, issue, due, 10000, { paid: [[addDays(due, late), 10000]] });
  });
  return f;
}

/**
 * F1 pays 2, 5, 10 days late: median 5.
 *   FA due 07-10 -> 07-15 (week 3); FB due 06-20 -> 06-25, already passed -> 06-30 + 7 = 07-07 (week 2)
 * F2 has one paid invoice (20 days late), too few: portfolio median of 2, 5, 10, 20 = 7.5 -> 8.
 *   FC due 07-01 -> 07-09 (week 2); FD disputed -> no date; FE promised for 07-20 (week 4)
 * F3 has no history: portfolio median 8. FF due 10-15 -> 10-23, beyond the 13 weeks (ending 09-27).
 *   FG is issued after the as-of date: not in the forecast.
 */
function portfolio() {
  const f1 = paidHistory(clientFacts('F1'), [2, 5, 10]);
  addInvoice(f1, 'FA', '2026-06-10', '2026-07-10', 10000);
  addInvoice(f1, 'FB', '2026-05-21', '2026-06-20', 20000);
  const f2 = paidHistory(clientFacts('F2'), [20]);
  addInvoice(f2, 'FC', '2026-06-01', '2026-07-01', 30000);
  addInvoice(f2, 'FD', '2026-06-01', '2026-07-01', 40000);
  addDispute(f2, 'FD', '2026-06-15');
  addInvoice(f2, 'FE', '2026-05-02', '2026-06-01', 50000);
  addPromise(f2, '2026-07-20', 50000, { invoiceRef: 'FE', madeDate: '2026-06-10' });
  const f3 = clientFacts('F3');
  addInvoice(f3, 'FF', '2026-06-15', '2026-10-15', 60000);
  addInvoice(f3, 'FG-LATER-ISSUED', '2026-07-15', '2026-08-14', 70000);
  return [f1, f2, f3];
}

describe('forecast (worked example)', () => {
  const r = computeForecast(portfolio(), AS_OF, policy);

  it('dates every open invoice from the right history', () => {
    const rows = Object.fromEntries(
      r.invoices.map((i) => [i.ref, [i.expectedDate, i.basis, i.delayDays, i.slipped]]),
    );
    expect(rows).toEqual({
      FA: ['2026-07-15', 'client_history', 5, false],
      FB: ['2026-07-07', 'client_history', 5, true],
      FC: ['2026-07-09', 'portfolio_median', 8, false],
      FD: [null, 'disputed', null, false],
      FE: ['2026-07-20', 'promise', null, false],
      FF: ['2026-10-23', 'portfolio_median', 8, false],
    });
    expect(r.portfolioMedianDaysLate).toBe(8);
  });

  it('totals expected cash-in per week for 13 weeks', () => {
    expect(r.weeks).toHaveLength(13);
    expect(r.weeks[0]).toMatchObject({ weekStart: '2026-06-29', weekEnd: '2026-07-05' });
    expect(r.weeks[12]).toMatchObject({ weekStart: '2026-09-21', weekEnd: '2026-09-27' });
    expect(r.weeks.slice(0, 5).map((w) => [w.amountCents, w.count])).toEqual([
      [0, 0],
      [50000, 2],
      [10000, 1],
      [50000, 1],
      [0, 0],
    ]);
    expect(r.disputed).toEqual({ amountCents: 40000, count: 1 });
    expect(r.later).toEqual({ amountCents: 60000, count: 1 });
    expect(r.totalOpenCents).toBe(210000);
    const weekly = r.weeks.reduce((a, w) => a + w.amountCents, 0);
    expect(weekly + r.later.amountCents + r.disputed.amountCents).toBe(r.totalOpenCents);
  });

  it('defaults to the due date with no paid invoice anywhere', () => {
    const f = clientFacts('N');
    addInvoice(f, 'N1', '2026-06-20', '2026-07-20', 1000);
    const d = computeForecast([f], AS_OF, policy);
    expect(d.invoices[0]).toMatchObject({ expectedDate: '2026-07-20', basis: 'default', delayDays: 0 });
    expect(d.portfolioMedianDaysLate).toBeNull();
  });
});

describe('forecast helpers', () => {
  it('medians round half away from zero', () => {
    expect(medianDays([])).toBeNull();
    expect(medianDays([7])).toBe(7);
    expect(medianDays([10, 2, 5])).toBe(5);
    expect(medianDays([1, 2])).toBe(2);
    expect(medianDays([-3, -2])).toBe(-3);
  });
  it('weeks start on Monday', () => {
    expect(['2026-06-29', '2026-06-30', '2026-07-05', '2026-07-06'].map(weekStart)).toEqual([
      '2026-06-29',
      '2026-06-29',
      '2026-06-29',
      '2026-07-06',
    ]);
  });
});
