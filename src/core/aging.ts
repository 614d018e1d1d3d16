import { type DataQualityFinding, findDataQualityIssues } from './data-quality.ts';
import { daysBetween, type IsoDate } from './dates.ts';
import { factsAsOf, invoiceStates, openDisputeRefs, paymentsByInvoice } from './ledger.ts';
import type { Minor } from './money.ts';
import type { Policy } from './policy.ts';
import type { ClientFacts } from './types.ts';

/**
 * The aging balance (balance agee): what each client owes as of a date, split into not yet due and
 * overdue buckets from the policy. An invoice with an open dispute is NOT put in a bucket: its whole
 * open amount goes to the `disputed` column, because it is not collectable until the dispute ends
 * and must not be reminded. So, to the cent, for every client and the portfolio:
 *   notDue + sum(buckets) + disputed = totalOpen.
 */
export type AgingColumn = 'not_due' | 'disputed' | string;

export interface AgingInvoice {
  ref: string;
  clientRef: string;
  issueDate: IsoDate;
  dueDate: IsoDate;
  amountCents: Minor;
  /** Cash received. */
  paidCents: Minor;
  /** Credit notes allocated. */
  creditedCents: Minor;
  openCents: Minor;
  /** Days past due as of the date (0 when not yet due). */
  daysOverdue: number;
  /** `not_due`, `disputed`, or the label of the overdue bucket. */
  column: AgingColumn;
  disputed: boolean;
  /** Amount the client contests when a dispute names one (null = the whole invoice). */
  disputedClaimCents: Minor | null;
}

export interface AgingBucketAmount {
  label: string;
  fromDay: number;
  toDay: number | null;
  amountCents: Minor;
  count: number;
}

export interface AgingLine {
  notDueCents: Minor;
  buckets: AgingBucketAmount[];
  disputedCents: Minor;
  /** Sum of the buckets (disputed overdue invoices are in `disputedCents`, not here). */
  overdueCents: Minor;
  totalOpenCents: Minor;
  openInvoices: number;
}

export interface ClientAging extends AgingLine {
  clientRef: string;
  name: string;
  segment: string | null;
  /** Days past due of the oldest overdue open invoice (disputed included), 0 when none. */
  oldestDaysOverdue: number;
  invoices: AgingInvoice[];
}

export interface AgingReport {
  asOf: IsoDate;
  currency: string;
  bucketLabels: string[];
  clients: ClientAging[];
  totals: AgingLine;
  findings: DataQualityFinding[];
  notes: string[];
}

export const AGING_NOTES = [
  'Open amounts are after partial payments and credit notes allocated on or before the as-of date.',
  'An invoice with an open dispute is shown in the disputed column for its whole open amount, not in a bucket.',
  'Buckets count days past due: day 1 is the day after the due date; an invoice due on the as-of date is not due.',
  'notDue + sum(buckets) + disputed = totalOpen, to the cent, per client and for the portfolio.',
  'Overpayments are not netted against other invoices: they appear as data-quality findings.',
];

/** The bucket label for a number of days past due (>= 1). Buckets tile every day (policy check). */
export function bucketFor(daysOverdue: number, policy: Policy): string {
  const b = policy.aging.buckets.find(
    (x) => daysOverdue >= x.fromDay && (x.toDay === null || daysOverdue <= x.toDay),
  );
  if (!b)
    throw new RangeError(`no aging bucket covers ${daysOverdue} days overdue: check policy.aging.buckets`);
  return b.label;
}

const emptyLine = (policy: Policy): AgingLine => ({
  notDueCents: 0,
  buckets: policy.aging.buckets.map((b) => ({
    label: b.label,
    fromDay: b.fromDay,
    toDay: b.toDay,
    amountCents: 0,
    count: 0,
  })),
  disputedCents: 0,
  overdueCents: 0,
  totalOpenCents: 0,
  openInvoices: 0,
});

function addToLine(line: AgingLine, inv: AgingInvoice): void {
  line.totalOpenCents += inv.openCents;
  line.openInvoices += 1;
  if (inv.column === 'not_due') line.notDueCents += inv.openCents;
  else if (inv.column === 'disputed') line.disputedCents += inv.openCents;
  else {
    const b = line.buckets.find((x) => x.label === inv.column)!;
    b.amountCents += inv.openCents;
    b.count += 1;
    line.overdueCents += inv.openCents;
  }
}

/** The open invoices of one client as of `asOf`, each placed in its aging column. */
export function agingInvoices(allFacts: ClientFacts, asOf: IsoDate, policy: Policy): AgingInvoice[] {
  const facts = factsAsOf(allFacts, asOf);
  const disputed = openDisputeRefs(facts);
  const claims = new Map(
    facts.disputes.filter((d) => d.status === 'open').map((d) => [d.invoiceRef, d.amount]),
  );
  const byInvoice = paymentsByInvoice(facts.payments);
  const out: AgingInvoice[] = [];
  for (const s of invoiceStates(facts, asOf)) {
    if (!s.isOpen) continue;
    const inv = s.invoice;
    const pays = byInvoice.get(inv.ref) ?? [];
    const credited = pays.filter((p) => p.kind === 'credit_note').reduce((a, p) => a + p.amount, 0);
    const isDisputed = disputed.has(inv.ref);
    const days = Math.max(0, daysBetween(inv.dueDate, asOf));
    out.push({
      ref: inv.ref,
      clientRef: facts.client.ref,
      issueDate: inv.issueDate,
      dueDate: inv.dueDate,
      amountCents: inv.amount,
      paidCents: s.settled - credited,
      creditedCents: credited,
      openCents: s.open,
      daysOverdue: days,
      column: isDisputed ? 'disputed' : days === 0 ? 'not_due' : bucketFor(days, policy),
      disputed: isDisputed,
      disputedClaimCents: isDisputed ? (claims.get(inv.ref) ?? null) : null,
    });
  }
  return out.sort((a, b) =>
    a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.ref < b.ref ? -1 : 1,
  );
}

/** Aging of one client. */
export function clientAging(facts: ClientFacts, asOf: IsoDate, policy: Policy): ClientAging {
  const invoices = agingInvoices(facts, asOf, policy);
  const line = emptyLine(policy);
  for (const inv of invoices) addToLine(line, inv);
  return {
    clientRef: facts.client.ref,
    name: facts.client.name,
    segment: facts.client.segment,
    ...line,
    oldestDaysOverdue: invoices.reduce((m, i) => Math.max(m, i.daysOverdue), 0),
    invoices,
  };
}

/**
 * Aging of the given clients (one or the whole portfolio) with portfolio totals and data-quality
 * findings. Clients are sorted by total open balance, largest first, then by ref.
 */
export function computeAging(all: readonly ClientFacts[], asOf: IsoDate, policy: Policy): AgingReport {
  const clients = all.map((f) => clientAging(f, asOf, policy));
  clients.sort((a, b) => b.totalOpenCents - a.totalOpenCents || (a.clientRef < b.clientRef ? -1 : 1));
  const totals = emptyLine(policy);
  for (const c of clients) for (const inv of c.invoices) addToLine(totals, inv);
  return {
    asOf,
    currency: policy.baseCurrency,
    bucketLabels: policy.aging.buckets.map((b) => b.label),
    clients,
    totals,
    findings: all.flatMap((f) => findDataQualityIssues(f, asOf, policy)),
    notes: AGING_NOTES,
  };
}
