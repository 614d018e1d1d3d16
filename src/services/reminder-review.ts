import { and, desc, eq, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import { addDays, isIsoDate } from '../core/dates.ts';
import type { ReminderFacts } from '../core/letters.ts';
import type { DbOrTx } from '../db/open.ts';
import { clients, reminders } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { nextSendingTime, zonedInstant } from '../mail/schedule.ts';
import { appendAudit } from './audit.ts';
import { assertMayDecide, type Caller } from './callers.ts';
import type { ServiceContext } from './context.ts';
import { hashValue } from './hash.ts';
import {
  checkReminder,
  getReminder,
  PENDING_STATUSES,
  type ReminderFinding,
  type ReminderRow,
  type ReminderView,
} from './reminders.ts';

/**
 * A person's decisions on drafted reminders: approve (fixes the Message-ID and when it may go out),
 * reject with a reason, edit (guards run again), reschedule, retry a failed sending, and the same in
 * bulk. Every step is one transaction with its audit entry; state checks are made on the locked row,
 * so two reviewers acting at once get one success and one CONFLICT (HTTP 409).
 */
export type Reviewer = Caller;

/** Only a verified finance (or admin) user reviews reminders, on every surface. */
export const assertReviewer = (reviewer: Reviewer): void =>
  assertMayDecide(reviewer, 'finance', 'reviewing reminders');

/** The Message-ID of a reminder: stable, so a retried sending carries the same idempotency key. */
export function messageIdFor(reminderId: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'encours.local';
  return `<${reminderId}@${domain}>`;
}

/** The sender configured for reminders (ENCOURS_MAIL_FROM), else a local default. */
export const senderOf = (ctx: ServiceContext): string =>
  ctx.config.ENCOURS_MAIL_FROM ?? 'encours <reminders@localhost>';

async function lockReminder(tx: DbOrTx, id: string): Promise<ReminderRow> {
  const [row] = await tx.select().from(reminders).where(eq(reminders.id, id)).for('update');
  if (!row)
    throw new AppError(
      'NOT_FOUND',
      `no reminder with id "${id}"`,
      { field: 'id' },
      'list the reminders to see the ids',
    );
  return row;
}

function conflictUnlessStatus(row: ReminderRow, allowed: readonly string[], verb: string): void {
  if (allowed.includes(row.status)) return;
  if (row.status === 'blocked' && verb === 'approve')
    throw new AppError(
      'CONFLICT',
      `reminder ${row.id} is blocked by the guards and cannot be approved: ${((row.findings ?? []) as ReminderFinding[]).map((f) => f.message).join('; ')}`,
      { status: row.status, findings: row.findings },
      'edit the text so the checks pass, or reject it',
    );
  if (row.status === 'superseded')
    throw new AppError(
      'CONFLICT',
      `reminder ${row.id} was superseded by ${row.supersededBy ?? 'a newer draft'}; review that one instead`,
      { status: row.status, supersededBy: row.supersededBy },
    );
  throw new AppError('CONFLICT', `reminder ${row.id} is already ${row.status}; it cannot be ${verb}d`, {
    status: row.status,
  });
}

/** The last day an e-mail went to this client (imported history included), other than `exceptId`. */
async function lastContact(tx: DbOrTx, clientId: number, exceptId: string): Promise<string | null> {
  const [row] = await tx
    .select({ date: reminders.sentDate })
    .from(reminders)
    .where(
      and(
        eq(reminders.clientId, clientId),
        eq(reminders.status, 'sent'),
        isNotNull(reminders.sentDate),
        ne(reminders.id, exceptId),
      ),
    )
    .orderBy(desc(reminders.sentDate))
    .limit(1);
  return row?.date ?? null;
}

/**
 * When an approved reminder may go out: now, or the next opening of the sending window on a business
 * day, not before the reviewer's date nor within the minimum gap after the client's last contact.
 */
export async function earliestSending(
  ctx: ServiceContext,
  tx: DbOrTx,
  row: Pick<ReminderRow, 'id' | 'clientId' | 'scheduledFor'>,
): Promise<Date> {
  const sending = ctx.policy.policy.sending;
  const last = await lastContact(tx, row.clientId, row.id);
  const gapDay = last && sending.minGapDays > 0 ? addDays(last, sending.minGapDays) : null;
  const notBefore =
    [row.scheduledFor, gapDay]
      .filter((d): d is string => !!d)
      .sort()
      .pop() ?? null;
  return nextSendingTime(ctx.now(), sending, notBefore);
}

const overlaps = (a: string[], b: string[]) => a.some((ref) => b.includes(ref));

/**
 * Approves a draft for sending. Refused (CONFLICT) when it is not a `draft` (blocked, already
 * approved, sent, superseded...), when the client has no e-mail address, or when another reminder for
 * the same invoices is already approved and not yet sent. Other pending drafts for the same invoices
 * are superseded, so two drafts for the same invoices can never both be approved.
 */
export async function approveReminder(
  ctx: ServiceContext,
  id: string,
  reviewer: Reviewer,
  opts: { note?: string } = {},
): Promise<ReminderView> {
  assertReviewer(reviewer);
  await ctx.db.transaction(async (tx) => {
    const row = await lockReminder(tx, id);
    // Approvals of one client's reminders run one at a time (overlap check below).
    const [client] = await tx
      .select({ ref: clients.ref, email: clients.email })
      .from(clients)
      .where(eq(clients.id, row.clientId))
      .for('update');
    conflictUnlessStatus(row, ['draft'], 'approve');
    if (!client?.email)
      throw new AppError(
        'CONFLICT',
        `client ${client?.ref ?? row.clientId} has no e-mail address: the reminder could not be sent`,
        { field: 'email' },
        "add the accounts-payable contact on the client's page, then approve",
      );
    const others = await tx
      .select({ id: reminders.id, status: reminders.status, invoiceRefs: reminders.invoiceRefs })
      .from(reminders)
      .where(
        and(
          eq(reminders.clientId, row.clientId),
          ne(reminders.id, id),
          inArray(reminders.status, ['approved', 'sending', ...PENDING_STATUSES]),
        ),
      );
    const clash = others.find(
      (o) => (o.status === 'approved' || o.status === 'sending') && overlaps(o.invoiceRefs, row.invoiceRefs),
    );
    if (clash)
      throw new AppError(
        'CONFLICT',
        `reminder ${clash.id} for the same invoices is already ${clash.status}; only one goes out`,
        { conflictsWith: clash.id },
        'reject this draft, or wait until the other one is sent',
      );
    const now = ctx.now();
    const nextAttemptAt = await earliestSending(ctx, tx, row);
    const messageId = messageIdFor(id, senderOf(ctx));
    await tx
      .update(reminders)
      .set({
        status: 'approved',
        reviewedBy: reviewer.user,
        reviewedAt: now,
        reviewNote: opts.note ?? null,
        messageId,
        nextAttemptAt,
        lastError: null,
      })
      .where(and(eq(reminders.id, id), eq(reminders.status, 'draft')));
    const superseded = others.filter(
      (o) => PENDING_STATUSES.includes(o.status as never) && overlaps(o.invoiceRefs, row.invoiceRefs),
    );
    if (superseded.length)
      await tx
        .update(reminders)
        .set({ status: 'superseded', supersededBy: id })
        .where(
          inArray(
            reminders.id,
            superseded.map((o) => o.id),
          ),
        );
    await appendAudit(
      tx,
      now,
      {
        actor: reviewer,
        action: 'reminder.approved',
        subject: id,
        data: {
          by: reviewer.user,
          role: reviewer.role,
          client: client.ref,
          scenario: row.scenario,
          stage: row.stage,
          invoiceRefs: row.invoiceRefs,
          note: opts.note ?? null,
          messageId,
          textHash: hashValue({ subject: row.subject, body: row.body }),
          notBefore: nextAttemptAt.toISOString(),
        },
      },
      ...superseded.map((o) => ({
        actor: reviewer,
        action: 'reminder.superseded',
        subject: o.id,
        data: { by: id, reason: 'another reminder for the same invoices was approved' },
      })),
    );
  });
  return getReminder(ctx, id);
}

/** Rejects a draft (or a blocked draft, or an approved one not yet sent) with a reason. */
export async function rejectReminder(
  ctx: ServiceContext,
  id: string,
  reviewer: Reviewer,
  opts: { reason: string },
): Promise<ReminderView> {
  assertReviewer(reviewer);
  const reason = opts.reason?.trim() ?? '';
  if (!reason)
    throw new AppError('INVALID_INPUT', 'reason: say why the draft is rejected (kept in the audit log)', {
      field: 'reason',
    });
  await ctx.db.transaction(async (tx) => {
    const row = await lockReminder(tx, id);
    if (row.status === 'rejected') return;
    conflictUnlessStatus(row, ['draft', 'blocked', 'approved', 'failed'], 'reject');
    const now = ctx.now();
    await tx
      .update(reminders)
      .set({
        status: 'rejected',
        reviewedBy: reviewer.user,
        reviewedAt: now,
        reviewNote: reason,
        nextAttemptAt: null,
      })
      .where(eq(reminders.id, id));
    await appendAudit(tx, now, {
      actor: reviewer,
      action: 'reminder.rejected',
      subject: id,
      data: { by: reviewer.user, role: reviewer.role, from: row.status, scenario: row.scenario, reason },
    });
  });
  return getReminder(ctx, id);
}

/** Runs the guards on a text without saving it (the review page calls this on every edit). */
export async function checkReminderText(
  ctx: ServiceContext,
  id: string,
  letter: { subject?: string; body?: string },
): Promise<{ findings: ReminderFinding[]; approvable: boolean }> {
  const current = await getReminder(ctx, id);
  if (!current.facts)
    throw new AppError('CONFLICT', `reminder ${id} has no stored facts to check a text against`);
  const findings = checkReminder(
    { subject: letter.subject ?? current.subject, body: letter.body ?? current.body },
    current.facts as ReminderFacts,
    ctx,
  );
  return { findings, approvable: findings.length === 0 };
}

/**
 * New text for a draft (or a blocked one): checked by the guards again, back to `draft` when clean,
 * `blocked` with the findings otherwise. An approved, sending or sent reminder can no longer be edited.
 */
export async function editReminder(
  ctx: ServiceContext,
  id: string,
  reviewer: Reviewer,
  input: { subject?: string; body?: string; note?: string },
): Promise<ReminderView> {
  assertReviewer(reviewer);
  if (input.body === undefined && input.subject === undefined)
    throw new AppError('INVALID_INPUT', 'edit: give a new body and/or subject', { field: 'body' });
  await ctx.db.transaction(async (tx) => {
    const row = await lockReminder(tx, id);
    conflictUnlessStatus(row, PENDING_STATUSES, 'edit');
    if (!row.facts)
      throw new AppError('CONFLICT', `reminder ${id} has no stored facts to check an edit against`);
    const letter = { subject: input.subject ?? row.subject, body: input.body ?? row.body };
    const findings = checkReminder(letter, row.facts as ReminderFacts, ctx);
    const status = findings.length ? 'blocked' : 'draft';
    await tx
      .update(reminders)
      .set({ ...letter, findings, status, reviewNote: input.note ?? null })
      .where(eq(reminders.id, id));
    await appendAudit(tx, ctx.now(), {
      actor: reviewer,
      action: 'reminder.edited',
      subject: id,
      data: {
        by: reviewer.user,
        status,
        findings,
        previousTextHash: hashValue({ subject: row.subject, body: row.body }),
        textHash: hashValue(letter),
        note: input.note ?? null,
      },
    });
  });
  return getReminder(ctx, id);
}

/** Holds a draft or an approved reminder until a date (it goes out on the first sending day from then). */
export async function rescheduleReminder(
  ctx: ServiceContext,
  id: string,
  reviewer: Reviewer,
  input: { date: string; note?: string },
): Promise<ReminderView> {
  assertReviewer(reviewer);
  if (!isIsoDate(input.date))
    throw new AppError('INVALID_INPUT', `date: expected a calendar date YYYY-MM-DD, got "${input.date}"`, {
      field: 'date',
    });
  await ctx.db.transaction(async (tx) => {
    const row = await lockReminder(tx, id);
    conflictUnlessStatus(row, ['draft', 'blocked', 'approved'], 'reschedule');
    const patch: Partial<ReminderRow> = { scheduledFor: input.date };
    if (row.status === 'approved')
      patch.nextAttemptAt = await earliestSending(ctx, tx, { ...row, scheduledFor: input.date });
    await tx.update(reminders).set(patch).where(eq(reminders.id, id));
    await appendAudit(tx, ctx.now(), {
      actor: reviewer,
      action: 'reminder.rescheduled',
      subject: id,
      data: { by: reviewer.user, date: input.date, status: row.status, note: input.note ?? null },
    });
  });
  return getReminder(ctx, id);
}

/** Puts a failed reminder back in the sending queue (same Message-ID, attempts counted again). */
export async function retryReminder(
  ctx: ServiceContext,
  id: string,
  reviewer: Reviewer,
): Promise<ReminderView> {
  assertReviewer(reviewer);
  await ctx.db.transaction(async (tx) => {
    const row = await lockReminder(tx, id);
    conflictUnlessStatus(row, ['failed'], 'retry');
    const nextAttemptAt = await earliestSending(ctx, tx, row);
    await tx
      .update(reminders)
      .set({ status: 'approved', nextAttemptAt, sendAttempts: 0 })
      .where(eq(reminders.id, id));
    await appendAudit(tx, ctx.now(), {
      actor: reviewer,
      action: 'reminder.retry',
      subject: id,
      data: { by: reviewer.user, lastError: row.lastError, messageId: row.messageId },
    });
  });
  return getReminder(ctx, id);
}

/** A reminder that went out and bounced later (a delivery report): failed, and no longer counted as sent. */
export async function markBounced(
  ctx: ServiceContext,
  id: string,
  reviewer: Reviewer,
  input: { reason: string },
): Promise<ReminderView> {
  assertReviewer(reviewer);
  const reason = input.reason?.trim() ?? '';
  if (!reason) throw new AppError('INVALID_INPUT', 'reason: quote the delivery report', { field: 'reason' });
  await ctx.db.transaction(async (tx) => {
    const row = await lockReminder(tx, id);
    conflictUnlessStatus(row, ['sent'], 'mark bounce');
    await tx
      .update(reminders)
      .set({ status: 'failed', lastError: `bounced: ${reason}`, sentDate: null })
      .where(eq(reminders.id, id));
    await appendAudit(tx, ctx.now(), {
      actor: reviewer,
      action: 'reminder.bounced',
      subject: id,
      data: { by: reviewer.user, messageId: row.messageId, reason },
    });
  });
  return getReminder(ctx, id);
}

export type BulkAction = 'approve' | 'reject' | 'reschedule';

export interface BulkOutcome {
  id: string;
  ok: boolean;
  status?: string;
  error?: { code: string; message: string };
}

/** The same decision on several reminders; each is its own transaction and reports its own outcome. */
export async function bulkReview(
  ctx: ServiceContext,
  reviewer: Reviewer,
  input: { action: BulkAction; ids: string[]; reason?: string; date?: string },
): Promise<BulkOutcome[]> {
  assertReviewer(reviewer);
  const out: BulkOutcome[] = [];
  for (const id of [...new Set(input.ids)]) {
    try {
      const r =
        input.action === 'approve'
          ? await approveReminder(ctx, id, reviewer, input.reason ? { note: input.reason } : {})
          : input.action === 'reject'
            ? await rejectReminder(ctx, id, reviewer, { reason: input.reason ?? '' })
            : await rescheduleReminder(ctx, id, reviewer, {
                date: input.date ?? '',
                ...(input.reason ? { note: input.reason } : {}),
              });
      out.push({ id, ok: true, status: r.status });
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      out.push({ id, ok: false, error: { code: e.code, message: e.message } });
    }
  }
  return out;
}

/** Approved reminders expected to go out on a local date (the forewarning digest and the queue's "today"). */
export async function goingOutOn(ctx: ServiceContext, date: string): Promise<ReminderView[]> {
  const sending = ctx.policy.policy.sending;
  const endOfDay = zonedInstant(addDays(date, 1), '00:00', sending.timeZone);
  const rows = await ctx.db
    .select({ id: reminders.id })
    .from(reminders)
    .where(
      and(
        inArray(reminders.status, ['approved', 'sending']),
        sql`${reminders.nextAttemptAt} < ${endOfDay.toISOString()}`,
      ),
    )
    .orderBy(reminders.nextAttemptAt, reminders.id);
  return Promise.all(rows.map((r) => getReminder(ctx, r.id)));
}

/** The review of the CLI: approving twice as the same reviewer is a no-op. */
export async function reviewReminder(
  ctx: ServiceContext,
  id: string,
  reviewer: Reviewer,
  input: {
    action: 'approve' | 'reject' | 'edit';
    subject?: string;
    body?: string;
    note?: string;
  },
): Promise<ReminderView> {
  if (input.action === 'approve') {
    assertReviewer(reviewer);
    const current = await getReminder(ctx, id);
    if (current.status === 'approved' && current.reviewedBy === reviewer.user) return current;
    return approveReminder(ctx, id, reviewer, input.note ? { note: input.note } : {});
  }
  if (input.action === 'reject')
    return rejectReminder(ctx, id, reviewer, { reason: input.note ?? 'rejected' });
  return editReminder(ctx, id, reviewer, {
    ...(input.subject !== undefined ? { subject: input.subject } : {}),
    ...(input.body !== undefined ? { body: input.body } : {}),
    ...(input.note !== undefined ? { note: input.note } : {}),
  });
}
