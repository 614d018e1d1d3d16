import { computeDunningPlan, type DunningPlanReport } from '../core/dunning.ts';
import { loadScopeFacts, type ReportScope, resolveAsOf } from './aging.ts';
import type { ServiceContext } from './context.ts';

export type DunningPlanResult = DunningPlanReport & ReportScope & { policyVersion: string };

/**
 * The consolidated dunning plan as of a date: one next action per client with overdue invoices.
 * Read-only: drafting and sending reminders are separate, reviewed steps.
 */
export async function getDunningPlan(
  ctx: ServiceContext,
  opts: { asOf?: string; client?: string } = {},
): Promise<DunningPlanResult> {
  const asOf = resolveAsOf(ctx, opts.asOf);
  const { facts, scope } = await loadScopeFacts(ctx, opts.client);
  return {
    ...computeDunningPlan(facts, asOf, ctx.policy.policy),
    ...scope,
    policyVersion: ctx.policy.version,
  };
}
