import { z } from 'zod';
import { listOverdueInvoices } from '../src/services/aging.ts';
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
} from './common.ts';
import { defineTool } from './types.ts';

export const listOverdueInvoicesTool = defineTool({
  name: 'list-overdue-invoices',
  description:
    'List invoices past their due date and still (partly) unpaid, most overdue first, for the portfolio or ' +
    'one client, as of a date; optionally only those at least minDays late. Each line has the client, ' +
    'invoice ref, dates, amount, what is still open, days overdue, aging bucket and whether it is disputed ' +
    '(disputed invoices must not be reminded). For totals by bucket use get-aging.',
  input: z.strictObject({
    client: optionalClientInput,
    asOf: asOfInput,
    minDays: z
      .number()
      .int('expected a whole number of days')
      .min(1, 'expected at least 1')
      .optional()
      .describe('Only invoices at least this many days past due (default 1).'),
    limit: limitInput('How many invoices to list', 50),
  }),
  output: z.object({
    ...resultMeta,
    invoices: z.array(
      z.object({
        clientRef: z.string(),
        clientName: z.string(),
        ref: z.string(),
        issueDate: z.string(),
        dueDate: z.string(),
        amount: moneyOutput,
        open: moneyOutput,
        daysOverdue: z.number().int(),
        bucket: z.string().describe('aging bucket label, or disputed'),
        disputed: z.boolean(),
      }),
    ),
    counts: countsOutput,
  }),
  annotations: {
    title: 'Overdue invoices',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  handler: async ({ client, asOf, minDays, limit }, ctx) => {
    const day = resolveAsOf(ctx, asOf);
    const all = await listOverdueInvoices(ctx.services, { asOf: day, client, minDays });
    return {
      ...meta(ctx, day),
      invoices: all.slice(0, limit).map((i) => ({
        clientRef: i.clientRef,
        clientName: i.clientName,
        ref: i.ref,
        issueDate: i.issueDate,
        dueDate: i.dueDate,
        amount: money(ctx, i.amountCents),
        open: money(ctx, i.openCents),
        daysOverdue: i.daysOverdue,
        bucket: i.column,
        disputed: i.disputed,
      })),
      counts: { total: all.length, shown: Math.min(all.length, limit) },
    };
  },
  render: (r) =>
    [
      `Overdue invoices as of ${r.asOf}: ${r.counts.total}${r.counts.shown < r.counts.total ? ` (showing ${r.counts.shown})` : ''}`,
      ...r.invoices.map(
        (i) =>
          `  ${i.ref} ${i.clientName} (${i.clientRef}): ${i.open.text} open, due ${i.dueDate}, ${i.daysOverdue} days${i.disputed ? ', DISPUTED' : ''}`,
      ),
    ].join('\n'),
});
