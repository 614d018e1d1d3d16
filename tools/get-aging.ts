import { z } from 'zod';
import { getAging } from '../src/services/aging.ts';
import { findingText } from '../src/wording/aging.ts';
import {
  asOfInput,
  countsOutput,
  languageOf,
  limitInput,
  meta,
  money,
  moneyOutput,
  optionalClientInput,
  resolveAsOf,
  resultMeta,
  scopeOutput,
  wordedOutput,
} from './common.ts';
import type { ToolContext } from './types.ts';
import { defineTool } from './types.ts';

const bucket = z.object({ label: z.string(), amount: moneyOutput, count: z.number().int() });
const line = {
  notDue: moneyOutput,
  buckets: z.array(bucket).describe('overdue amounts by days-past-due bucket'),
  disputed: moneyOutput.describe('open amount of invoices in dispute (not in the buckets)'),
  overdue: moneyOutput.describe('sum of the buckets'),
  totalOpen: moneyOutput.describe('notDue + buckets + disputed'),
  openInvoices: z.number().int(),
};

type Line = {
  notDueCents: number;
  buckets: { label: string; amountCents: number; count: number }[];
  disputedCents: number;
  overdueCents: number;
  totalOpenCents: number;
  openInvoices: number;
};
const toLine = (ctx: ToolContext, l: Line) => ({
  notDue: money(ctx, l.notDueCents),
  buckets: l.buckets.map((b) => ({ label: b.label, amount: money(ctx, b.amountCents), count: b.count })),
  disputed: money(ctx, l.disputedCents),
  overdue: money(ctx, l.overdueCents),
  totalOpen: money(ctx, l.totalOpenCents),
  openInvoices: l.openInvoices,
});

export const getAgingTool = defineTool({
  name: 'get-aging',
  description:
    'Get the aging balance (balance agee): open receivables split into not yet due, overdue buckets by days ' +
    'past due (buckets come from the policy) and disputed, for the whole portfolio or one client, as of a ' +
    'date. Returns portfolio totals, the clients with the most overdue first (limit), data-quality findings ' +
    'that may distort the figures, and for one client its open invoices. Use it for "who owes us what", ' +
    '"how much is over 60 days".',
  input: z.strictObject({
    client: optionalClientInput,
    asOf: asOfInput,
    limit: limitInput('How many clients to list, most overdue first', 20),
  }),
  output: z.object({
    ...resultMeta,
    scope: scopeOutput,
    currency: z.string(),
    bucketLabels: z.array(z.string()),
    totals: z.object(line),
    clients: z.array(
      z.object({ ref: z.string(), name: z.string(), oldestDaysOverdue: z.number().int(), ...line }),
    ),
    clientCounts: countsOutput,
    invoices: z
      .array(
        z.object({
          ref: z.string(),
          dueDate: z.string(),
          open: moneyOutput,
          daysOverdue: z.number().int(),
          column: z.string().describe('not_due, disputed or the bucket label'),
        }),
      )
      .describe('open invoices, only when one client is asked for'),
    findings: z.array(
      z.object({
        kind: z.string(),
        clientRef: z.string(),
        invoiceRef: z.string().nullable(),
        detail: z.string().describe("the problem with its figures, in the caller's language"),
        params: wordedOutput.params,
      }),
    ),
    findingCounts: countsOutput,
    notes: z.array(z.string()),
  }),
  annotations: {
    title: 'Aging balance',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  handler: async ({ client, asOf, limit }, ctx) => {
    const r = await getAging(ctx.services, { asOf: resolveAsOf(ctx, asOf), client });
    const ranked = [...r.clients].sort(
      (a, b) =>
        b.overdueCents - a.overdueCents ||
        b.totalOpenCents - a.totalOpenCents ||
        (a.clientRef < b.clientRef ? -1 : 1),
    );
    const findings = r.findings.slice(0, limit);
    return {
      ...meta(ctx, r.asOf),
      scope: r.client,
      currency: r.currency,
      bucketLabels: r.bucketLabels,
      totals: toLine(ctx, r.totals),
      clients: ranked.slice(0, limit).map((c) => ({
        ref: c.clientRef,
        name: c.name,
        oldestDaysOverdue: c.oldestDaysOverdue,
        ...toLine(ctx, c),
      })),
      clientCounts: { total: ranked.length, shown: Math.min(ranked.length, limit) },
      invoices: r.client
        ? r.clients.flatMap((c) =>
            c.invoices.map((i) => ({
              ref: i.ref,
              dueDate: i.dueDate,
              open: money(ctx, i.openCents),
              daysOverdue: i.daysOverdue,
              column: i.column,
            })),
          )
        : [],
      findings: findings.map((f) => ({
        kind: f.kind,
        clientRef: f.clientRef,
        invoiceRef: f.invoiceRef ?? null,
        detail: findingText(f, languageOf(ctx)),
        params: f.params,
      })),
      findingCounts: { total: r.findings.length, shown: findings.length },
      notes: r.notes,
    };
  },
  render: (r) => {
    const t = r.totals;
    const lines = [
      `Aging as of ${r.asOf}${r.scope ? ` for ${r.scope.name} (${r.scope.ref})` : ' (portfolio)'}: open ${t.totalOpen.text}`,
      `  not due ${t.notDue.text}; ${t.buckets.map((b) => `${b.label} days ${b.amount.text}`).join('; ')}; disputed ${t.disputed.text}`,
    ];
    if (!r.scope && r.clients.length) {
      lines.push(`Most overdue (${r.clientCounts.shown} of ${r.clientCounts.total} clients):`);
      for (const c of r.clients)
        lines.push(`  ${c.name} (${c.ref}): overdue ${c.overdue.text}, oldest ${c.oldestDaysOverdue} days`);
    }
    for (const i of r.invoices) lines.push(`  ${i.ref} due ${i.dueDate}: ${i.open.text} (${i.column})`);
    if (r.findingCounts.total)
      lines.push(`Data-quality findings: ${r.findingCounts.total} (first: ${r.findings[0]!.detail})`);
    return lines.join('\n');
  },
});
