import { formatMoney, type Minor } from './money.ts';
import type { Policy } from './policy.ts';

/**
 * Late-payment penalties a reminder to a business may state (France: Code de commerce L441-10):
 * simple interest at the policy rate (reference rate + margin points) on the open amount for the
 * days overdue, plus a fixed recovery indemnity per invoice. Computed in integers so the cent is exact.
 */
export interface InvoicePenalty {
  invoiceRef: string;
  openCents: Minor;
  daysOverdue: number;
  interestCents: Minor;
  indemnityCents: Minor;
  totalCents: Minor;
}

export interface PenaltySummary {
  /** Annual rate used, in percent (reference + margin). */
  ratePercent: number;
  referenceRatePercent: number;
  marginPoints: number;
  formula: string;
  invoices: InvoicePenalty[];
  interestCents: Minor;
  indemnityCents: Minor;
  totalCents: Minor;
}

/** Rates are held in millionths of a percent so that 12.15 % is the exact integer 12 150 000. */
const RATE_SCALE = 1_000_000;

export function penaltyRatePercent(policy: Policy): number {
  const p = policy.legal.latePenalty;
  return Math.round((p.referenceRatePercent + p.marginPoints) * RATE_SCALE) / RATE_SCALE;
}

/** open x rate% x days / 365, rounded half away from zero to the cent (exact integer arithmetic). */
export function lateInterest(openCents: Minor, ratePercent: number, daysOverdue: number): Minor {
  if (openCents <= 0 || daysOverdue <= 0) return 0;
  const rate = BigInt(Math.round(ratePercent * RATE_SCALE));
  const num = BigInt(openCents) * rate * BigInt(daysOverdue);
  const den = BigInt(365 * 100 * RATE_SCALE);
  return Number((2n * num + den) / (2n * den));
}

/** Penalties for the listed open invoices, or null when the policy does not enable them. */
export function computePenalties(
  invoices: readonly { ref: string; openCents: Minor; daysOverdue: number }[],
  policy: Policy,
): PenaltySummary | null {
  const lp = policy.legal.latePenalty;
  if (!lp.enabled) return null;
  const ratePercent = penaltyRatePercent(policy);
  const rows = invoices.map((i) => {
    const interestCents = lateInterest(i.openCents, ratePercent, i.daysOverdue);
    const indemnityCents = i.daysOverdue > 0 ? policy.legal.fixedIndemnity : 0;
    return {
      invoiceRef: i.ref,
      openCents: i.openCents,
      daysOverdue: i.daysOverdue,
      interestCents,
      indemnityCents,
      totalCents: interestCents + indemnityCents,
    };
  });
  const interestCents = rows.reduce((a, r) => a + r.interestCents, 0);
  const indemnityCents = rows.reduce((a, r) => a + r.indemnityCents, 0);
  return {
    ratePercent,
    referenceRatePercent: lp.referenceRatePercent,
    marginPoints: lp.marginPoints,
    formula: `interest = open amount x ${ratePercent}% (reference rate ${lp.referenceRatePercent}% + ${lp.marginPoints} points) x days overdue / 365, rounded to the cent; plus a fixed recovery indemnity of ${formatMoney(policy.legal.fixedIndemnity, policy.baseCurrency, 'en')} per overdue invoice (${policy.legal.reference})`,
    invoices: rows,
    interestCents,
    indemnityCents,
    totalCents: interestCents + indemnityCents,
  };
}
