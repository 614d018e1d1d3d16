import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  real,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** Money columns: integer minor units, exact in JS numbers up to 2^53. */
const money = (name: string) => bigint(name, { mode: 'number' });
/** Calendar dates travel as 'YYYY-MM-DD' strings end to end. */
const day = (name: string) => date(name, { mode: 'string' });
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const clients = pgTable('clients', {
  id: serial('id').primaryKey(),
  ref: text('ref').notNull().unique(),
  name: text('name').notNull(),
  segment: text('segment'),
  sector: text('sector'),
  country: text('country'),
  email: text('email'),
  language: text('language').notNull().default('fr'),
  creditLimit: money('credit_limit'),
  insuranceLimit: money('insurance_limit'),
  termsDays: integer('terms_days'),
  externalScore: integer('external_score'),
  since: day('since'),
  /** Accounts-payable contacts copied on reminders (the `email` column is the main recipient). */
  ccEmails: jsonb('cc_emails').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  createdAt: createdAt(),
});

export const invoices = pgTable(
  'invoices',
  {
    id: serial('id').primaryKey(),
    ref: text('ref').notNull().unique(),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id),
    issueDate: day('issue_date').notNull(),
    dueDate: day('due_date').notNull(),
    deliveredDate: day('delivered_date'),
    /** Amount in the invoice currency. */
    amount: money('amount').notNull(),
    currency: text('currency').notNull(),
    /** Base-currency units per one invoice-currency unit; 1 for base-currency invoices. */
    fxRate: numeric('fx_rate').notNull().default('1'),
    /** Amount converted to base currency at `fxRate`. */
    baseAmount: money('base_amount').notNull(),
    description: text('description'),
    createdAt: createdAt(),
  },
  (t) => [index('invoices_client_idx').on(t.clientId), index('invoices_due_idx').on(t.dueDate)],
);

export const payments = pgTable(
  'payments',
  {
    id: serial('id').primaryKey(),
    /** The payment's own reference, or a stable key derived from the CSV row when absent. */
    ref: text('ref').notNull().unique(),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id),
    date: day('date').notNull(),
    /** In the currency of the invoice it settles. */
    amount: money('amount').notNull(),
    kind: text('kind').notNull().default('payment'),
    createdAt: createdAt(),
  },
  (t) => [index('payments_client_idx').on(t.clientId)],
);

/** How each payment is applied to invoices (a payment may settle several, an invoice take several). */
export const paymentAllocations = pgTable(
  'payment_allocations',
  {
    id: serial('id').primaryKey(),
    paymentId: integer('payment_id')
      .notNull()
      .references(() => payments.id, { onDelete: 'cascade' }),
    invoiceId: integer('invoice_id')
      .notNull()
      .references(() => invoices.id),
    amount: money('amount').notNull(),
    baseAmount: money('base_amount').notNull(),
  },
  (t) => [
    index('allocations_invoice_idx').on(t.invoiceId),
    uniqueIndex('allocations_payment_invoice_uq').on(t.paymentId, t.invoiceId),
  ],
);

export const disputes = pgTable(
  'disputes',
  {
    id: serial('id').primaryKey(),
    invoiceId: integer('invoice_id')
      .notNull()
      .references(() => invoices.id),
    openedDate: day('opened_date').notNull(),
    reason: text('reason').notNull(),
    status: text('status').notNull().default('open'),
    resolvedDate: day('resolved_date'),
    owner: text('owner'),
    /** Disputed amount in invoice currency; null = whole invoice. */
    amount: money('amount'),
    /** Agreed next step: send proof, correct, credit note, re-invoice. */
    action: text('action'),
    deadline: day('deadline'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('disputes_invoice_opened_uq').on(t.invoiceId, t.openedDate)],
);

export const disputeEvents = pgTable(
  'dispute_events',
  {
    id: serial('id').primaryKey(),
    disputeId: integer('dispute_id')
      .notNull()
      .references(() => disputes.id, { onDelete: 'cascade' }),
    date: day('date').notNull(),
    /** client | us | system. Client text is untrusted data. */
    author: text('author').notNull(),
    kind: text('kind').notNull(),
    note: text('note').notNull(),
    createdBy: text('created_by'),
    createdAt: createdAt(),
  },
  (t) => [index('dispute_events_dispute_idx').on(t.disputeId)],
);

export const promises = pgTable(
  'promises',
  {
    id: serial('id').primaryKey(),
    /** Stable identity for idempotent import and recording. */
    key: text('key').notNull().unique(),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id),
    invoiceId: integer('invoice_id').references(() => invoices.id),
    madeDate: day('made_date'),
    promisedDate: day('promised_date').notNull(),
    amount: money('amount').notNull(),
    status: text('status').notNull().default('pending'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
  },
  (t) => [index('promises_client_idx').on(t.clientId)],
);

export const orders = pgTable(
  'orders',
  {
    id: serial('id').primaryKey(),
    ref: text('ref').notNull().unique(),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id),
    date: day('date').notNull(),
    amount: money('amount').notNull(),
    status: text('status').notNull().default('open'),
    createdAt: createdAt(),
  },
  (t) => [index('orders_client_idx').on(t.clientId)],
);

/**
 * Reminders: the history of reminders sent (imported) and the drafts the agent prepares, with their
 * lifecycle: draft -> approved -> sending -> sent | failed, or rejected, superseded (drafted again),
 * blocked (a guard found a problem). At most one pending draft per client and stage.
 */
export const reminders = pgTable(
  'reminders',
  {
    id: text('id').primaryKey(),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id),
    asOf: day('as_of').notNull(),
    stage: text('stage').notNull(),
    scenario: text('scenario').notNull(),
    tone: text('tone').notNull(),
    language: text('language').notNull(),
    status: text('status').notNull(),
    subject: text('subject').notNull().default(''),
    body: text('body').notNull().default(''),
    invoiceRefs: jsonb('invoice_refs').$type<string[]>().notNull(),
    /** The tool results the draft was built from, for the groundedness check and the reviewer. */
    facts: jsonb('facts').$type<unknown>(),
    findings: jsonb('findings').$type<unknown[]>().notNull().default(sql`'[]'::jsonb`),
    promptVersion: text('prompt_version'),
    createdBy: text('created_by').notNull(),
    reviewedBy: text('reviewed_by'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewNote: text('review_note'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** The date the reminder went out (imported history, or sent by encours). */
    sentDate: day('sent_date'),
    /** The e-mail's Message-ID, fixed at approval: the idempotency key of the sending. */
    messageId: text('message_id').unique(),
    /** Not sent before this day (rescheduled by a reviewer). */
    scheduledFor: day('scheduled_for'),
    /** When the sender may try next (sending window, minimum gap, retry back-off). */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    sendAttempts: integer('send_attempts').notNull().default(0),
    /** When the current attempt started (status `sending`). */
    sendingSince: timestamp('sending_since', { withTimezone: true }),
    lastError: text('last_error'),
    /** `{to, cc}` as sent, and the SHA-256 of what was sent: the proof kept with the audit entry. */
    recipients: jsonb('recipients').$type<{ to: string[]; cc: string[] }>(),
    contentHash: text('content_hash'),
    supersededBy: text('superseded_by'),
    createdAt: createdAt(),
  },
  (t) => [
    index('reminders_client_idx').on(t.clientId),
    index('reminders_status_idx').on(t.status),
    // One pending draft per client and stage: drafting again supersedes the pending one.
    uniqueIndex('reminders_pending_uq').on(t.clientId, t.stage).where(sql`status in ('draft', 'blocked')`),
  ],
);

/** A pause of reminders for a whole client (invoiceId null) or one invoice, until a resume date. */
export const pauses = pgTable(
  'pauses',
  {
    id: text('id').primaryKey(),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id),
    invoiceId: integer('invoice_id').references(() => invoices.id),
    reason: text('reason').notNull(),
    /** First day reminders may resume; null = until someone ends the pause. */
    resumeDate: day('resume_date'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endedBy: text('ended_by'),
  },
  (t) => [index('pauses_client_idx').on(t.clientId)],
);

/** Terms requests: the recommendation the core made and the final human decision. */
export const decisions = pgTable(
  'decisions',
  {
    id: text('id').primaryKey(),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id),
    asOf: day('as_of').notNull(),
    requestedDays: integer('requested_days').notNull(),
    amount: money('amount').notNull().default(0),
    recommendation: text('recommendation').notNull(),
    conditions: jsonb('conditions').$type<unknown>().notNull(),
    reasons: jsonb('reasons').$type<unknown>().notNull(),
    score: integer('score'),
    grade: text('grade'),
    exposureBefore: money('exposure_before').notNull(),
    exposureAfter: money('exposure_after').notNull(),
    creditLimit: money('credit_limit').notNull(),
    policyVersion: text('policy_version').notNull(),
    /** recommended | pending_approval | decided */
    status: text('status').notNull(),
    finalDecision: text('final_decision'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    overrideReason: text('override_reason'),
    requestedBy: text('requested_by').notNull(),
    /** Who asked a person to decide (pending request); may differ from who asked for the terms. */
    approvalRequestedBy: text('approval_requested_by'),
    approvalRequestedAt: timestamp('approval_requested_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('decisions_client_idx').on(t.clientId)],
);

export const scoreSnapshots = pgTable(
  'score_snapshots',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id),
    asOf: day('as_of').notNull(),
    score: integer('score').notNull(),
    grade: text('grade').notNull(),
    band: text('band').notNull(),
    confidence: real('confidence').notNull(),
    pLate: real('p_late').notNull(),
    factors: jsonb('factors').$type<unknown>().notNull(),
    modelVersion: text('model_version').notNull(),
    policyVersion: text('policy_version').notNull(),
    inputHash: text('input_hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('score_snapshots_client_idx').on(t.clientId, t.asOf),
    uniqueIndex('score_snapshots_identity_uq').on(t.clientId, t.asOf, t.modelVersion, t.inputHash),
  ],
);

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  role: text('role').notNull(),
  slackId: text('slack_id').unique(),
  email: text('email'),
  /** sha256 of the bearer token; the token itself is shown once and never stored. */
  tokenHash: text('token_hash').notNull().unique(),
  /** Argon2id hash (PHC string) of the web password set with `encours users passwd`; null = no web login. */
  passwordHash: text('password_hash'),
  /** Language of the pages for this user (fr | en). */
  language: text('language'),
  createdAt: createdAt(),
});

/** Web sessions: the cookie holds a random id; only its SHA-256 is stored, with the CSRF token. */
export const sessions = pgTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/**
 * Append-only, tamper-evident: each row stores the hash of the previous row and its own hash over
 * (seq, at, actor, action, subject, data, prevHash). `audit verify` recomputes the chain.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    /** ISO timestamp kept as text so the hashed value round-trips exactly. */
    at: text('at').notNull(),
    actor: text('actor').notNull(),
    /** cli, mcp-stdio, mcp-http, web, slack, agent, system; null on rows from before it was kept. */
    channel: text('channel'),
    action: text('action').notNull(),
    subject: text('subject'),
    data: jsonb('data').$type<unknown>().notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_action_idx').on(t.action)],
);

/**
 * Slack messages that show a terms request (the asker's answer, the finance channel post), so a
 * decision taken anywhere (Slack, web, CLI) replaces their buttons with its status line.
 * `shownState` is the request state the message displays; `pending` on a decided request means
 * "replace its buttons".
 */
export const slackMessages = pgTable(
  'slack_messages',
  {
    id: serial('id').primaryKey(),
    decisionId: text('decision_id')
      .notNull()
      .references(() => decisions.id),
    /** origin (where the request was made) | finance (the approvers' channel) */
    kind: text('kind').notNull(),
    channel: text('channel').notNull(),
    /** Null for an ephemeral message, which only its response_url can replace. */
    ts: text('ts'),
    responseUrl: text('response_url'),
    /** The person the message is about (the requester), for their language and notifications. */
    slackUserId: text('slack_user_id'),
    language: text('language').notNull().default('fr'),
    shownState: text('shown_state').notNull().default('pending'),
    createdAt: createdAt(),
  },
  (t) => [index('slack_messages_decision_idx').on(t.decisionId)],
);

/** Slack event ids already handled: Slack re-delivers an event it thinks was missed. */
export const slackEvents = pgTable('slack_events', {
  eventId: text('event_id').primaryKey(),
  receivedAt: createdAt(),
});
