import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { AppError } from '../errors.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import { acquireDirLock } from './lock.ts';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** The driver-independent database handle every query and service uses. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema>;
/** A handle or an open transaction: queries accept either. */
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  driver: 'pglite' | 'postgres';
  /** Where the data lives, for messages ("memory", a directory, or a URL without password). */
  location: string;
  close(): Promise<void>;
}

const MIGRATIONS = join(PACKAGE_ROOT, 'migrations');

/** An in-process PGlite and its drizzle handle; PGlite loads only when one is opened. */
async function pgliteDatabase(
  create: (PG: typeof PGlite) => Promise<PGlite> | PGlite,
  location: string,
  onClose?: () => void,
): Promise<Database> {
  const [{ PGlite: PG }, { drizzle }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
  ]);
  const client = await create(PG);
  return {
    db: drizzle({ client, schema }) as unknown as Db,
    driver: 'pglite',
    location,
    close: async () => {
      await client.close();
      onClose?.();
    },
  };
}

/**
 * Opens the database named by `target`: a postgres:// URL, a directory for embedded PGlite,
 * or `:memory:` (tests). Migrations are applied before the handle is returned.
 */
export async function openDatabase(target: string): Promise<Database> {
  const database = /^postgres(ql)?:\/\//.test(target) ? await openPostgres(target) : await openPglite(target);
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
  const database = await pgliteDatabase((PG) => PG.create(dump ? { loadDataDir: dump } : {}), 'memory');
  await applyMigrations(database);
  return database;
}

/** Dumps an in-memory PGlite database (see openMemoryDatabase). */
export const dumpMemoryDatabase = (database: Database): Promise<Blob | File> =>
  (database.db as unknown as { $client: PGlite }).$client.dumpDataDir('none');

async function openPglite(target: string): Promise<Database> {
  if (target === ':memory:') return pgliteDatabase((PG) => new PG(), 'memory');
  const dir = resolve(target);
  const release = acquireDirLock(dir);
  try {
    return await pgliteDatabase((PG) => PG.create(dir), dir, release);
  } catch (e) {
    release();
    throw new AppError(
      'DB_ERROR',
      `could not open the embedded database in ${dir}: ${(e as Error).message}`,
      undefined,
      'check the directory is readable and writable, or point --db / ENCOURS_DATA_DIR elsewhere',
    );
  }
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
  // Serialise concurrent start-ups against one PostgreSQL server.
  await database.db.execute(sql`select pg_advisory_lock(724011)`);
  try {
    if (database.driver === 'pglite') {
      const { migrate } = await import('drizzle-orm/pglite/migrator');
      await migrate(database.db as never, { migrationsFolder: MIGRATIONS });
    } else await migratePostgres(database.db as never, { migrationsFolder: MIGRATIONS });
  } finally {
    await database.db.execute(sql`select pg_advisory_unlock(724011)`);
  }
}
