import { addDays, dayNumber, type IsoDate } from './dates.ts';
import { factsAsOf, type InvoiceState, invoiceStates, openDisputeRefs } from './ledger.ts';
import { type Minor, roundHalfAway } from './money.ts';
import type { Policy } from './policy.ts';
import type { ClientFacts } from './types.ts';

/**
 * Cash-in forecast: when each open invoice is expected to be paid, from the client's own habits
 * (its median days beyond terms), and the expected cash per week for the next weeks.
 */
export type ForecastBasis = 'client_history' | 'portfolio_median' | 'default' | 'promise' | 'disputed';

export interface ForecastInvoice {
  ref: string;
  clientRef: string;
  dueDate: IsoDate;
  openCents: Minor;
  daysOverdue: number;
  /** Null for disputed invoices: no date can be forecast until the dispute ends. */
  expectedDate: IsoDate | null;
  basis: ForecastBasis;
  /** Median days beyond the due date applied (null for promises and disputes). */
  delayDays: number | null;
  /** True when the history-based date had already passed and was pushed to as-of + slip days. */
  slipped: boolean;
}

export interface ForecastWeek {
  weekStart: IsoDate;
  weekEnd: IsoDate;
  amountCents: Minor;
  count: number;
}

export interface ForecastReport {
  asOf: IsoDate;
  currency: string;
  weeks: ForecastWeek[];
  /** Expected after the last week. */
  later: { amountCents: Minor; count: number };
  disputed: { amountCents: Minor; count: number };
  totalOpenCents: Minor;
  portfolioMedianDaysLate: number | null;
  invoices: ForecastInvoice[];
  method: string[];
}

export const FORECAST_WEEKS = 13;
/** An invoice already past its expected date is expected this many days after the as-of date. */
export const SLIP_DAYS = 7;

/** Median of integers, rounded half away from zero to a whole day; null when empty. */
export function medianDays(values: readonly number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : roundHalfAway((s[mid - 1]! + s[mid]!) / 2);
}

/** The Monday on or before a date (1970-01-01, day 0, was a Thursday). */
export function weekStart(date: IsoDate): IsoDate {
  const n = dayNumber(date);
  return addDays(date, -((n + 3) % 7));
}

const paidDelays = (states: readonly InvoiceState[]) =>
  states.filter((s) => !s.isOpen && s.daysLate !== null).map((s) => s.daysLate as number);

/**
 * Forecast over the given clients. `clientRef` restricts the invoices and weeks to one client while
 * the portfolio median (the fallback for clients without history) still comes from all of them.
 */
export function computeForecast(
  all: readonly ClientFacts[],
  asOf: IsoDate,
  policy: Policy,
  opts: { weeks?: number; clientRef?: string } = {},
): ForecastReport {
  const weeksAhead = opts.weeks ?? FORECAST_WEEKS;
  const minPaid = policy.scoring.minPaidInvoicesForBehaviour;
  const perClient = all.map((f) => {
    const facts = factsAsOf(f, asOf);
    const states = invoiceStates(facts, asOf);
    return { facts, states, delays: paidDelays(states) };
  });
  const portfolioMedian = medianDays(perClient.flatMap((c) => c.delays));

  const invoices: ForecastInvoice[] = [];
  for (const { facts, states, delays } of perClient) {
    if (opts.clientRef !== undefined && facts.client.ref !== opts.clientRef) continue;
    const disputed = openDisputeRefs(facts);
    const own = delays.length >= minPaid ? medianDays(delays) : null;
    const pending = facts.promises.filter((p) => p.status === 'pending' && p.promisedDate >= asOf);
    for (const s of states) {
      if (!s.isOpen) continue;
      const inv = s.invoice;
      const row = {
        ref: inv.ref,
        clientRef: facts.client.ref,
        dueDate: inv.dueDate,
        openCents: s.open,
        daysOverdue: s.daysOverdue,
      };
      if (disputed.has(inv.ref)) {
        invoices.push({ ...row, expectedDate: null, basis: 'disputed', delayDays: null, slipped: false });
        continue;
      }
      const promise = pending.find((p) => p.invoiceRef === inv.ref);
      if (promise) {
        invoices.push({
          ...row,
          expectedDate: promise.promisedDate,
          basis: 'promise',
          delayDays: null,
          slipped: false,
        });
        continue;
      }
      const basis: ForecastBasis =
        own !== null ? 'client_history' : portfolioMedian !== null ? 'portfolio_median' : 'default';
      const delay = own ?? portfolioMedian ?? 0;
      const expected = addDays(inv.dueDate, delay);
      const slipped = expected < asOf;
      invoices.push({
        ...row,
        expectedDate: slipped ? addDays(asOf, SLIP_DAYS) : expected,
        basis,
        delayDays: delay,
        slipped,
      });
    }
  }
  invoices.sort((a, b) =>
    (a.expectedDate ?? '9999') < (b.expectedDate ?? '9999')
      ? -1
      : (a.expectedDate ?? '9999') > (b.expectedDate ?? '9999')
        ? 1
        : a.ref < b.ref
          ? -1
          : 1,
  );

  const first = weekStart(asOf);
  const weeks: ForecastWeek[] = Array.from({ length: weeksAhead }, (_, i) => ({
    weekStart: addDays(first, 7 * i),
    weekEnd: addDays(first, 7 * i + 6),
    amountCents: 0,
    count: 0,
  }));
  const later = { amountCents: 0, count: 0 };
  const disputedTotal = { amountCents: 0, count: 0 };
  for (const inv of invoices) {
    if (inv.expectedDate === null) {
      disputedTotal.amountCents += inv.openCents;
      disputedTotal.count += 1;
      continue;
    }
    const w = Math.floor((dayNumber(inv.expectedDate) - dayNumber(first)) / 7);
    const target = weeks[w] ?? later;
    target.amountCents += inv.openCents;
    target.count += 1;
  }
  return {
    asOf,
    currency: policy.baseCurrency,
    weeks,
    later,
    disputed: disputedTotal,
    totalOpenCents: invoices.reduce((a, i) => a + i.openCents, 0),
    portfolioMedianDaysLate: portfolioMedian,
    invoices,
    method: [
      `Expected date = due date + the client's median days beyond terms over its paid invoices (needs ${minPaid}; otherwise the portfolio median, or 0 with no paid invoice anywhere).`,
      'A pending promise to pay on the invoice sets the expected date to the promised date.',
      `An invoice whose expected date has already passed is expected ${SLIP_DAYS} days after the as-of date.`,
      'Disputed invoices get no date and are totalled apart.',
      `Weeks run Monday to Sunday; week 1 contains the as-of date; ${weeksAhead} weeks, then "later".`,
    ],
  };
}
