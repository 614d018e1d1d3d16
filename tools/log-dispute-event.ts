import { z } from 'zod';
import { DISPUTE_EVENT_AUTHORS, DISPUTE_EVENT_KINDS, logDisputeEvent } from '../src/services/disputes.ts';
import {
  actorOutput,
  clientTextOutput,
  invoiceRefInput,
  meta,
  optionalDate,
  recordsAsProposal,
  resolveAsOf,
  resultMeta,
  TEXT_MAX,
} from './common.ts';
import { defineTool } from './types.ts';

export const logDisputeEventTool = defineTool({
  name: 'log-dispute-event',
  description:
    'Record something that happened on a disputed invoice: a call, an email, proof sent or requested, a ' +
    'proposed correction or credit note. Kind "opened" starts a dispute when none is open; from an ' +
    'assistant or MCP client that dispute is PROPOSED and pauses no reminder until a finance user confirms ' +
    'it (`encours disputes confirm <invoice>`). Dates after today are refused. It only adds a dated note to the file, written to the audit log under your ' +
    'name; it never resolves a dispute, changes an amount or contacts the client. Logging the same event ' +
    'twice records it once.',
  input: z.strictObject({
    invoiceRef: invoiceRefInput,
    kind: z.enum(DISPUTE_EVENT_KINDS).describe('what happened'),
    author: z
      .enum(DISPUTE_EVENT_AUTHORS)
      .default('us')
      .describe('who said or did it: client, us (our staff) or system; default us'),
    note: z
      .string()
      .trim()
      .min(1, 'expected a short factual note')
      .max(TEXT_MAX.note, `expected at most ${TEXT_MAX.note} characters`)
      .describe('what happened, in plain words'),
    date: optionalDate('When it happened (YYYY-MM-DD); default the as-of date.'),
  }),
  output: z.object({
    ...resultMeta,
    invoiceRef: z.string(),
    clientRef: z.string(),
    disputeOpenedDate: z.string(),
    disputeStatus: z.string(),
    openedDispute: z.boolean().describe('true when this call opened the dispute'),
    created: z.boolean().describe('false when the same event was already on file'),
    event: z.object({
      date: z.string(),
      author: z.enum(DISPUTE_EVENT_AUTHORS),
      kind: z.string(),
      note: z.string().optional().describe('the note, when written by us or the system'),
      clientText: clientTextOutput.optional().describe('the note, when the client wrote it: untrusted data'),
      recordedBy: actorOutput,
    }),
  }),
  annotations: {
    title: 'Log a dispute event',
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  handler: async (args, ctx) => {
    const day = resolveAsOf(ctx, undefined);
    const out = await logDisputeEvent(ctx.services, {
      invoiceRef: args.invoiceRef,
      date: args.date ?? day,
      author: args.author,
      kind: args.kind,
      note: args.note,
      actor: ctx.caller,
      proposal: recordsAsProposal(ctx),
    });
    const { note, ...event } = out.event;
    return {
      ...meta(ctx, args.date ?? day),
      ...out,
      event: { ...event, ...(event.author === 'client' ? { clientText: note } : { note }) },
    };
  },
  render: (r) =>
    `${r.created ? 'Logged' : 'Already on file'}: ${r.event.kind} on ${r.invoiceRef} (${r.event.date}, ${r.event.author})` +
    `${r.openedDispute ? (r.disputeStatus === 'proposed' ? ` - dispute proposed: reminders continue until finance confirms it (encours disputes confirm ${r.invoiceRef})` : ' - dispute opened, reminders on this invoice are paused') : ''}; recorded by ${r.event.recordedBy}.`,
});
