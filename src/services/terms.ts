import { and, desc, eq } from 'drizzle-orm';
import { type CreditLimit, creditLimitFor } from '../core/limit.ts';
import type { Minor } from '../core/money.ts';
import type { Decision, Role } from '../core/policy.ts';
import { scoreClient } from '../core/score.ts';
import {
  type DecidedConditions,
  decideTerms,
  type LegalCheck,
  type TermsDecision,
  type TermsReason,
} from '../core/terms.ts';
import type { DbOrTx } from '../db/open.ts';
import { clients, decisions } from '../db/schema.ts';
import { AppError, foundOr } from '../errors.ts';
import { appendAudit } from './audit.ts';
import type { Actor } from './callers.ts';
import { findClient } from './clients.ts';
import { resolveAsOf, type ServiceContext } from './context.ts';
import { loadFacts } from './facts.ts';
import { newId } from './hash.ts';

export type DecisionStatus = 'recommended' | 'pending_approval' | 'decided';

export interface TermsRequestInput {
  /** Client ref or name (accents and case ignored). */
  client: string;
  days: number;
  /** Amount of the quote or order in minor units (cents); 0 when unknown. */
  amount?: Minor;
  endOfMonth?: boolean;
  asOf?: string;
  actor: Actor;
}

/** A terms decision as stored: the recommendation, then the human outcome when there is one. */
export interface DecisionRecord {
  id: string;
  status: DecisionStatus;
  client: { ref: string; name: string };
  asOf: string;
  request: { days: number; amount: Minor; endOfMonth: boolean };
  /** What the policy recommended. */
  decision: Decision;
  rule: string;
  conditions: DecidedConditions;
  reasons: TermsReason[];
  score: number | null;
  grade: string | null;
  exposureBefore: Minor;
  exposureAfter: Minor;
  limit: Minor;
  limitSource: CreditLimit['limitSource'];
  legal: LegalCheck;
  approverRole: Role | null;
  policyVersion: string;
  requestedBy: string;
  /** Who asked a person to decide, when the request is (or was) pending. */
  approvalRequestedBy: string | null;
  finalDecision: Decision | null;
  decidedBy: string | null;
  decidedAt: string | null;
  overrideReason: string | null;
}

/** Everything a fresh evaluation returns: the stored record plus the full core result. */
export type EvaluatedTerms = TermsDecision & DecisionRecord;

/** Context kept with the conditions (the decisions table has no column of its own for it). */
interface StoredConditions extends DecidedConditions {
  context: {
    endOfMonth: boolean;
    rule: string;
    limitSource: CreditLimit['limitSource'];
    approverRole: Role | null;
    legal: LegalCheck;
    modelVersion: string;
  };
}

/**
 * Decides a request for payment terms under the policy and records it (status `recommended`) with a
 * `decision.recommended` audit entry, in one transaction.
 */
export async function evaluateTermsRequest(
  ctx: ServiceContext,
  input: TermsRequestInput,
): Promise<EvaluatedTerms> {
  if (!Number.isInteger(input.days) || input.days < 0 || input.days > 3650)
    throw new AppError(
      'INVALID_INPUT',
      `days: expected a whole number of days between 0 and 3650, got ${input.days}`,
    );
  const amount = input.amount ?? 0;
  if (!Number.isSafeInteger(amount) || amount < 0)
    throw new AppError('INVALID_INPUT', `amount: expected an amount >= 0 in cents, got ${amount}`);
  const asOf = resolveAsOf(ctx, input.asOf);
  const client = await findClient(ctx.db, input.client);
  const [facts] = await loadFacts(ctx.db, [client.id], { scope: 'scoring' });
  const d = decideTerms(
    facts!,
    { days: input.days, amount, endOfMonth: input.endOfMonth },
    asOf,
    ctx.policy.policy,
  );
  const id = newId('dec');
  const stored: StoredConditions = {
    ...d.conditions,
    context: {
      endOfMonth: d.request.endOfMonth,
      rule: d.rule,
      limitSource: d.limitSource,
      approverRole: d.approverRole,
      legal: d.legal,
      modelVersion: d.modelVersion,
    },
  };
  const row = await ctx.db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(decisions)
      .values({
        id,
        clientId: client.id,
        asOf,
        requestedDays: input.days,
        amount,
        recommendation: d.decision,
        conditions: stored,
        reasons: d.reasons,
        score: d.score,
        grade: d.grade,
        exposureBefore: d.exposureBefore,
        exposureAfter: d.exposureAfter,
        creditLimit: d.limit,
        policyVersion: ctx.policy.version,
        status: 'recommended',
        requestedBy: input.actor.user,
      })
      .returning();
    await appendAudit(tx, ctx.now(), {
      actor: input.actor,
      action: 'decision.recommended',
      subject: id,
      data: {
        client: client.ref,
        asOf,
        request: d.request,
        decision: d.decision,
        rule: d.rule,
        conditions: d.conditions,
        score: d.score,
        grade: d.grade,
        exposureAfter: d.exposureAfter,
        limit: d.limit,
        approverRole: d.approverRole,
        modelVersion: d.modelVersion,
        policyVersion: ctx.policy.version,
      },
    });
    return inserted!;
  });
  return { ...toRecord(row, client), ...d, policyVersion: ctx.policy.version };
}

/** Marks a recommendation as waiting for an approver (idempotent while pending). */
export async function requestTermsApproval(
  ctx: ServiceContext,
  decisionId: string,
  actor: Actor,
  note?: string,
): Promise<DecisionRecord> {
  return ctx.db.transaction(async (tx) => {
    const { row, client } = await loadDecision(tx, decisionId);
    if (row.status === 'pending_approval') return toRecord(row, client);
    if (row.status === 'decided')
      throw new AppError(
        'CONFLICT',
        `decision ${decisionId} was already decided (${row.finalDecision}) by ${row.decidedBy}`,
        undefined,
        'request new terms with `encours terms` if the situation changed',
      );
    const [updated] = await tx
      .update(decisions)
      .set({ status: 'pending_approval', approvalRequestedBy: actor.user, approvalRequestedAt: ctx.now() })
      .where(eq(decisions.id, decisionId))
      .returning();
    await appendAudit(tx, ctx.now(), {
      actor,
      action: 'decision.approval_requested',
      subject: decisionId,
      data: {
        client: client.ref,
        recommendation: row.recommendation,
        approverRole: (row.conditions as StoredConditions).context?.approverRole ?? null,
        note: note ?? null,
      },
    });
    return toRecord(updated!, client);
  });
}

export async function getDecision(ctx: ServiceContext, decisionId: string): Promise<DecisionRecord> {
  const { row, client } = await loadDecision(ctx.db, decisionId);
  return toRecord(row, client);
}

/** Recent decisions, newest first, optionally only those with a given status. */
export async function listDecisions(
  ctx: ServiceContext,
  opts: { status?: DecisionStatus; limit?: number; clientId?: number } = {},
): Promise<DecisionRecord[]> {
  const rows = await ctx.db
    .select({ d: decisions, ref: clients.ref, name: clients.name })
    .from(decisions)
    .innerJoin(clients, eq(clients.id, decisions.clientId))
    .where(
      and(
        opts.status ? eq(decisions.status, opts.status) : undefined,
        opts.clientId ? eq(decisions.clientId, opts.clientId) : undefined,
      ),
    )
    .orderBy(desc(decisions.createdAt), desc(decisions.id))
    .limit(opts.limit ?? 50);
  return rows.map((r) => toRecord(r.d, { ref: r.ref, name: r.name }));
}

export interface CreditLimitView extends CreditLimit {
  client: { ref: string; name: string };
  asOf: string;
  score: number;
  grade: string;
}

/** The limit decisions use for a client, with the recommended one and its basis, and the exposure. */
export async function getCreditLimit(
  ctx: ServiceContext,
  clientQuery: string,
  asOf?: string,
): Promise<CreditLimitView> {
  const date = resolveAsOf(ctx, asOf);
  const client = await findClient(ctx.db, clientQuery);
  const [facts] = await loadFacts(ctx.db, [client.id], { scope: 'scoring' });
  const score = scoreClient(facts!, date, ctx.policy.policy);
  return {
    client: { ref: client.ref, name: client.name },
    asOf: date,
    score: score.score,
    grade: score.grade,
    ...creditLimitFor(facts!, date, ctx.policy.policy, score),
  };
}

export type DecisionRow = typeof decisions.$inferSelect;

/** A legal check stored before checks had codes gets its code back from its figures. */
function withLegalCode(legal: LegalCheck | Omit<LegalCheck, 'code' | 'params'>, days: number): LegalCheck {
  if ('code' in legal) return legal;
  const { lawful, maxDays, endOfMonth, reference } = legal;
  return {
    ...legal,
    code: lawful ? 'legal.within' : 'legal.exceeds',
    params: { days, maxDays, endOfMonth, reference },
  };
}

export async function loadDecision(
  db: DbOrTx,
  decisionId: string,
): Promise<{ row: DecisionRow; client: { ref: string; name: string } }> {
  const [found] = await db
    .select({ d: decisions, ref: clients.ref, name: clients.name })
    .from(decisions)
    .innerJoin(clients, eq(clients.id, decisions.clientId))
    .where(eq(decisions.id, decisionId))
    .limit(1);
  const { d, ref, name } = foundOr(
    found,
    `no decision with id "${decisionId}"`,
    { field: 'id' },
    'decision ids look like dec_0123456789abcdef and are printed by `encours terms`',
  );
  return { row: d, client: { ref, name } };
}

export function toRecord(row: DecisionRow, client: { ref: string; name: string }): DecisionRecord {
  const { context, ...conditions } = row.conditions as StoredConditions;
  return {
    id: row.id,
    status: row.status as DecisionStatus,
    client,
    asOf: row.asOf,
    request: { days: row.requestedDays, amount: row.amount, endOfMonth: context.endOfMonth },
    decision: row.recommendation as Decision,
    rule: context.rule,
    conditions,
    reasons: (row.reasons as (TermsReason | { rule: string; text: string })[]).map((r) =>
      'code' in r ? r : { rule: r.rule, code: 'terms.recorded' as const, params: { text: r.text } },
    ),
    score: row.score,
    grade: row.grade,
    exposureBefore: row.exposureBefore,
    exposureAfter: row.exposureAfter,
    limit: row.creditLimit,
    limitSource: context.limitSource,
    legal: withLegalCode(context.legal, row.requestedDays),
    approverRole: context.approverRole,
    policyVersion: row.policyVersion,
    requestedBy: row.requestedBy,
    approvalRequestedBy: row.approvalRequestedBy,
    finalDecision: (row.finalDecision as Decision | null) ?? null,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt ? row.decidedAt.toISOString() : null,
    overrideReason: row.overrideReason,
  };
}
