import { getTableColumns, getTableName, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../db/open.ts';
import { queryRows } from '../../db/rows.ts';

/**
 * Bulk writes as ONE statement parameter per batch: the rows travel as a JSON array expanded by
 * `jsonb_to_recordset`. Binding thousands of individual parameters costs far more in query building
 * than the database spends inserting; this keeps imports close to the speed of the database itself,
 * on PGlite and PostgreSQL alike.
 */
export interface BulkOptions {
  /** Upsert: the conflict target columns (TS keys) and the columns (TS keys) to overwrite. */
  onConflict?: { target: string[]; set: string[] };
  /** Columns (TS keys) to return, e.g. ['id', 'ref']. */
  returning?: string[];
}

const castType = (column: PgColumn): string => {
  const type = column.getSQLType();
  if (type === 'serial') return 'integer';
  if (type === 'bigserial') return 'bigint';
  return type;
};

export async function bulkInsert(
  tx: DbOrTx,
  table: PgTable,
  rows: Record<string, unknown>[],
  opts: BulkOptions = {},
): Promise<Record<string, unknown>[]> {
  if (!rows.length) return [];
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const keys = Object.keys(rows[0]!);
  const column = (k: string) => {
    const c = columns[k];
    if (!c) throw new Error(`bulkInsert: ${getTableName(table)} has no column ${k}`);
    return c;
  };
  const quoted = (k: string) => `"${column(k).name}"`;
  const payload = rows.map((r) => {
    const o: Record<string, unknown> = {};
    for (const k of keys) {
      if (!(k in r)) throw new Error(`bulkInsert: row without ${k} in ${getTableName(table)}`);
      o[column(k).name] = r[k];
    }
    return o;
  });
  const names = keys.map(quoted).join(', ');
  const defs = keys.map((k) => `${quoted(k)} ${castType(column(k))}`).join(', ');
  let tail = '';
  if (opts.onConflict) {
    const set = opts.onConflict.set.map((k) => `${quoted(k)} = excluded.${quoted(k)}`).join(', ');
    tail += ` on conflict (${opts.onConflict.target.map(quoted).join(', ')}) do update set ${set}`;
  }
  if (opts.returning) tail += ` returning ${opts.returning.map((k) => `${quoted(k)} as "${k}"`).join(', ')}`;
  const query = sql`insert into ${table} (${sql.raw(names)}) select ${sql.raw(names)} from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as x(${sql.raw(defs)})${sql.raw(tail)}`;
  return queryRows(tx, query);
}
