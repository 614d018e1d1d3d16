import { computeDunningPlan, type DunningPlanReport } from '../core/dunning.ts';
import type { ServiceContext } from './context.ts';
import { type ReportQuery, type ScopedReport, scopedReport } from './report-scope.ts';

export type DunningPlanResult = ScopedReport<DunningPlanReport>;

/**
 * The consolidated dunning plan as of a date: one next action per client with overdue invoices.
 * Read-only: drafting and sending reminders are separate, reviewed steps.
 */
export async function getDunningPlan(
  ctx: ServiceContext,
  opts: ReportQuery = {},
): Promise<DunningPlanResult> {
  return scopedReport(ctx, opts, ({ facts, asOf }) => computeDunningPlan(facts, asOf, ctx.policy.policy));
}
