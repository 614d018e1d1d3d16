import { computeKpis, type KpiReport } from '../core/kpis.ts';
import { AppError } from '../errors.ts';
import type { ServiceContext } from './context.ts';
import { type ReportQuery, type ScopedReport, scopedReport } from './report-scope.ts';

export type KpiResult = ScopedReport<KpiReport>;

/** Receivables KPIs for the `periodDays` days ending on the as-of date, portfolio or one client. */
export async function getKpis(
  ctx: ServiceContext,
  opts: ReportQuery & { periodDays?: number } = {},
): Promise<KpiResult> {
  const periodDays = opts.periodDays ?? 90;
  if (!Number.isInteger(periodDays) || periodDays < 1 || periodDays > 3660)
    throw new AppError(
      'INVALID_INPUT',
      `periodDays: expected a whole number of days from 1 to 3660, got ${periodDays}`,
      undefined,
      'common periods are 30, 90, 180 and 365 days',
    );
  return scopedReport(ctx, opts, ({ facts, asOf }) =>
    computeKpis(facts, asOf, ctx.policy.policy, periodDays),
  );
}
