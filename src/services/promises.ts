import { eq } from 'drizzle-orm';
import { isIsoDate } from '../core/dates.ts';
import { type Minor, toDecimalString } from '../core/money.ts';
import { invoices, promises } from '../db/schema.ts';
import { AppError, foundOr } from '../errors.ts';
import { appendAudit } from './audit.ts';
import type { Actor } from './callers.ts';
import { findClient } from './clients.ts';
import type { ServiceContext } from './context.ts';
import { defaultAsOf } from './context.ts';

export interface PromiseInput {
  /** Client ref or name. */
  client: string;
  invoiceRef?: string | null;
  promisedDate: string;
  /** Base currency, minor units. */
  amount: Minor;
  /** When the client made the promise; defaults to the as-of date. */
  madeDate?: string;
  actor: Actor;
}

export interface RecordedPromise {
  key: string;
  clientRef: string;
  clientName: string;
  invoiceRef: string | null;
  madeDate: string;
  promisedDate: string;
  amount: Minor;
  status: string;
  /** False when the same promise was already on file (nothing changed). */
  created: boolean;
  recordedBy: string | null;
}

/**
 * The identity of a promise: the same client promising the same amount for the same invoice and
 * date is one promise, whether it was recorded twice or also imported. Same format as the key the
 * CSV import stores (`C001|F002|2026-11-30|5000.00`), so the two never duplicate each other.
 */
export const promiseKey = (
  clientRef: string,
  invoiceRef: string | null,
  promisedDate: string,
  amount: Minor,
): string => `${clientRef}|${invoiceRef ?? ''}|${promisedDate}|${toDecimalString(amount)}`;

/** Records a promise to pay (status pending) with its audit entry; recording it again changes nothing. */
export async function recordPromise(ctx: ServiceContext, input: PromiseInput): Promise<RecordedPromise> {
  const madeDate = input.madeDate ?? defaultAsOf(ctx);
  for (const [field, value] of [
    ['promisedDate', input.promisedDate],
    ['madeDate', madeDate],
  ] as const)
    if (!isIsoDate(value))
      throw new AppError('INVALID_INPUT', `${field}: expected a calendar date YYYY-MM-DD, got "${value}"`, {
        field,
      });
  if (input.promisedDate < madeDate)
    throw new AppError(
      'INVALID_INPUT',
      `promisedDate: ${input.promisedDate} is before the day the promise was made (${madeDate})`,
      { field: 'promisedDate' },
      'a promise to pay names a future date; record a payment that already happened through import',
    );
  if (!Number.isInteger(input.amount) || input.amount <= 0)
    throw new AppError('INVALID_INPUT', 'amount: expected a positive amount', { field: 'amount' });

  const client = await findClient(ctx.db, input.client);
  let invoiceId: number | null = null;
  const invoiceRef = input.invoiceRef?.trim() || null;
  if (invoiceRef) {
    const [row] = await ctx.db.select().from(invoices).where(eq(invoices.ref, invoiceRef)).limit(1);
    const inv = foundOr(row, `no invoice with ref "${invoiceRef}"`, { field: 'invoiceRef' });
    if (inv.clientId !== client.id)
      throw new AppError(
        'INVALID_INPUT',
        `invoiceRef: invoice ${invoiceRef} belongs to another client, not ${client.name} (${client.ref})`,
        { field: 'invoiceRef' },
      );
    invoiceId = inv.id;
  }
  const key = promiseKey(client.ref, invoiceRef, input.promisedDate, input.amount);

  return ctx.db.transaction(async (tx) => {
    const [existing] = await tx.select().from(promises).where(eq(promises.key, key)).limit(1);
    const base = { key, clientRef: client.ref, clientName: client.name, invoiceRef };
    if (existing)
      return {
        ...base,
        madeDate: existing.madeDate ?? madeDate,
        promisedDate: existing.promisedDate,
        amount: existing.amount,
        status: existing.status,
        created: false,
        recordedBy: existing.createdBy,
      };
    await tx.insert(promises).values({
      key,
      clientId: client.id,
      invoiceId,
      madeDate,
      promisedDate: input.promisedDate,
      amount: input.amount,
      status: 'pending',
      createdBy: input.actor.user,
    });
    await appendAudit(tx, ctx.now(), {
      actor: input.actor,
      action: 'promise.recorded',
      subject: client.ref,
      data: { key, invoiceRef, madeDate, promisedDate: input.promisedDate, amount: input.amount },
    });
    return {
      ...base,
      madeDate,
      promisedDate: input.promisedDate,
      amount: input.amount,
      status: 'pending',
      created: true,
      recordedBy: input.actor.user,
    };
  });
}
