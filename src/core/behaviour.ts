import type { IsoDate } from './dates.ts';
import { factsAsOf, type InvoiceState } from './ledger.ts';
import type { Minor } from './money.ts';
import { roundHalfAway } from './money.ts';
import { paymentHistory } from './payment-history.ts';
import type { Policy } from './policy.ts';
import type { ClientFacts } from './types.ts';

/**
 * Payment behaviour index, 1-100, in the style of the commercial payment indices: 80 means the
 * client pays on the due date, more is earlier, less is later. The points below come from the issue
 * (the usual commercial scale); between them the index is interpolated linearly, beyond 120 days
 * late the last slope continues down to 1, and before 30 days early it stays at 100.
 */
export const BEHAVIOUR_CURVE: readonly (readonly [days: number, index: number])[] = [
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

export type BehaviourIndex =
  | {
      status: 'ok';
      /** 1-100, rounded to a whole number. */
      index: number;
      /** Amount-weighted average days after the due date (negative = early), one decimal. */
      averageDaysLate: number;
      paidInvoices: number;
      paidLate: number;
      paidAmount: Minor;
    }
  | { status: 'insufficient_data'; paidInvoices: number; required: number };

/** Maps days beyond terms to the index, unrounded. */
export function behaviourIndexForDays(days: number): number {
  const first = BEHAVIOUR_CURVE[0]!;
  if (days <= first[0]) return first[1];
  for (let i = 1; i < BEHAVIOUR_CURVE.length; i++) {
    const [d1, v1] = BEHAVIOUR_CURVE[i]!;
    if (days <= d1) {
      const [d0, v0] = BEHAVIOUR_CURVE[i - 1]!;
      return v0 + ((v1 - v0) * (days - d0)) / (d1 - d0);
    }
  }
  const [dA, vA] = BEHAVIOUR_CURVE[BEHAVIOUR_CURVE.length - 2]!;
  const [dB, vB] = BEHAVIOUR_CURVE[BEHAVIOUR_CURVE.length - 1]!;
  return Math.max(1, vB + ((vB - vA) * (days - dB)) / (dB - dA));
}

/**
 * The index over the invoices fully paid as of `asOf`, each weighted by its amount; days late =
 * date the invoice became fully settled - due date.
 */
export function behaviourIndex(facts: ClientFacts, asOf: IsoDate, policy: Policy): BehaviourIndex {
  return behaviourFromPaid(paymentHistory(factsAsOf(facts, asOf), asOf).paid, policy);
}

/** Same as `behaviourIndex` from already computed paid-invoice states (avoids recomputing history). */
export function behaviourFromPaid(paid: readonly InvoiceState[], policy: Policy): BehaviourIndex {
  const required = policy.scoring.minPaidInvoicesForBehaviour;
  if (paid.length < required) return { status: 'insufficient_data', paidInvoices: paid.length, required };
  let amount = 0;
  let weighted = 0;
  let late = 0;
  for (const s of paid) {
    const days = s.daysLate ?? 0;
    amount += s.invoice.amount;
    weighted += s.invoice.amount * days;
    if (days > 0) late += 1;
  }
  const average = weighted / amount;
  return {
    status: 'ok',
    index: Math.max(1, Math.min(100, roundHalfAway(behaviourIndexForDays(average)))),
    averageDaysLate: roundHalfAway(average * 10) / 10,
    paidInvoices: paid.length,
    paidLate: late,
    paidAmount: amount,
  };
}
