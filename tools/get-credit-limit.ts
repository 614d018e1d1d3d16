import { z } from 'zod';
import { getCreditLimit } from '../src/services/terms.ts';
import { limitBasisText } from '../src/wording/terms.ts';
import { toolSay } from '../src/wording/tools.ts';
import {
  asOfInput,
  clientInput,
  languageOf,
  meta,
  money,
  moneyOutput,
  resolveAsOf,
  resultMeta,
  wordedOutput,
} from './common.ts';
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
      basis: z.string().describe("the computation in plain words with its figures, in the caller's language"),
      basisCode: wordedOutput.code,
      basisParams: wordedOutput.params,
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
        basis: limitBasisText(l.recommended.basis, languageOf(ctx)),
        basisCode: l.recommended.basis.code,
        basisParams: l.recommended.basis.params,
      },
      openBalance: m(l.openBalance),
      openOrders: m(l.openOrders),
      exposure: m(l.exposure),
      available: m(l.available),
    };
  },
  render: (r, lang) =>
    [
      toolSay('limit.head', lang, {
        client: `${r.client.name} (${r.client.ref})`,
        asOf: r.asOf,
        limit: r.limit.text,
        limitSource: r.limitSource,
        exposure: r.exposure.text,
        open: r.openBalance.text,
        orders: r.openOrders.text,
        available: r.available.text,
      }),
      toolSay('limit.recommended', lang, { amount: r.recommended.amount.text, basis: r.recommended.basis }),
    ].join('\n'),
});
