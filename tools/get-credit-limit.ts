import { z } from 'zod';
import { getCreditLimit } from '../src/services/terms.ts';
import { asOfInput, clientInput, meta, money, moneyOutput, resolveAsOf, resultMeta } from './common.ts';
import { defineTool } from './types.ts';

export const getCreditLimitTool = defineTool({
  name: 'get-credit-limit',
  description:
    "Get a client's credit limit and how much of it is used, as of a date: the limit decisions use (the " +
    'limit set on the client, else the recommended one), the recommended limit with its method and basis ' +
    'in plain words (highest balance paid within terms x multiplier x grade factor, capped by the policy ' +
    'maximum or credit insurance; a fixed amount for new clients), open balance, open orders, exposure and ' +
    'what is still available (negative when over).',
  input: z.strictObject({ client: clientInput, asOf: asOfInput }),
  output: z.object({
    ...resultMeta,
    client: z.object({ ref: z.string(), name: z.string() }),
    score: z.number().int(),
    grade: z.enum(['A', 'B', 'C', 'D', 'E']),
    limit: moneyOutput.describe('the limit decisions use'),
    limitSource: z.enum(['client', 'recommended']).describe('client = set on the client; else recommended'),
    recommended: z.object({
      amount: moneyOutput,
      method: z.enum(['history', 'new_client']),
      highestBalance: moneyOutput,
      highestBalanceDate: z.string().nullable(),
      multiplier: z.number(),
      gradeFactor: z.number(),
      cappedBy: z.enum(['policy_max', 'insurance']).nullable(),
      basis: z.string().describe('the computation in plain words with its figures'),
    }),
    openBalance: moneyOutput,
    openOrders: moneyOutput,
    exposure: moneyOutput.describe('open balance + open orders'),
    available: moneyOutput.describe('limit - exposure; negative when over the limit'),
  }),
  annotations: {
    title: 'Credit limit and exposure',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  handler: async ({ client, asOf }, ctx) => {
    const l = await getCreditLimit(ctx.services, client, resolveAsOf(ctx, asOf));
    const m = (v: number) => money(ctx, v);
    return {
      ...meta(ctx, l.asOf),
      client: l.client,
      score: l.score,
      grade: l.grade as 'A' | 'B' | 'C' | 'D' | 'E',
      limit: m(l.limit),
      limitSource: l.limitSource,
      recommended: {
        amount: m(l.recommended.recommended),
        method: l.recommended.method,
        highestBalance: m(l.recommended.highestBalance),
        highestBalanceDate: l.recommended.highestBalanceDate,
        multiplier: l.recommended.multiplier,
        gradeFactor: l.recommended.gradeFactor,
        cappedBy: l.recommended.cappedBy,
        basis: l.recommended.basis,
      },
      openBalance: m(l.openBalance),
      openOrders: m(l.openOrders),
      exposure: m(l.exposure),
      available: m(l.available),
    };
  },
  render: (r) =>
    [
      `${r.client.name} (${r.client.ref}) as of ${r.asOf}: limit ${r.limit.text} (${r.limitSource === 'client' ? 'set on the client' : 'recommended'}), ` +
        `exposure ${r.exposure.text} (open ${r.openBalance.text} + orders ${r.openOrders.text}), available ${r.available.text}`,
      `Recommended limit ${r.recommended.amount.text}: ${r.recommended.basis}`,
    ].join('\n'),
});
