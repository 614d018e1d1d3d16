import { computeKpis, type KpiReport } from '../core/kpis.ts';
import { AppError } from '../errors.ts';
import { loadScopeFacts, type ReportScope, resolveAsOf } from './aging.ts';
import type { ServiceContext } from './context.ts';

export type KpiResult = KpiReport & ReportScope & { policyVersion: string };

/** Receivables KPIs for the `periodDays` days ending on the as-of date, portfolio or one client. */
export async function getKpis(
  ctx: ServiceContext,
  opts: { asOf?: string; client?: string; periodDays?: number } = {},
): Promise<KpiResult> {
  const periodDays = opts.periodDays ?? 90;
  if (!Number.isInteger(periodDays) || periodDays < 1 || periodDays > 3660)
    throw new AppError(
      'INVALID_INPUT',
      `periodDays: expected a whole number of days from 1 to 3660, got ${periodDays}`,
      undefined,
      'common periods are 30, 90, 180 and 365 days',
    );
  const asOf = resolveAsOf(ctx, opts.asOf);
  const { facts, scope } = await loadScopeFacts(ctx, opts.client);
  return {
    ...computeKpis(facts, asOf, ctx.policy.policy, periodDays),
    ...scope,
    policyVersion: ctx.policy.version,
  };
}
