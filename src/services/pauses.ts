import { and, desc, eq, isNull } from 'drizzle-orm';
import { isIsoDate } from '../core/dates.ts';
import { clients, invoices, pauses } from '../db/schema.ts';
import { AppError, foundOr } from '../errors.ts';
import { appendAudit } from './audit.ts';
import type { Actor } from './callers.ts';
import { findClient } from './clients.ts';
import { defaultAsOf, type ServiceContext } from './context.ts';
import { newId } from './hash.ts';

/**
 * Pauses of reminders, asked for by a person (a client in temporary difficulty, an invoice being
 * re-issued): for the whole client or one invoice, with a reason and an optional resume date. The
 * dunning plan leaves paused invoices out (reason `paused`), and a reminder already approved for
 * them goes back to review at send time.
 */
export interface PauseView {
  id: string;
  client: { ref: string; name: string };
  invoiceRef: string | null;
  reason: string;
  resumeDate: string | null;
  createdBy: string;
  createdAt: string;
  endedAt: string | null;
  endedBy: string | null;
  active: boolean;
}

export async function pauseReminders(
  ctx: ServiceContext,
  actor: Actor,
  input: { client: string; invoiceRef?: string; reason: string; resumeDate?: string },
): Promise<PauseView> {
  const reason = input.reason?.trim() ?? '';
  if (!reason)
    throw new AppError('INVALID_INPUT', 'reason: say why reminders are paused', { field: 'reason' });
  if (input.resumeDate !== undefined) {
    if (!isIsoDate(input.resumeDate))
      throw new AppError('INVALID_INPUT', `resumeDate: expected YYYY-MM-DD, got "${input.resumeDate}"`, {
        field: 'resumeDate',
      });
    if (input.resumeDate <= defaultAsOf(ctx))
      throw new AppError('INVALID_INPUT', `resumeDate: ${input.resumeDate} is not in the future`, {
        field: 'resumeDate',
      });
  }
  const client = await findClient(ctx.db, input.client);
  let invoiceId: number | null = null;
  if (input.invoiceRef) {
    const [inv] = await ctx.db
      .select({ id: invoices.id })
      .from(invoices)
      .where(and(eq(invoices.ref, input.invoiceRef), eq(invoices.clientId, client.id)));
    invoiceId = foundOr(inv, `client ${client.ref} has no invoice "${input.invoiceRef}"`, {
      field: 'invoiceRef',
    }).id;
  }
  const id = newId('pau');
  await ctx.db.transaction(async (tx) => {
    await tx.insert(pauses).values({
      id,
      clientId: client.id,
      invoiceId,
      reason,
      resumeDate: input.resumeDate ?? null,
      createdBy: actor.user,
      createdAt: ctx.now(),
    });
    await appendAudit(tx, ctx.now(), {
      actor,
      action: 'reminders.paused',
      subject: id,
      data: {
        client: client.ref,
        invoiceRef: input.invoiceRef ?? null,
        reason,
        resumeDate: input.resumeDate ?? null,
      },
    });
  });
  return getPause(ctx, id);
}

export async function endPause(ctx: ServiceContext, id: string, actor: Actor): Promise<PauseView> {
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(pauses).where(eq(pauses.id, id)).for('update');
    foundOr(row, `no pause with id "${id}"`, { field: 'id' });
    if (row!.endedAt) return;
    await tx.update(pauses).set({ endedAt: ctx.now(), endedBy: actor.user }).where(eq(pauses.id, id));
    await appendAudit(tx, ctx.now(), { actor, action: 'reminders.resumed', subject: id, data: {} });
  });
  return getPause(ctx, id);
}

type Row = { p: typeof pauses.$inferSelect; ref: string; name: string; invoiceRef: string | null };

function toView(ctx: ServiceContext, r: Row): PauseView {
  const today = defaultAsOf(ctx);
  return {
    id: r.p.id,
    client: { ref: r.ref, name: r.name },
    invoiceRef: r.invoiceRef,
    reason: r.p.reason,
    resumeDate: r.p.resumeDate,
    createdBy: r.p.createdBy,
    createdAt: r.p.createdAt.toISOString(),
    endedAt: r.p.endedAt ? r.p.endedAt.toISOString() : null,
    endedBy: r.p.endedBy,
    active: !r.p.endedAt && (r.p.resumeDate === null || r.p.resumeDate > today),
  };
}

const select = (ctx: ServiceContext) =>
  ctx.db
    .select({ p: pauses, ref: clients.ref, name: clients.name, invoiceRef: invoices.ref })
    .from(pauses)
    .innerJoin(clients, eq(clients.id, pauses.clientId))
    .leftJoin(invoices, eq(invoices.id, pauses.invoiceId));

export async function getPause(ctx: ServiceContext, id: string): Promise<PauseView> {
  const [row] = await select(ctx).where(eq(pauses.id, id)).limit(1);
  return toView(ctx, foundOr(row, `no pause with id "${id}"`, { field: 'id' }));
}

/** Pauses, newest first; `active` only those in force today. */
export async function listPauses(
  ctx: ServiceContext,
  opts: { client?: string; active?: boolean } = {},
): Promise<PauseView[]> {
  const client = opts.client ? await findClient(ctx.db, opts.client) : null;
  const rows = await select(ctx)
    .where(
      and(
        client ? eq(pauses.clientId, client.id) : undefined,
        opts.active ? isNull(pauses.endedAt) : undefined,
      ),
    )
    .orderBy(desc(pauses.createdAt), desc(pauses.id))
    .limit(500);
  return rows.map((r) => toView(ctx, r)).filter((p) => !opts.active || p.active);
}
