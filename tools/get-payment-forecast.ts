import { z } from 'zod';
import { getForecast } from '../src/services/forecast.ts';
import {
  asOfInput,
  countsOutput,
  limitInput,
  meta,
  money,
  moneyOutput,
  optionalClientInput,
  resolveAsOf,
  resultMeta,
  scopeOutput,
} from './common.ts';
import { defineTool } from './types.ts';

const amountCount = z.object({ amount: moneyOutput, count: z.number().int() });

export const getPaymentForecastTool = defineTool({
  name: 'get-payment-forecast',
  description:
    'Get the expected cash-in per week for the next 13 weeks from open invoices, for the portfolio or one ' +
    "client: each invoice is expected on its due date plus the client's usual delay (or the portfolio " +
    'median when it has no history), on the promised date when a promise is pending, and not at all while ' +
    'disputed. Returns the weeks, what is expected later, the disputed amount, the method, and the largest ' +
    'invoices with their expected date and basis. Use it for "how much cash comes in this month".',
  input: z.strictObject({
    client: optionalClientInput,
    asOf: asOfInput,
    limit: limitInput('How many invoices to list, largest first', 20),
  }),
  output: z.object({
    ...resultMeta,
    scope: scopeOutput,
    weeks: z.array(
      z.object({ weekStart: z.string(), weekEnd: z.string(), amount: moneyOutput, count: z.number().int() }),
    ),
    later: amountCount.describe('expected after the last week'),
    disputed: amountCount.describe('open amount in dispute: no date can be forecast'),
    totalOpen: moneyOutput,
    portfolioMedianDaysLate: z.number().nullable(),
    invoices: z.array(
      z.object({
        ref: z.string(),
        clientRef: z.string(),
        dueDate: z.string(),
        open: moneyOutput,
        expectedDate: z.string().nullable(),
        basis: z.enum(['client_history', 'portfolio_median', 'default', 'promise', 'disputed']),
        delayDays: z.number().nullable(),
      }),
    ),
    invoiceCounts: countsOutput,
    method: z.array(z.string()),
  }),
  annotations: {
    title: 'Payment forecast',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  handler: async ({ client, asOf, limit }, ctx) => {
    const r = await getForecast(ctx.services, { asOf: resolveAsOf(ctx, asOf), client });
    const m = (v: number) => money(ctx, v);
    const largest = [...r.invoices].sort((a, b) => b.openCents - a.openCents || (a.ref < b.ref ? -1 : 1));
    return {
      ...meta(ctx, r.asOf),
      scope: r.client,
      weeks: r.weeks.map((w) => ({
        weekStart: w.weekStart,
        weekEnd: w.weekEnd,
        amount: m(w.amountCents),
        count: w.count,
      })),
      later: { amount: m(r.later.amountCents), count: r.later.count },
      disputed: { amount: m(r.disputed.amountCents), count: r.disputed.count },
      totalOpen: m(r.totalOpenCents),
      portfolioMedianDaysLate: r.portfolioMedianDaysLate,
      invoices: largest.slice(0, limit).map((i) => ({
        ref: i.ref,
        clientRef: i.clientRef,
        dueDate: i.dueDate,
        open: m(i.openCents),
        expectedDate: i.expectedDate,
        basis: i.basis,
        delayDays: i.delayDays,
      })),
      invoiceCounts: { total: largest.length, shown: Math.min(largest.length, limit) },
      method: r.method,
    };
  },
  render: (r) =>
    [
      `Expected cash-in as of ${r.asOf}${r.scope ? ` for ${r.scope.name} (${r.scope.ref})` : ''} (open ${r.totalOpen.text}):`,
      ...r.weeks
        .filter((w) => w.count > 0)
        .map((w) => `  week of ${w.weekStart}: ${w.amount.text} (${w.count} invoices)`),
      `  later: ${r.later.amount.text}; in dispute (no date): ${r.disputed.amount.text}`,
    ].join('\n'),
});
