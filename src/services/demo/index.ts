import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { count } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { isIsoDate } from '../../core/dates.ts';
import type { DbOrTx } from '../../db/open.ts';
import * as t from '../../db/schema.ts';
import { AppError, invalidInput } from '../../errors.ts';
import { appendAudit } from '../audit.ts';
import { assertMayDecide, type Caller } from '../callers.ts';
import { defaultAsOf, type ServiceContext } from '../context.ts';
import { type ImportProgress, type ImportReport, importDirectory } from '../import/index.ts';
import { type PortfolioSummary, portfolioSummary } from '../portfolio.ts';
import { DEMO_FILES, type DemoFile, generateDemo } from './generate.ts';

export type { Archetype, DemoOptions, DemoPortfolio } from './generate.ts';
export { DEMO_FILES, generateDemo, HOSTILE_NOTE, INVOICES_PER_CLIENT, toCsv } from './generate.ts';

export const DEFAULT_DEMO_CLIENTS = 200;
export const DEFAULT_DEMO_SEED = 42;

/**
 * Data tables in an order that respects foreign keys (children first). The audit log and users are
 * not data: a reset never touches them.
 */
const DATA_TABLES: [string, PgTable][] = [
  ['payment_allocations', t.paymentAllocations],
  ['dispute_events', t.disputeEvents],
  ['disputes', t.disputes],
  ['promises', t.promises],
  ['orders', t.orders],
  ['reminders', t.reminders],
  ['slack_messages', t.slackMessages],
  ['decisions', t.decisions],
  ['score_snapshots', t.scoreSnapshots],
  ['payments', t.payments],
  ['invoices', t.invoices],
  ['clients', t.clients],
];

/** Row counts of the data tables. */
export async function countData(db: DbOrTx): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, table] of DATA_TABLES) {
    const [row] = await db.select({ n: count() }).from(table);
    out[name] = Number(row?.n ?? 0);
  }
  return out;
}

/** Empties every data table in one transaction, and records what was removed in the audit log. */
export async function resetData(ctx: ServiceContext, by: Caller): Promise<Record<string, number>> {
  assertMayDecide(by, 'admin', 'resetting the data');
  return ctx.db.transaction(async (tx) => {
    const removed = await countData(tx);
    for (const [, table] of DATA_TABLES) await tx.delete(table);
    await appendAudit(tx, ctx.now(), { actor: by, action: 'data.reset', subject: null, data: { removed } });
    return removed;
  });
}

export interface RunDemoOptions {
  clients?: number;
  seed?: number;
  asOf?: string;
  /** Where the CSV files go; default `demo-data/` in the embedded database's directory (or ENCOURS_DATA_DIR). */
  out?: string;
  /** Empty the data tables first (otherwise a non-empty database is a CONFLICT). */
  reset?: boolean;
  actor: Caller;
  /** Invoice volume multiplier (benchmarks). */
  volume?: number;
  onProgress?: (p: ImportProgress) => void;
}

export interface DemoResult {
  seed: number;
  clients: number;
  asOf: string;
  outDir: string;
  files: Record<DemoFile, number>;
  reset: Record<string, number> | null;
  import: ImportReport;
  summary: PortfolioSummary;
}

/**
 * Generates the demo portfolio, writes its CSV files (so users see the import format), imports them
 * through the normal import, and returns the portfolio summary.
 */
export async function runDemo(ctx: ServiceContext, opts: RunDemoOptions): Promise<DemoResult> {
  const clients = opts.clients ?? DEFAULT_DEMO_CLIENTS;
  const seed = opts.seed ?? DEFAULT_DEMO_SEED;
  const asOf = opts.asOf ?? defaultAsOf(ctx);
  if (!Number.isInteger(clients) || clients < 2 || clients > 100_000)
    throw invalidInput('clients', `expected a whole number from 2 to 100000, got "${clients}"`);
  if (!isIsoDate(asOf)) throw invalidInput('asOf', `expected a date YYYY-MM-DD, got "${asOf}"`);

  const existing = await countData(ctx.db);
  const nonEmpty = existing.clients! > 0 || existing.invoices! > 0;
  let reset: Record<string, number> | null = null;
  if (nonEmpty && !opts.reset) {
    throw new AppError(
      'CONFLICT',
      `the database at ${ctx.database.location} already holds ${existing.clients} clients and ${existing.invoices} invoices; the demo will not mix its data with them`,
      { counts: existing },
      'run `encours demo --reset` to empty the data tables first (the audit log is kept), or use another --db',
    );
  }
  if (opts.reset && nonEmpty) reset = await resetData(ctx, opts.actor);

  const portfolio = generateDemo({
    clients,
    seed,
    asOf,
    volume: opts.volume,
    baseCurrency: ctx.policy.policy.baseCurrency,
  });
  const dataDir =
    ctx.database.driver === 'pglite' && ctx.database.location !== 'memory'
      ? ctx.database.location
      : ctx.config.ENCOURS_DATA_DIR;
  const outDir = resolve(opts.out ?? join(dataDir, 'demo-data'));
  mkdirSync(outDir, { recursive: true });
  for (const f of DEMO_FILES) writeFileSync(join(outDir, f), portfolio.files[f]);

  const report = await importDirectory(ctx, outDir, { actor: opts.actor, onProgress: opts.onProgress });
  const summary = await portfolioSummary(ctx.db, asOf, ctx.policy.policy);
  return { seed, clients, asOf, outDir, files: portfolio.rows, reset, import: report, summary };
}
