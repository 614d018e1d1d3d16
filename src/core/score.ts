import { type BehaviourIndex, behaviourFromPaid } from './behaviour.ts';
import { addDays, daysBetween, type IsoDate } from './dates.ts';
import { factsAsOf } from './ledger.ts';
import { type Minor, roundHalfAway } from './money.ts';
import { DAYS_PER_MONTH, type PaymentHistory, paymentHistory } from './payment-history.ts';
import type { Grade, Policy } from './policy.ts';
import type { ClientFacts } from './types.ts';
import type { WordParams } from './worded.ts';

/** Bump whenever the scoring arithmetic changes: stored snapshots carry it. */
export const MODEL_VERSION = 'score-1.1.0';

export const BANDS = ['low', 'moderate', 'high'] as const;
export type Band = (typeof BANDS)[number];

/** Every factor, by the key of its weight in `policy.scoring.weights` ('bounds' for clamping). */
export const FACTOR_NAMES = [
  'paymentBehaviour',
  'lateFrequency',
  'currentOverdue',
  'openDisputes',
  'brokenPromises',
  'exposure',
  'relationshipAge',
  'orderTrend',
  'externalScore',
  'sectorRisk',
  'bounds',
] as const;
export type FactorName = (typeof FACTOR_NAMES)[number];

/**
 * What a factor's figures say, one code per case; src/wording/score.ts words each in French and
 * English. Amounts are minor units of `currency`, shares 0-1, dates YYYY-MM-DD.
 */
export const FACTOR_CODES = [
  'paymentBehaviour.index',
  'paymentBehaviour.insufficient',
  'lateFrequency.share',
  'lateFrequency.none',
  'currentOverdue.none',
  'currentOverdue.clean',
  'currentOverdue.some',
  'openDisputes.none',
  'openDisputes.open',
  'brokenPromises.none',
  'brokenPromises.record',
  'exposure.limit',
  'exposure.usual',
  'exposure.noBasis',
  'relationshipAge.since',
  'relationshipAge.none',
  'orderTrend.short',
  'orderTrend.change',
  'externalScore.none',
  'externalScore.value',
  'sectorRisk.unknown',
  'sectorRisk.unlisted',
  'sectorRisk.adjusted',
  'bounds.clamped',
] as const;
export type FactorCode = (typeof FACTOR_CODES)[number];

export interface ScoreFactor {
  name: FactorName;
  /** Signed whole points added to the base. */
  points: number;
  /** Most points the factor can add or remove (its policy weight). */
  weight: number;
  /** The figures behind the points, as a wording code and its params. */
  code: FactorCode;
  params: WordParams;
}

export interface ScoreResult {
  client: string;
  name: string;
  asOf: IsoDate;
  /** 0-100, higher is safer; always equals base + the sum of the factors' points. */
  score: number;
  grade: Grade;
  /** Risk band: low risk, moderate, high. */
  band: Band;
  /** 0-1: how much history the score rests on. */
  confidence: number;
  /** Probability that the client's next invoice is paid after its due date. */
  pLate: number;
  base: number;
  factors: ScoreFactor[];
  modelVersion: string;
  behaviour: BehaviourIndex;
  /** True when fewer paid invoices than `minPaidInvoicesForBehaviour`. */
  noHistory: boolean;
  metrics: ScoreMetrics;
}

export interface ScoreMetrics {
  paidInvoices: number;
  /** Invoices with a known outcome (paid, or open past due) and how many of them were late. */
  knownOutcomes: number;
  lateOutcomes: number;
  /** Late share with recent invoices weighing more, before smoothing; null without outcomes. */
  weightedLateShare: number | null;
  /** Unweighted late share over the last 12 months; null without outcomes. */
  recentLateShare: number | null;
  openBalance: Minor;
  openOrders: Minor;
  exposure: Minor;
  overdueAmount: Minor;
  maxDaysOverdue: number;
  openDisputes: number;
  brokenPromises: number;
  relationshipMonths: number;
}

/**
 * Late-frequency smoothing: a client's late share is pulled towards PRIOR_LATE_SHARE (roughly the
 * share of B2B invoices paid late in France) with the strength of PRIOR_STRENGTH invoices, so two
 * invoices never swing the factor fully.
 */
const PRIOR_LATE_SHARE = 0.4;
const PRIOR_STRENGTH = 2;
/** Paid invoices that give full confidence (with `fullConfidenceMonths` of relationship). */
const FULL_CONFIDENCE_INVOICES = 12;
/** Relationship age that earns the full relationship points. */
const FULL_RELATIONSHIP_MONTHS = 36;
/**
 * pLate is the Beta-binomial posterior mean of the client's recency-weighted late rate: a prior whose
 * mean is a logistic function of the score (`policy.scoring.pLate`: intercept and slope) and whose
 * strength is `priorStrength` invoices, updated with the client's own outcomes. A client without
 * history gets the prior alone; one with a long history is dominated by its own record. The backtest
 * reports the calibration and suggests refitted coefficients.
 */
export function pLateFor(score: number, lateWeight: number, outcomeWeight: number, policy: Policy): number {
  const { intercept, slope, priorStrength } = policy.scoring.pLate;
  const prior = 1 / (1 + Math.exp(-(intercept + slope * (score - 50))));
  return (lateWeight + priorStrength * prior) / (outcomeWeight + priorStrength);
}

/** Whole points, never -0 (so results compare and serialise cleanly). */
const pts = (x: number): number => roundHalfAway(x) + 0;
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
const oneDecimal = (x: number): number => roundHalfAway(x * 10) / 10;
/** Shares are given to the wording with three decimals (enough for a whole percentage). */
const share3 = (x: number): number => roundHalfAway(x * 1000) / 1000;

export function gradeFor(score: number, policy: Policy): Grade {
  const g = policy.grades;
  return score >= g.A ? 'A' : score >= g.B ? 'B' : score >= g.C ? 'C' : score >= g.D ? 'D' : 'E';
}

export function bandFor(score: number, policy: Policy): Band {
  return score >= policy.bands.low ? 'low' : score >= policy.bands.moderate ? 'moderate' : 'high';
}

/** Scores one client as of a date. Deterministic: same facts, date and policy give the same result. */
export function scoreClient(facts: ClientFacts, asOf: IsoDate, policy: Policy): ScoreResult {
  const cut = factsAsOf(facts, asOf);
  return scoreFromHistory(cut, paymentHistory(cut, asOf), policy);
}

/** The score from facts already cut to `history.asOf` and their history (lets callers reuse both). */
export function scoreFromHistory(facts: ClientFacts, history: PaymentHistory, policy: Policy): ScoreResult {
  const asOf = history.asOf;
  const currency = policy.baseCurrency;
  const weight = (name: FactorName) => policy.scoring.weights[name] ?? 0;
  const behaviour = behaviourFromPaid(history.paid, policy);
  const factors: ScoreFactor[] = [];
  const add = (name: FactorName, points: number, code: FactorCode, params: WordParams = {}) =>
    factors.push({ name, points: pts(points), weight: weight(name), code, params });

  // Payment behaviour: index 70 (15 days late) is neutral; 85 (10 days early) earns the full weight,
  // 30 (90 days late) loses it. Paying on time (80) earns two thirds.
  {
    const w = weight('paymentBehaviour');
    if (behaviour.status === 'ok') {
      add(
        'paymentBehaviour',
        behaviour.index >= 70
          ? Math.min(w, (w * (behaviour.index - 70)) / 15)
          : Math.max(-w, (w * (behaviour.index - 70)) / 40),
        'paymentBehaviour.index',
        { index: behaviour.index, paid: behaviour.paidInvoices, daysLate: behaviour.averageDaysLate },
      );
    } else {
      add('paymentBehaviour', 0, 'paymentBehaviour.insufficient', {
        paid: behaviour.paidInvoices,
        required: behaviour.required,
      });
    }
  }

  // Late frequency and recency: smoothed, recency-weighted share of invoices paid late or overdue.
  const outcomes = history.outcomes;
  let lateW = 0;
  let totalW = 0;
  let lateCount = 0;
  let lateDays = 0;
  let stillOpen = 0;
  for (const o of outcomes) {
    totalW += o.weight;
    if (o.late) {
      lateW += o.weight;
      lateCount += 1;
      lateDays += o.daysLate;
      if (o.state.isOpen) stillOpen += 1;
    }
  }
  {
    const w = weight('lateFrequency');
    const share = (lateW + PRIOR_LATE_SHARE * PRIOR_STRENGTH) / (totalW + PRIOR_STRENGTH);
    const points =
      share <= PRIOR_LATE_SHARE
        ? (w * (PRIOR_LATE_SHARE - share)) / PRIOR_LATE_SHARE
        : (-w * (share - PRIOR_LATE_SHARE)) / (1 - PRIOR_LATE_SHARE);
    if (outcomes.length)
      add('lateFrequency', points, 'lateFrequency.share', {
        late: lateCount,
        invoices: outcomes.length,
        stillOpen,
        averageDaysLate: lateCount ? oneDecimal(lateDays / lateCount) : null,
        weightedShare: share3(lateW / totalW),
      });
    else add('lateFrequency', points, 'lateFrequency.none');
  }

  // Currently overdue: severity grows with the amount-weighted age (full at 60 days) and the share.
  // A clean slate earns a third of the weight once there is a payment history to back it.
  {
    const w = weight('currentOverdue');
    const o = history.overdue;
    if (o.count === 0) {
      const established = history.paid.length >= policy.scoring.minPaidInvoicesForBehaviour;
      if (established) add('currentOverdue', w / 3, 'currentOverdue.clean', { paid: history.paid.length });
      else add('currentOverdue', 0, 'currentOverdue.none');
    } else {
      const share = history.openBalance > 0 ? o.amount / history.openBalance : 1;
      const severity = Math.min(1, o.weightedDays / 60) * (0.5 + 0.5 * share);
      add('currentOverdue', -w * severity, 'currentOverdue.some', {
        count: o.count,
        amount: o.amount,
        currency,
        share: share3(share),
        averageDays: oneDecimal(o.weightedDays),
        oldestDays: o.maxDays,
      });
    }
  }

  // Open disputes: a third of the weight per disputed invoice.
  {
    const w = weight('openDisputes');
    const d = history.openDisputes;
    const points = -Math.min(w, (w * d.count) / 3);
    if (d.count)
      add('openDisputes', points, 'openDisputes.open', { count: d.count, amount: d.amount, currency });
    else add('openDisputes', points, 'openDisputes.none');
  }

  // Broken promises in the last 12 months: half the weight each.
  {
    const w = weight('brokenPromises');
    const { broken, kept } = history.promises;
    const brokenAmount = broken.reduce((a, b) => a + b.promise.amount, 0);
    const points = -Math.min(w, (w * broken.length) / 2);
    if (broken.length || kept.length)
      add('brokenPromises', points, 'brokenPromises.record', {
        broken: broken.length,
        promises: broken.length + kept.length,
        amount: brokenAmount,
        currency,
      });
    else add('brokenPromises', points, 'brokenPromises.none');
  }

  // Exposure against the limit set (or insured), else against the client's usual balance.
  {
    const w = weight('exposure');
    const limit = facts.client.creditLimit ?? facts.client.insuranceLimit;
    const figures = {
      exposure: history.exposure,
      openBalance: history.openBalance,
      openOrders: history.openOrders,
      currency,
    };
    const usual = usualBalance(facts, asOf, policy);
    if (limit !== null && limit > 0) {
      const ratio = history.exposure / limit;
      add('exposure', -w * ramp(ratio, 0.8, 1.5), 'exposure.limit', {
        ...figures,
        ratio: share3(ratio),
        limit,
        insured: facts.client.creditLimit === null,
      });
    } else if (usual > 0) {
      const ratio = history.exposure / usual;
      add('exposure', -w * ramp(ratio, 1.5, 3), 'exposure.usual', {
        ...figures,
        times: oneDecimal(ratio),
        usual,
      });
    } else add('exposure', 0, 'exposure.noBasis', figures);
  }

  // Relationship age: up to the full weight after three years.
  {
    const w = weight('relationshipAge');
    const m = history.relationshipMonths;
    const points = w * Math.min(1, m / FULL_RELATIONSHIP_MONTHS);
    if (history.startDate)
      add('relationshipAge', points, 'relationshipAge.since', { months: m, since: history.startDate });
    else add('relationshipAge', points, 'relationshipAge.none');
  }

  // Order trend: invoicing (and open orders) in the last 3 months against the months before.
  {
    const w = weight('orderTrend');
    const t = orderTrend(facts, asOf);
    if (t === null) add('orderTrend', 0, 'orderTrend.short');
    else {
      const change = t.prevMonthly > 0 ? t.lastMonthly / t.prevMonthly - 1 : 0;
      add('orderTrend', clamp((w * change) / 0.5, -w, w), 'orderTrend.change', {
        lastMonthly: roundHalfAway(t.lastMonthly),
        previousMonthly: roundHalfAway(t.prevMonthly),
        change: share3(change),
        currency,
      });
    }
  }

  // Optional external bureau score: 50 is neutral.
  {
    const w = weight('externalScore');
    const ext = facts.client.externalScore;
    if (ext === null) add('externalScore', 0, 'externalScore.none');
    else {
      const e = clamp(ext, 1, 100);
      add('externalScore', (w * (e - 50)) / 50, 'externalScore.value', { score: e });
    }
  }

  // Sector risk from the policy table.
  {
    const w = weight('sectorRisk');
    const sector = facts.client.sector?.trim().toLowerCase() || null;
    const adj = sector === null ? undefined : policy.scoring.sectorRisk[sector];
    if (sector === null) add('sectorRisk', 0, 'sectorRisk.unknown');
    else if (adj === undefined) add('sectorRisk', 0, 'sectorRisk.unlisted', { sector });
    else add('sectorRisk', clamp(adj, -w, w), 'sectorRisk.adjusted', { sector, adjustment: adj });
  }

  const base = pts(policy.scoring.base);
  const raw = base + factors.reduce((a, f) => a + f.points, 0);
  const score = clamp(raw, 0, 100);
  if (score !== raw)
    factors.push({
      name: 'bounds',
      points: score - raw,
      weight: 0,
      code: 'bounds.clamped',
      params: { raw },
    });

  const paidCount = history.paid.length;
  const confidence =
    roundHalfAway(
      100 *
        (0.5 * Math.min(1, history.relationshipMonths / policy.scoring.fullConfidenceMonths) +
          0.5 * Math.min(1, paidCount / FULL_CONFIDENCE_INVOICES)),
    ) / 100;
  const pLate = roundHalfAway(1000 * pLateFor(score, lateW, totalW, policy)) / 1000;

  return {
    client: facts.client.ref,
    name: facts.client.name,
    asOf,
    score,
    grade: gradeFor(score, policy),
    band: bandFor(score, policy),
    confidence: history.startDate === null && paidCount === 0 ? 0 : confidence,
    pLate,
    base,
    factors,
    modelVersion: MODEL_VERSION,
    behaviour,
    noHistory: paidCount < policy.scoring.minPaidInvoicesForBehaviour,
    metrics: {
      paidInvoices: paidCount,
      knownOutcomes: outcomes.length,
      lateOutcomes: lateCount,
      weightedLateShare: totalW > 0 ? roundHalfAway((1000 * lateW) / totalW) / 1000 : null,
      recentLateShare: history.recentLateShare,
      openBalance: history.openBalance,
      openOrders: history.openOrders,
      exposure: history.exposure,
      overdueAmount: history.overdue.amount,
      maxDaysOverdue: history.overdue.maxDays,
      openDisputes: history.openDisputes.count,
      brokenPromises: history.promises.broken.length,
      relationshipMonths: history.relationshipMonths,
    },
  };
}

/** 0 up to `start`, rising linearly to 1 at `full`. */
function ramp(x: number, start: number, full: number): number {
  return x <= start ? 0 : Math.min(1, (x - start) / (full - start));
}

/** What the client would normally owe paying on terms: average monthly invoicing (12 months) x terms. */
function usualBalance(facts: ClientFacts, asOf: IsoDate, policy: Policy): Minor {
  const from = addDays(asOf, -365);
  let total = 0;
  let first: IsoDate | null = null;
  for (const i of facts.invoices) {
    if (i.issueDate <= from || i.amount <= 0) continue;
    total += i.amount;
    if (first === null || i.issueDate < first) first = i.issueDate;
  }
  if (first === null) return 0;
  const months = Math.max(1, Math.min(365, daysBetween(first, asOf) + 1) / DAYS_PER_MONTH);
  const terms = facts.client.termsDays ?? policy.standardTermsDays;
  return roundHalfAway((total / months) * Math.max(1, terms / 30));
}

/** Monthly invoicing (plus open orders) in the last 91 days against the up-to-9 months before. */
function orderTrend(facts: ClientFacts, asOf: IsoDate): { lastMonthly: number; prevMonthly: number } | null {
  const lastFrom = addDays(asOf, -91);
  const first = facts.invoices.reduce<IsoDate | null>(
    (min, i) => (min === null || i.issueDate < min ? i.issueDate : min),
    null,
  );
  if (first === null) return null;
  const prevFrom = first > addDays(asOf, -365) ? addDays(first, -1) : addDays(asOf, -365);
  const prevDays = daysBetween(prevFrom, lastFrom);
  if (prevDays < 90) return null;
  let last = 0;
  let prev = 0;
  for (const i of facts.invoices) {
    if (i.amount <= 0) continue;
    if (i.issueDate > lastFrom) last += i.amount;
    else if (i.issueDate > prevFrom) prev += i.amount;
  }
  for (const o of facts.orders) if (o.status === 'open' && o.date > lastFrom) last += o.amount;
  if (prev === 0) return null;
  return { lastMonthly: (last / 91) * DAYS_PER_MONTH, prevMonthly: (prev / prevDays) * DAYS_PER_MONTH };
}
