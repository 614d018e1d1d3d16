import { and, count, eq, inArray } from 'drizzle-orm';
import { computeAging } from '../core/aging.ts';
import { addDays, endOfMonth } from '../core/dates.ts';
import { computeForecast } from '../core/forecast.ts';
import { computeKpis, type KpiReport } from '../core/kpis.ts';
import type { ClientFacts } from '../core/types.ts';
import { decisions, reminders } from '../db/schema.ts';
import type { ServiceContext } from './context.ts';
import { loadFacts } from './facts.ts';
import { type PortfolioSummary, portfolioSummary } from './portfolio.ts';

/** The portfolio dashboard: one load of the facts, every figure from the core. */
export interface Dashboard {
  asOf: string;
  summary: PortfolioSummary;
  kpis: KpiReport['kpis'];
  aging: ReturnType<typeof computeAging>['totals'];
  forecast: Pick<ReturnType<typeof computeForecast>, 'weeks' | 'later' | 'disputed'>;
  /** DSO (count-back) at the last 12 month-ends, oldest first, then the as-of date. */
  dsoTrend: { date: string; days: number | null }[];
  toReview: number;
  termsPending: number;
}

/** Month-ends before the as-of date, oldest first. */
function monthEnds(asOf: string, n: number): string[] {
  const out: string[] = [];
  let d = addDays(`${asOf.slice(0, 7)}-01`, -1);
  for (let i = 0; i < n; i++) {
    out.unshift(d);
    d = addDays(`${d.slice(0, 7)}-01`, -1);
  }
  return out.map((x) => endOfMonth(x));
}

export async function getDashboard(
  ctx: ServiceContext,
  asOf: string,
  preloaded?: ClientFacts[],
): Promise<Dashboard> {
  const policy = ctx.policy.policy;
  const facts = preloaded ?? (await loadFacts(ctx.db));
  const [[review], [pending]] = await Promise.all([
    ctx.db
      .select({ n: count() })
      .from(reminders)
      .where(inArray(reminders.status, ['draft', 'blocked'])),
    ctx.db
      .select({ n: count() })
      .from(decisions)
      .where(and(eq(decisions.status, 'pending_approval'))),
  ]);
  const report = computeKpis(facts, asOf, policy, 90);
  const forecast = computeForecast(facts, asOf, policy);
  const dsoTrend = monthEnds(asOf, 11).map((date) => ({
    date,
    days: computeKpis(facts, date, policy, 90).kpis.dsoCountBack.value,
  }));
  dsoTrend.push({ date: asOf, days: report.kpis.dsoCountBack.value });
  return {
    asOf,
    summary: await portfolioSummary(ctx.db, asOf, policy, facts),
    kpis: report.kpis,
    aging: computeAging(facts, asOf, policy).totals,
    forecast: { weeks: forecast.weeks, later: forecast.later, disputed: forecast.disputed },
    dsoTrend,
    toReview: Number(review?.n ?? 0),
    termsPending: Number(pending?.n ?? 0),
  };
}
