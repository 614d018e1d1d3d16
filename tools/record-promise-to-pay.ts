import { z } from 'zod';
import { MAX_PROMISE_DAYS, recordPromise } from '../src/services/promises.ts';
import {
  actorOutput,
  amountInput,
  clientInput,
  invoiceRefInput,
  isoDate,
  meta,
  money,
  moneyOutput,
  optionalDate,
  recordsAsProposal,
  resolveAsOf,
  resultMeta,
  toMinor,
} from './common.ts';
import { defineTool } from './types.ts';

export const recordPromiseToPayTool = defineTool({
  name: 'record-promise-to-pay',
  description:
    'Propose that a client promised to pay an amount by a date (optionally for one invoice), e.g. after a ' +
    'call. From an assistant or MCP client the promise is stored as PROPOSED: it changes no reminder plan ' +
    'and no score until a finance user confirms it (`encours promises confirm <key>`). The amount cannot ' +
    `exceed the open balance and the date must be within ${MAX_PROMISE_DAYS} days. Written to the audit log ` +
    'under your name; recording the same promise twice stores it once. It does not change any invoice or send anything.',
  input: z.strictObject({
    client: clientInput,
    amount: amountInput('Promised amount in base-currency units, e.g. 1500.50'),
    promisedDate: isoDate('Date the client promised to pay by (YYYY-MM-DD).'),
    invoiceRef: invoiceRefInput.optional().describe('The invoice the promise covers, if it names one.'),
    madeDate: optionalDate('Day the promise was made (YYYY-MM-DD); default the as-of date.'),
  }),
  output: z.object({
    ...resultMeta,
    key: z.string().describe('stable identity of the promise'),
    client: z.object({ ref: z.string(), name: z.string() }),
    invoiceRef: z.string().nullable(),
    madeDate: z.string(),
    promisedDate: z.string(),
    amount: moneyOutput,
    status: z.string().describe('proposed (waiting for finance) or pending'),
    created: z.boolean().describe('false when the same promise was already on file'),
    recordedBy: actorOutput.nullable(),
  }),
  annotations: {
    title: 'Record a promise to pay',
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  handler: async (args, ctx) => {
    const day = resolveAsOf(ctx, undefined);
    const p = await recordPromise(ctx.services, {
      client: args.client,
      invoiceRef: args.invoiceRef ?? null,
      promisedDate: args.promisedDate,
      amount: toMinor(args.amount),
      madeDate: args.madeDate ?? day,
      actor: ctx.caller,
      proposal: recordsAsProposal(ctx),
    });
    return {
      ...meta(ctx, p.madeDate),
      key: p.key,
      client: { ref: p.clientRef, name: p.clientName },
      invoiceRef: p.invoiceRef,
      madeDate: p.madeDate,
      promisedDate: p.promisedDate,
      amount: money(ctx, p.amount),
      status: p.status,
      created: p.created,
      recordedBy: p.recordedBy,
    };
  },
  render: (r) =>
    `${r.created ? 'Recorded' : 'Already on file'}: ${r.client.name} (${r.client.ref}) promised ${r.amount.text} by ` +
    `${r.promisedDate}${r.invoiceRef ? ` for invoice ${r.invoiceRef}` : ''} (made ${r.madeDate}, ${r.status}).` +
    (r.status === 'proposed'
      ? ` It takes effect once finance confirms it: encours promises confirm "${r.key}".`
      : ''),
});
