import { addDays, type IsoDate } from './dates.ts';
import { factsAsOf, invoiceStates } from './ledger.ts';
import { roundHalfAway } from './money.ts';
import { paymentHistory } from './payment-history.ts';
import { GRADES, type Grade, type Policy } from './policy.ts';
import { MODEL_VERSION, pLateFor, scoreFromHistory } from './score.ts';
import type { ClientFacts } from './types.ts';

/** An unpaid invoice counts as late once it is this many days past due at the end of the data. */
export const BACKTEST_UNPAID_LATE_DAYS = 30;

export interface GradeOutcome {
  grade: Grade;
  clients: number;
  invoices: number;
  late: number;
  /** Observed share of late invoices; null when the grade has none. */
  lateRate: number | null;
}

export interface CalibrationBin {
  /** 1 = the tenth of invoices with the lowest predicted pLate. */
  decile: number;
  invoices: number;
  minPLate: number;
  maxPLate: number;
  /** Mean predicted pLate in the bin. */
  predicted: number;
  /** Observed late share in the bin. */
  observed: number;
}

export interface BacktestResult {
  cutoff: IsoDate;
  endOfData: IsoDate;
  modelVersion: string;
  counts: {
    clients: number;
    /** Clients with at least one evaluated invoice. */
    clientsEvaluated: number;
    invoices: number;
    late: number;
    /** Issued after the cutoff but not yet due + 30 days at the end of the data. */
    excludedNotMature: number;
  };
  lateRate: number | null;
  /** Probability that an on-time invoice's client scored higher than a late invoice's (ties half). */
  auc: number | null;
  /** Mean squared error of pLate against the outcome (0 is perfect). */
  brier: number | null;
  /** Brier of always predicting the observed late rate: pLate should beat it. */
  brierBaseline: number | null;
  byGrade: GradeOutcome[];
  /** Late rates never rise from grade E to grade A (grades without invoices skipped). */
  gradeMonotone: boolean;
  calibration: CalibrationBin[];
  /** pLate coefficients refitted on these invoices (for `policy.scoring.pLate`); null without outcomes. */
  recalibration: Recalibration | null;
}

export interface Recalibration {
  intercept: number;
  slope: number;
  priorStrength: number;
  /** Brier and log loss with the refitted coefficients, then with the policy's: in-sample, so optimistic. */
  brier: number;
  logLoss: number;
  currentBrier: number;
  currentLogLoss: number;
}

/** One client's evidence at the cutoff and what its later invoices did. */
interface ClientOutcomes {
  score: number;
  lateWeight: number;
  outcomeWeight: number;
  invoices: number;
  late: number;
}

interface Observation {
  key: string;
  score: number;
  pLate: number;
  late: boolean;
}

const round4 = (x: number): number => roundHalfAway(x * 10_000) / 10_000;

/**
 * Scores every client as of `cutoff` and checks the scores against what happened to the invoices
 * issued after it, up to `endOfData`: late = paid after the due date, or still unpaid 30 days past
 * due at the end of the data. Invoices not yet due + 30 days at the end of the data are left out
 * (their outcome is not known yet).
 */
export function backtest(
  allFacts: readonly ClientFacts[],
  cutoff: IsoDate,
  policy: Policy,
  endOfData: IsoDate,
): BacktestResult {
  if (!(cutoff < endOfData))
    throw new RangeError(`cutoff ${cutoff} must be before the end of data ${endOfData}`);
  const observations: Observation[] = [];
  const grades = new Map<Grade, GradeOutcome>(
    GRADES.map((g) => [g, { grade: g, clients: 0, invoices: 0, late: 0, lateRate: null }]),
  );
  let excluded = 0;
  let clientsEvaluated = 0;
  const matureBy = addDays(endOfData, -BACKTEST_UNPAID_LATE_DAYS);
  const groups: ClientOutcomes[] = [];
  for (const facts of allFacts) {
    const later = factsAsOf(facts, endOfData);
    if (!later.invoices.some((i) => i.issueDate > cutoff)) continue;
    const cut = factsAsOf(facts, cutoff);
    const history = paymentHistory(cut, cutoff);
    const score = scoreFromHistory(cut, history, policy);
    const g = grades.get(score.grade)!;
    let evaluated = 0;
    let lateCount = 0;
    for (const s of invoiceStates(later, endOfData)) {
      if (s.invoice.issueDate <= cutoff || s.invoice.amount <= 0) continue;
      if (s.invoice.dueDate > matureBy) {
        excluded += 1;
        continue;
      }
      const late = s.isOpen || (s.daysLate ?? 0) > 0;
      observations.push({
        key: `${facts.client.ref}\u0000${s.invoice.ref}`,
        score: score.score,
        pLate: score.pLate,
        late,
      });
      evaluated += 1;
      g.invoices += 1;
      if (late) {
        g.late += 1;
        lateCount += 1;
      }
    }
    if (evaluated) {
      clientsEvaluated += 1;
      g.clients += 1;
      let lateWeight = 0;
      let outcomeWeight = 0;
      for (const o of history.outcomes) {
        outcomeWeight += o.weight;
        if (o.late) lateWeight += o.weight;
      }
      groups.push({ score: score.score, lateWeight, outcomeWeight, invoices: evaluated, late: lateCount });
    }
  }
  for (const g of grades.values()) g.lateRate = g.invoices ? round4(g.late / g.invoices) : null;
  const byGrade = [...grades.values()];
  const rates = [...byGrade].reverse().flatMap((g) => (g.lateRate === null ? [] : [g.lateRate]));
  const late = observations.filter((o) => o.late).length;
  const n = observations.length;
  const lateRate = n ? late / n : null;

  return {
    cutoff,
    endOfData,
    modelVersion: MODEL_VERSION,
    counts: { clients: allFacts.length, clientsEvaluated, invoices: n, late, excludedNotMature: excluded },
    lateRate: lateRate === null ? null : round4(lateRate),
    auc: auc(observations),
    brier: n ? round4(observations.reduce((a, o) => a + (o.pLate - (o.late ? 1 : 0)) ** 2, 0) / n) : null,
    brierBaseline: lateRate === null ? null : round4(lateRate * (1 - lateRate)),
    byGrade,
    gradeMonotone: rates.every((r, i) => i === 0 || r <= rates[i - 1]!),
    calibration: calibration(observations),
    recalibration: recalibrate(groups, policy),
  };
}

/**
 * Refits the pLate coefficients by minimising the log loss over the observed invoices: a coarse grid
 * then a finer one around the best point, for a few prior strengths. Deterministic and cheap: the
 * invoices are grouped by client (same evidence, same prediction).
 */
function recalibrate(groups: readonly ClientOutcomes[], policy: Policy): Recalibration | null {
  const total = groups.reduce((a, g) => a + g.invoices, 0);
  if (!total) return null;
  const loss = (intercept: number, slope: number, priorStrength: number) => {
    const p = { ...policy, scoring: { ...policy.scoring, pLate: { intercept, slope, priorStrength } } };
    let brier = 0;
    let logLoss = 0;
    for (const g of groups) {
      const q = Math.min(1 - 1e-6, Math.max(1e-6, pLateFor(g.score, g.lateWeight, g.outcomeWeight, p)));
      const onTime = g.invoices - g.late;
      brier += g.late * (1 - q) ** 2 + onTime * q ** 2;
      logLoss -= g.late * Math.log(q) + onTime * Math.log(1 - q);
    }
    return { brier: brier / total, logLoss: logLoss / total };
  };
  let best = { intercept: 0, slope: 0, priorStrength: 1, logLoss: Number.POSITIVE_INFINITY };
  const search = (
    aFrom: number,
    aTo: number,
    aStep: number,
    bFrom: number,
    bTo: number,
    bStep: number,
    k: number,
  ) => {
    for (let a = aFrom; a <= aTo + 1e-9; a += aStep)
      for (let b = bFrom; b <= bTo + 1e-9; b += bStep) {
        const { logLoss } = loss(a, b, k);
        if (logLoss < best.logLoss) best = { intercept: a, slope: b, priorStrength: k, logLoss };
      }
  };
  for (const k of [0.5, 1, 2, 4, 8]) search(-3, 3, 0.25, -0.2, 0, 0.01, k);
  const { intercept: a0, slope: b0, priorStrength: k } = best;
  search(a0 - 0.25, a0 + 0.25, 0.025, Math.max(-0.2, b0 - 0.01), Math.min(0, b0 + 0.01), 0.001, k);
  const intercept = roundHalfAway(best.intercept * 100) / 100 + 0;
  const slope = roundHalfAway(best.slope * 1000) / 1000 + 0;
  const fitted = loss(intercept, slope, k);
  const current = loss(
    policy.scoring.pLate.intercept,
    policy.scoring.pLate.slope,
    policy.scoring.pLate.priorStrength,
  );
  return {
    intercept,
    slope,
    priorStrength: k,
    brier: round4(fitted.brier),
    logLoss: round4(fitted.logLoss),
    currentBrier: round4(current.brier),
    currentLogLoss: round4(current.logLoss),
  };
}

/** Mann-Whitney AUC with average ranks for ties; null without both outcomes. */
function auc(obs: readonly Observation[]): number | null {
  const onTime = obs.filter((o) => !o.late).length;
  const late = obs.length - onTime;
  if (!onTime || !late) return null;
  const sorted = [...obs].sort((a, b) => a.score - b.score);
  let rankSumOnTime = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]!.score === sorted[i]!.score) j++;
    const avgRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (!sorted[k]!.late) rankSumOnTime += avgRank;
    i = j;
  }
  return round4((rankSumOnTime - (onTime * (onTime + 1)) / 2) / (onTime * late));
}

function calibration(obs: readonly Observation[]): CalibrationBin[] {
  const sorted = [...obs].sort((a, b) => a.pLate - b.pLate || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const bins: CalibrationBin[] = [];
  for (let d = 0; d < 10; d++) {
    const slice = sorted.slice(
      Math.floor((d * sorted.length) / 10),
      Math.floor(((d + 1) * sorted.length) / 10),
    );
    if (!slice.length) continue;
    bins.push({
      decile: d + 1,
      invoices: slice.length,
      minPLate: slice[0]!.pLate,
      maxPLate: slice[slice.length - 1]!.pLate,
      predicted: round4(slice.reduce((a, o) => a + o.pLate, 0) / slice.length),
      observed: round4(slice.filter((o) => o.late).length / slice.length),
    });
  }
  return bins;
}
