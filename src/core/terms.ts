import type { IsoDate } from './dates.ts';
import { factsAsOf } from './ledger.ts';
import { type CreditLimit, creditLimitFromHistory } from './limit.ts';
import { formatMoney, type Minor, percentOf } from './money.ts';
import { paymentHistory } from './payment-history.ts';
import {
  type Decision,
  type DecisionRule,
  type Grade,
  type Policy,
  ROLES,
  type Role,
  type RuleCondition,
} from './policy.ts';
import { type Band, MODEL_VERSION, scoreFromHistory } from './score.ts';
import type { ClientFacts } from './types.ts';

export interface TermsRequest {
  /** Payment terms asked for, in days. */
  days: number;
  /** Amount of the quote or order, in minor units (0 when unknown). */
  amount: Minor;
  /** "N days end of month" rather than N days from the invoice date. */
  endOfMonth?: boolean;
}

export interface DecidedConditions {
  depositPercent: number;
  /** depositPercent of the requested amount, rounded to the cent. */
  depositAmount: Minor;
  /** Longest terms granted (the requested days unless a rule shortens them; 0 with prepayment). */
  maxDays: number;
  prepayment: boolean;
  guarantee: boolean;
}

export interface LegalCheck {
  lawful: boolean;
  /** The cap that applies to this kind of terms (from invoice date, or end of month). */
  maxDays: number;
  endOfMonth: boolean;
  reference: string;
  text: string;
}

export interface TermsReason {
  /** The policy rule id, or a built-in check: legal-cap, over-limit-guard, no-history-guard, no-rule. */
  rule: string;
  text: string;
}

export interface TermsDecision {
  client: { ref: string; name: string };
  asOf: IsoDate;
  request: { days: number; amount: Minor; endOfMonth: boolean };
  decision: Decision;
  /** Id of the rule that decided (first reason). */
  rule: string;
  conditions: DecidedConditions;
  reasons: TermsReason[];
  score: number;
  grade: Grade;
  band: Band;
  pLate: number;
  confidence: number;
  exposureBefore: Minor;
  exposureAfter: Minor;
  limit: Minor;
  limitSource: CreditLimit['limitSource'];
  limitBasis: string;
  legal: LegalCheck;
  /** Least role in `policy.approvals` allowed to take this decision at this exposure; null if none. */
  approverRole: Role | null;
  modelVersion: string;
  /** Filled in by the service, which knows the policy's content hash. */
  policyVersion?: string;
  /** The facts the rules looked at. */
  inputs: RuleInputs;
}

export interface RuleInputs {
  grade: Grade;
  noHistory: boolean;
  paidInvoices: number;
  overLimit: boolean;
  requestedDays: number;
  /** Share of invoices due in the last 12 months paid late or still overdue; null without any. */
  lateShare: number | null;
  openDisputes: number;
  maxDaysOverdue: number;
  brokenPromises: number;
}

/**
 * Decides a request for payment terms. Order: the legal cap first (beyond it the request is unlawful
 * and declined whatever the score), then the policy's decision rules in order, first match wins, then
 * two guards the policy cannot switch off: a request taking exposure over the limit is never approved
 * without a human, and a client without history always gets a deposit.
 */
export function decideTerms(
  facts: ClientFacts,
  request: TermsRequest,
  asOf: IsoDate,
  policy: Policy,
): TermsDecision {
  if (!Number.isInteger(request.days) || request.days < 0)
    throw new RangeError(`days must be a whole number >= 0, got ${request.days}`);
  if (!Number.isSafeInteger(request.amount) || request.amount < 0)
    throw new RangeError(`amount must be a whole number of cents >= 0, got ${request.amount}`);
  const cut = factsAsOf(facts, asOf);
  const history = paymentHistory(cut, asOf);
  const score = scoreFromHistory(cut, history, policy);
  const limit = creditLimitFromHistory(cut, history, policy, score.grade);
  const money = (amount: Minor) => formatMoney(amount, policy.baseCurrency, 'en');
  const endOfMonth = request.endOfMonth === true;
  const exposureAfter = limit.exposure + request.amount;
  const inputs: RuleInputs = {
    grade: score.grade,
    noHistory: score.noHistory,
    paidInvoices: score.metrics.paidInvoices,
    overLimit: exposureAfter > limit.limit,
    requestedDays: request.days,
    lateShare: history.recentLateShare,
    openDisputes: history.openDisputes.count,
    maxDaysOverdue: history.overdue.maxDays,
    brokenPromises: history.promises.broken.length,
  };
  const legal = legalCheck(request.days, endOfMonth, policy);

  let decision: Decision;
  let rule: string;
  let conditions: DecidedConditions;
  const reasons: TermsReason[] = [];
  if (!legal.lawful) {
    decision = 'decline';
    rule = 'legal-cap';
    reasons.push({ rule, text: legal.text });
    conditions = {
      depositPercent: 0,
      depositAmount: 0,
      maxDays: legal.maxDays,
      prepayment: false,
      guarantee: false,
    };
  } else {
    const matched = policy.decisionRules.find((r) => ruleMatches(r.when, inputs));
    if (matched) {
      decision = matched.decision;
      rule = matched.id;
      reasons.push({
        rule,
        text: `${matched.reason} (${evidence(matched.when, inputs, limit, exposureAfter, money)})`,
      });
      conditions = conditionsOf(matched, request);
    } else {
      decision = 'needs_approval';
      rule = 'no-rule';
      reasons.push({ rule, text: 'no policy rule matches this request: a person must decide' });
      conditions = {
        depositPercent: 0,
        depositAmount: 0,
        maxDays: request.days,
        prepayment: false,
        guarantee: false,
      };
    }
    if (inputs.overLimit && (decision === 'approve' || decision === 'approve_with_conditions')) {
      decision = 'needs_approval';
      reasons.push({
        rule: 'over-limit-guard',
        text: `exposure after the request ${money(exposureAfter)} is over the limit ${money(limit.limit)}: never approved without a person's approval`,
      });
    }
    if (inputs.noHistory && decision !== 'decline' && conditions.depositPercent === 0) {
      const depositPercent = noHistoryDeposit(policy);
      conditions = {
        ...conditions,
        depositPercent,
        depositAmount: percentOf(request.amount, depositPercent),
      };
      if (decision === 'approve') decision = 'approve_with_conditions';
      reasons.push({
        rule: 'no-history-guard',
        text: `no payment history yet (${inputs.paidInvoices} paid invoices): a ${depositPercent}% deposit is required`,
      });
    }
  }

  return {
    client: { ref: cut.client.ref, name: cut.client.name },
    asOf,
    request: { days: request.days, amount: request.amount, endOfMonth },
    decision,
    rule,
    conditions,
    reasons,
    score: score.score,
    grade: score.grade,
    band: score.band,
    pLate: score.pLate,
    confidence: score.confidence,
    exposureBefore: limit.exposure,
    exposureAfter,
    limit: limit.limit,
    limitSource: limit.limitSource,
    limitBasis:
      limit.limitSource === 'client'
        ? `limit set for the client: ${money(limit.limit)} (recommended: ${money(limit.recommended.recommended)})`
        : `recommended limit: ${limit.recommended.basis}`,
    legal,
    approverRole: approverRoleFor(policy, decision, exposureAfter),
    modelVersion: MODEL_VERSION,
    inputs,
  };
}

/** The legal cap check alone (France: 60 days from invoice date, or 45 days end of month). */
export function legalCheck(days: number, endOfMonth: boolean, policy: Policy): LegalCheck {
  const { maxDaysFromInvoice, maxDaysEndOfMonth, reference } = policy.legal;
  // Without an end-of-month cap, month-end terms may add up to 30 days to the invoice-date cap.
  const maxDays = endOfMonth
    ? (maxDaysEndOfMonth ?? Math.max(0, maxDaysFromInvoice - 30))
    : maxDaysFromInvoice;
  const kind = endOfMonth ? 'days end of month' : 'days from the invoice date';
  const lawful = days <= maxDays;
  return {
    lawful,
    maxDays,
    endOfMonth,
    reference,
    text: lawful
      ? `${days} ${kind} is within the legal maximum of ${maxDays} ${kind} (${reference})`
      : `${days} ${kind} exceeds the legal maximum of ${maxDays} ${kind} (${reference}): the request is unlawful and is declined whatever the client's score; at most ${maxDays} ${kind} can be offered`,
  };
}

export function ruleMatches(when: RuleCondition, x: RuleInputs): boolean {
  if (when.grades !== undefined && !when.grades.includes(x.grade)) return false;
  if (when.noHistory !== undefined && when.noHistory !== x.noHistory) return false;
  if (when.overLimit !== undefined && when.overLimit !== x.overLimit) return false;
  if (when.requestedDaysAbove !== undefined && !(x.requestedDays > when.requestedDaysAbove)) return false;
  if (when.lateShareAbove !== undefined && !(x.lateShare !== null && x.lateShare > when.lateShareAbove))
    return false;
  if (when.hasOpenDisputes !== undefined && when.hasOpenDisputes !== x.openDisputes > 0) return false;
  if (when.overdueDaysAbove !== undefined && !(x.maxDaysOverdue > when.overdueDaysAbove)) return false;
  if (when.brokenPromisesAtLeast !== undefined && !(x.brokenPromises >= when.brokenPromisesAtLeast))
    return false;
  return true;
}

/** The figures behind each condition of a matched rule, in plain words. */
function evidence(
  when: RuleCondition,
  x: RuleInputs,
  limit: CreditLimit,
  exposureAfter: Minor,
  money: (a: Minor) => string,
): string {
  const parts: string[] = [];
  if (when.grades !== undefined) parts.push(`grade ${x.grade}`);
  if (when.noHistory !== undefined)
    parts.push(`${x.paidInvoices} paid invoice${x.paidInvoices === 1 ? '' : 's'} on record`);
  if (when.overLimit !== undefined)
    parts.push(
      `exposure after the request ${money(exposureAfter)} against a limit of ${money(limit.limit)} (${limit.limitSource === 'client' ? 'set for the client' : 'recommended'})`,
    );
  if (when.requestedDaysAbove !== undefined)
    parts.push(`${x.requestedDays} days requested, threshold ${when.requestedDaysAbove}`);
  if (when.lateShareAbove !== undefined && x.lateShare !== null)
    parts.push(`${Math.round(x.lateShare * 100)}% of invoices due in the last 12 months paid late`);
  if (when.hasOpenDisputes !== undefined)
    parts.push(`${x.openDisputes} open dispute${x.openDisputes === 1 ? '' : 's'}`);
  if (when.overdueDaysAbove !== undefined)
    parts.push(`oldest overdue invoice ${x.maxDaysOverdue} days past due`);
  if (when.brokenPromisesAtLeast !== undefined)
    parts.push(`${x.brokenPromises} broken promise${x.brokenPromises === 1 ? '' : 's'} in 12 months`);
  if (!parts.length)
    parts.push(
      `grade ${x.grade}, exposure after the request ${money(exposureAfter)} within the limit of ${money(limit.limit)}`,
    );
  return parts.join('; ');
}

function conditionsOf(rule: DecisionRule, request: TermsRequest): DecidedConditions {
  const c = rule.conditions;
  const prepayment = c.prepayment === true;
  const depositPercent = c.depositPercent ?? 0;
  return {
    depositPercent,
    depositAmount: percentOf(request.amount, depositPercent),
    maxDays: prepayment ? 0 : Math.min(request.days, c.maxDays ?? request.days),
    prepayment,
    guarantee: c.guarantee === true,
  };
}

/** The deposit the policy asks of clients without history (its own no-history rule), else 30%. */
function noHistoryDeposit(policy: Policy): number {
  const rule = policy.decisionRules.find(
    (r) => r.when.noHistory === true && (r.conditions.depositPercent ?? 0) > 0,
  );
  return rule?.conditions.depositPercent ?? 30;
}

/**
 * The least role allowed to take `decision` at `exposure`. A `needs_approval` outcome is settled by
 * someone allowed to approve at that exposure, so that is the role it names.
 */
export function approverRoleFor(policy: Policy, decision: Decision, exposure: Minor): Role | null {
  return leastRoleAllowed(policy, decision === 'needs_approval' ? 'approve' : decision, exposure);
}

/** The least role (viewer < sales < finance < admin) that may decide exactly `decision` at `exposure`. */
export function leastRoleAllowed(policy: Policy, decision: Decision, exposure: Minor): Role | null {
  for (const role of ROLES) if (mayDecide(policy, role, decision, exposure)) return role;
  return null;
}

/** Whether `role` may decide `decision` for a client whose exposure would be `exposure`. */
export function mayDecide(policy: Policy, role: Role, decision: Decision, exposure: Minor): boolean {
  return policy.approvals.some(
    (a) =>
      a.role === role &&
      a.canDecide.includes(decision) &&
      (a.maxExposure === null || exposure <= a.maxExposure),
  );
}
