import { and, eq, lte, sql } from 'drizzle-orm';
import { type AgingReport, agingInvoices, computeAging } from '../core/aging.ts';
import type { DataQualityFinding } from '../core/data-quality.ts';
import { clients, paymentAllocations, payments } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { resolveAsOf, type ServiceContext } from './context.ts';
import { loadScopeFacts, type ReportQuery, type ScopedReport, scopedReport } from './report-scope.ts';

/**
 * Payments received on or before `asOf` whose amount is not fully allocated to invoices: they
 * would make open balances look higher than they are, so they are reported as findings.
 */
async function unallocatedPayments(
  ctx: ServiceContext,
  asOf: string,
  clientId: number | null,
): Promise<DataQualityFinding[]> {
  const allocated = sql<string>`coalesce(sum(${paymentAllocations.amount}), 0)`;
  const rows = await ctx.db
    .select({
      ref: payments.ref,
      date: payments.date,
      amount: payments.amount,
      clientRef: clients.ref,
      allocated,
    })
    .from(payments)
    .innerJoin(clients, eq(clients.id, payments.clientId))
    .leftJoin(paymentAllocations, eq(paymentAllocations.paymentId, payments.id))
    .where(and(lte(payments.date, asOf), clientId === null ? undefined : eq(payments.clientId, clientId)))
    .groupBy(payments.id, clients.ref)
    .having(sql`${payments.amount} > coalesce(sum(${paymentAllocations.amount}), 0)`)
    .orderBy(payments.date, payments.ref);
  return rows.map((r) => {
    const left = r.amount - Number(r.allocated);
    return {
      kind: 'unallocated_payment' as const,
      clientRef: r.clientRef,
      params: { payment: r.ref, date: r.date, left, amount: r.amount },
    };
  });
}

export type AgingResult = ScopedReport<AgingReport>;

/** The aging balance as of a date, for the portfolio or one client, with data-quality findings. */
export async function getAging(ctx: ServiceContext, opts: ReportQuery = {}): Promise<AgingResult> {
  return scopedReport(ctx, opts, async ({ facts, asOf, scope, clientId }) => {
    const report = computeAging(facts, asOf, ctx.policy.policy);
    report.findings.push(...(await unallocatedPayments(ctx, asOf, clientId)));
    // A portfolio report lists clients that owe something; a one-client report always shows the client.
    if (!scope.client) report.clients = report.clients.filter((c) => c.openInvoices > 0);
    return report;
  });
}

export interface OverdueInvoice {
  clientRef: string;
  clientName: string;
  ref: string;
  issueDate: string;
  dueDate: string;
  amountCents: number;
  openCents: number;
  daysOverdue: number;
  /** The aging bucket label, or `disputed`. */
  column: string;
  disputed: boolean;
}

/** Overdue open invoices as of a date, oldest first; `minDays` keeps those at least that late. */
export async function listOverdueInvoices(
  ctx: ServiceContext,
  opts: ReportQuery & { minDays?: number } = {},
): Promise<OverdueInvoice[]> {
  const minDays = opts.minDays ?? 1;
  if (!Number.isInteger(minDays) || minDays < 1)
    throw new AppError('INVALID_INPUT', `minDays: expected a whole number >= 1, got ${minDays}`);
  const asOf = resolveAsOf(ctx, opts.asOf);
  const { facts } = await loadScopeFacts(ctx, opts.client);
  return facts
    .flatMap((f) =>
      agingInvoices(f, asOf, ctx.policy.policy)
        .filter((i) => i.daysOverdue >= minDays)
        .map((i) => ({
          clientRef: f.client.ref,
          clientName: f.client.name,
          ref: i.ref,
          issueDate: i.issueDate,
          dueDate: i.dueDate,
          amountCents: i.amountCents,
          openCents: i.openCents,
          daysOverdue: i.daysOverdue,
          column: i.column,
          disputed: i.disputed,
        })),
    )
    .sort((a, b) => b.daysOverdue - a.daysOverdue || (a.ref < b.ref ? -1 : 1));
}
