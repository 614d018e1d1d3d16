import postgres from 'postgres';
import { type Database, dumpMemoryDatabase, openDatabase, openMemoryDatabase } from '../../src/db/open.ts';

/**
 * One database suite, every driver: PGlite always; PostgreSQL when the server answers
 * (ENCOURS_TEST_PG_URL, default the CI server). Each call gets an isolated, migrated database.
 */
export const PG_ADMIN_URL = process.env.ENCOURS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** True when the PostgreSQL server answers (and ENCOURS_TEST_PG is not 0); benches use it too. */
export async function postgresAnswers(): Promise<boolean> {
  if (process.env.ENCOURS_TEST_PG === '0') return false;
  const sql = postgres(PG_ADMIN_URL, { connect_timeout: 2, max: 1, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

export const pgAvailable = await postgresAnswers();
export const DRIVERS: readonly ('pglite' | 'postgres')[] = pgAvailable ? ['pglite', 'postgres'] : ['pglite'];

let counter = 0;
let template: Promise<Blob | File> | undefined;

/** Migrating PGlite takes ~2 s; cloning a migrated template takes ~0.3 s. One template per worker. */
function pgliteTemplate(): Promise<Blob | File> {
  template ??= (async () => {
    const database = await openDatabase(':memory:');
    try {
      return await dumpMemoryDatabase(database);
    } finally {
      await database.close();
    }
  })();
  return template;
}

/** Creates a fresh database; for PostgreSQL, a new database on the server, dropped on close. */
export async function freshDatabase(driver: 'pglite' | 'postgres'): Promise<Database> {
  if (driver === 'pglite') return openMemoryDatabase(await pgliteTemplate());
  const name = `encours_t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase(url.toString());
  return {
    ...database,
    close: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 2 });
    },
  };
}

/** The URL of a fresh empty PostgreSQL database (for spawned-CLI tests), with its cleanup. */
export async function freshPostgresUrl(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `encours_t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 2 });
    },
  };
}
