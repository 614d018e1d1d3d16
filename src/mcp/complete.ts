import { asc } from 'drizzle-orm';
import { foldText } from '../core/text.ts';
import type { DbOrTx } from '../db/open.ts';
import { clients } from '../db/schema.ts';

/**
 * Client refs for argument completion: refs starting with what was typed, then refs of clients whose
 * name contains it, accents and case ignored. At most `limit`.
 */
export async function completeClientRefs(db: DbOrTx, typed: string, limit = 20): Promise<string[]> {
  // Two short columns for the whole portfolio: cheap, and folding in JS ignores accents, which SQL
  // ILIKE would not.
  const rows = await db
    .select({ ref: clients.ref, name: clients.name })
    .from(clients)
    .orderBy(asc(clients.ref));
  const folded = foldText(typed);
  if (!folded) return rows.slice(0, limit).map((r) => r.ref);
  const byRef = rows.filter((r) => foldText(r.ref).startsWith(folded));
  const refs = new Set(byRef.map((r) => r.ref));
  const byName = rows.filter((r) => !refs.has(r.ref) && foldText(r.name).includes(folded));
  return [...byRef, ...byName].slice(0, limit).map((r) => r.ref);
}
