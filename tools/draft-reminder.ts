import { z } from 'zod';
import { SCENARIOS } from '../src/core/letters.ts';
import { draftReminder, REMINDER_STATUSES } from '../src/services/reminders.ts';
import {
  asOfInput,
  clientInput,
  invoiceRefInput,
  meta,
  optionalDate,
  resolveAsOf,
  resultMeta,
} from './common.ts';
import { defineTool } from './types.ts';

export const draftReminderTool = defineTool({
  name: 'draft-reminder',
  description:
    'Prepare ONE consolidated payment reminder for a client, for finance to review: it is NEVER sent by this ' +
    'tool. The scenario defaults to the next step of the dunning plan; disputed, promised and paid invoices ' +
    'are left out. Without subject/body the text is written from templates; with them, your text is checked ' +
    'as is. Every amount, date and invoice number is checked against the facts, and legal wording is ' +
    'linted: a draft that fails is stored as "blocked" with its findings and cannot be approved. Returns the ' +
    'draft id, status, text, covered invoices and findings. Drafting again the same day returns the same draft.',
  input: z.strictObject({
    client: clientInput,
    asOf: asOfInput,
    scenario: z
      .enum(SCENARIOS)
      .optional()
      .describe(
        'friendly, clear, firm, promise_confirmation, broken_promise, dispute_acknowledgement, final_notice, formal_notice or call_recap; default from the plan.',
      ),
    invoiceRef: invoiceRefInput
      .optional()
      .describe('For a dispute acknowledgement or promise confirmation: the invoice concerned.'),
    callDate: optionalDate(
      'For call_recap: the day the call took place (YYYY-MM-DD); default the as-of date.',
    ),
    callNotes: z
      .string()
      .trim()
      .min(1)
      .max(1000)
      .optional()
      .describe(
        'For call_recap: what was said and agreed, as the user noted it. A recap is never written without it.',
      ),
    subject: z.string().trim().min(1).max(200).optional().describe('Your own subject line (optional).'),
    body: z
      .string()
      .trim()
      .min(1)
      .max(4000)
      .optional()
      .describe(
        'Your own body (optional); it must only use figures from the tools, and the company bank details and links only.',
      ),
  }),
  output: z.object({
    ...resultMeta,
    id: z.string(),
    status: z.enum(REMINDER_STATUSES).describe('draft = awaiting review'),
    created: z.boolean().describe('false when the same pending draft already existed'),
    client: z.object({ ref: z.string(), name: z.string() }),
    stage: z.string(),
    scenario: z.string(),
    tone: z.string(),
    language: z.string(),
    subject: z.string(),
    body: z.string(),
    invoiceRefs: z.array(z.string()),
    findings: z
      .array(z.object({ check: z.string(), kind: z.string(), text: z.string(), message: z.string() }))
      .describe('why a blocked draft was blocked'),
    createdBy: z.string(),
    review: z.string().describe('what happens next'),
  }),
  suggestion: true,
  annotations: {
    title: 'Draft a payment reminder (for review)',
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  handler: async (args, ctx) => {
    const day = resolveAsOf(ctx, args.asOf);
    const d = await draftReminder(ctx.services, {
      client: args.client,
      asOf: day,
      scenario: args.scenario,
      invoiceRef: args.invoiceRef,
      ...(args.callNotes
        ? { call: { notes: args.callNotes, ...(args.callDate ? { date: args.callDate } : {}) } }
        : {}),
      subject: args.subject,
      body: args.body,
      actor: ctx.caller,
    });
    return {
      ...meta(ctx, d.asOf),
      id: d.id,
      status: d.status,
      created: d.created,
      client: { ref: d.clientRef, name: d.clientName },
      stage: d.stage,
      scenario: d.scenario,
      tone: d.tone,
      language: d.language,
      subject: d.subject,
      body: d.body,
      invoiceRefs: d.invoiceRefs,
      findings: d.findings.map((f) => ({ check: f.check, kind: f.kind, text: f.text, message: f.message })),
      createdBy: d.createdBy,
      review:
        d.status === 'blocked'
          ? 'Blocked by the checks: it cannot be approved; fix the findings and draft again.'
          : 'Stored as a draft awaiting review by finance (`encours reminders list`); nothing has been sent.',
    };
  },
  render: (r) =>
    [
      `Reminder ${r.id} for ${r.client.name} (${r.client.ref}): ${r.status.toUpperCase()} (${r.scenario}, ${r.language}), ` +
        `invoices ${r.invoiceRefs.join(', ')}`,
      `Subject: ${r.subject}`,
      r.body,
      ...r.findings.map((f) => `! ${f.check}/${f.kind}: ${f.message}`),
      r.review,
    ].join('\n'),
});
