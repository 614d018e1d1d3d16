import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { loadConfig } from '../src/config.ts';
import { stopEmbeddedServer } from '../src/db/embedded-client.ts';
import { type Database, openDatabase } from '../src/db/open.ts';
import type { Caller } from '../src/services/callers.ts';
import type { ServiceContext } from '../src/services/context.ts';
import { generateDemo, INVOICES_PER_CLIENT, runDemo } from '../src/services/demo/index.ts';
import { loadPolicy } from '../src/services/policy.ts';
import { PG_ADMIN_URL } from '../test/support/databases.ts';

/** Fixed as-of date for every benchmark, so runs compare. */
export const BENCH_AS_OF = '2026-06-30';
export const BENCH_SEED = 42;
/** Who the benchmarks act as: an admin, so resets and users need no bootstrap. */
export const BENCH_CALLER: Caller = { user: 'bench', role: 'admin', channel: 'cli', verified: true };

/** A service context with a fixed clock, for code that runs services directly. */
export function benchContext(database: Database, now = `${BENCH_AS_OF}T18:00:00Z`): ServiceContext {
  const at = new Date(now);
  return {
    db: database.db,
    database,
    config: loadConfig({ ENCOURS_AS_OF: BENCH_AS_OF }),
    policy: loadPolicy(),
    now: () => at,
  };
}

/** A fresh temporary directory under os.tmpdir(). */
export const freshDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `encours-bench-${prefix}-`));

/** A fresh empty PostgreSQL database on the bench server, with its URL and a drop function. */
export async function freshPostgresDatabase(
  template?: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `encours_b_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}${template ? ` template ${template}` : ''}`);
  } finally {
    await admin.end({ timeout: 2 });
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const a = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await a.end({ timeout: 2 });
      }
    },
  };
}

export interface PortfolioOptions {
  clients?: number;
  /** Approximate number of invoices (default 50 per client). */
  invoices?: number;
  seed?: number;
  driver?: 'pglite' | 'postgres';
}

export interface PreparedPortfolio {
  /** A PGlite directory or a postgres:// URL, usable as `--db`. */
  target: string;
  driver: 'pglite' | 'postgres';
  asOf: string;
  seed: number;
  clients: number;
  invoices: number;
  /** Opens the database (close it before spawning a CLI on a PGlite directory). */
  open(): Promise<Database>;
  /** Closes a handle opened with `open()`, freeing the directory for other processes. */
  release(): Promise<void>;
  /** Deletes the copy (directory or database). */
  cleanup(): Promise<void>;
}

interface Template {
  target: string;
  invoices: number;
  drop: () => Promise<void>;
}
const templates = new Map<string, Promise<Template>>();
/** PGlite directories this process created, removed at exit even when a bench forgets cleanup(). */
const ownedDirs = new Set<string>();
const removeOwnedDirs = () => {
  for (const dir of ownedDirs) rmSync(dir, { recursive: true, force: true });
  ownedDirs.clear();
};
process.once('exit', removeOwnedDirs);
// A bench stopped with Ctrl-C or `timeout` should not leave hundreds of megabytes in /tmp.
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => {
    removeOwnedDirs();
    process.exit(code);
  });
}

/** The generator's volume factor that gives about `invoices` invoices for `clients` clients. */
export const volumeFor = (clients: number, invoices?: number): number =>
  invoices ? invoices / (clients * INVOICES_PER_CLIENT) : 1;

async function buildTemplate(
  key: string,
  o: Required<Omit<PortfolioOptions, 'invoices'>> & { invoices?: number },
) {
  const volume = volumeFor(o.clients, o.invoices);
  let target: string;
  let drop: () => Promise<void>;
  if (o.driver === 'postgres') {
    const fresh = await freshPostgresDatabase();
    target = fresh.url;
    drop = fresh.drop;
  } else {
    target = freshDir(`template-${key.replace(/[^a-z0-9]+/gi, '-')}`);
    ownedDirs.add(target);
    drop = async () => rmSync(target, { recursive: true, force: true });
  }
  const database = await openDatabase(target);
  try {
    const csvDir = freshDir('csv');
    ownedDirs.add(csvDir);
    const result = await runDemo(benchContext(database), {
      clients: o.clients,
      seed: o.seed,
      asOf: BENCH_AS_OF,
      out: csvDir,
      actor: BENCH_CALLER,
      volume,
    });
    rmSync(csvDir, { recursive: true, force: true });
    return { target, invoices: result.summary.invoices, drop };
  } finally {
    await database.close();
    // The template is copied file by file: its database server must have closed it first.
    if (o.driver === 'pglite') await stopEmbeddedServer(target);
  }
}

/**
 * The demo portfolio at benchmark size (default 2,000 clients, about 100,000 invoices), in a fresh
 * database of its own. The first call per size imports it (through the real import) into a template;
 * later calls in the same run copy the template (directory copy, or CREATE DATABASE ... TEMPLATE).
 */
export async function preparePortfolio(opts: PortfolioOptions = {}): Promise<PreparedPortfolio> {
  const clients = opts.clients ?? 2000;
  const o = {
    clients,
    // About 50 invoices per client over three years: 100,000 for the default 2,000 clients.
    invoices: opts.invoices ?? clients * 50,
    seed: opts.seed ?? BENCH_SEED,
    driver: opts.driver ?? 'pglite',
  };
  const key = `${o.driver}-${o.clients}-${o.invoices}-${o.seed}`;
  let pending = templates.get(key);
  if (!pending) {
    pending = buildTemplate(key, o);
    templates.set(key, pending);
  }
  const template = await pending;

  let target: string;
  let remove: () => Promise<void>;
  if (o.driver === 'postgres') {
    const name = new URL(template.target).pathname.slice(1);
    const copy = await freshPostgresDatabase(name);
    target = copy.url;
    remove = copy.drop;
  } else {
    target = freshDir('portfolio');
    ownedDirs.add(target);
    cpSync(template.target, target, { recursive: true });
    remove = async () => rmSync(target, { recursive: true, force: true });
  }
  let handle: Database | null = null;
  return {
    target,
    driver: o.driver,
    asOf: BENCH_AS_OF,
    seed: o.seed,
    clients: o.clients,
    invoices: template.invoices,
    open: async () => {
      handle ??= await openDatabase(target);
      return handle;
    },
    release: async () => {
      await handle?.close();
      handle = null;
    },
    cleanup: async () => {
      await handle?.close();
      handle = null;
      await remove();
    },
  };
}

/** Drops the templates built during this run (bench/run.ts calls it at the end). */
export async function disposeTemplates(): Promise<void> {
  for (const pending of templates.values()) {
    const template = await pending.catch(() => null);
    await template?.drop();
  }
  templates.clear();
}

/** Exposed for benches that need the CSV text without a database. */
export const generateBenchPortfolio = (clients: number, invoices?: number, seed = BENCH_SEED) =>
  generateDemo({ clients, seed, asOf: BENCH_AS_OF, volume: volumeFor(clients, invoices) });

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
