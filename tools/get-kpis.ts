import { z } from 'zod';
import type { Kpi } from '../src/core/kpis.ts';
import { getKpis } from '../src/services/kpis.ts';
import {
  asOfInput,
  meta,
  money,
  moneyOutput,
  optionalClientInput,
  resolveAsOf,
  resultMeta,
  scopeOutput,
} from './common.ts';
import type { ToolContext } from './types.ts';
import { defineTool } from './types.ts';

/** The value as a person reads it, in its unit; no figure is changed, only formatted. */
function display(ctx: ToolContext, k: Kpi): string {
  if (k.value === null) return 'not available';
  switch (k.unit) {
    case 'cents':
      return money(ctx, k.value).text;
    case 'percent':
      return `${k.value}%`;
    case 'days':
      return `${k.value} days`;
    default:
      return String(k.value);
  }
}

export const getKpisTool = defineTool({
  name: 'get-kpis',
  description:
    'Get the receivables KPIs for the portfolio or one client over a period ending on the as-of date: DSO ' +
    '(count-back and simple), best possible DSO, average days delinquent, collection effectiveness index, ' +
    'overdue share by count and amount, total overdue, open disputes and their amount, dispute resolution ' +
    'time, delivery-to-invoice delay, overdue invoices with a dated next action, payment rate after ' +
    'reminders, on-time payment rate overall and by segment. Each KPI has its definition; a null value ' +
    'says why. Use it for "what is our DSO", "how are collections going".',
  input: z.strictObject({
    client: optionalClientInput,
    asOf: asOfInput,
    periodDays: z
      .number()
      .int('expected a whole number of days')
      .min(1)
      .max(3660)
      .default(90)
      .describe('Length of the period ending on the as-of date, in days (default 90).'),
  }),
  output: z.object({
    ...resultMeta,
    scope: scopeOutput,
    periodDays: z.number().int(),
    periodStart: z.string(),
    clients: z.number().int(),
    kpis: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        value: z.number().nullable().describe('in the unit given; cents for money'),
        unit: z.enum(['days', 'percent', 'cents', 'count']),
        display: z.string().describe('the value formatted for reading'),
        definition: z.string(),
        note: z.string().nullable(),
      }),
    ),
    bySegment: z.array(
      z.object({
        segment: z.string(),
        invoicesDue: z.number().int(),
        paidOnTime: z.number().int(),
        ratePercent: z.number().nullable(),
        amountDue: moneyOutput,
        amountPaidOnTime: moneyOutput,
        amountRatePercent: z.number().nullable(),
      }),
    ),
    inputs: z.object({
      openingReceivables: moneyOutput,
      closingReceivables: moneyOutput,
      closingOverdue: moneyOutput,
      netCreditSales: moneyOutput,
      openInvoices: z.number().int(),
      overdueInvoices: z.number().int(),
    }),
  }),
  annotations: {
    title: 'Receivables KPIs',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  handler: async ({ client, asOf, periodDays }, ctx) => {
    const r = await getKpis(ctx.services, { asOf: resolveAsOf(ctx, asOf), client, periodDays });
    return {
      ...meta(ctx, r.asOf),
      scope: r.client,
      periodDays: r.periodDays,
      periodStart: r.periodStart,
      clients: r.clients,
      kpis: Object.entries(r.kpis).map(([key, k]) => ({
        key,
        label: k.label,
        value: k.value,
        unit: k.unit,
        display: display(ctx, k),
        definition: k.definition,
        note: k.note ?? null,
      })),
      bySegment: r.bySegment.map((s) => ({
        segment: s.segment,
        invoicesDue: s.invoicesDue,
        paidOnTime: s.paidOnTime,
        ratePercent: s.rate,
        amountDue: money(ctx, s.amountDueCents),
        amountPaidOnTime: money(ctx, s.amountPaidOnTimeCents),
        amountRatePercent: s.amountRate,
      })),
      inputs: {
        openingReceivables: money(ctx, r.inputs.openingReceivablesCents),
        closingReceivables: money(ctx, r.inputs.closingReceivablesCents),
        closingOverdue: money(ctx, r.inputs.closingOverdueCents),
        netCreditSales: money(ctx, r.inputs.netCreditSalesCents),
        openInvoices: r.inputs.openInvoices,
        overdueInvoices: r.inputs.overdueInvoices,
      },
    };
  },
  render: (r) =>
    [
      `KPIs as of ${r.asOf}${r.scope ? ` for ${r.scope.name} (${r.scope.ref})` : ` (portfolio, ${r.clients} clients)`}, ` +
        `period ${r.periodStart} to ${r.asOf} (${r.periodDays} days):`,
      ...r.kpis.map((k) => `  ${k.label}: ${k.display}${k.note ? ` (${k.note})` : ''}`),
    ].join('\n'),
});
