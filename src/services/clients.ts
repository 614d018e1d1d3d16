import { asc, eq } from 'drizzle-orm';
import type { IsoDate } from '../core/dates.ts';
import { factsAsOf } from '../core/ledger.ts';
import type { Minor } from '../core/money.ts';
import { foldText } from '../core/text.ts';
import type { ClientInfo, DisputeFact, OrderFact, PromiseFact } from '../core/types.ts';
import type { DbOrTx } from '../db/open.ts';
import { clients } from '../db/schema.ts';
import { AppError, noDataError } from '../errors.ts';
import { loadFacts } from './facts.ts';
import { type ClientBalance, clientBalance, type InvoiceLine, invoiceLines } from './portfolio.ts';

export type ClientRow = typeof clients.$inferSelect;

/** NO_DATA unless some data was imported (a client exists). */
export async function assertHasData(db: DbOrTx): Promise<void> {
  const [any] = await db.select({ id: clients.id }).from(clients).limit(1);
  if (!any) throw noDataError();
}

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
  if (!all.length) throw noDataError();
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

/** Every client with its open balance and overdue amount as of a date, by ref. */
export async function listClients(db: DbOrTx, asOf: IsoDate): Promise<ClientBalance[]> {
  return (await loadFacts(db)).map((f) => clientBalance(f, asOf));
}

export interface ClientProfile {
  asOf: IsoDate;
  client: ClientInfo;
  totals: ClientBalance & {
    invoices: number;
    paidInvoices: number;
    /** Open orders not yet invoiced: they add to exposure. */
    openOrders: Minor;
    /** Open balance + open orders. */
    exposure: Minor;
  };
  /** Invoices still owed, oldest first. */
  openInvoices: InvoiceLine[];
  disputes: DisputeFact[];
  promises: PromiseFact[];
  orders: OrderFact[];
}

/** One client's file as of a date: fields, open invoices, totals, disputes, promises and orders. */
export async function getClientProfile(db: DbOrTx, query: string, asOf: IsoDate): Promise<ClientProfile> {
  const row = await findClient(db, query);
  const [facts] = await loadFacts(db, [row.id]);
  const cut = factsAsOf(facts!, asOf);
  const lines = invoiceLines([facts!], asOf);
  const balance = clientBalance(facts!, asOf);
  const openOrders = cut.orders.filter((o) => o.status === 'open').reduce((s, o) => s + o.amount, 0);
  return {
    asOf,
    client: facts!.client,
    totals: {
      ...balance,
      invoices: lines.length,
      paidInvoices: lines.filter((l) => l.status === 'paid').length,
      openOrders,
      exposure: balance.openBalance + openOrders,
    },
    openInvoices: lines.filter((l) => l.status !== 'paid'),
    disputes: cut.disputes,
    promises: cut.promises,
    orders: cut.orders,
  };
}
