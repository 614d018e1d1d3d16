import { z } from 'zod';
import { DECISIONS } from '../src/core/policy.ts';
import { evaluateTermsRequest } from '../src/services/terms.ts';
import {
  conditionList,
  decisionWord,
  limitBasisText,
  requestedTerms,
  roleWord,
  wordedReason,
} from '../src/wording/terms.ts';
import { toolSay } from '../src/wording/tools.ts';
import {
  amountInput,
  asOfInput,
  clientInput,
  currencyOf as currency,
  languageOf,
  meta,
  money,
  moneyOutput,
  resolveAsOf,
  resultMeta,
  toMinor,
  wordedOutput,
} from './common.ts';
import { defineTool } from './types.ts';

export const evaluateTermsRequestTool = defineTool({
  name: 'evaluate-terms-request',
  description:
    'Evaluate a request for payment terms ("can we give Dupont BTP 60 days on a 25,000 order?") under the ' +
    'written credit policy: the recommendation (approve, approve_with_conditions, needs_approval, decline), ' +
    'its conditions (deposit, shorter terms, prepayment), the reasons, the legal check (terms beyond the ' +
    'legal maximum are declined whatever the score), score and grade, exposure before and after against the ' +
    'credit limit, and which role may decide. The recommendation is recorded with a decision id for ' +
    'traceability; it grants nothing. When a person must decide, request-terms-approval with that id ' +
    'creates the pending request.',
  input: z.strictObject({
    client: clientInput,
    days: z
      .number()
      .int('expected a whole number of days')
      .min(0, 'expected 0 or more days')
      .max(3650, 'expected at most 3650 days')
      .describe('Requested payment terms in days, e.g. 60.'),
    amount: amountInput('Amount of the quote or order in base-currency units, e.g. 25000; omit when unknown.')
      .optional()
      .describe('Amount of the quote or order in base-currency units, e.g. 25000; omit when unknown.'),
    endOfMonth: z
      .boolean()
      .default(false)
      .describe('True for "N days end of month" terms rather than N days from the invoice date.'),
    asOf: asOfInput,
  }),
  output: z.object({
    ...resultMeta,
    decisionId: z.string().describe('id of the recorded recommendation, for request-terms-approval'),
    status: z.string().describe('recommended: nothing is granted until a person decides'),
    client: z.object({ ref: z.string(), name: z.string() }),
    request: z.object({ days: z.number().int(), amount: moneyOutput, endOfMonth: z.boolean() }),
    decision: z.enum(DECISIONS),
    decisionText: z.string(),
    conditions: z.object({
      depositPercent: z.number(),
      deposit: moneyOutput,
      maxDays: z.number().int().describe('longest terms granted'),
      prepayment: z.boolean(),
      guarantee: z.boolean(),
    }),
    reasons: z.array(z.object({ rule: z.string(), ...wordedOutput, text: z.string() })),
    legal: z.object({
      lawful: z.boolean(),
      maxDays: z.number().int(),
      endOfMonth: z.boolean(),
      reference: z.string(),
      ...wordedOutput,
      text: z.string(),
    }),
    score: z.number().int(),
    grade: z.enum(['A', 'B', 'C', 'D', 'E']),
    band: z.enum(['low', 'moderate', 'high']),
    exposureBefore: moneyOutput,
    exposureAfter: moneyOutput.describe('exposure if the order is accepted'),
    limit: moneyOutput,
    limitSource: z.enum(['client', 'recommended']),
    limitBasis: z.string().describe("how the limit was set, in the caller's language"),
    limitBasisCode: wordedOutput.code,
    limitBasisParams: wordedOutput.params,
    approverRole: z
      .enum(['viewer', 'sales', 'finance', 'admin'])
      .nullable()
      .describe('least role allowed to take this decision at this exposure; null = no role may'),
    requestedBy: z.string(),
  }),
  suggestion: true,
  annotations: {
    title: 'Evaluate a payment-terms request',
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  },
  handler: async (args, ctx) => {
    const d = await evaluateTermsRequest(ctx.services, {
      client: args.client,
      days: args.days,
      amount: args.amount === undefined ? 0 : toMinor(args.amount),
      endOfMonth: args.endOfMonth,
      asOf: resolveAsOf(ctx, args.asOf),
      actor: ctx.caller,
    });
    const m = (v: number) => money(ctx, v);
    const lang = languageOf(ctx);
    return {
      ...meta(ctx, d.asOf),
      decisionId: d.id,
      status: d.status,
      client: d.client,
      request: { days: d.request.days, amount: m(d.request.amount), endOfMonth: d.request.endOfMonth },
      decision: d.decision,
      decisionText: decisionWord(d.decision, lang),
      conditions: {
        depositPercent: d.conditions.depositPercent,
        deposit: m(d.conditions.depositAmount),
        maxDays: d.conditions.maxDays,
        prepayment: d.conditions.prepayment,
        guarantee: d.conditions.guarantee,
      },
      reasons: d.reasons.map((r) => wordedReason(r, lang)),
      legal: wordedReason(d.legal, lang),
      score: d.score,
      grade: d.grade,
      band: d.band,
      exposureBefore: m(d.exposureBefore),
      exposureAfter: m(d.exposureAfter),
      limit: m(d.limit),
      limitSource: d.limitSource,
      limitBasis: limitBasisText(d.limitBasis, lang),
      limitBasisCode: d.limitBasis.code,
      limitBasisParams: d.limitBasis.params,
      approverRole: d.approverRole,
      requestedBy: d.requestedBy,
    };
  },
  render: (r, lang) => {
    const c = { ...r.conditions, depositAmount: r.conditions.deposit.minor };
    const conditions = conditionList(c, r.request.days, currency(r.request.amount.text), lang);
    return [
      toolSay('terms.head', lang, {
        client: `${r.client.name} (${r.client.ref})`,
        terms: requestedTerms(r.request.days, r.request.endOfMonth, lang),
        amount: r.request.amount.text,
        asOf: r.asOf,
        decision: r.decisionText,
        conditions: conditions.join(', '),
      }),
      ...r.reasons.map((x) => `  - ${x.text}`),
      toolSay('terms.figures', lang, {
        score: r.score,
        grade: r.grade,
        band: r.band,
        before: r.exposureBefore.text,
        after: r.exposureAfter.text,
        limit: r.limit.text,
      }),
      toolSay(r.legal.lawful ? 'terms.legal' : 'terms.unlawful', lang, { text: r.legal.text }),
      toolSay('terms.decides', lang, { role: r.approverRole ? roleWord(r.approverRole, lang) : null }),
      toolSay('terms.recorded', lang, { id: r.decisionId }),
    ].join('\n');
  },
});
