import type { Config } from '../config.ts';
import { isIsoDate } from '../core/dates.ts';
import type { Database, Db } from '../db/open.ts';
import { invalidInput } from '../errors.ts';
import type { LoadedPolicy } from './policy.ts';

/**
 * What every service needs, built once per process by the entry point and passed down.
 * `now` is injected so tests and reproducible runs control time.
 */
export interface ServiceContext {
  db: Db;
  database: Database;
  config: Config;
  policy: LoadedPolicy;
  now: () => Date;
}

/** The as-of date used when a caller gives none: ENCOURS_AS_OF, else today (UTC). */
export const defaultAsOf = (ctx: ServiceContext): string =>
  ctx.config.ENCOURS_AS_OF ?? ctx.now().toISOString().slice(0, 10);

/** The as-of date a caller asked for, validated and naming the flag or argument it came from; else the default. */
export function resolveAsOf(ctx: ServiceContext, asOf: string | undefined): string {
  if (asOf === undefined) return defaultAsOf(ctx);
  if (!isIsoDate(asOf)) throw invalidInput('asOf', `expected a calendar date YYYY-MM-DD, got "${asOf}"`);
  return asOf;
}
