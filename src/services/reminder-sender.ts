import { and, eq, inArray, sql } from 'drizzle-orm';
import { planClientDunning } from '../core/dunning.ts';
import type { ReminderFacts } from '../core/letters.ts';
import { formatMoney } from '../core/money.ts';
import { queryRows } from '../db/rows.ts';
import { clients, reminders, users } from '../db/schema.ts';
import { MailError, type Mailer, type OutgoingMail } from '../mail/mailer.ts';
import { localDate, nextSendingTime } from '../mail/schedule.ts';
import { appendAudit } from './audit.ts';
import { SYSTEM } from './callers.ts';
import { defaultAsOf, type ServiceContext } from './context.ts';
import { loadFacts } from './facts.ts';
import { hashValue } from './hash.ts';
import { earliestSending, goingOutOn, messageIdFor, senderOf } from './reminder-review.ts';
import { PENDING_STATUSES, type ReminderFinding, type ReminderRow } from './reminders.ts';

/**
 * Sends approved reminders exactly once. A sender claims due rows with one UPDATE over
 * `FOR UPDATE SKIP LOCKED` (status approved -> sending), so two `encours serve` processes on one
 * database never take the same reminder. The Message-ID fixed at approval travels with every attempt.
 * Before sending, the facts are checked again: an invoice paid, disputed, paused or promised since
 * the draft sends the reminder back to review. A transient SMTP failure is retried with back-off; a
 * permanent one (or too many attempts) marks it `failed`, visible in the queue. An attempt interrupted
 * by a crash is never resent blindly: it is marked failed for a person to check.
 */
export interface SendOutcome {
  id: string;
  status: 'sent' | 'retry' | 'failed' | 'returned' | 'deferred';
  messageId: string | null;
  detail: string;
}

/** Scenarios that chase a debt: re-checked at send time. Acknowledgements and confirmations are not. */
const DUNNING_SCENARIOS = ['friendly', 'clear', 'firm', 'final_notice', 'formal_notice', 'call_recap'];

/** An attempt older than this with no outcome was interrupted (the process died mid-send). */
const STALE_SENDING_MS = 15 * 60_000;
const MAX_BACKOFF_MS = 60 * 60_000;

export interface SenderDeps {
  mailer: Mailer;
}

/** Sends what is due now (or only `ids`), returning one outcome per reminder claimed. */
export async function sendDueReminders(
  ctx: ServiceContext,
  deps: SenderDeps,
  opts: { ids?: string[]; limit?: number } = {},
): Promise<SendOutcome[]> {
  await recoverInterrupted(ctx);
  const claimed = await claim(ctx, opts.ids, opts.limit ?? 50);
  const out: SendOutcome[] = [];
  for (const row of claimed) out.push(await sendOne(ctx, deps, row));
  return out;
}

async function claim(ctx: ServiceContext, ids: string[] | undefined, limit: number): Promise<ReminderRow[]> {
  if (ids && !ids.length) return [];
  const now = ctx.now().toISOString();
  const only = ids
    ? sql`and id in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})`
    : sql``;
  const claimed = await queryRows<{ id: string }>(
    ctx.db,
    sql`
    update reminders set status = 'sending', sending_since = ${now}, send_attempts = send_attempts + 1
    where id in (
      select id from reminders
      where status = 'approved' and next_attempt_at <= ${now} ${only}
      order by next_attempt_at, id
      limit ${limit}
      for update skip locked)
    returning id`,
  );
  const claimedIds = claimed.map((r) => r.id);
  if (!claimedIds.length) return [];
  return ctx.db.select().from(reminders).where(inArray(reminders.id, claimedIds)).orderBy(reminders.id);
}

async function recoverInterrupted(ctx: ServiceContext): Promise<void> {
  const before = new Date(ctx.now().getTime() - STALE_SENDING_MS);
  await ctx.db.transaction(async (tx) => {
    const stale = await tx
      .update(reminders)
      .set({
        status: 'failed',
        lastError:
          'interrupted while sending: it may or may not have gone out; check the mail server for its Message-ID before retrying',
      })
      .where(and(eq(reminders.status, 'sending'), sql`${reminders.sendingSince} < ${before.toISOString()}`))
      .returning({ id: reminders.id, messageId: reminders.messageId });
    if (stale.length)
      await appendAudit(
        tx,
        ctx.now(),
        ...stale.map((r) => ({
          actor: SYSTEM,
          action: 'reminder.send_interrupted',
          subject: r.id,
          data: { messageId: r.messageId },
        })),
      );
  });
}

/** What changed since the draft that makes the letter wrong, one finding per invoice. */
export async function recheckFacts(ctx: ServiceContext, row: ReminderRow): Promise<ReminderFinding[]> {
  if (!DUNNING_SCENARIOS.includes(row.scenario) || !row.facts) return [];
  const facts = row.facts as ReminderFacts;
  const asOf = defaultAsOf(ctx);
  const [clientFacts] = await loadFacts(ctx.db, [row.clientId]);
  const plan = clientFacts ? planClientDunning(clientFacts, asOf, ctx.policy.policy) : null;
  const covered = new Map((plan?.covered ?? []).map((i) => [i.ref, i]));
  const excluded = new Map((plan?.excluded ?? []).map((i) => [i.ref, i]));
  const findings: ReminderFinding[] = [];
  for (const inv of facts.invoices) {
    const now = covered.get(inv.ref);
    const out = excluded.get(inv.ref);
    if (out)
      findings.push({
        check: 'recheck',
        kind: out.reason,
        text: inv.ref,
        message: `${inv.ref}: ${out.detail} (since the draft of ${row.asOf})`,
      });
    else if (!now)
      findings.push({
        check: 'recheck',
        kind: 'settled',
        text: inv.ref,
        message: `${inv.ref} is no longer overdue (paid or credited since the draft of ${row.asOf})`,
      });
    else if (now.openCents !== inv.open)
      findings.push({
        check: 'recheck',
        kind: 'amount_changed',
        text: inv.ref,
        message: `${inv.ref}: ${formatMoney(now.openCents, facts.currency, 'en')} is now open; the letter says ${formatMoney(inv.open, facts.currency, 'en')}`,
      });
  }
  return findings;
}

function buildMail(
  ctx: ServiceContext,
  row: ReminderRow,
  client: { email: string; ccEmails: string[] },
): OutgoingMail {
  return {
    messageId: row.messageId!,
    from: senderOf(ctx),
    replyTo: ctx.config.ENCOURS_MAIL_REPLY_TO ?? null,
    to: [client.email],
    cc: client.ccEmails.filter((e) => e && e !== client.email),
    subject: row.subject,
    text: row.body,
    language: row.language,
  };
}

/** The proof kept in the audit log: what was sent, to whom, as a hash of the canonical message. */
export const contentHashOf = (mail: OutgoingMail): string =>
  hashValue({
    messageId: mail.messageId,
    from: mail.from,
    replyTo: mail.replyTo,
    to: mail.to,
    cc: mail.cc,
    subject: mail.subject,
    text: mail.text,
  });

async function sendOne(ctx: ServiceContext, deps: SenderDeps, row: ReminderRow): Promise<SendOutcome> {
  const [client] = await ctx.db
    .select({ ref: clients.ref, email: clients.email, ccEmails: clients.ccEmails })
    .from(clients)
    .where(eq(clients.id, row.clientId));
  const outcome = (status: SendOutcome['status'], detail: string): SendOutcome => ({
    id: row.id,
    status,
    messageId: row.messageId,
    detail,
  });

  // The client may have been contacted meanwhile (catch-up after a missed run): keep the gap.
  const notBefore = await ctx.db.transaction((tx) => earliestSending(ctx, tx, row));
  if (notBefore.getTime() > ctx.now().getTime()) {
    await ctx.db
      .update(reminders)
      .set({ status: 'approved', nextAttemptAt: notBefore, sendAttempts: row.sendAttempts - 1 })
      .where(and(eq(reminders.id, row.id), eq(reminders.status, 'sending')));
    return outcome('deferred', `not before ${notBefore.toISOString()} (sending window, minimum gap)`);
  }

  const findings = await recheckFacts(ctx, row);
  if (findings.length) {
    await ctx.db.transaction(async (tx) => {
      // Back to review, unless a newer draft already waits for this client and stage.
      const [pending] = await tx
        .select({ id: reminders.id })
        .from(reminders)
        .where(
          and(
            eq(reminders.clientId, row.clientId),
            eq(reminders.stage, row.stage),
            inArray(reminders.status, [...PENDING_STATUSES]),
          ),
        )
        .limit(1);
      await tx
        .update(reminders)
        .set({
          status: pending ? 'superseded' : 'blocked',
          supersededBy: pending?.id ?? null,
          findings: [...((row.findings ?? []) as ReminderFinding[]), ...findings],
          nextAttemptAt: null,
          sendingSince: null,
        })
        .where(eq(reminders.id, row.id));
      await appendAudit(tx, ctx.now(), {
        actor: SYSTEM,
        action: 'reminder.returned_to_review',
        subject: row.id,
        data: { client: client?.ref, findings, messageId: row.messageId },
      });
    });
    return outcome('returned', findings.map((f) => f.message).join('; '));
  }

  if (!client?.email) return fail(ctx, row, outcome, 'the client has no e-mail address', false);
  const mail = buildMail(ctx, row, { email: client.email, ccEmails: client.ccEmails ?? [] });
  const contentHash = contentHashOf(mail);
  let response: string;
  let accepted: string[];
  try {
    const sent = await deps.mailer.send(mail);
    response = sent.response;
    accepted = sent.accepted;
  } catch (e) {
    const err = e instanceof MailError ? e : new MailError((e as Error).message ?? String(e), true);
    return fail(ctx, row, outcome, err.message, err.transient);
  }
  const now = ctx.now();
  const sentDate = localDate(now, ctx.policy.policy.sending);
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(reminders)
      .set({
        status: 'sent',
        sentAt: now,
        sentDate,
        recipients: { to: mail.to, cc: mail.cc },
        contentHash,
        lastError: null,
        sendingSince: null,
        nextAttemptAt: null,
      })
      .where(eq(reminders.id, row.id));
    await appendAudit(tx, now, {
      actor: SYSTEM,
      action: 'reminder.sent',
      subject: row.id,
      data: {
        client: client.ref,
        stage: row.stage,
        invoiceRefs: row.invoiceRefs,
        messageId: mail.messageId,
        from: mail.from,
        to: mail.to,
        cc: mail.cc,
        accepted,
        contentHash,
        attempts: row.sendAttempts,
        transport: deps.mailer.kind,
        response,
        approvedBy: row.reviewedBy,
      },
    });
  });
  return outcome('sent', response);
}

async function fail(
  ctx: ServiceContext,
  row: ReminderRow,
  outcome: (s: SendOutcome['status'], d: string) => SendOutcome,
  error: string,
  transient: boolean,
): Promise<SendOutcome> {
  const sending = ctx.policy.policy.sending;
  const retry = transient && row.sendAttempts < sending.maxAttempts;
  const backoff = Math.min(MAX_BACKOFF_MS, sending.retryBaseSeconds * 1000 * 2 ** (row.sendAttempts - 1));
  const next = retry ? nextSendingTime(new Date(ctx.now().getTime() + backoff), sending) : null;
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(reminders)
      .set({
        status: retry ? 'approved' : 'failed',
        lastError: error,
        nextAttemptAt: next,
        sendingSince: null,
      })
      .where(eq(reminders.id, row.id));
    await appendAudit(tx, ctx.now(), {
      actor: SYSTEM,
      action: retry ? 'reminder.send_retry' : 'reminder.send_failed',
      subject: row.id,
      data: {
        messageId: row.messageId,
        attempt: row.sendAttempts,
        error,
        transient,
        nextAttemptAt: next?.toISOString() ?? null,
      },
    });
  });
  return retry ? outcome('retry', `${error}; next attempt ${next!.toISOString()}`) : outcome('failed', error);
}

/**
 * The forewarning digest: once a day, before anything goes out, finance users with an e-mail address
 * get the list of reminders due to go out that day. Returns null when there is nothing to announce or
 * it was already sent (one `reminder.digest_sent` audit entry per day).
 */
export async function sendForewarningDigest(
  ctx: ServiceContext,
  deps: SenderDeps,
): Promise<{ date: string; count: number; to: string[] } | null> {
  const date = localDate(ctx.now(), ctx.policy.policy.sending);
  const already = await queryRows(
    ctx.db,
    sql`select 1 from audit_log where action = 'reminder.digest_sent' and subject = ${date} limit 1`,
  );
  if (already.length) return null;
  const due = await goingOutOn(ctx, date);
  if (!due.length) return null;
  const recipients = (
    await ctx.db
      .select({ email: users.email })
      .from(users)
      .where(inArray(users.role, ['finance', 'admin']))
  )
    .map((u) => u.email)
    .filter((e): e is string => !!e);
  if (!recipients.length) return null;
  const lines = due.map(
    (r) =>
      `- ${r.clientName} (${r.clientRef}): ${r.stage}, ${r.invoiceRefs.join(', ')}${r.facts ? `, ${formatMoney(r.facts.totalOpen, r.facts.currency, 'fr')}` : ''}; approuvé par ${r.reviewedBy ?? '?'}`,
  );
  const base = ctx.config.ENCOURS_PUBLIC_URL ?? '';
  const text = [
    `Relances prévues le ${date} (${due.length}) :`,
    '',
    ...lines,
    '',
    `Pour en retenir une, ouvrez la file de revue${base ? ` : ${base.replace(/\/$/, '')}/reminders` : ''} (reporter ou rejeter).`,
  ].join('\n');
  const from = senderOf(ctx);
  await deps.mailer.send({
    messageId: messageIdFor(`digest-${date}`, from),
    from,
    replyTo: null,
    to: recipients,
    cc: [],
    subject: `encours : ${due.length} relance(s) partent aujourd'hui`,
    text,
    language: 'fr',
  });
  await ctx.db.transaction((tx) =>
    appendAudit(tx, ctx.now(), {
      actor: SYSTEM,
      action: 'reminder.digest_sent',
      subject: date,
      data: { to: recipients, reminders: due.map((r) => r.id) },
    }),
  );
  return { date, count: due.length, to: recipients };
}

/**
 * The background sender of `encours serve`: every `intervalSeconds`, the day's digest (once) then
 * whatever is due. Catches up after a missed run (approved reminders wait in the database). Ticks
 * never overlap; an error is logged and the next tick tries again.
 */
export function startSending(
  ctx: ServiceContext,
  deps: SenderDeps,
  opts: { intervalSeconds: number; log: (line: string) => void },
): { stop: () => Promise<void> } {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = (async () => {
      try {
        const digest = await sendForewarningDigest(ctx, deps);
        if (digest) opts.log(`sender: forewarning digest for ${digest.date} sent to ${digest.to.join(', ')}`);
        for (const o of await sendDueReminders(ctx, deps))
          opts.log(`sender: ${o.id} ${o.status}${o.status === 'sent' ? '' : `: ${o.detail}`}`);
      } catch (e) {
        opts.log(`sender: ${(e as Error).message}`);
      } finally {
        running = null;
      }
    })();
  };
  const timer = setInterval(tick, opts.intervalSeconds * 1000);
  timer.unref();
  tick();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
