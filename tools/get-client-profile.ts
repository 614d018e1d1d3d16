import { z } from 'zod';
import { getClientProfile } from '../src/services/clients.ts';
import {
  asOfInput,
  clientInput,
  clientTextOutput,
  meta,
  money,
  moneyOutput,
  resolveAsOf,
  resultMeta,
} from './common.ts';
import { defineTool } from './types.ts';

const MAX_INVOICES = 50;

export const getClientProfileTool = defineTool({
  name: 'get-client-profile',
  description:
    "Get one client's file: identity (ref, name, segment, sector, contact language), contractual terms and " +
    'credit limit, balances (open, overdue, open orders, exposure), open invoices oldest first, disputes, ' +
    'promises to pay and orders, as of a date. Use it for "what does X owe", "show me client X" or before ' +
    'drafting anything for a client. For the risk score use get-client-score.',
  input: z.strictObject({ client: clientInput, asOf: asOfInput }),
  output: z.object({
    ...resultMeta,
    client: z.object({
      ref: z.string(),
      name: z.string(),
      segment: z.string().nullable(),
      sector: z.string().nullable(),
      country: z.string().nullable(),
      language: z.string(),
      termsDays: z.number().int().nullable().describe('contractual terms in days, null = policy standard'),
      creditLimit: moneyOutput.nullable().describe('limit set by the company, null = none set'),
      insuranceLimit: moneyOutput.nullable(),
      externalScore: z.number().nullable().describe('bureau score 1-100, higher is safer'),
      since: z.string().nullable(),
    }),
    totals: z.object({
      openBalance: moneyOutput,
      overdue: moneyOutput,
      openOrders: moneyOutput,
      exposure: moneyOutput.describe('open balance + open orders'),
      invoices: z.number().int(),
      paidInvoices: z.number().int(),
      openInvoices: z.number().int(),
      overdueInvoices: z.number().int(),
      oldestDaysOverdue: z.number().int(),
    }),
    openInvoices: z.array(
      z.object({
        ref: z.string(),
        issueDate: z.string(),
        dueDate: z.string(),
        amount: moneyOutput,
        open: moneyOutput,
        daysOverdue: z.number().int(),
        status: z.enum(['open', 'overdue', 'paid']),
        disputed: z.boolean(),
      }),
    ),
    openInvoicesShown: z
      .number()
      .int()
      .describe(`open invoices listed (at most ${MAX_INVOICES}, oldest first)`),
    disputes: z.array(
      z.object({
        invoiceRef: z.string(),
        openedDate: z.string(),
        status: z.string(),
        owner: z.string().nullable(),
        reason: z.object({ clientText: clientTextOutput }),
        disputedAmount: moneyOutput.nullable(),
      }),
    ),
    promises: z.array(
      z.object({
        invoiceRef: z.string().nullable(),
        madeDate: z.string().nullable(),
        promisedDate: z.string(),
        amount: moneyOutput,
        status: z.string(),
      }),
    ),
    orders: z.array(z.object({ ref: z.string(), date: z.string(), amount: moneyOutput, status: z.string() })),
  }),
  annotations: {
    title: 'Client profile',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  handler: async ({ client, asOf }, ctx) => {
    const day = resolveAsOf(ctx, asOf);
    const p = await getClientProfile(ctx.services.db, client, day);
    const m = (v: number) => money(ctx, v);
    return {
      ...meta(ctx, p.asOf),
      client: {
        ref: p.client.ref,
        name: p.client.name,
        segment: p.client.segment,
        sector: p.client.sector,
        country: p.client.country,
        language: p.client.language,
        termsDays: p.client.termsDays,
        creditLimit: p.client.creditLimit === null ? null : m(p.client.creditLimit),
        insuranceLimit: p.client.insuranceLimit === null ? null : m(p.client.insuranceLimit),
        externalScore: p.client.externalScore,
        since: p.client.since,
      },
      totals: {
        openBalance: m(p.totals.openBalance),
        overdue: m(p.totals.overdue),
        openOrders: m(p.totals.openOrders),
        exposure: m(p.totals.exposure),
        invoices: p.totals.invoices,
        paidInvoices: p.totals.paidInvoices,
        openInvoices: p.totals.openInvoices,
        overdueInvoices: p.totals.overdueInvoices,
        oldestDaysOverdue: p.totals.oldestDaysOverdue,
      },
      openInvoices: p.openInvoices.slice(0, MAX_INVOICES).map((i) => ({
        ref: i.ref,
        issueDate: i.issueDate,
        dueDate: i.dueDate,
        amount: m(i.amount),
        open: m(i.open),
        daysOverdue: i.daysOverdue,
        status: i.status,
        disputed: i.disputed,
      })),
      openInvoicesShown: Math.min(p.openInvoices.length, MAX_INVOICES),
      disputes: p.disputes.map((d) => ({
        invoiceRef: d.invoiceRef,
        openedDate: d.openedDate,
        status: d.status,
        owner: d.owner,
        reason: { clientText: d.reason },
        disputedAmount: d.amount === null ? null : m(d.amount),
      })),
      promises: p.promises.map((x) => ({
        invoiceRef: x.invoiceRef,
        madeDate: x.madeDate,
        promisedDate: x.promisedDate,
        amount: m(x.amount),
        status: x.status,
      })),
      orders: p.orders.map((o) => ({ ref: o.ref, date: o.date, amount: m(o.amount), status: o.status })),
    };
  },
  render: (r) => {
    const c = r.client;
    const lines = [
      `${c.name} (${c.ref}) as of ${r.asOf}${c.segment ? `, segment ${c.segment}` : ''}${c.sector ? `, ${c.sector}` : ''}`,
      `Terms: ${c.termsDays ?? 'standard'} days; credit limit ${c.creditLimit?.text ?? 'not set'}`,
      `Open ${r.totals.openBalance.text} (${r.totals.openInvoices} invoices), overdue ${r.totals.overdue.text} ` +
        `(${r.totals.overdueInvoices}, oldest ${r.totals.oldestDaysOverdue} days); open orders ${r.totals.openOrders.text}; ` +
        `exposure ${r.totals.exposure.text}`,
    ];
    for (const i of r.openInvoices)
      lines.push(
        `  ${i.ref} due ${i.dueDate}: ${i.open.text} open${i.daysOverdue > 0 ? `, ${i.daysOverdue} days overdue` : ''}${i.disputed ? ' (disputed)' : ''}`,
      );
    for (const d of r.disputes) lines.push(`Dispute on ${d.invoiceRef} since ${d.openedDate}: ${d.status}`);
    for (const p of r.promises) lines.push(`Promise: ${p.amount.text} by ${p.promisedDate} (${p.status})`);
    return lines.join('\n');
  },
});
