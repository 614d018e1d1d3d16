import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { isIsoDate } from '../core/dates.ts';
import { factsAsOf, invoiceStates } from '../core/ledger.ts';
import type { Minor } from '../core/money.ts';
import { clients, disputeEvents, disputes, invoices, reminders } from '../db/schema.ts';
import { AppError, foundOr } from '../errors.ts';
import { appendAudit } from './audit.ts';
import type { Actor } from './callers.ts';
import { defaultAsOf, type ServiceContext } from './context.ts';
import { loadFacts } from './facts.ts';
import { EVENT_AUTHORS } from './import/spec.ts';
import { assertReviewer, type Reviewer } from './reminder-review.ts';

/** Who can speak in a dispute: the same list the import accepts in dispute_events.csv. */
export const DISPUTE_EVENT_AUTHORS = EVENT_AUTHORS;
export type DisputeEventAuthor = (typeof DISPUTE_EVENT_AUTHORS)[number];

/**
 * What can be logged on a dispute. `opened` starts a dispute when none is open (which stops
 * reminders on the invoice); closing one is left to a finance reviewer, never to a logged event.
 */
export const DISPUTE_EVENT_KINDS = [
  'opened',
  'note',
  'call',
  'email',
  'proof_requested',
  'proof_sent',
  'correction_proposed',
  'credit_note_proposed',
  'escalated',
] as const;
export type DisputeEventKind = (typeof DISPUTE_EVENT_KINDS)[number];

export interface DisputeFile {
  asOf: string;
  invoice: {
    ref: string;
    issueDate: string;
    dueDate: string;
    deliveredDate: string | null;
    description: string | null;
    currency: string;
    /** In the invoice currency. */
    amount: Minor;
    /** The rest in base currency, as of `asOf`. */
    baseAmount: Minor;
    settled: Minor;
    open: Minor;
    daysOverdue: number;
  };
  client: { ref: string; name: string; email: string | null; language: string };
  baseCurrency: string;
  disputes: {
    openedDate: string;
    status: 'open' | 'resolved' | 'rejected';
    resolvedDate: string | null;
    reason: string;
    owner: string | null;
    /** Disputed amount in base currency; null = the whole invoice. */
    amount: Minor | null;
    action: string | null;
    deadline: string | null;
    events: {
      date: string;
      author: DisputeEventAuthor;
      kind: string;
      note: string;
      recordedBy: string | null;
    }[];
  }[];
  promises: {
    madeDate: string | null;
    promisedDate: string;
    amount: Minor;
    status: string;
    /** Whether the promise names this invoice or covers the client's account in general. */
    scope: 'invoice' | 'account';
  }[];
  reminders: { asOf: string; stage: string; status: string; sentDate: string | null; createdBy: string }[];
}

async function invoiceByRef(ctx: ServiceContext, invoiceRef: string) {
  const ref = invoiceRef.trim();
  const [row] = await ctx.db
    .select({ invoice: invoices, client: clients })
    .from(invoices)
    .innerJoin(clients, eq(clients.id, invoices.clientId))
    .where(eq(invoices.ref, ref))
    .limit(1);
  return foundOr(
    row,
    `no invoice with ref "${ref}"`,
    { field: 'invoiceRef' },
    'give the invoice ref exactly as on the invoice; list-overdue-invoices shows open ones',
  );
}

/**
 * Everything a person needs before a call about a disputed invoice: the invoice and what is still
 * owed, each dispute with its owner, status, deadline and agreed action, every event in date order
 * with who said it, the promises made and the reminders prepared or sent. As of `asOf`: nothing
 * later is shown, and a dispute resolved after it is still open.
 */
export async function getDisputeFile(
  ctx: ServiceContext,
  invoiceRef: string,
  asOf: string,
): Promise<DisputeFile> {
  const { invoice, client } = await invoiceByRef(ctx, invoiceRef);
  if (invoice.issueDate > asOf)
    throw new AppError(
      'NOT_FOUND',
      `invoice ${invoice.ref} was issued on ${invoice.issueDate}, after the as-of date ${asOf}`,
      { field: 'asOf' },
      'use a later as-of date',
    );
  const [facts] = await loadFacts(ctx.db, [client.id]);
  const known = factsAsOf(facts!, asOf);
  const state = invoiceStates(known, asOf).find((s) => s.invoice.ref === invoice.ref)!;

  // Rows carry what facts do not (action, deadline, who recorded an event); facts carry the as-of view.
  const disputeRows = await ctx.db
    .select()
    .from(disputes)
    .where(eq(disputes.invoiceId, invoice.id))
    .orderBy(asc(disputes.openedDate));
  const eventRows = await ctx.db
    .select({ event: disputeEvents, openedDate: disputes.openedDate })
    .from(disputeEvents)
    .innerJoin(disputes, eq(disputes.id, disputeEvents.disputeId))
    .where(eq(disputes.invoiceId, invoice.id))
    .orderBy(asc(disputeEvents.date), asc(disputeEvents.id));

  const disputeList = known.disputes
    .filter((d) => d.invoiceRef === invoice.ref)
    .map((d) => {
      const row = disputeRows.find((r) => r.openedDate === d.openedDate);
      return {
        openedDate: d.openedDate,
        status: d.status,
        resolvedDate: d.resolvedDate,
        reason: d.reason,
        owner: d.owner,
        amount: d.amount,
        action: row?.action ?? null,
        deadline: row?.deadline ?? null,
        events: eventRows
          .filter((e) => e.openedDate === d.openedDate && e.event.date <= asOf)
          .map(({ event: e }) => ({
            date: e.date,
            author: (DISPUTE_EVENT_AUTHORS as readonly string[]).includes(e.author)
              ? (e.author as DisputeEventAuthor)
              : 'system',
            kind: e.kind,
            note: e.note,
            recordedBy: e.createdBy,
          })),
      };
    });

  const promiseList = known.promises
    .filter((p) => p.invoiceRef === invoice.ref || p.invoiceRef === null)
    .map((p) => ({
      madeDate: p.madeDate,
      promisedDate: p.promisedDate,
      amount: p.amount,
      status: p.status,
      scope: p.invoiceRef === null ? ('account' as const) : ('invoice' as const),
    }));

  const reminderRows = await ctx.db
    .select()
    .from(reminders)
    .where(
      and(
        eq(reminders.clientId, client.id),
        sql`${reminders.invoiceRefs} @> ${JSON.stringify([invoice.ref])}::jsonb`,
        sql`${reminders.asOf} <= ${asOf}`,
      ),
    )
    .orderBy(asc(reminders.asOf), asc(reminders.createdAt));

  return {
    asOf,
    invoice: {
      ref: invoice.ref,
      issueDate: invoice.issueDate,
      dueDate: invoice.dueDate,
      deliveredDate: invoice.deliveredDate,
      description: invoice.description,
      currency: invoice.currency,
      amount: invoice.amount,
      baseAmount: invoice.baseAmount,
      settled: state.settled,
      open: state.open,
      daysOverdue: state.daysOverdue,
    },
    client: { ref: client.ref, name: client.name, email: client.email, language: client.language },
    baseCurrency: ctx.policy.policy.baseCurrency,
    disputes: disputeList,
    promises: promiseList,
    reminders: reminderRows.map((r) => ({
      asOf: r.asOf,
      stage: r.stage,
      status: r.status,
      sentDate: r.sentDate,
      createdBy: r.createdBy,
    })),
  };
}

export interface DisputeEventInput {
  invoiceRef: string;
  date: string;
  author: DisputeEventAuthor;
  kind: DisputeEventKind;
  note: string;
  /** Recorded in the audit log and on the event. */
  actor: Actor;
  /**
   * True when the event comes from MCP or the agent: a dispute it opens is `proposed` and pauses no
   * reminder until a finance user confirms it.
   */
  proposal?: boolean;
}

export interface LoggedDisputeEvent {
  invoiceRef: string;
  clientRef: string;
  disputeOpenedDate: string;
  disputeStatus: string;
  /** True when this call opened the dispute. */
  openedDispute: boolean;
  /** False when the same event was already recorded (the call changed nothing). */
  created: boolean;
  event: {
    date: string;
    author: DisputeEventAuthor;
    kind: DisputeEventKind;
    note: string;
    recordedBy: string;
  };
}

/**
 * Adds an event to the invoice's current dispute, in one transaction with its audit entry.
 * `opened` starts a dispute when none is open; any other kind needs an existing dispute. Logging
 * the same event twice records it once.
 */
export async function logDisputeEvent(
  ctx: ServiceContext,
  input: DisputeEventInput,
): Promise<LoggedDisputeEvent> {
  if (!isIsoDate(input.date))
    throw new AppError('INVALID_INPUT', `date: expected a calendar date YYYY-MM-DD, got "${input.date}"`, {
      field: 'date',
    });
  const note = input.note.trim();
  if (!note) throw new AppError('INVALID_INPUT', 'note: must not be empty', { field: 'note' });
  const { invoice, client } = await invoiceByRef(ctx, input.invoiceRef);
  if (input.date < invoice.issueDate)
    throw new AppError(
      'INVALID_INPUT',
      `date: ${input.date} is before invoice ${invoice.ref} was issued (${invoice.issueDate})`,
      { field: 'date' },
    );
  const today = defaultAsOf(ctx);
  if (input.date > today)
    throw new AppError(
      'INVALID_INPUT',
      `date: ${input.date} is after today (${today}); log what has happened`,
      {
        field: 'date',
      },
    );

  return ctx.db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(disputes)
      .where(eq(disputes.invoiceId, invoice.id))
      .orderBy(desc(disputes.openedDate));
    let dispute = rows.find((d) => d.status === 'open' || d.status === 'proposed') ?? null;
    let openedDispute = false;
    if (!dispute) {
      if (input.kind !== 'opened')
        throw new AppError(
          'NOT_FOUND',
          `invoice ${invoice.ref} has no open dispute`,
          { field: 'invoiceRef' },
          'log an event of kind "opened" to start one (its note is the reason)',
        );
      const sameDay = rows.find((d) => d.openedDate === input.date);
      if (sameDay)
        throw new AppError(
          'CONFLICT',
          `a dispute on ${invoice.ref} opened on ${input.date} is already ${sameDay.status}`,
          { field: 'date' },
          'a closed dispute is reopened by finance; log on another date to open a new one',
        );
      const [created] = await tx
        .insert(disputes)
        .values({
          invoiceId: invoice.id,
          openedDate: input.date,
          reason: note,
          status: input.proposal ? 'proposed' : 'open',
        })
        .returning();
      dispute = created!;
      openedDispute = true;
    }
    const d = dispute!;
    const [existing] = await tx
      .select()
      .from(disputeEvents)
      .where(
        and(
          eq(disputeEvents.disputeId, d.id),
          eq(disputeEvents.date, input.date),
          eq(disputeEvents.author, input.author),
          eq(disputeEvents.kind, input.kind),
          eq(disputeEvents.note, note),
        ),
      )
      .limit(1);
    const event = { date: input.date, author: input.author, kind: input.kind, note };
    const result: LoggedDisputeEvent = {
      invoiceRef: invoice.ref,
      clientRef: client.ref,
      disputeOpenedDate: d.openedDate,
      disputeStatus: d.status,
      openedDispute,
      created: !existing,
      event: { ...event, recordedBy: existing?.createdBy ?? input.actor.user },
    };
    if (existing) return result;
    await tx.insert(disputeEvents).values({ disputeId: d.id, ...event, createdBy: input.actor.user });
    await appendAudit(tx, ctx.now(), {
      actor: input.actor,
      action: openedDispute
        ? input.proposal
          ? 'dispute.proposed'
          : 'dispute.opened'
        : 'dispute.event_logged',
      subject: invoice.ref,
      data: { client: client.ref, disputeOpenedDate: d.openedDate, ...event },
    });
    return result;
  });
}

/**
 * A finance user's decision on a dispute proposed over MCP or by the agent: confirmed, it is open
 * (reminders on the invoice pause); dismissed, it never takes effect (its events stay on file).
 */
export async function decideProposedDispute(
  ctx: ServiceContext,
  invoiceRef: string,
  reviewer: Reviewer,
  decision: 'confirm' | 'dismiss',
  note?: string,
): Promise<{ invoiceRef: string; openedDate: string; status: string }> {
  assertReviewer(reviewer);
  const { invoice } = await invoiceByRef(ctx, invoiceRef);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(disputes)
      .where(and(eq(disputes.invoiceId, invoice.id), eq(disputes.status, 'proposed')))
      .for('update');
    if (!row)
      throw new AppError('NOT_FOUND', `invoice ${invoice.ref} has no proposed dispute`, {
        field: 'invoiceRef',
      });
    const status = decision === 'confirm' ? 'open' : 'dismissed';
    await tx.update(disputes).set({ status }).where(eq(disputes.id, row.id));
    await appendAudit(tx, ctx.now(), {
      actor: reviewer,
      action: decision === 'confirm' ? 'dispute.confirmed' : 'dispute.dismissed',
      subject: invoice.ref,
      data: { by: reviewer.user, role: reviewer.role, openedDate: row.openedDate, note: note ?? null },
    });
    return { invoiceRef: invoice.ref, openedDate: row.openedDate, status };
  });
}
