import { daysBetween, type IsoDate } from './dates.ts';
import type { Minor } from './money.ts';
import type { ClientFacts, DisputeFact, InvoiceFact, PaymentFact, PromiseFact } from './types.ts';

/**
 * The facts as they were known on `asOf`: only invoices issued, payments received, disputes opened,
 * promises made, orders placed and reminders sent on or before that date. A dispute resolved after
 * `asOf` is still open as of it. This is the single gate that keeps the future out of every result.
 */
export function factsAsOf(facts: ClientFacts, asOf: IsoDate): ClientFacts {
  const invoices = facts.invoices.filter((i) => i.issueDate <= asOf);
  const known = new Set(invoices.map((i) => i.ref));
  return {
    client: facts.client,
    invoices,
    payments: facts.payments.filter((p) => p.date <= asOf && known.has(p.invoiceRef)),
    disputes: facts.disputes
      .filter((d) => d.openedDate <= asOf && known.has(d.invoiceRef))
      .map((d) => disputeAsOf(d, asOf)),
    promises: facts.promises
      .filter((p) => (p.madeDate ?? p.promisedDate) <= asOf)
      .map((p) => promiseAsOf(p, asOf)),
    orders: facts.orders.filter((o) => o.date <= asOf),
    reminders: facts.reminders.filter((r) => r.date <= asOf),
    ...(facts.pauses ? { pauses: facts.pauses.filter((p) => p.from <= asOf) } : {}),
  };
}

function disputeAsOf(d: DisputeFact, asOf: IsoDate): DisputeFact {
  // Resolved after the as-of date means still open as of it.
  const resolvedLater = d.resolvedDate !== null && d.resolvedDate > asOf;
  return {
    ...d,
    status: resolvedLater ? 'open' : d.status,
    resolvedDate: resolvedLater ? null : d.resolvedDate,
    events: d.events.filter((e) => e.date <= asOf),
  };
}

/** A promise's recorded status may reflect later knowledge; as of a date it is pending until due. */
function promiseAsOf(p: PromiseFact, asOf: IsoDate): PromiseFact {
  return p.promisedDate > asOf && p.status !== 'cancelled' ? { ...p, status: 'pending' } : p;
}

export interface InvoiceState {
  invoice: InvoiceFact;
  /** Cash and credit notes allocated, as of the date the state was computed. */
  settled: Minor;
  /** Still owed (never negative; an overpayment shows in `overpaid`). */
  open: Minor;
  overpaid: Minor;
  /** Date the invoice became fully settled, or null while open. */
  settledDate: IsoDate | null;
  /** Days after the due date it was settled (negative = early); null while open. */
  daysLate: number | null;
  /** Days past due as of the date, for open invoices (0 when not yet due). */
  daysOverdue: number;
  isOpen: boolean;
  isOverdue: boolean;
}

/** Groups payments by invoice ref once, so per-invoice lookups stay linear. */
export function paymentsByInvoice(payments: readonly PaymentFact[]): Map<string, PaymentFact[]> {
  const map = new Map<string, PaymentFact[]>();
  for (const p of payments) {
    const list = map.get(p.invoiceRef);
    if (list) list.push(p);
    else map.set(p.invoiceRef, [p]);
  }
  for (const list of map.values()) list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return map;
}

/** State of one invoice as of `asOf` given its payments (already filtered to <= asOf). */
export function invoiceState(
  invoice: InvoiceFact,
  payments: readonly PaymentFact[],
  asOf: IsoDate,
): InvoiceState {
  let settled = 0;
  let settledDate: IsoDate | null = null;
  for (const p of payments) {
    if (p.date > asOf) continue;
    settled += p.amount;
    if (settledDate === null && settled >= invoice.amount) settledDate = p.date;
  }
  const open = Math.max(0, invoice.amount - settled);
  const isOpen = open > 0;
  const overdueDays = daysBetween(invoice.dueDate, asOf);
  return {
    invoice,
    settled,
    open,
    overpaid: Math.max(0, settled - invoice.amount),
    settledDate: isOpen ? null : settledDate,
    daysLate: !isOpen && settledDate ? daysBetween(invoice.dueDate, settledDate) : null,
    daysOverdue: isOpen ? Math.max(0, overdueDays) : 0,
    isOpen,
    isOverdue: isOpen && overdueDays > 0,
  };
}

/** States of all of a client's invoices as of `asOf` (facts should already be cut with factsAsOf). */
export function invoiceStates(facts: ClientFacts, asOf: IsoDate): InvoiceState[] {
  const byInvoice = paymentsByInvoice(facts.payments);
  return facts.invoices.map((i) => invoiceState(i, byInvoice.get(i.ref) ?? [], asOf));
}

/** Invoice refs with a dispute open as of the facts' date. */
export const openDisputeRefs = (facts: ClientFacts): Set<string> =>
  new Set(facts.disputes.filter((d) => d.status === 'open').map((d) => d.invoiceRef));
