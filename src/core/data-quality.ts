import { addDays, daysBetween, endOfMonth, type IsoDate, maxDate } from './dates.ts';
import { factsAsOf, invoiceStates, paymentsByInvoice } from './ledger.ts';
import type { Policy } from './policy.ts';
import type { ClientFacts } from './types.ts';
import type { WordParams } from './worded.ts';

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
  /** The figures behind the finding (amounts in minor units of `currency`, dates YYYY-MM-DD); its kind is its wording code. */
  params: WordParams;
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
  const currency = policy.baseCurrency;
  const out: DataQualityFinding[] = [];
  const add = (kind: FindingKind, invoiceRef: string | undefined, figures: WordParams) => {
    const params = { ...figures, currency };
    out.push(
      invoiceRef === undefined ? { kind, clientRef, params } : { kind, clientRef, invoiceRef, params },
    );
  };

  const byInvoice = paymentsByInvoice(facts.payments);
  const states = invoiceStates(facts, asOf);
  const known = new Set(facts.invoices.map((i) => i.ref));
  const termsDays = facts.client.termsDays;

  for (const s of states) {
    const inv = s.invoice;
    if (inv.amount <= 0) add('non_positive_amount', inv.ref, { amount: inv.amount });
    if (s.overpaid > 0)
      add('overpayment', inv.ref, { settled: s.settled, amount: inv.amount, overpaid: s.overpaid });
    const early = (byInvoice.get(inv.ref) ?? []).filter((p) => p.date < inv.issueDate);
    for (const p of early)
      add('payment_before_invoice', inv.ref, {
        creditNote: p.kind === 'credit_note',
        payment: p.ref,
        date: p.date,
        issueDate: inv.issueDate,
      });
    if (inv.dueDate < inv.issueDate)
      add('due_before_issue', inv.ref, { dueDate: inv.dueDate, issueDate: inv.issueDate });
    else {
      // Within N days of the invoice is always lawful: only longer terms need the end-of-month readings.
      const withinPlainCap = daysBetween(inv.issueDate, inv.dueDate) <= policy.legal.maxDaysFromInvoice;
      const cap = withinPlainCap ? inv.dueDate : legalDueDateCap(inv.issueDate, policy);
      if (inv.dueDate > cap)
        add('terms_beyond_legal_cap', inv.ref, {
          days: daysBetween(inv.issueDate, inv.dueDate),
          dueDate: inv.dueDate,
          cap,
          reference: policy.legal.reference,
        });
      else if (termsDays !== null && !dueDateMatchesTerms(inv.issueDate, inv.dueDate, termsDays))
        add('terms_mismatch', inv.ref, { dueDate: inv.dueDate, termsDays, issueDate: inv.issueDate });
    }
    if (inv.deliveredDate !== null && daysBetween(inv.deliveredDate, inv.issueDate) > LATE_INVOICING_DAYS)
      add('delivered_long_before_invoice', inv.ref, {
        deliveredDate: inv.deliveredDate,
        days: daysBetween(inv.deliveredDate, inv.issueDate),
        issueDate: inv.issueDate,
      });
  }

  const amountOf = new Map(facts.invoices.map((i) => [i.ref, i.amount]));
  for (const d of facts.disputes) {
    const invoiceAmount = amountOf.get(d.invoiceRef);
    if (d.amount !== null && invoiceAmount !== undefined && d.amount > invoiceAmount)
      add('dispute_exceeds_invoice', d.invoiceRef, { disputed: d.amount, amount: invoiceAmount });
  }
  for (const p of facts.promises) {
    if (p.invoiceRef !== null && !known.has(p.invoiceRef))
      add('promise_unknown_invoice', p.invoiceRef, {
        amount: p.amount,
        promisedDate: p.promisedDate,
        invoice: p.invoiceRef,
        asOf,
      });
  }
  return out;
}
