import type { SQL } from 'drizzle-orm';
import type { DbOrTx } from './open.ts';

/**
 * Runs raw SQL and returns its rows on every driver: postgres.js resolves to the rows array itself,
 * PGlite to `{ rows }`. The one place that knows the difference.
 */
export async function queryRows<T = Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? [])) as T[];
}
