import { describe, expect, it } from 'vitest';
import { backtest } from '../src/core/backtest.ts';
import { addDays } from '../src/core/dates.ts';
import { DEFAULT_POLICY } from '../src/core/policy.ts';
import { scoreClient } from '../src/core/score.ts';
import type { ClientFacts } from '../src/core/types.ts';
import { clientFacts, clientInfo, invoice, monthlyPayer, payment } from './support/score-facts.ts';

const P = DEFAULT_POLICY;
const CUTOFF = '2026-06-30';
const END = '2026-12-31';

describe('backtest: worked example', () => {
  // X pays early (grade A at the cutoff), Y pays very late (grade E). After the cutoff:
  //   X: N1 on time, N2 five days late, N3 due 12-31 (not mature: excluded)
  //   Y: M1 never paid (late), M2 19 days late, M3 due 12-15 unpaid but not yet 30 days past due (excluded)
  const x = monthlyPayer(CUTOFF, 24, [-5, 0, -2], { client: { ref: 'X', name: 'X' } });
  x.invoices.push(
    invoice('N1', '2026-07-01', '2026-07-31', 100_000),
    invoice('N2', '2026-08-01', '2026-08-31', 100_000),
    invoice('N3', '2026-12-01', '2026-12-31', 100_000),
  );
  x.payments.push(payment('N1', '2026-07-31', 100_000), payment('N2', '2026-09-05', 100_000));
  const y = monthlyPayer(CUTOFF, 24, [45, 60, 90, 75], { client: { ref: 'Y', name: 'Y' } });
  y.invoices.push(
    invoice('M1', '2026-07-01', '2026-07-31', 100_000),
    invoice('M2', '2026-09-01', '2026-10-01', 100_000),
    invoice('M3', '2026-11-15', '2026-12-15', 100_000),
  );
  y.payments.push(payment('M2', '2026-10-20', 100_000));
  const r = backtest([x, y], CUTOFF, P, END);
  const sx = scoreClient(x, CUTOFF, P);
  const sy = scoreClient(y, CUTOFF, P);

  it('counts outcomes and late rates per grade', () => {
    expect(sx.grade).toBe('A');
    expect(sy.grade).toBe('E');
    expect(r.counts).toEqual({ clients: 2, clientsEvaluated: 2, invoices: 4, late: 3, excludedNotMature: 2 });
    expect(r.lateRate).toBe(0.75);
    const byGrade = Object.fromEntries(r.byGrade.map((g) => [g.grade, g]));
    expect(byGrade.A).toEqual({ grade: 'A', clients: 1, invoices: 2, late: 1, lateRate: 0.5 });
    expect(byGrade.E).toEqual({ grade: 'E', clients: 1, invoices: 2, late: 2, lateRate: 1 });
    expect(byGrade.C).toEqual({ grade: 'C', clients: 0, invoices: 0, late: 0, lateRate: null });
    expect(r.gradeMonotone).toBe(true);
  });

  it('computes AUC, Brier and calibration', () => {
    // one on-time invoice (X) against three late ones: tie with X's late one (0.5), beats both of Y's
    // (1 + 1): AUC = 2.5 / 3
    expect(r.auc).toBe(0.8333);
    const brier = (sx.pLate ** 2 + (sx.pLate - 1) ** 2 + 2 * (sy.pLate - 1) ** 2) / 4;
    expect(r.brier).toBeCloseTo(brier, 4);
    // the base-rate forecast: 0.75 * 0.25
    expect(r.brierBaseline).toBe(0.1875);
    // four invoices spread over deciles 3, 5, 8 and 10 (boundaries floor(d * 4 / 10))
    expect(r.calibration.map((b) => [b.decile, b.invoices])).toEqual([
      [3, 1],
      [5, 1],
      [8, 1],
      [10, 1],
    ]);
    expect(r.calibration[0]).toMatchObject({ predicted: sx.pLate, observed: 0 });
    expect(r.calibration[3]).toMatchObject({ predicted: sy.pLate, observed: 1 });
  });

  it('refuses a cutoff that is not before the end of the data', () => {
    expect(() => backtest([x], END, P, END)).toThrow(/cutoff 2026-12-31 must be before/);
  });
});

/** A tiny deterministic PRNG (mulberry32) so the synthetic portfolio is the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Clients whose habits persist: each has a probability of paying late and a typical delay. Three
 * years of monthly invoices up to END.
 */
function syntheticPortfolio(count: number, seed: number): ClientFacts[] {
  const rand = mulberry32(seed);
  const archetypes = [
    { pLate: 0.03, delay: 3 },
    { pLate: 0.15, delay: 6 },
    { pLate: 0.4, delay: 12 },
    { pLate: 0.7, delay: 30 },
    { pLate: 0.95, delay: 60 },
  ];
  const portfolio: ClientFacts[] = [];
  for (let c = 0; c < count; c++) {
    const a = archetypes[c % archetypes.length]!;
    const ref = `S${c}`;
    const facts = clientFacts({ client: clientInfo({ ref, name: ref }) });
    const months = 8 + Math.floor(rand() * 28);
    for (let m = 0; m < months; m++) {
      const issue = addDays(END, -30 * (months - m) + Math.floor(rand() * 10));
      const due = addDays(issue, 30);
      const amount = 50_000 + Math.floor(rand() * 500_000);
      const iref = `${ref}-${m}`;
      facts.invoices.push({ ...invoice(iref, issue, due, amount), clientRef: ref });
      const late = rand() < a.pLate;
      const delay = late ? 1 + Math.floor(rand() * 2 * a.delay) : -Math.floor(rand() * 5);
      const paid = addDays(due, delay);
      if (!(late && a.pLate > 0.9 && rand() < 0.3) && paid <= END)
        facts.payments.push(payment(iref, paid, amount));
    }
    portfolio.push(facts);
  }
  return portfolio;
}

describe('backtest: persistent behaviour is predicted', () => {
  it('late rates fall from grade E to grade A, with real ranking power', () => {
    const r = backtest(syntheticPortfolio(150, 42), '2025-12-31', P, END);
    const rates = r.byGrade.filter((g) => g.invoices >= 20).map((g) => g.lateRate!);
    expect(rates.length).toBeGreaterThanOrEqual(4);
    expect(r.gradeMonotone).toBe(true);
    expect(r.auc!).toBeGreaterThan(0.75);
    expect(r.brier!).toBeLessThan(r.brierBaseline!);
    expect(r.calibration).toHaveLength(10);
    // calibrated within 15 points in every decile
    for (const b of r.calibration) expect(Math.abs(b.predicted - b.observed)).toBeLessThan(0.15);
    // refitted pLate coefficients never do worse than the policy's on the same invoices
    const fit = r.recalibration!;
    // (the reported pLate is rounded to 3 decimals, the fit is not)
    expect(fit.currentBrier).toBeCloseTo(r.brier!, 3);
    expect(fit.logLoss).toBeLessThanOrEqual(fit.currentLogLoss);
    expect(fit.slope).toBeLessThanOrEqual(0);
    const refitted = structuredClone(P);
    refitted.scoring.pLate = { intercept: fit.intercept, slope: fit.slope, priorStrength: fit.priorStrength };
    expect(backtest(syntheticPortfolio(150, 42), '2025-12-31', refitted, END).brier).toBeCloseTo(
      fit.brier,
      3,
    );
  });
});
