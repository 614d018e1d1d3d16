import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { AppError } from '../errors.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import { serverConnector } from './embedded-client.ts';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** The driver-independent database handle every query and service uses. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema>;
/** A handle or an open transaction: queries accept either. */
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  /** The engine: embedded PGlite (in memory, or a directory shared through its server) or PostgreSQL. */
  driver: 'pglite' | 'postgres';
  /** Where the data lives, for messages ("memory", a directory, or a URL without password). */
  location: string;
  close(): Promise<void>;
}

const MIGRATIONS = join(PACKAGE_ROOT, 'migrations');

export interface OpenOptions {
  /** An embedded directory's server stops after this many seconds without any client (default 60). */
  idleSeconds?: number;
}

/**
 * Opens the database named by `target`: a postgres:// URL, a directory for embedded PGlite, or
 * `:memory:` (tests). Migrations are applied before the handle is returned.
 *
 * A directory is opened by one process only, its embedded database server (embedded-server.ts),
 * which this starts when nobody serves the directory yet; every process, this one included, reaches
 * it through postgres.js, the same driver as PostgreSQL. So CLI commands, `encours mcp` and
 * `encours serve` work on the same directory at the same time, with real transactions.
 */
export async function openDatabase(target: string, opts: OpenOptions = {}): Promise<Database> {
  const database = /^postgres(ql)?:\/\//.test(target)
    ? await openPostgres(target)
    : target === ':memory:'
      ? await inProcessPglite(undefined)
      : await openEmbedded(resolve(target), opts.idleSeconds ?? 60);
  try {
    await applyMigrations(database);
  } catch (e) {
    await database.close();
    throw e instanceof AppError
      ? e
      : new AppError(
          'DB_ERROR',
          `could not migrate the database at ${database.location}: ${(e as Error).message}`,
        );
  }
  return database;
}

/**
 * Opens an in-memory PGlite, optionally from a data-directory dump (tests clone one migrated
 * template instead of migrating every fresh database).
 */
export async function openMemoryDatabase(dump?: Blob | File): Promise<Database> {
  const database = await inProcessPglite(dump);
  await applyMigrations(database);
  return database;
}

/** Dumps an in-memory PGlite database (see openMemoryDatabase). */
export const dumpMemoryDatabase = (database: Database): Promise<Blob | File> =>
  (database.db as unknown as { $client: PGlite }).$client.dumpDataDir('none');

/** An in-memory PGlite in this process; PGlite loads only when one is opened. */
async function inProcessPglite(dump: Blob | File | undefined): Promise<Database> {
  const [{ PGlite }, { drizzle }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
  ]);
  const client = await PGlite.create(dump ? { loadDataDir: dump } : {});
  return {
    db: drizzle({ client, schema }) as unknown as Db,
    driver: 'pglite',
    location: 'memory',
    close: () => client.close(),
  };
}

/** A client of the embedded database server of `dir` (started on demand). */
async function openEmbedded(dir: string, idleSeconds: number): Promise<Database> {
  const client = postgres({
    // postgres.js' documented custom socket option (missing from its types): the server's socket.
    ...({ socket: serverConnector(dir, idleSeconds) } as object),
    user: 'postgres',
    database: 'postgres',
    max: 4,
    // Unnamed statements: named ones would outlive the connection in PGlite's single shared session.
    prepare: false,
    // The server may be busy with another client's transaction: waiting is normal.
    connect_timeout: 0,
    onnotice: () => {},
  });
  try {
    await client`select 1`;
  } catch (e) {
    await client.end({ timeout: 1 });
    throw e instanceof AppError
      ? e
      : new AppError(
          'DB_ERROR',
          `could not open the embedded database in ${dir}: ${(e as Error).message}`,
          undefined,
          'check the directory is readable and writable, or point --db / ENCOURS_DATA_DIR elsewhere',
        );
  }
  return {
    db: drizzlePostgres({ client, schema }) as unknown as Db,
    driver: 'pglite',
    location: dir,
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPostgres(url: string): Promise<Database> {
  const client = postgres(url, { max: 10, onnotice: () => {}, connect_timeout: 10 });
  const location = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  try {
    await client`select 1`;
  } catch (e) {
    await client.end({ timeout: 1 });
    throw new AppError(
      'DB_ERROR',
      `could not connect to PostgreSQL at ${location}: ${(e as Error).message}`,
      undefined,
      'check DATABASE_URL / --db, and that the server is running and accepts connections',
    );
  }
  return {
    db: drizzlePostgres({ client, schema }) as unknown as Db,
    driver: 'postgres',
    location,
    close: () => client.end({ timeout: 5 }),
  };
}

async function applyMigrations(database: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS };
  if (database.location === 'memory') {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(database.db as never, config);
  } else if (database.driver === 'pglite') {
    // The server applied its migrations before serving; a newer client applies its own. Another one
    // doing the same at that moment makes one attempt fail, and the retry finds nothing left to do.
    await migratePostgres(database.db as never, config).catch(() =>
      migratePostgres(database.db as never, config),
    );
  } else {
    // Serialise concurrent start-ups against one PostgreSQL server.
    await database.db.execute(sql`select pg_advisory_lock(724011)`);
    try {
      await migratePostgres(database.db as never, config);
    } finally {
      await database.db.execute(sql`select pg_advisory_unlock(724011)`);
    }
  }
}
