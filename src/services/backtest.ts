import { type BacktestResult, backtest } from '../core/backtest.ts';
import { isIsoDate, maxDate } from '../core/dates.ts';
import type { ClientFacts } from '../core/types.ts';
import { AppError, invalidInput } from '../errors.ts';
import type { ServiceContext } from './context.ts';
import { loadFacts } from './facts.ts';

export interface BacktestOptions {
  /** Scores are computed as of this date (YYYY-MM-DD). */
  cutoff: string;
  /** Outcomes are read as of this date; defaults to the latest invoice or payment date in the data. */
  endOfData?: string;
}

export interface BacktestReport extends BacktestResult {
  policyVersion: string;
}

/** Loads the whole portfolio and checks how scores as of `cutoff` predicted later lateness. */
export async function runBacktest(ctx: ServiceContext, opts: BacktestOptions): Promise<BacktestReport> {
  for (const [field, value] of [
    ['cutoff', opts.cutoff],
    ['endOfData', opts.endOfData],
  ] as const)
    if (value !== undefined && !isIsoDate(value))
      throw invalidInput(field, `expected a date YYYY-MM-DD, got "${value}"`);
  const facts = await loadFacts(ctx.db, undefined, { scope: 'scoring' });
  if (!facts.length)
    throw new AppError(
      'NOT_FOUND',
      'no clients to backtest',
      undefined,
      'import data first (`encours import` or `encours demo`)',
    );
  const end = opts.endOfData ?? latestFactDate(facts);
  if (!end || !(opts.cutoff < end))
    throw invalidInput(
      'cutoff',
      `${opts.cutoff} must be before the end of the data (${end ?? 'no invoices'})`,
      'choose a cutoff that leaves several months of later invoices, e.g. one year before the end of the data',
    );
  return { ...backtest(facts, opts.cutoff, ctx.policy.policy, end), policyVersion: ctx.policy.version };
}

/** The most recent invoice or payment date: where the data ends. */
export function latestFactDate(facts: readonly ClientFacts[]): string | null {
  let latest: string | null = null;
  for (const f of facts) {
    for (const i of f.invoices) latest = latest === null ? i.issueDate : maxDate(latest, i.issueDate);
    for (const p of f.payments) latest = latest === null ? p.date : maxDate(latest, p.date);
  }
  return latest;
}
