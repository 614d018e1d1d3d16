import type { IsoDate } from '../core/dates.ts';
import { factsAsOf, invoiceStates, openDisputeRefs } from '../core/ledger.ts';
import type { Minor } from '../core/money.ts';
import { GRADES, type Grade, type Policy } from '../core/policy.ts';
import { scoreClient } from '../core/score.ts';
import type { ClientFacts } from '../core/types.ts';
import type { DbOrTx } from '../db/open.ts';
import { loadFacts } from './facts.ts';

/** Open balance and overdue amount of one client as of a date (base currency). */
export interface ClientBalance {
  ref: string;
  name: string;
  segment: string | null;
  openBalance: Minor;
  overdue: Minor;
  openInvoices: number;
  overdueInvoices: number;
  /** Days past due of the oldest overdue invoice (0 when nothing is overdue). */
  oldestDaysOverdue: number;
}

export function clientBalance(facts: ClientFacts, asOf: IsoDate): ClientBalance {
  const cut = factsAsOf(facts, asOf);
  let openBalance = 0;
  let overdue = 0;
  let openInvoices = 0;
  let overdueInvoices = 0;
  let oldest = 0;
  for (const s of invoiceStates(cut, asOf)) {
    if (!s.isOpen) continue;
    openBalance += s.open;
    openInvoices++;
    if (s.isOverdue) {
      overdue += s.open;
      overdueInvoices++;
      oldest = Math.max(oldest, s.daysOverdue);
    }
  }
  return {
    ref: facts.client.ref,
    name: facts.client.name,
    segment: facts.client.segment,
    openBalance,
    overdue,
    openInvoices,
    overdueInvoices,
    oldestDaysOverdue: oldest,
  };
}

export interface PortfolioSummary {
  asOf: IsoDate;
  currency: string;
  clients: number;
  /** Invoices issued on or before the as-of date. */
  invoices: number;
  openInvoices: number;
  openBalance: Minor;
  overdue: Minor;
  /** Overdue share of the open balance, in percent with one decimal. */
  overdueSharePercent: number;
  openDisputes: number;
  topOverdue: ClientBalance[];
  /** Clients per risk grade (A best, E worst) as of the date. */
  grades: Record<Grade, number>;
}

/** The headline figures of the whole portfolio as of a date, from the same facts every report uses. */
export async function portfolioSummary(
  db: DbOrTx,
  asOf: IsoDate,
  policy: Policy,
  preloaded?: ClientFacts[],
): Promise<PortfolioSummary> {
  const all = preloaded ?? (await loadFacts(db));
  let invoices = 0;
  let openDisputes = 0;
  const balances: ClientBalance[] = [];
  const grades = Object.fromEntries(GRADES.map((g) => [g, 0])) as Record<Grade, number>;
  for (const facts of all) {
    grades[scoreClient(facts, asOf, policy).grade] += 1;
    const cut = factsAsOf(facts, asOf);
    invoices += cut.invoices.length;
    openDisputes += cut.disputes.filter((d) => d.status === 'open').length;
    balances.push(clientBalance(facts, asOf));
  }
  const openBalance = balances.reduce((s, b) => s + b.openBalance, 0);
  const overdue = balances.reduce((s, b) => s + b.overdue, 0);
  return {
    asOf,
    currency: policy.baseCurrency,
    clients: all.length,
    invoices,
    openInvoices: balances.reduce((s, b) => s + b.openInvoices, 0),
    openBalance,
    overdue,
    overdueSharePercent: openBalance ? Math.round((overdue * 1000) / openBalance) / 10 : 0,
    openDisputes,
    topOverdue: balances
      .filter((b) => b.overdue > 0)
      .sort((a, b) => b.overdue - a.overdue || (a.ref < b.ref ? -1 : 1))
      .slice(0, 5),
    grades,
  };
}

export interface InvoiceLine {
  ref: string;
  clientRef: string;
  clientName: string;
  issueDate: IsoDate;
  dueDate: IsoDate;
  /** Base currency. */
  amount: Minor;
  currency: string;
  /** In the invoice currency. */
  originalAmount: Minor;
  settled: Minor;
  open: Minor;
  daysOverdue: number;
  status: 'paid' | 'open' | 'overdue';
  disputed: boolean;
  settledDate: IsoDate | null;
}

/** Invoice lines of some clients as of a date, oldest first. */
export function invoiceLines(all: ClientFacts[], asOf: IsoDate): InvoiceLine[] {
  const lines: InvoiceLine[] = [];
  for (const facts of all) {
    const cut = factsAsOf(facts, asOf);
    const disputed = openDisputeRefs(cut);
    for (const s of invoiceStates(cut, asOf)) {
      lines.push({
        ref: s.invoice.ref,
        clientRef: facts.client.ref,
        clientName: facts.client.name,
        issueDate: s.invoice.issueDate,
        dueDate: s.invoice.dueDate,
        amount: s.invoice.amount,
        currency: s.invoice.currency,
        originalAmount: s.invoice.originalAmount,
        settled: s.settled,
        open: s.open,
        daysOverdue: s.daysOverdue,
        status: !s.isOpen ? 'paid' : s.isOverdue ? 'overdue' : 'open',
        disputed: disputed.has(s.invoice.ref),
        settledDate: s.settledDate,
      });
    }
  }
  return lines.sort((a, b) =>
    a.issueDate < b.issueDate ? -1 : a.issueDate > b.issueDate ? 1 : a.ref < b.ref ? -1 : 1,
  );
}
