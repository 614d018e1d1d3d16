import { addDays, daysBetween, endOfMonth, type IsoDate, maxDate } from './dates.ts';
import { factsAsOf, invoiceStates, paymentsByInvoice } from './ledger.ts';
import { formatMoney } from './money.ts';
import type { Policy } from './policy.ts';
import type { ClientFacts } from './types.ts';

/**
 * Data-quality checks: problems in the source data that would silently corrupt an aging report,
 * a KPI or a score. They are reported, never "fixed" behind the user's back.
 */
export const FINDING_KINDS = [
  'overpayment',
  'payment_before_invoice',
  'due_before_issue',
  'terms_beyond_legal_cap',
  'terms_mismatch',
  'delivered_long_before_invoice',
  'non_positive_amount',
  'dispute_exceeds_invoice',
  'promise_unknown_invoice',
  'unallocated_payment',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface DataQualityFinding {
  kind: FindingKind;
  clientRef: string;
  invoiceRef?: string;
  /** Plain words with the figures, e.g. "settled 1 200,00 EUR on an invoice of 1 000,00 EUR". */
  detail: string;
}

/** Invoicing more than this many days after delivery is reported (rule of thumb: within 24-48 h). */
export const LATE_INVOICING_DAYS = 30;

/**
 * The latest lawful due date for an invoice under the policy's legal caps. France allows either
 * N days from invoice date or M days end of month, and two readings of "end of month" are accepted
 * (M days then end of month, or end of month then M days): the latest of them is the cap, so a
 * finding is never raised against a due date some lawful reading allows.
 */
export function legalDueDateCap(issueDate: IsoDate, policy: Policy): IsoDate {
  let cap = addDays(issueDate, policy.legal.maxDaysFromInvoice);
  const eom = policy.legal.maxDaysEndOfMonth;
  if (eom !== null) {
    cap = maxDate(cap, endOfMonth(addDays(issueDate, eom)));
    cap = maxDate(cap, addDays(endOfMonth(issueDate), eom));
  }
  return cap;
}

/** Due dates a client's contractual terms allow: net N days, or N days end of month (either reading). */
function dueDateMatchesTerms(issueDate: IsoDate, dueDate: IsoDate, termsDays: number): boolean {
  return (
    daysBetween(issueDate, dueDate) === termsDays ||
    dueDate === endOfMonth(addDays(issueDate, termsDays)) ||
    dueDate === addDays(endOfMonth(issueDate), termsDays)
  );
}

/** Every finding for one client as of `asOf` (facts dated later are ignored). */
export function findDataQualityIssues(
  allFacts: ClientFacts,
  asOf: IsoDate,
  policy: Policy,
): DataQualityFinding[] {
  const facts = factsAsOf(allFacts, asOf);
  const clientRef = facts.client.ref;
  const money = (v: number) => formatMoney(v, policy.baseCurrency, 'en');
  const out: DataQualityFinding[] = [];
  const add = (kind: FindingKind, invoiceRef: string | undefined, detail: string) =>
    out.push(
      invoiceRef === undefined ? { kind, clientRef, detail } : { kind, clientRef, invoiceRef, detail },
    );

  const byInvoice = paymentsByInvoice(facts.payments);
  const states = invoiceStates(facts, asOf);
  const known = new Set(facts.invoices.map((i) => i.ref));
  const termsDays = facts.client.termsDays;

  for (const s of states) {
    const inv = s.invoice;
    if (inv.amount <= 0)
      add(
        'non_positive_amount',
        inv.ref,
        `invoice amount is ${money(inv.amount)}; credit notes belong in payments`,
      );
    if (s.overpaid > 0)
      add(
        'overpayment',
        inv.ref,
        `settled ${money(s.settled)} on an invoice of ${money(inv.amount)}: ${money(s.overpaid)} too much (check the allocation)`,
      );
    const early = (byInvoice.get(inv.ref) ?? []).filter((p) => p.date < inv.issueDate);
    for (const p of early)
      add(
        'payment_before_invoice',
        inv.ref,
        `${p.kind === 'credit_note' ? 'credit note' : 'payment'} ${p.ref} dated ${p.date}, before the invoice date ${inv.issueDate}`,
      );
    if (inv.dueDate < inv.issueDate)
      add('due_before_issue', inv.ref, `due date ${inv.dueDate} is before the issue date ${inv.issueDate}`);
    else {
      // Within N days of the invoice is always lawful: only longer terms need the end-of-month readings.
      const withinPlainCap = daysBetween(inv.issueDate, inv.dueDate) <= policy.legal.maxDaysFromInvoice;
      const cap = withinPlainCap ? inv.dueDate : legalDueDateCap(inv.issueDate, policy);
      if (inv.dueDate > cap)
        add(
          'terms_beyond_legal_cap',
          inv.ref,
          `due ${daysBetween(inv.issueDate, inv.dueDate)} days after issue (${inv.dueDate}); the legal cap allows ${cap} at the latest (${policy.legal.reference})`,
        );
      else if (termsDays !== null && !dueDateMatchesTerms(inv.issueDate, inv.dueDate, termsDays))
        add(
          'terms_mismatch',
          inv.ref,
          `due date ${inv.dueDate} does not follow the client's ${termsDays}-day terms from ${inv.issueDate}`,
        );
    }
    if (inv.deliveredDate !== null && daysBetween(inv.deliveredDate, inv.issueDate) > LATE_INVOICING_DAYS)
      add(
        'delivered_long_before_invoice',
        inv.ref,
        `delivered ${inv.deliveredDate}, invoiced ${daysBetween(inv.deliveredDate, inv.issueDate)} days later (${inv.issueDate})`,
      );
  }

  const amountOf = new Map(facts.invoices.map((i) => [i.ref, i.amount]));
  for (const d of facts.disputes) {
    const invoiceAmount = amountOf.get(d.invoiceRef);
    if (d.amount !== null && invoiceAmount !== undefined && d.amount > invoiceAmount)
      add(
        'dispute_exceeds_invoice',
        d.invoiceRef,
        `disputed amount ${money(d.amount)} exceeds the invoice amount ${money(invoiceAmount)}`,
      );
  }
  for (const p of facts.promises) {
    if (p.invoiceRef !== null && !known.has(p.invoiceRef))
      add(
        'promise_unknown_invoice',
        p.invoiceRef,
        `promise of ${money(p.amount)} for ${p.promisedDate} names invoice ${p.invoiceRef}, unknown as of ${asOf}`,
      );
  }
  return out;
}
