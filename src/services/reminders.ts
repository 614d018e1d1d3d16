import { and, desc, eq, inArray, ne, or } from 'drizzle-orm';
import { checkLetter, type LetterFinding } from '../core/content-guard.ts';
import { planClientDunning } from '../core/dunning.ts';
import {
  buildReminderFacts,
  type Letter,
  type ReminderFacts,
  SCENARIOS,
  type Scenario,
  writeLetter,
} from '../core/letters.ts';
import type { ClientFacts } from '../core/types.ts';
import { clients, reminders } from '../db/schema.ts';
import { AppError, foundOr, invalidInput } from '../errors.ts';
import { appendAudit } from './audit.ts';
import type { Actor } from './callers.ts';
import { findClient } from './clients.ts';
import { defaultAsOf, type ServiceContext } from './context.ts';
import { loadFacts } from './facts.ts';
import { newId } from './hash.ts';

/**
 * Reminder drafts: facts from the dunning plan, text from a writer (deterministic templates offline,
 * Claude when configured), guards (groundedness + legal lint), one retry with the findings for a
 * writer that can use them, then storage as `draft` (offered for review) or `blocked` (never
 * offered). Review: approve, reject or edit (edits are re-checked). Everything is audited.
 */

export const REMINDER_STATUSES = [
  'draft',
  'blocked',
  'approved',
  'sending',
  'sent',
  'failed',
  'rejected',
  'superseded',
] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];
/** Waiting for a reviewer: at most one per client and stage. */
export const PENDING_STATUSES: readonly ReminderStatus[] = ['draft', 'blocked'];

/** A guard's finding (`recheck`: found when the facts were checked again at send time). */
export type ReminderFinding = LetterFinding;

export interface WrittenLetter extends Letter {
  /** Tokens the writer spent, when it is a model. */
  usage?: { inputTokens: number; outputTokens: number; cacheWriteTokens: number; cacheReadTokens: number };
  model?: string;
}

/** Produces a letter from facts; `feedback` carries the findings of a failed first attempt. */
export interface ReminderWriter {
  /** `templates` or a model name. */
  name: string;
  /** Prompt version for model writers (logged with the draft). */
  promptVersion: string | null;
  /** Whether a second attempt with the findings can produce a different text. */
  canRetry: boolean;
  write(
    facts: ReminderFacts,
    feedback?: { previous: Letter; findings: ReminderFinding[] },
  ): Promise<WrittenLetter>;
}

/** The offline writer: deterministic templates, our own wording. */
export const templateWriter: ReminderWriter = {
  name: 'templates',
  promptVersion: null,
  canRetry: false,
  write: async (facts) => writeLetter(facts),
};

export interface ReminderView {
  id: string;
  clientRef: string;
  clientName: string;
  asOf: string;
  stage: string;
  scenario: string;
  tone: string;
  language: string;
  status: ReminderStatus;
  subject: string;
  body: string;
  invoiceRefs: string[];
  findings: ReminderFinding[];
  facts: ReminderFacts | null;
  promptVersion: string | null;
  createdBy: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewNote: string | null;
  createdAt: string;
  /** Sending: the Message-ID fixed at approval, attempts, the last error, what was sent and when. */
  sending: {
    messageId: string | null;
    scheduledFor: string | null;
    nextAttemptAt: string | null;
    attempts: number;
    lastError: string | null;
    recipients: { to: string[]; cc: string[] } | null;
    contentHash: string | null;
    sentAt: string | null;
    sentDate: string | null;
  };
  supersededBy: string | null;
}

export interface DraftResult extends ReminderView {
  /** False when an identical pending draft already existed and was returned unchanged. */
  created: boolean;
  /** Writer attempts (2 when the first failed the guards and was retried). */
  attempts: number;
  writer: string;
}

/** Runs every guard on a letter (the one checker of drafts, supplied bodies and edits). */
export function checkReminder(letter: Letter, facts: ReminderFacts, ctx: ServiceContext): ReminderFinding[] {
  return checkLetter(letter, facts, ctx.policy.policy);
}

export type ReminderRow = typeof reminders.$inferSelect;

export function toView(row: ReminderRow, client: { ref: string; name: string }): ReminderView {
  return {
    id: row.id,
    clientRef: client.ref,
    clientName: client.name,
    asOf: row.asOf,
    stage: row.stage,
    scenario: row.scenario,
    tone: row.tone,
    language: row.language,
    status: row.status as ReminderStatus,
    subject: row.subject,
    body: row.body,
    invoiceRefs: row.invoiceRefs,
    findings: (row.findings ?? []) as ReminderFinding[],
    facts: (row.facts ?? null) as ReminderFacts | null,
    promptVersion: row.promptVersion,
    createdBy: row.createdBy,
    reviewedBy: row.reviewedBy,
    reviewedAt: row.reviewedAt ? row.reviewedAt.toISOString() : null,
    reviewNote: row.reviewNote,
    createdAt: row.createdAt.toISOString(),
    sending: {
      messageId: row.messageId,
      scheduledFor: row.scheduledFor,
      nextAttemptAt: row.nextAttemptAt ? row.nextAttemptAt.toISOString() : null,
      attempts: row.sendAttempts,
      lastError: row.lastError,
      recipients: row.recipients ?? null,
      contentHash: row.contentHash,
      sentAt: row.sentAt ? row.sentAt.toISOString() : null,
      sentDate: row.sentDate,
    },
    supersededBy: row.supersededBy,
  };
}

function parseScenario(value: string | undefined): Scenario | undefined {
  if (value === undefined) return undefined;
  const s = value.replace(/-/g, '_') as Scenario;
  if (!SCENARIOS.includes(s))
    throw new AppError('INVALID_INPUT', `scenario: expected one of ${SCENARIOS.join(', ')}, got "${value}"`, {
      field: 'scenario',
    });
  return s;
}

export interface DraftReminderInput {
  /** Client ref or name. */
  client: string;
  asOf?: string;
  /** Default: the scenario of the plan's next stage. */
  scenario?: string;
  /** For a dispute acknowledgement or promise confirmation: the invoice concerned. */
  invoiceRef?: string;
  /** For a call recap: the call as noted (date defaults to the as-of date). */
  call?: { date?: string; notes: string };
  /** Text written by a person or a model: checked and stored as is (no writer, no retry). */
  subject?: string;
  body?: string;
  actor: Actor;
  writer?: ReminderWriter;
}

/**
 * Drafts one reminder for a client. Returns the stored draft (`draft` or `blocked`). An identical
 * pending draft (same client, stage, as-of date and scenario, still draft or blocked) is returned as
 * is, so re-running changes nothing; any other pending draft of that client and stage is superseded
 * by the new one (one pending draft per client and stage, enforced by a unique index).
 */
export async function draftReminder(ctx: ServiceContext, input: DraftReminderInput): Promise<DraftResult> {
  const asOf = input.asOf ?? defaultAsOf(ctx);
  const client = await findClient(ctx.db, input.client);
  const [facts] = await loadFacts(ctx.db, [client.id]);
  return draftFromFacts(ctx, client, facts!, { ...input, asOf, scenario: parseScenario(input.scenario) });
}

async function draftFromFacts(
  ctx: ServiceContext,
  client: { id: number; ref: string; name: string },
  clientFacts: ClientFacts,
  input: Omit<DraftReminderInput, 'client' | 'scenario'> & { asOf: string; scenario?: Scenario },
): Promise<DraftResult> {
  const policy = ctx.policy.policy;
  const plan = planClientDunning(clientFacts, input.asOf, policy);
  const built = buildReminderFacts(clientFacts, plan, input.asOf, policy, {
    ...(input.scenario ? { scenario: input.scenario } : {}),
    ...(input.invoiceRef ? { invoiceRef: input.invoiceRef } : {}),
    ...(input.call ? { call: { date: input.call.date ?? input.asOf, notes: input.call.notes } } : {}),
  });
  if (!built.ok)
    throw new AppError(
      'CONFLICT',
      `no reminder to draft: ${built.reason}`,
      { client: client.ref },
      `see \`encours reminders plan --client ${client.ref}\``,
    );
  const facts = built.facts;
  const supplied = input.body !== undefined;
  const writer = supplied ? null : (input.writer ?? templateWriter);

  const [existing] = await ctx.db
    .select()
    .from(reminders)
    .where(
      and(
        eq(reminders.clientId, client.id),
        eq(reminders.stage, facts.stage),
        inArray(reminders.status, [...PENDING_STATUSES]),
      ),
    )
    .limit(1);
  if (
    existing &&
    existing.asOf === input.asOf &&
    existing.scenario === facts.scenario &&
    (!supplied || (existing.body === input.body && existing.subject === (input.subject ?? existing.subject)))
  )
    return { ...toView(existing, client), created: false, attempts: 0, writer: writer?.name ?? 'supplied' };

  let letter: WrittenLetter;
  let attempts = 1;
  const usage = { inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0 };
  const addUsage = (u: WrittenLetter['usage']) => {
    if (!u) return;
    usage.inputTokens += u.inputTokens;
    usage.outputTokens += u.outputTokens;
    usage.cacheWriteTokens += u.cacheWriteTokens;
    usage.cacheReadTokens += u.cacheReadTokens;
  };
  if (supplied) {
    letter = { subject: input.subject ?? writeLetter(facts).subject, body: input.body ?? '' };
  } else {
    letter = await writer!.write(facts);
    addUsage(letter.usage);
  }
  let findings = checkReminder(letter, facts, ctx);
  const firstFindings = findings;
  if (findings.length && writer?.canRetry) {
    attempts = 2;
    letter = await writer.write(facts, { previous: letter, findings });
    addUsage(letter.usage);
    findings = checkReminder(letter, facts, ctx);
  }
  const status: ReminderStatus = findings.length ? 'blocked' : 'draft';
  const id = newId('rem');
  const promptVersion = writer?.promptVersion ?? null;
  const row = await ctx.db.transaction(async (tx) => {
    // The unique index on pending drafts makes a concurrent draft of the same client and stage fail here.
    const superseded = await tx
      .update(reminders)
      .set({ status: 'superseded', supersededBy: id })
      .where(
        and(
          eq(reminders.clientId, client.id),
          eq(reminders.stage, facts.stage),
          inArray(reminders.status, [...PENDING_STATUSES]),
        ),
      )
      .returning({ id: reminders.id });
    for (const old of superseded)
      await appendAudit(tx, ctx.now(), {
        actor: input.actor,
        action: 'reminder.superseded',
        subject: old.id,
        data: { by: id, client: client.ref, stage: facts.stage },
      });
    const [inserted] = await tx
      .insert(reminders)
      .values({
        id,
        clientId: client.id,
        asOf: input.asOf,
        stage: facts.stage,
        scenario: facts.scenario,
        tone: facts.tone,
        language: facts.language,
        status,
        subject: letter.subject,
        body: letter.body,
        invoiceRefs: facts.invoices.map((i) => i.ref),
        facts,
        findings,
        promptVersion,
        createdBy: input.actor.user,
      })
      .returning();
    await appendAudit(tx, ctx.now(), {
      actor: input.actor,
      action: status === 'draft' ? 'reminder.drafted' : 'reminder.blocked',
      subject: id,
      data: {
        client: client.ref,
        asOf: input.asOf,
        stage: facts.stage,
        scenario: facts.scenario,
        language: facts.language,
        invoiceRefs: facts.invoices.map((i) => i.ref),
        totalOpen: facts.totalOpen,
        writer: writer?.name ?? 'supplied',
        model: letter.model ?? null,
        promptVersion,
        attempts,
        ...(attempts > 1 ? { firstAttemptFindings: firstFindings } : {}),
        findings,
        usage,
      },
    });
    return inserted!;
  });
  return { ...toView(row, client), created: true, attempts, writer: writer?.name ?? 'supplied' };
}

export interface DraftRemindersResult {
  asOf: string;
  drafts: DraftResult[];
  /** Clients due for an action that got no draft, and why. */
  skipped: { clientRef: string; name: string; reason: string }[];
}

/** One draft per client due for an action (action date on or before asOf) in the dunning plan. */
export async function draftReminders(
  ctx: ServiceContext,
  input: { asOf?: string; client?: string; actor: Actor; writer?: ReminderWriter },
): Promise<DraftRemindersResult> {
  const asOf = input.asOf ?? defaultAsOf(ctx);
  const only = input.client ? await findClient(ctx.db, input.client) : null;
  const all = await loadFacts(ctx.db, only ? [only.id] : undefined);
  const rows = await ctx.db.select({ id: clients.id, ref: clients.ref, name: clients.name }).from(clients);
  const byRef = new Map(rows.map((r) => [r.ref, r]));
  const drafts: DraftResult[] = [];
  const skipped: DraftRemindersResult['skipped'] = [];
  for (const facts of all) {
    const plan = planClientDunning(facts, asOf, ctx.policy.policy);
    const next = plan?.nextAction;
    if (!plan || !next || next.date > asOf) continue;
    const client = byRef.get(facts.client.ref)!;
    if (next.stage === 'legal') {
      skipped.push({
        clientRef: client.ref,
        name: client.name,
        reason: 'legal stage: filing for an order for payment is a human step; no letter drafted',
      });
      continue;
    }
    try {
      drafts.push(
        await draftFromFacts(ctx, client, facts, {
          asOf,
          actor: input.actor,
          ...(input.writer ? { writer: input.writer } : {}),
        }),
      );
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'CONFLICT') throw e;
      skipped.push({ clientRef: client.ref, name: client.name, reason: e.message });
    }
  }
  return { asOf, drafts, skipped };
}

/** Reminders, newest first, optionally by status and client; imported sent history only with a status or includeHistory. */
export async function listReminders(
  ctx: ServiceContext,
  opts: { status?: string; client?: string; limit?: number; includeHistory?: boolean } = {},
): Promise<ReminderView[]> {
  if (opts.status !== undefined && !(REMINDER_STATUSES as readonly string[]).includes(opts.status))
    throw invalidInput('status', `expected one of ${REMINDER_STATUSES.join(', ')}, got "${opts.status}"`);
  const client = opts.client ? await findClient(ctx.db, opts.client) : null;
  // Imported history (reminders sent before encours) is shown only when asked for.
  const hideHistory = !opts.status && !opts.includeHistory;
  const conditions = [
    ...(opts.status ? [eq(reminders.status, opts.status)] : []),
    ...(hideHistory ? [or(ne(reminders.status, 'sent'), ne(reminders.createdBy, 'import'))!] : []),
    ...(client ? [eq(reminders.clientId, client.id)] : []),
  ];
  const rows = await ctx.db
    .select({ reminder: reminders, ref: clients.ref, name: clients.name })
    .from(reminders)
    .innerJoin(clients, eq(clients.id, reminders.clientId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(reminders.createdAt), desc(reminders.id))
    .limit(opts.limit ?? 500);
  return rows.map((r) => toView(r.reminder, { ref: r.ref, name: r.name }));
}

export async function getReminder(ctx: ServiceContext, id: string): Promise<ReminderView> {
  const [row] = await ctx.db
    .select({ reminder: reminders, ref: clients.ref, name: clients.name })
    .from(reminders)
    .innerJoin(clients, eq(clients.id, reminders.clientId))
    .where(eq(reminders.id, id))
    .limit(1);
  const found = foundOr(
    row,
    `no reminder with id "${id}"`,
    { field: 'id' },
    '`encours reminders list` shows the ids',
  );
  return toView(found.reminder, { ref: found.ref, name: found.name });
}
