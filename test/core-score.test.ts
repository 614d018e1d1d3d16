import { describe, expect, it } from 'vitest';
import { behaviourIndex, behaviourIndexForDays } from '../src/core/behaviour.ts';
import { DEFAULT_POLICY } from '../src/core/policy.ts';
import { bandFor, gradeFor, MODEL_VERSION, scoreClient } from '../src/core/score.ts';
import { factorDetail } from '../src/wording/score.ts';
import {
  clientFacts,
  clientInfo,
  dispute,
  invoice,
  monthlyPayer,
  order,
  payment,
  promise,
} from './support/score-facts.ts';

const P = DEFAULT_POLICY;

describe('payment behaviour index', () => {
  it('hits every anchor of the commercial scale exactly', () => {
    const anchors: [number, number][] = [
      [-30, 100],
      [-20, 90],
      [-10, 85],
      [0, 80],
      [15, 70],
      [22, 60],
      [30, 50],
      [60, 40],
      [90, 30],
      [120, 20],
    ];
    for (const [days, index] of anchors) expect(behaviourIndexForDays(days)).toBe(index);
  });

  it('interpolates between anchors and continues the slope beyond 120 days', () => {
    // 5 days late: 80 + (70 - 80) * 5/15 = 76.67
    expect(behaviourIndexForDays(5)).toBeCloseTo(76.6667, 3);
    // 15 days early: 90 + (85 - 90) * 5/10 = 87.5
    expect(behaviourIndexForDays(-15)).toBe(87.5);
    // 45 days late: 50 + (40 - 50) * 15/30 = 45
    expect(behaviourIndexForDays(45)).toBe(45);
    // 26 days late: 60 + (50 - 60) * 4/8 = 55
    expect(behaviourIndexForDays(26)).toBe(55);
    // beyond 120 the 90->120 slope (-1/3 per day) continues: 150 days -> 20 - 10 = 10
    expect(behaviourIndexForDays(150)).toBe(10);
    // ... floored at 1; and 30+ days early stays at 100
    expect(behaviourIndexForDays(400)).toBe(1);
    expect(behaviourIndexForDays(-45)).toBe(100);
  });

  it('weights days late by invoice amount over paid invoices', () => {
    // 1,000 paid 30 days late, 1,000 on time, 2,000 paid 5 days late:
    // (1000*30 + 1000*0 + 2000*5) / 4000 = 10 days late -> 80 - 10 * 10/15 = 73.33 -> 73
    const facts = clientFacts({
      invoices: [
        invoice('A', '2026-01-01', '2026-01-31', 100_000),
        invoice('B', '2026-02-01', '2026-03-03', 100_000),
        invoice('C', '2026-03-01', '2026-03-31', 200_000),
      ],
      payments: [
        payment('A', '2026-03-02', 100_000),
        payment('B', '2026-03-03', 100_000),
        payment('C', '2026-04-05', 200_000),
      ],
    });
    expect(behaviourIndex(facts, '2026-06-30', P)).toEqual({
      status: 'ok',
      index: 73,
      averageDaysLate: 10,
      paidInvoices: 3,
      paidLate: 2,
      paidAmount: 400_000,
    });
  });

  it('dates a partly paid invoice by the payment that completes it', () => {
    // D: 400 five days early then 600 twelve days late -> settled 12 days late.
    // Average (1000*12 + 1000*(-15) + 1000*(-15)) / 3000 = -6 days -> 85 + (80-85)*4/10 = 83
    const facts = clientFacts({
      invoices: [
        invoice('D', '2026-01-01', '2026-01-31', 100_000),
        invoice('E', '2026-02-01', '2026-03-03', 100_000),
        invoice('F', '2026-03-01', '2026-03-31', 100_000),
      ],
      payments: [
        payment('D', '2026-01-26', 40_000, 1),
        payment('D', '2026-02-12', 60_000, 2),
        payment('E', '2026-02-16', 100_000),
        payment('F', '2026-03-16', 100_000),
      ],
    });
    const b = behaviourIndex(facts, '2026-06-30', P);
    expect(b).toMatchObject({ status: 'ok', index: 83, averageDaysLate: -6, paidLate: 1 });
  });

  it('reports insufficient data below three paid invoices (open ones do not count)', () => {
    const facts = clientFacts({
      invoices: [
        invoice('A', '2026-01-01', '2026-01-31', 100_000),
        invoice('B', '2026-02-01', '2026-03-03', 100_000),
        invoice('C', '2026-03-01', '2026-03-31', 100_000),
      ],
      payments: [payment('A', '2026-01-31', 100_000), payment('B', '2026-03-03', 100_000)],
    });
    expect(behaviourIndex(facts, '2026-06-30', P)).toEqual({
      status: 'insufficient_data',
      paidInvoices: 2,
      required: 3,
    });
    // A payment dated after the as-of date is not known yet.
    facts.payments.push(payment('C', '2026-07-02', 100_000));
    expect(behaviourIndex(facts, '2026-06-30', P).status).toBe('insufficient_data');
    expect(behaviourIndex(facts, '2026-07-02', P).status).toBe('ok');
  });
});

describe('risk score: worked example', () => {
  // As of 2026-06-30. Four invoices:
  //   I1 2,000.00 due 2025-07-01 (364 days ago, recency weight 0.25), paid 10 days late
  //   I2 2,000.00 due 2025-12-30 (182 days ago, weight 0.5), paid on the due date
  //   I3 4,000.00 due 2026-06-30, paid 5 days early: in the behaviour index, but not yet an on-time
  //      outcome (its due date has not passed, and late payers of such invoices cannot be known yet)
  //   I4 1,000.00 due 2026-05-01, unpaid: 60 days overdue (weight 0.5^(60/182) = 0.79572), disputed,
  //      with a promise to pay it by 2026-05-31 that was broken.
  // Open order 8,000.00; credit limit 10,000.00; client since 2023-06-30; construction; bureau 70.
  const asOf = '2026-06-30';
  const facts = clientFacts({
    client: clientInfo({
      creditLimit: 1_000_000,
      since: '2023-06-30',
      sector: 'construction',
      externalScore: 70,
    }),
    invoices: [
      invoice('I1', '2025-06-01', '2025-07-01', 200_000),
      invoice('I2', '2025-11-30', '2025-12-30', 200_000),
      invoice('I3', '2026-05-31', '2026-06-30', 400_000),
      invoice('I4', '2026-04-01', '2026-05-01', 100_000),
    ],
    payments: [
      payment('I1', '2025-07-11', 200_000),
      payment('I2', '2025-12-30', 200_000),
      payment('I3', '2026-06-25', 400_000),
    ],
    disputes: [dispute('I4', '2026-05-20')],
    promises: [promise('I4', '2026-05-10', '2026-05-31', 100_000)],
    orders: [order('O1', '2026-06-15', 800_000)],
  });
  const s = scoreClient(facts, asOf, P);
  const points = Object.fromEntries(s.factors.map((f) => [f.name, f.points]));

  it('computes every factor as worked out by hand', () => {
    expect(points).toEqual({
      // behaviour: (2000*10 + 2000*0 + 4000*(-5)) / 8000 = 0 days -> index 80 -> 20 * (80-70)/15 = 13.3
      paymentBehaviour: 13,
      // outcomes I1, I2, I4: late weight 0.25 + 0.79572 = 1.04572 of 1.54572;
      // smoothed (1.04572 + 0.4*2) / (1.54572 + 2) = 0.52055 -> -12 * 0.12055/0.6 = -2.41
      lateFrequency: -2,
      // 1,000 overdue = 100% of the open balance, 60 days: severity 1 * (0.5 + 0.5*1) -> -15
      currentOverdue: -15,
      // one open dispute: -6/3
      openDisputes: -2,
      // one broken promise: -8/2
      brokenPromises: -4,
      // exposure 1,000 + 8,000 = 9,000 = 90% of 10,000: -8 * (0.9-0.8)/(1.5-0.8) = -1.14
      exposure: -1,
      // 1096 days = 36.0 months: full 5
      relationshipAge: 5,
      // last 91 days: I3 + I4 + order = 13,000 -> 4,348.57/month; before (2025-06-30, 2026-03-31],
      // 274 days: I2 2,000 -> 222.19/month; +1857% -> capped at +5
      orderTrend: 5,
      // bureau 70: 8 * 20/50 = 3.2
      externalScore: 3,
      // construction: -4 in the policy table
      sectorRisk: -4,
    });
    expect(s.base).toBe(50);
    // 50 + 13 - 2 - 15 - 2 - 4 - 1 + 5 + 5 + 3 - 4
    expect(s.score).toBe(48);
    expect(s.grade).toBe('D');
    expect(s.band).toBe('moderate');
  });

  it('gives each factor a wording code and its figures as data', () => {
    const byName = Object.fromEntries(s.factors.map((f) => [f.name, f]));
    expect(byName.currentOverdue).toMatchObject({
      code: 'currentOverdue.some',
      params: { count: 1, amount: 100_000, currency: 'EUR', share: 1, averageDays: 60, oldestDays: 60 },
    });
    expect(byName.exposure).toMatchObject({
      code: 'exposure.limit',
      params: { exposure: 900_000, openBalance: 100_000, openOrders: 800_000, limit: 1_000_000, ratio: 0.9 },
    });
    expect(byName.sectorRisk).toMatchObject({
      code: 'sectorRisk.adjusted',
      params: { sector: 'construction', adjustment: -4 },
    });
  });

  it('words each factor with its figures, in French and English', () => {
    const french = Object.fromEntries(s.factors.map((f) => [f.name, factorDetail(f, 'fr')]));
    expect(french.lateFrequency).toBe(
      '2 factures sur 3 payées en retard (dont 1 encore impayée), 35 jours de retard en moyenne ; les mois récents pèsent davantage : 68\u202f% en retard après pondération',
    );
    expect(french.currentOverdue).toBe(
      '1 facture échue pour 1\u202f000,00 EUR (100\u202f% de l’encours), 60 jours de retard en moyenne, la plus ancienne à 60 jours',
    );
    const detail = Object.fromEntries(s.factors.map((f) => [f.name, factorDetail(f, 'en')]));
    expect(detail.paymentBehaviour).toBe(
      'behaviour index 80/100 (80 = on time): 3 paid invoices settled on the due date on average, weighted by amount',
    );
    expect(detail.lateFrequency).toBe(
      '2 of 3 invoices paid late (1 still unpaid), 35 days late on average; recent months weigh more: 68% late after weighting',
    );
    expect(detail.currentOverdue).toBe(
      '1 invoice overdue for EUR 1,000.00 (100% of the open balance), 60 days overdue on average, oldest 60 days',
    );
    expect(detail.brokenPromises).toBe(
      '1 of 1 promise to pay broken in the last 12 months (EUR 1,000.00 not paid by the promised date)',
    );
    expect(detail.exposure).toBe(
      'exposure EUR 9,000.00 (open balance EUR 1,000.00 + open orders EUR 8,000.00) is 90% of the credit limit EUR 10,000.00',
    );
    expect(detail.sectorRisk).toBe("sector construction: -4 in the policy's sector table");
  });

  it('states confidence and a calibrated pLate', () => {
    // 36 months >= 24 -> 0.5; 3 paid invoices of 12 -> 0.125; total 0.625 -> 0.63
    expect(s.confidence).toBe(0.63);
    // prior at score 48: 1/(1+e^(-0.07*2)) = 0.53494; (1.04572 + 2*0.53494) / (1.54572 + 2) = 0.5967
    expect(s.pLate).toBe(0.597);
    expect(s.modelVersion).toBe(MODEL_VERSION);
    expect(s.metrics).toMatchObject({
      paidInvoices: 3,
      knownOutcomes: 3,
      lateOutcomes: 2,
      openBalance: 100_000,
      openOrders: 800_000,
      exposure: 900_000,
      overdueAmount: 100_000,
      maxDaysOverdue: 60,
      openDisputes: 1,
      brokenPromises: 1,
    });
  });

  it('a kept promise and a resolved dispute remove their penalties', () => {
    const better = structuredClone(facts);
    better.payments.push(payment('I4', '2026-05-30', 100_000));
    better.disputes[0]!.status = 'resolved';
    better.disputes[0]!.resolvedDate = '2026-05-29';
    const b = scoreClient(better, asOf, P);
    const pts = Object.fromEntries(b.factors.map((f) => [f.name, f.points]));
    expect(pts.brokenPromises).toBe(0);
    expect(pts.openDisputes).toBe(0);
    // the dispute was resolved before the as-of date but after an earlier one: still open back then
    const earlier = scoreClient(better, '2026-05-25', P);
    expect(earlier.factors.find((f) => f.name === 'openDisputes')!.points).toBe(-2);
  });
});

describe('risk score: shapes of clients', () => {
  const asOf = '2026-06-30';

  it('gives a client without history a neutral score with no confidence', () => {
    const s = scoreClient(clientFacts(), asOf, P);
    expect(s.score).toBe(50);
    expect(s.grade).toBe('C');
    expect(s.confidence).toBe(0);
    expect(s.noHistory).toBe(true);
    expect(s.factors.every((f) => f.points === 0)).toBe(true);
    // pLate is the prior alone: 1/(1+e^0) at a neutral score
    expect(s.pLate).toBe(0.5);
  });

  it('caps the score with an explicit bounds factor so the sum still holds', () => {
    const s = scoreClient(
      monthlyPayer(asOf, 40, [-30], {
        client: { externalScore: 100, sector: 'services', since: '2020-01-01' },
      }),
      asOf,
      P,
    );
    // behaviour 20 + frequency 10 + nothing overdue 5 + relationship 5 + external 8 + services 1 = 49 -> 99
    expect(s.score).toBe(99);
    expect(s.factors.find((f) => f.name === 'bounds')).toBeUndefined();
    const raw = s.base + s.factors.reduce((a, f) => a + f.points, 0);
    expect(raw).toBe(s.score);
    const extreme = structuredClone(P);
    extreme.scoring.base = 70;
    const capped = scoreClient(
      monthlyPayer(asOf, 40, [-30], {
        client: { externalScore: 100, sector: 'services', since: '2020-01-01' },
      }),
      asOf,
      extreme,
    );
    expect(capped.score).toBe(100);
    const bounds = capped.factors.find((f) => f.name === 'bounds')!;
    expect(bounds.points).toBeLessThan(0);
    expect(capped.base + capped.factors.reduce((a, f) => a + f.points, 0)).toBe(100);
  });

  it('orders archetypes from reliable to chronic late payer', () => {
    const scores = [
      [-5, 0, -2],
      [0, 2, 0, 5],
      [0, 10, 15, 20, 5],
      [20, 30, 45, 25],
      [45, 60, 90, 75],
    ].map((d) => scoreClient(monthlyPayer(asOf, 24, d), asOf, P));
    for (let i = 1; i < scores.length; i++) expect(scores[i]!.score).toBeLessThan(scores[i - 1]!.score);
    for (let i = 1; i < scores.length; i++) expect(scores[i]!.pLate).toBeGreaterThan(scores[i - 1]!.pLate);
    expect(scores[0]!.grade).toBe('A');
    expect(scores[4]!.grade).toBe('E');
  });

  it('maps scores to grades and bands at the policy thresholds', () => {
    expect([80, 79, 65, 64, 50, 49, 35, 34].map((x) => gradeFor(x, P))).toEqual([
      'A',
      'B',
      'B',
      'C',
      'C',
      'D',
      'D',
      'E',
    ]);
    expect([70, 69, 40, 39].map((x) => bandFor(x, P))).toEqual(['low', 'moderate', 'moderate', 'high']);
  });
});
