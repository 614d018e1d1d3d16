import type { IsoDate } from '../core/dates.ts';
import type { DbOrTx } from '../db/open.ts';
import { invalidInput } from '../errors.ts';
import { findClient } from './clients.ts';
import { loadFacts } from './facts.ts';
import { type InvoiceLine, invoiceLines } from './portfolio.ts';

export type { InvoiceLine } from './portfolio.ts';

export const INVOICE_STATUSES = ['open', 'overdue', 'paid'] as const;
/** open = still owed (overdue included); overdue = owed and past due; paid = fully settled. */
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export interface ListInvoicesOptions {
  asOf: IsoDate;
  /** Client ref or name. */
  client?: string;
  status?: InvoiceStatus;
}

export async function listInvoices(db: DbOrTx, opts: ListInvoicesOptions): Promise<InvoiceLine[]> {
  if (opts.status && !INVOICE_STATUSES.includes(opts.status))
    throw invalidInput('status', `expected one of ${INVOICE_STATUSES.join(', ')}, got "${opts.status}"`);
  const ids = opts.client ? [(await findClient(db, opts.client)).id] : undefined;
  const lines = invoiceLines(await loadFacts(db, ids), opts.asOf);
  const status = opts.status;
  if (!status) return lines;
  return lines.filter((l) => (status === 'open' ? l.status !== 'paid' : l.status === status));
}
