import { asc, eq } from 'drizzle-orm';
import { foldText } from '../core/text.ts';
import type { DbOrTx } from '../db/open.ts';
import { clients } from '../db/schema.ts';
import { AppError } from '../errors.ts';

export type ClientRow = typeof clients.$inferSelect;

/**
 * Finds one client by exact ref, else by name with accents, case and punctuation ignored: an exact
 * folded name wins, then a unique name containing every word of the query. Several matches raise
 * AMBIGUOUS with the candidates; none raises NOT_FOUND with the closest names.
 */
export async function findClient(db: DbOrTx, query: string): Promise<ClientRow> {
  const q = query.trim();
  if (!q) throw new AppError('INVALID_INPUT', 'client: give a client ref or name');
  const [byRef] = await db.select().from(clients).where(eq(clients.ref, q)).limit(1);
  if (byRef) return byRef;

  const all = await db.select().from(clients).orderBy(asc(clients.name));
  const folded = foldText(q);
  const exact = all.filter((c) => foldText(c.name) === folded || foldText(c.ref) === folded);
  if (exact.length === 1) return exact[0]!;
  const words = folded.split(' ').filter(Boolean);
  const partial =
    exact.length > 1 ? exact : all.filter((c) => words.every((w) => foldText(c.name).includes(w)));
  if (partial.length === 1) return partial[0]!;
  if (partial.length > 1) {
    const candidates = partial.slice(0, 10).map((c) => ({ ref: c.ref, name: c.name }));
    throw new AppError(
      'AMBIGUOUS',
      `"${q}" matches ${partial.length} clients: ${candidates.map((c) => `${c.name} (${c.ref})`).join(', ')}`,
      { candidates },
      'use the client ref, or a more complete name',
    );
  }
  const close = all
    .filter((c) => words.some((w) => w.length > 2 && foldText(c.name).includes(w)))
    .slice(0, 5)
    .map((c) => ({ ref: c.ref, name: c.name }));
  throw new AppError(
    'NOT_FOUND',
    `no client matches "${q}"`,
    { candidates: close },
    close.length
      ? `did you mean: ${close.map((c) => `${c.name} (${c.ref})`).join(', ')}?`
      : '`encours clients list` shows every client',
  );
}
