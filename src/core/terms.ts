import type { IsoDate } from './dates.ts';
import { factsAsOf } from './ledger.ts';
import { type CreditLimit, creditLimitFromHistory, type LimitCode } from './limit.ts';
import { type Minor, percentOf } from './money.ts';
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
import { type Worded, type WordParams, worded } from './worded.ts';

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

export const LEGAL_CODES = ['legal.within', 'legal.exceeds'] as const;
export type LegalCode = (typeof LEGAL_CODES)[number];

export interface LegalCheck extends Worded<LegalCode> {
  lawful: boolean;
  /** The cap that applies to this kind of terms (from invoice date, or end of month). */
  maxDays: number;
  endOfMonth: boolean;
  reference: string;
}

/**
 * Why a decision came out as it did, one code per check (src/wording/terms.ts words them):
 * `terms.policyRule` carries the rule's id, its own reason text and the figures its conditions read.
 */
export const TERMS_REASON_CODES = [
  'terms.legalCap',
  'terms.policyRule',
  'terms.noRule',
  'terms.overLimit',
  'terms.noHistory',
  /** A reason stored before reasons had codes: `params.text` holds its words as recorded. */
  'terms.recorded',
] as const;
export type TermsReasonCode = (typeof TERMS_REASON_CODES)[number];

export interface TermsReason extends Worded<TermsReasonCode> {
  /** The policy rule id, or a built-in check: legal-cap, over-limit-guard, no-history-guard, no-rule. */
  rule: string;
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
  /** How the limit was set: the client's own (`limit.client`) or the recommendation's basis. */
  limitBasis: Worded<LimitCode>;
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
  const currency = policy.baseCurrency;
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
    reasons.push({ rule, ...worded('terms.legalCap', legal.params) });
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
        ...worded('terms.policyRule', {
          rule,
          reason: matched.reason,
          ...evidence(matched.when, inputs, limit, exposureAfter),
          currency,
        }),
      });
      conditions = conditionsOf(matched, request);
    } else {
      decision = 'needs_approval';
      rule = 'no-rule';
      reasons.push({ rule, ...worded('terms.noRule') });
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
        ...worded('terms.overLimit', { exposureAfter, limit: limit.limit, currency }),
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
        ...worded('terms.noHistory', { paid: inputs.paidInvoices, depositPercent }),
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
        ? worded('limit.client', { limit: limit.limit, recommended: limit.recommended.recommended, currency })
        : limit.recommended.basis,
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
  const lawful = days <= maxDays;
  return {
    lawful,
    maxDays,
    endOfMonth,
    reference,
    ...worded(lawful ? 'legal.within' : 'legal.exceeds', { days, maxDays, endOfMonth, reference }),
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

/**
 * The figures behind each condition of a matched rule, as params named after the condition (only
 * the conditions the rule has); a rule without conditions shows grade and exposure against the limit.
 */
function evidence(when: RuleCondition, x: RuleInputs, limit: CreditLimit, exposureAfter: Minor): WordParams {
  const p: Record<string, WordParams[string]> = {};
  if (when.grades !== undefined) p.grade = x.grade;
  if (when.noHistory !== undefined) p.paidInvoices = x.paidInvoices;
  if (when.overLimit !== undefined) {
    p.exposureAfter = exposureAfter;
    p.limit = limit.limit;
    p.limitSource = limit.limitSource;
  }
  if (when.requestedDaysAbove !== undefined) {
    p.requestedDays = x.requestedDays;
    p.daysThreshold = when.requestedDaysAbove;
  }
  if (when.lateShareAbove !== undefined && x.lateShare !== null) p.lateShare = x.lateShare;
  if (when.hasOpenDisputes !== undefined) p.openDisputes = x.openDisputes;
  if (when.overdueDaysAbove !== undefined) p.maxDaysOverdue = x.maxDaysOverdue;
  if (when.brokenPromisesAtLeast !== undefined) p.brokenPromises = x.brokenPromises;
  if (!Object.keys(p).length) {
    p.grade = x.grade;
    p.exposureAfter = exposureAfter;
    p.limit = limit.limit;
    p.withinLimit = true;
  }
  return p;
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
