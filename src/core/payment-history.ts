import { addDays, dayNumber, daysBetween, type IsoDate } from './dates.ts';
import { type InvoiceState, invoiceStates, openDisputeRefs, paymentsByInvoice } from './ledger.ts';
import type { Minor } from './money.ts';
import type { ClientFacts, PromiseFact } from './types.ts';

/**
 * What a client's own records say about how it pays, as of a date. Shared by the score, the credit
 * limit, the terms decision and the backtest so they all read the same figures. Call with facts
 * already cut by `factsAsOf(facts, asOf)`.
 */
export interface PaymentHistory {
  asOf: IsoDate;
  states: InvoiceState[];
  /** Fully settled invoices with a positive amount. */
  paid: InvoiceState[];
  /** Invoices whose on-time/late outcome is known: those due before the as-of date, paid or not. */
  outcomes: Outcome[];
  openBalance: Minor;
  openOrders: Minor;
  /** Open balance + open orders: what the client owes or will owe us. */
  exposure: Minor;
  overdue: { count: number; amount: Minor; weightedDays: number; maxDays: number };
  openDisputes: { count: number; amount: Minor };
  promises: { broken: PromiseOutcome[]; kept: PromiseOutcome[] };
  /** Start of the relationship: `since`, else the first invoice date; null without either. */
  startDate: IsoDate | null;
  relationshipMonths: number;
  /** Share of known outcomes in the last 12 months that were late (unweighted); null if none. */
  recentLateShare: number | null;
  recentOutcomes: number;
}

export interface Outcome {
  state: InvoiceState;
  late: boolean;
  /** Days after the due date: settlement delay for paid invoices, days overdue so far for open ones. */
  daysLate: number;
  /** Recency weight in (0, 1]: halves every RECENCY_HALF_LIFE_DAYS since the due date. */
  weight: number;
}

export interface PromiseOutcome {
  promise: PromiseFact;
  /** Amount paid towards it by the promised date. */
  paid: Minor;
}

/** Recent behaviour weighs more: an invoice due six months ago counts half as much as one due today. */
export const RECENCY_HALF_LIFE_DAYS = 182;
/** "Recent" for decision rules and broken promises. */
export const RECENT_DAYS = 365;
export const DAYS_PER_MONTH = 30.44;

export function paymentHistory(facts: ClientFacts, asOf: IsoDate): PaymentHistory {
  const states = invoiceStates(facts, asOf);
  const paid = states.filter((s) => !s.isOpen && s.settledDate !== null && s.invoice.amount > 0);
  const outcomes: Outcome[] = [];
  const asOfDay = dayOf(asOf);
  for (const s of states) {
    // Only invoices already past due have a known outcome: counting early payments of invoices not
    // yet due (while the late ones among them cannot be known) would flatter every client.
    if (s.invoice.amount <= 0 || s.invoice.dueDate >= asOf) continue;
    const daysLate = s.isOpen ? s.daysOverdue : (s.daysLate ?? 0);
    const age = s.isOpen ? s.daysOverdue : Math.max(0, asOfDay - dayOf(s.invoice.dueDate));
    outcomes.push({ state: s, late: daysLate > 0, daysLate, weight: 0.5 ** (age / RECENCY_HALF_LIFE_DAYS) });
  }

  let openBalance = 0;
  let overdueAmount = 0;
  let overdueDaysAmount = 0;
  let overdueCount = 0;
  let maxDays = 0;
  for (const s of states) {
    openBalance += s.open;
    if (s.isOverdue) {
      overdueCount += 1;
      overdueAmount += s.open;
      overdueDaysAmount += s.open * s.daysOverdue;
      maxDays = Math.max(maxDays, s.daysOverdue);
    }
  }
  const openOrders = facts.orders.filter((o) => o.status === 'open').reduce((a, o) => a + o.amount, 0);

  const disputed = openDisputeRefs(facts);
  const stateByRef = new Map(states.map((s) => [s.invoice.ref, s]));
  let disputeAmount = 0;
  for (const d of facts.disputes) {
    if (d.status !== 'open') continue;
    disputeAmount += d.amount ?? stateByRef.get(d.invoiceRef)?.invoice.amount ?? 0;
  }

  const firstIssue = facts.invoices.reduce<IsoDate | null>(
    (min, i) => (min === null || i.issueDate < min ? i.issueDate : min),
    null,
  );
  const startDate = facts.client.since ?? firstIssue;
  const relationshipMonths =
    startDate === null ? 0 : Math.max(0, Math.floor(daysBetween(startDate, asOf) / DAYS_PER_MONTH));

  const recentFrom = addDays(asOf, -RECENT_DAYS);
  const recent = outcomes.filter((o) => o.state.invoice.dueDate > recentFrom);
  const recentLate = recent.filter((o) => o.late).length;

  return {
    asOf,
    states,
    paid,
    outcomes,
    openBalance,
    openOrders,
    exposure: openBalance + openOrders,
    overdue: {
      count: overdueCount,
      amount: overdueAmount,
      weightedDays: overdueAmount > 0 ? overdueDaysAmount / overdueAmount : 0,
      maxDays,
    },
    openDisputes: { count: disputed.size, amount: disputeAmount },
    promises: promiseOutcomes(facts, asOf, recentFrom),
    startDate,
    relationshipMonths,
    recentLateShare: recent.length ? recentLate / recent.length : null,
    recentOutcomes: recent.length,
  };
}

/**
 * A promise is broken when its date has passed (strictly before the as-of date) and the promised
 * amount was not paid by then. For a promise on an invoice, what counts is the invoice's cumulative
 * settlement by the promised date (capped at the invoice amount), so paying earlier can only keep a
 * promise, never break one. A promise without an invoice counts every payment from the client between
 * the day it was made (or 30 days before its date when unknown) and its date. Cancelled promises are
 * ignored. Only promises due in the last 12 months count.
 */
function promiseOutcomes(
  facts: ClientFacts,
  asOf: IsoDate,
  recentFrom: IsoDate,
): { broken: PromiseOutcome[]; kept: PromiseOutcome[] } {
  const broken: PromiseOutcome[] = [];
  const kept: PromiseOutcome[] = [];
  const byInvoice = paymentsByInvoice(facts.payments);
  const invoiceAmount = new Map(facts.invoices.map((i) => [i.ref, i.amount]));
  for (const p of facts.promises) {
    if (p.status === 'cancelled' || p.promisedDate >= asOf || p.promisedDate <= recentFrom) continue;
    let paid = 0;
    let due = p.amount;
    if (p.invoiceRef !== null) {
      for (const pay of byInvoice.get(p.invoiceRef) ?? []) if (pay.date <= p.promisedDate) paid += pay.amount;
      const amount = invoiceAmount.get(p.invoiceRef);
      if (amount !== undefined) due = Math.min(due, amount);
    } else {
      const from = p.madeDate ?? addDays(p.promisedDate, -30);
      for (const pay of facts.payments)
        if (pay.kind === 'payment' && pay.date >= from && pay.date <= p.promisedDate) paid += pay.amount;
    }
    (paid >= due ? kept : broken).push({ promise: p, paid });
  }
  return { broken, kept };
}

/** Day numbers of the due dates a portfolio repeats thousands of times, parsed once. */
const DAY_CACHE = new Map<IsoDate, number>();
function dayOf(date: IsoDate): number {
  let n = DAY_CACHE.get(date);
  if (n === undefined) {
    if (DAY_CACHE.size >= 20_000) DAY_CACHE.clear();
    n = dayNumber(date);
    DAY_CACHE.set(date, n);
  }
  return n;
}
