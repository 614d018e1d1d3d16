import { z } from 'zod';
import { DECISIONS } from '../src/core/policy.ts';
import { requestTermsApproval } from '../src/services/terms.ts';
import { meta, money, moneyOutput, resolveAsOf, resultMeta, TEXT_MAX } from './common.ts';
import { defineTool } from './types.ts';

export const requestTermsApprovalTool = defineTool({
  name: 'request-terms-approval',
  description:
    'Ask a finance approver to decide on a payment-terms recommendation made by evaluate-terms-request ' +
    '(typically when its decision is needs_approval, or when the salesperson wants an exception). It marks ' +
    'the recorded decision as pending approval and writes the request to the audit log under your name; it ' +
    'grants nothing and notifies no client. Asking twice for the same decision changes nothing.',
  input: z.strictObject({
    decisionId: z
      .string()
      .trim()
      .max(TEXT_MAX.ref, 'expected a decision id like dec_0123456789abcdef (from evaluate-terms-request)')
      .regex(
        /^dec_[0-9a-f]+$/,
        'expected a decision id like dec_0123456789abcdef (from evaluate-terms-request)',
      )
      .describe('The decisionId returned by evaluate-terms-request.'),
    note: z
      .string()
      .trim()
      .max(1000)
      .optional()
      .describe('Why an approval is requested, for the approver (e.g. the business context).'),
  }),
  output: z.object({
    ...resultMeta,
    decisionId: z.string(),
    status: z.string().describe('pending_approval until a person decides'),
    client: z.object({ ref: z.string(), name: z.string() }),
    request: z.object({ days: z.number().int(), amount: moneyOutput, endOfMonth: z.boolean() }),
    recommendation: z.enum(DECISIONS),
    approverRole: z.enum(['viewer', 'sales', 'finance', 'admin']).nullable(),
    requestedBy: z.string(),
    decisionAsOf: z.string(),
  }),
  annotations: {
    title: 'Request approval of payment terms',
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  handler: async ({ decisionId, note }, ctx) => {
    const d = await requestTermsApproval(ctx.services, decisionId, ctx.caller, note);
    return {
      ...meta(ctx, resolveAsOf(ctx, undefined)),
      policyVersion: d.policyVersion,
      decisionId: d.id,
      status: d.status,
      client: d.client,
      request: {
        days: d.request.days,
        amount: money(ctx, d.request.amount),
        endOfMonth: d.request.endOfMonth,
      },
      recommendation: d.decision,
      approverRole: d.approverRole,
      requestedBy: d.requestedBy,
      decisionAsOf: d.asOf,
    };
  },
  render: (r) =>
    `Approval requested for ${r.decisionId}: ${r.client.name} (${r.client.ref}), ${r.request.days} days on ` +
    `${r.request.amount.text}; recommendation ${r.recommendation}; status ${r.status}` +
    `${r.approverRole ? `; a ${r.approverRole} user (or above) must decide` : ''}. Nothing is granted until then.`,
});
