import { computeForecast, type ForecastReport } from '../core/forecast.ts';
import type { ServiceContext } from './context.ts';
import { resolveAsOf } from './context.ts';
import { loadScopeFacts, type ReportQuery, type ScopedReport } from './report-scope.ts';

export type ForecastResult = ScopedReport<ForecastReport>;

/**
 * Expected cash-in per week for the next 13 weeks, portfolio or one client. The portfolio median
 * delay (the fallback for clients without history) always comes from the whole portfolio.
 */
export async function getForecast(ctx: ServiceContext, opts: ReportQuery = {}): Promise<ForecastResult> {
  const asOf = resolveAsOf(ctx, opts.asOf);
  const one = opts.client === undefined ? null : await loadScopeFacts(ctx, opts.client);
  const { facts } = await loadScopeFacts(ctx, undefined);
  const scope = one?.scope ?? { client: null };
  const report = computeForecast(facts, asOf, ctx.policy.policy, { clientRef: scope.client?.ref });
  return { ...report, ...scope, policyVersion: ctx.policy.version };
}
