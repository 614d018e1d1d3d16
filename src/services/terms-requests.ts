import { and, eq, ne } from 'drizzle-orm';
import { formatMoney } from '../core/money.ts';
import { DECISIONS, type Decision } from '../core/policy.ts';
import { leastRoleAllowed, mayDecide } from '../core/terms.ts';
import { decisions } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { appendAudit } from './audit.ts';
import type { Caller } from './callers.ts';
import type { ServiceContext } from './context.ts';
import { sha256 } from './hash.ts';
import { type DecisionRecord, listDecisions, loadDecision, toRecord } from './terms.ts';

/**
 * The terms-requests queue: a recommendation someone asked a person to decide. Every surface that
 * shows the queue (Slack, web pages, API) reads the same states and goes through `decideTermsRequest`.
 *
 *   pending -> approved | declined | overridden
 *
 * `overridden` is a human decision against the core's direction (it said decline and a person
 * granted terms, or it said approve and a person declined); `needs_approval` has no direction.
 */
export type TermsRequestState = 'recommended' | 'pending' | 'approved' | 'declined' | 'overridden';

/** What a person decides on a pending request. */
export type Verdict = 'approve' | 'decline';

export interface TermsRequest extends DecisionRecord {
  state: TermsRequestState;
  /** Changes whenever anything a decider looks at changes: a click on an older view is stale. */
  revision: string;
}

const grants = (d: Decision) => d === 'approve' || d === 'approve_with_conditions';

export function requestState(r: DecisionRecord): TermsRequestState {
  if (r.status === 'recommended') return 'recommended';
  if (r.status === 'pending_approval' || !r.finalDecision) return 'pending';
  const granted = grants(r.finalDecision);
  if (r.decision === 'decline' && granted) return 'overridden';
  if (grants(r.decision) && !granted) return 'overridden';
  return granted ? 'approved' : 'declined';
}

export function revisionOf(r: DecisionRecord): string {
  return sha256(
    JSON.stringify([
      r.status,
      r.finalDecision,
      r.decidedBy,
      r.decidedAt,
      r.request,
      r.exposureAfter,
      r.limit,
    ]),
  ).slice(0, 12);
}

export const asTermsRequest = (r: DecisionRecord): TermsRequest => ({
  ...r,
  state: requestState(r),
  revision: revisionOf(r),
});

export async function getTermsRequest(ctx: ServiceContext, decisionId: string): Promise<TermsRequest> {
  const { row, client } = await loadDecision(ctx.db, decisionId);
  return asTermsRequest(toRecord(row, client));
}

/** Pending requests, oldest first (the order a finance person works through them). */
export async function listPendingRequests(ctx: ServiceContext, limit = 100): Promise<TermsRequest[]> {
  const rows = await listDecisions(ctx, { status: 'pending_approval', limit });
  return rows.reverse().map(asTermsRequest);
}

/**
 * The decision an approval grants: what the core recommended when it granted terms, else plain
 * approval or approval with the conditions the core computed.
 */
export function grantedDecision(r: DecisionRecord): Decision {
  if (grants(r.decision)) return r.decision;
  const c = r.conditions;
  const conditional = c.depositPercent > 0 || c.prepayment || c.guarantee || c.maxDays < r.request.days;
  return conditional ? 'approve_with_conditions' : 'approve';
}

/** True when this verdict goes against the core's direction, so it needs a reason. */
export const isOverride = (r: DecisionRecord, verdict: Verdict): boolean =>
  verdict === 'approve' ? r.decision === 'decline' : grants(r.decision);

/** Strips the `agent:` prefix older rows carry, so a request made through the assistant is still yours. */
const personOf = (actor: string | null) => (actor ?? '').replace(/^agent:/, '');

export interface DecideInput {
  decisionId: string;
  /**
   * approve (the recommendation when it grants terms, else approval with the core's conditions) or
   * decline; or an explicit final decision `{ to }` (an override, which always needs a reason).
   */
  verdict: Verdict | { to: Decision };
  /** Who decides: a verified user the policy allows to take that decision at that exposure. */
  decider: Caller;
  /** Required to decline, to override, and to go against the core's direction. */
  reason?: string;
  /** The revision the decider was shown; a different current one is refused as stale. */
  revision?: string;
  /** What the surface knows about the decider (e.g. the Slack user id), kept in the audit entry. */
  via?: Record<string, string>;
  /** Only check that this decider could decide (before asking them for a reason); writes nothing. */
  dryRun?: boolean;
}

/**
 * The one way a person decides terms, on every surface (CLI, web pages, API, Slack): once, by a
 * verified user who did not ask for them (four eyes) and whom the policy allows to take that decision
 * at that exposure, with a reason to decline or override; unlawful terms can only be declined. A
 * second decision, or one taken on a stale view, is a CONFLICT and changes nothing; repeating the
 * same decision as the same person is a no-op. Written with its audit entry in one transaction.
 */
export async function decideTermsRequest(ctx: ServiceContext, input: DecideInput): Promise<TermsRequest> {
  const reason = input.reason?.trim() ?? '';
  const { decider, verdict } = input;
  const explicit = typeof verdict === 'object' ? verdict.to : null;
  if (explicit !== null && !DECISIONS.includes(explicit))
    throw new AppError('INVALID_INPUT', `to: expected one of ${DECISIONS.join(', ')}, got "${explicit}"`, {
      field: 'to',
    });
  if (!decider.verified)
    throw new AppError(
      'UNAUTHORIZED',
      `${decider.user} is not a known encours user: only a verified user with the rights in the policy may decide terms`,
      { field: 'decider', reason: 'unverified', needed: 'finance' },
    );
  const policy = ctx.policy.policy;
  return ctx.db.transaction(async (tx) => {
    const { row, client } = await loadDecision(tx, input.decisionId);
    const current = asTermsRequest(toRecord(row, client));
    const to: Decision = explicit ?? (verdict === 'approve' ? grantedDecision(current) : 'decline');
    if (row.status === 'decided') {
      if (row.finalDecision === to && row.decidedBy === decider.user && !input.dryRun) return current;
      throw new AppError(
        'CONFLICT',
        `request ${row.id} was already decided (${current.state}) by ${current.decidedBy}`,
        {
          field: 'decisionId',
          state: current.state,
          decidedBy: current.decidedBy,
          decidedAt: current.decidedAt,
        },
        'request new terms if the situation changed',
      );
    }
    if (input.revision && input.revision !== current.revision)
      throw new AppError('CONFLICT', `request ${row.id} changed since it was shown; look at it again`, {
        field: 'revision',
        state: current.state,
      });
    // Four eyes: whoever asked for the terms, or asked for them to be approved, never decides them.
    const requesters = [personOf(row.requestedBy), personOf(row.approvalRequestedBy)];
    if (requesters.includes(decider.user))
      throw new AppError(
        'FORBIDDEN',
        `${decider.user} asked for these terms and may not decide them too (four-eyes rule): another person must`,
        { field: 'decider', reason: 'requester', rule: 'four-eyes' },
        'ask another user with the rights the policy requires',
      );
    const override = explicit !== null || isOverride(current, verdict as Verdict);
    if ((to === 'decline' || override) && !reason && !input.dryRun)
      throw new AppError(
        'INVALID_INPUT',
        `reason: required to ${override ? 'go against the recommendation' : 'decline'} (it is kept in the audit log)`,
        { field: 'reason' },
      );
    if (to !== 'decline' && !current.legal.lawful)
      throw new AppError(
        'FORBIDDEN',
        `${current.request.days} days exceeds the legal maximum of ${current.legal.maxDays} days (${current.legal.reference}); nobody may grant it`,
        { field: 'verdict', reason: 'unlawful' },
        `request lawful terms (at most ${current.legal.maxDays} days)`,
      );
    if (!mayDecide(policy, decider.role, to, row.exposureAfter)) {
      const needed = leastRoleAllowed(policy, to, row.exposureAfter);
      throw new AppError(
        'FORBIDDEN',
        `${decider.user} (${decider.role}) may not decide "${to}" at an exposure of ${formatMoney(row.exposureAfter, policy.baseCurrency, 'en')}: ${needed ? `the policy requires the ${needed} role` : 'no role in the policy may'}`,
        { field: 'decider', reason: 'rights', role: decider.role, needed },
        needed ? `ask a user with the ${needed} role to decide` : 'change the approval rights in the policy',
      );
    }
    if (input.dryRun) return current;
    const decidedAt = ctx.now();
    const [updated] = await tx
      .update(decisions)
      .set({
        status: 'decided',
        finalDecision: to,
        decidedBy: decider.user,
        decidedAt,
        overrideReason: reason || null,
      })
      .where(and(eq(decisions.id, row.id), ne(decisions.status, 'decided')))
      .returning();
    if (!updated)
      throw new AppError('CONFLICT', `request ${row.id} was decided by someone else meanwhile`, {
        field: 'decisionId',
      });
    const decided = asTermsRequest(toRecord(updated, client));
    await appendAudit(tx, decidedAt, {
      actor: decider,
      action: `terms_request.${decided.state}`,
      subject: row.id,
      data: {
        client: client.ref,
        recommendation: row.recommendation,
        verdict: explicit === null ? verdict : 'override',
        to,
        role: decider.role,
        exposureAfter: row.exposureAfter,
        reason: reason || null,
        ...input.via,
      },
    });
    return decided;
  });
}
