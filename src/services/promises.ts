import { and, desc, eq } from 'drizzle-orm';
import { addDays, isIsoDate } from '../core/dates.ts';
import { factsAsOf, invoiceStates } from '../core/ledger.ts';
import { formatMoney, type Minor, toDecimalString } from '../core/money.ts';
import { clients, invoices, promises } from '../db/schema.ts';
import { AppError, foundOr } from '../errors.ts';
import { appendAudit } from './audit.ts';
import type { Actor } from './callers.ts';
import { findClient } from './clients.ts';
import type { ServiceContext } from './context.ts';
import { defaultAsOf } from './context.ts';
import { loadFacts } from './facts.ts';
import { assertReviewer, type Reviewer } from './reminder-review.ts';

/** A promise to pay further out than this from the day it was made is not a sensible record. */
export const MAX_PROMISE_DAYS = 120;
/** A promise recorded later than this after it was made is refused (record it when it is made). */
export const MAX_PROMISE_AGE_DAYS = 60;

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
  /**
   * True when the promise comes from MCP or the agent: it is stored as `proposed` and changes no plan
   * and no score until a finance user confirms it.
   */
  proposal?: boolean;
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
  const today = defaultAsOf(ctx);
  if (madeDate > today)
    throw new AppError('INVALID_INPUT', `madeDate: ${madeDate} is after today (${today})`, {
      field: 'madeDate',
    });
  if (madeDate < addDays(today, -MAX_PROMISE_AGE_DAYS))
    throw new AppError(
      'INVALID_INPUT',
      `madeDate: ${madeDate} is more than ${MAX_PROMISE_AGE_DAYS} days ago; a promise is recorded when it is made`,
      { field: 'madeDate' },
    );
  const latest = addDays(madeDate, MAX_PROMISE_DAYS);
  if (input.promisedDate > latest)
    throw new AppError(
      'INVALID_INPUT',
      `promisedDate: ${input.promisedDate} is more than ${MAX_PROMISE_DAYS} days after the promise (latest ${latest}); agree a payment plan instead`,
      { field: 'promisedDate' },
    );

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
  // A promise covers what is owed: never more than the open balance (of the invoice, or the client).
  const [facts] = await loadFacts(ctx.db, [client.id]);
  const states = invoiceStates(factsAsOf(facts!, madeDate), madeDate);
  const open = states
    .filter((st) => invoiceRef === null || st.invoice.ref === invoiceRef)
    .reduce((a, st) => a + st.open, 0);
  if (input.amount > open)
    throw new AppError(
      'INVALID_INPUT',
      `amount: ${formatMoney(input.amount, ctx.policy.policy.baseCurrency, 'en')} is more than the open balance of ${invoiceRef ? `invoice ${invoiceRef}` : `${client.name} (${client.ref})`} (${formatMoney(open, ctx.policy.policy.baseCurrency, 'en')} on ${madeDate})`,
      { field: 'amount', open },
    );
  const key = promiseKey(client.ref, invoiceRef, input.promisedDate, input.amount);
  const status = input.proposal ? 'proposed' : 'pending';

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
      status,
      createdBy: input.actor.user,
    });
    await appendAudit(tx, ctx.now(), {
      actor: input.actor,
      action: input.proposal ? 'promise.proposed' : 'promise.recorded',
      subject: client.ref,
      data: { key, invoiceRef, madeDate, promisedDate: input.promisedDate, amount: input.amount },
    });
    return {
      ...base,
      madeDate,
      promisedDate: input.promisedDate,
      amount: input.amount,
      status,
      created: true,
      recordedBy: input.actor.user,
    };
  });
}

export interface PromiseView {
  key: string;
  clientRef: string;
  clientName: string;
  invoiceRef: string | null;
  madeDate: string | null;
  promisedDate: string;
  amount: Minor;
  status: string;
  recordedBy: string | null;
}

/** Promises on file, newest first, optionally by status (`proposed`: waiting for finance). */
export async function listPromises(
  ctx: ServiceContext,
  opts: { status?: string } = {},
): Promise<PromiseView[]> {
  const rows = await ctx.db
    .select({ p: promises, clientRef: clients.ref, clientName: clients.name, invoiceRef: invoices.ref })
    .from(promises)
    .innerJoin(clients, eq(clients.id, promises.clientId))
    .leftJoin(invoices, eq(invoices.id, promises.invoiceId))
    .where(opts.status ? eq(promises.status, opts.status) : undefined)
    .orderBy(desc(promises.id));
  return rows.map((r) => ({
    key: r.p.key,
    clientRef: r.clientRef,
    clientName: r.clientName,
    invoiceRef: r.invoiceRef,
    madeDate: r.p.madeDate,
    promisedDate: r.p.promisedDate,
    amount: r.p.amount,
    status: r.p.status,
    recordedBy: r.p.createdBy,
  }));
}

/**
 * A finance user's decision on a proposed promise: confirmed, it becomes pending (it holds the
 * reminders it covers and counts for the score); rejected, it never takes effect.
 */
export async function decidePromise(
  ctx: ServiceContext,
  key: string,
  reviewer: Reviewer,
  decision: 'confirm' | 'reject',
  note?: string,
): Promise<PromiseView> {
  assertReviewer(reviewer);
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(promises).where(eq(promises.key, key)).for('update');
    const found = foundOr(
      row,
      `no promise with key "${key}"`,
      { field: 'key' },
      '`encours promises list` shows the keys',
    );
    if (found.status !== 'proposed')
      throw new AppError(
        'CONFLICT',
        `promise ${key} is ${found.status}, not a proposal waiting for confirmation`,
        {
          status: found.status,
        },
      );
    const status = decision === 'confirm' ? 'pending' : 'rejected';
    await tx
      .update(promises)
      .set({ status })
      .where(and(eq(promises.key, key), eq(promises.status, 'proposed')));
    await appendAudit(tx, ctx.now(), {
      actor: reviewer,
      action: decision === 'confirm' ? 'promise.confirmed' : 'promise.rejected',
      subject: key,
      data: { by: reviewer.user, role: reviewer.role, proposedBy: found.createdBy, note: note ?? null },
    });
  });
  const [view] = (await listPromises(ctx)).filter((p) => p.key === key);
  return view!;
}
