import { addDays, endOfMonth, type IsoDate } from './dates.ts';
import { factsAsOf, paymentsByInvoice } from './ledger.ts';
import { type Minor, roundHalfAway } from './money.ts';
import { type PaymentHistory, paymentHistory } from './payment-history.ts';
import type { Grade, Policy } from './policy.ts';
import type { ClientFacts } from './types.ts';
import { type Worded, worded } from './worded.ts';

/** How a limit was arrived at, one code per method (src/wording/terms.ts words them). */
export const LIMIT_CODES = ['limit.client', 'limit.newClient', 'limit.noBalance', 'limit.history'] as const;
export type LimitCode = (typeof LIMIT_CODES)[number];

/** Recommended limits are rounded down to whole hundreds of the base currency (100.00 = 10,000 cents). */
export const LIMIT_ROUNDING: Minor = 10_000;

export interface LimitRecommendation {
  recommended: Minor;
  method: 'history' | 'new_client';
  /** Highest month-end balance of the invoices paid within terms, and the month end it occurred. */
  highestBalance: Minor;
  highestBalanceDate: IsoDate | null;
  multiplier: number;
  grade: Grade;
  gradeFactor: number;
  cappedBy: 'policy_max' | 'insurance' | null;
  /** The computation as a wording code with its figures (and the cap, when one applied). */
  basis: Worded<LimitCode>;
}

export interface CreditLimit {
  /** The limit decisions use: the client's own limit when set, else the recommended one. */
  limit: Minor;
  limitSource: 'client' | 'recommended';
  recommended: LimitRecommendation;
  openBalance: Minor;
  openOrders: Minor;
  /** Open balance + open orders. */
  exposure: Minor;
  /** limit - exposure (negative when already over). */
  available: Minor;
}

/**
 * The credit-insurer method: the highest month-end balance the client ran while paying within terms,
 * times `historyMultiplier`, times the grade factor; rounded down to whole hundreds; capped by the
 * policy maximum and by any credit-insurance limit. A client with fewer than
 * `minPaidInvoicesForBehaviour` paid invoices gets `newClientLimit` (also capped).
 */
export function recommendLimit(
  facts: ClientFacts,
  asOf: IsoDate,
  policy: Policy,
  score: { grade: Grade },
): LimitRecommendation {
  const cut = factsAsOf(facts, asOf);
  return recommendFromHistory(cut, paymentHistory(cut, asOf), policy, score.grade);
}

export function recommendFromHistory(
  facts: ClientFacts,
  history: PaymentHistory,
  policy: Policy,
  grade: Grade,
): LimitRecommendation {
  const currency = policy.baseCurrency;
  const { historyMultiplier: multiplier, gradeFactors, newClientLimit, maxLimit } = policy.limits;
  const gradeFactor = gradeFactors[grade];
  const insurance = facts.client.insuranceLimit;
  const cap = (amount: Minor): { value: Minor; cappedBy: LimitRecommendation['cappedBy'] } => {
    if (insurance !== null && insurance < amount && insurance <= maxLimit)
      return { value: insurance, cappedBy: 'insurance' };
    if (maxLimit < amount) return { value: maxLimit, cappedBy: 'policy_max' };
    return { value: amount, cappedBy: null };
  };
  const capParams = (c: ReturnType<typeof cap>) => ({ cappedBy: c.cappedBy, cap: c.value, currency });

  const required = policy.scoring.minPaidInvoicesForBehaviour;
  if (history.paid.length < required) {
    const c = cap(newClientLimit);
    return {
      recommended: c.value,
      method: 'new_client',
      highestBalance: 0,
      highestBalanceDate: null,
      multiplier,
      grade,
      gradeFactor,
      cappedBy: c.cappedBy,
      basis: worded('limit.newClient', {
        paid: history.paid.length,
        required,
        newClientLimit,
        ...capParams(c),
      }),
    };
  }

  const { amount: highest, date } = highestMonthEndBalance(facts, history);
  const scaled = roundHalfAway(roundHalfAway(highest * multiplier) * gradeFactor);
  const rounded = Math.floor(scaled / LIMIT_ROUNDING) * LIMIT_ROUNDING;
  const c = cap(rounded);
  const basis =
    highest === 0
      ? worded('limit.noBalance', capParams(c))
      : worded('limit.history', {
          highest,
          date,
          multiplier,
          gradeFactor,
          grade,
          scaled,
          rounded,
          ...capParams(c),
        });
  return {
    recommended: c.value,
    method: 'history',
    highestBalance: highest,
    highestBalanceDate: date,
    multiplier,
    grade,
    gradeFactor,
    cappedBy: c.cappedBy,
    basis,
  };
}

/** The limit used for decisions, with the client's exposure against it. */
export function creditLimitFor(
  facts: ClientFacts,
  asOf: IsoDate,
  policy: Policy,
  score: { grade: Grade },
): CreditLimit {
  const cut = factsAsOf(facts, asOf);
  return creditLimitFromHistory(cut, paymentHistory(cut, asOf), policy, score.grade);
}

export function creditLimitFromHistory(
  facts: ClientFacts,
  history: PaymentHistory,
  policy: Policy,
  grade: Grade,
): CreditLimit {
  const recommended = recommendFromHistory(facts, history, policy, grade);
  const own = facts.client.creditLimit;
  const limit = own ?? recommended.recommended;
  return {
    limit,
    limitSource: own !== null ? 'client' : 'recommended',
    recommended,
    openBalance: history.openBalance,
    openOrders: history.openOrders,
    exposure: history.exposure,
    available: limit - history.exposure,
  };
}

/**
 * Balance at each month end of the invoices that ended up paid within terms (settled on or before
 * their due date), counting partial payments; returns the highest and its month end (earliest on ties).
 */
function highestMonthEndBalance(
  facts: ClientFacts,
  history: PaymentHistory,
): { amount: Minor; date: IsoDate | null } {
  const byInvoice = paymentsByInvoice(facts.payments);
  const balances = new Map<IsoDate, Minor>();
  for (const s of history.paid) {
    if ((s.daysLate ?? 0) > 0 || s.settledDate === null) continue;
    const pays = byInvoice.get(s.invoice.ref) ?? [];
    // Month ends from the issue month while the invoice was still (partly) open.
    for (let m = endOfMonth(s.invoice.issueDate); m < s.settledDate; m = endOfMonth(addDays(m, 1))) {
      let paid = 0;
      for (const p of pays) if (p.date <= m) paid += p.amount;
      const open = Math.max(0, s.invoice.amount - paid);
      if (open > 0) balances.set(m, (balances.get(m) ?? 0) + open);
    }
  }
  let amount = 0;
  let date: IsoDate | null = null;
  for (const [m, b] of [...balances].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (b > amount) {
      amount = b;
      date = m;
    }
  }
  return { amount, date };
}
