import { and, eq, lte, sql } from 'drizzle-orm';
import { type AgingReport, agingInvoices, computeAging } from '../core/aging.ts';
import type { DataQualityFinding } from '../core/data-quality.ts';
import { isIsoDate } from '../core/dates.ts';
import { toDecimalString } from '../core/money.ts';
import type { ClientFacts } from '../core/types.ts';
import { clients, paymentAllocations, payments } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { findClient } from './clients.ts';
import { defaultAsOf, type ServiceContext } from './context.ts';
import { loadFacts } from './facts.ts';

/** Which clients a receivables report covers: the portfolio, or one client found by ref or name. */
export interface ReportScope {
  client: { ref: string; name: string } | null;
}

/** The as-of date a caller asked for (validated), or the context default. */
export function resolveAsOf(ctx: ServiceContext, asOf: string | undefined, flag = 'asOf'): string {
  if (asOf === undefined) return defaultAsOf(ctx);
  if (!isIsoDate(asOf))
    throw new AppError('INVALID_INPUT', `${flag}: expected a calendar date YYYY-MM-DD, got "${asOf}"`);
  return asOf;
}

/** Loads the facts for the portfolio, or for one client (NOT_FOUND / AMBIGUOUS when the query fails). */
export async function loadScopeFacts(
  ctx: ServiceContext,
  client: string | undefined,
): Promise<{ facts: ClientFacts[]; scope: ReportScope; clientId: number | null }> {
  if (client === undefined)
    return { facts: await loadFacts(ctx.db), scope: { client: null }, clientId: null };
  const row = await findClient(ctx.db, client);
  return {
    facts: await loadFacts(ctx.db, [row.id]),
    scope: { client: { ref: row.ref, name: row.name } },
    clientId: row.id,
  };
}

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
      detail: `payment ${r.ref} of ${r.date}: ${toDecimalString(left)} of ${toDecimalString(r.amount)} is not allocated to any invoice`,
    };
  });
}

export type AgingResult = AgingReport & ReportScope & { policyVersion: string };

/** The aging balance as of a date, for the portfolio or one client, with data-quality findings. */
export async function getAging(
  ctx: ServiceContext,
  opts: { asOf?: string; client?: string } = {},
): Promise<AgingResult> {
  const asOf = resolveAsOf(ctx, opts.asOf);
  const { facts, scope, clientId } = await loadScopeFacts(ctx, opts.client);
  const report = computeAging(facts, asOf, ctx.policy.policy);
  report.findings.push(...(await unallocatedPayments(ctx, asOf, clientId)));
  // A portfolio report lists clients that owe something; a one-client report always shows the client.
  if (!scope.client) report.clients = report.clients.filter((c) => c.openInvoices > 0);
  return { ...report, ...scope, policyVersion: ctx.policy.version };
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
  opts: { asOf?: string; client?: string; minDays?: number } = {},
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
