import { z } from '@hono/zod-openapi';
import { SCENARIOS } from '../../core/letters.ts';
import type { Mailer } from '../../mail/mailer.ts';
import { localDate } from '../../mail/schedule.ts';
import type { Caller } from '../../services/callers.ts';
import type { ServiceContext } from '../../services/context.ts';
import {
  approveReminder,
  bulkReview,
  checkReminderText,
  editReminder,
  goingOutOn,
  markBounced,
  rejectReminder,
  rescheduleReminder,
  retryReminder,
} from '../../services/reminder-review.ts';
import { sendDueReminders } from '../../services/reminder-sender.ts';
import {
  draftReminder,
  getReminder,
  listReminders,
  REMINDER_STATUSES,
  type ReminderView,
} from '../../services/reminders.ts';
import { type Api, idParam, isoDay, reasonBody, route } from './route.ts';

const FindingSchema = z.object({
  check: z.string(),
  kind: z.string(),
  text: z.string(),
  message: z.string(),
});

export const ReminderSchema = z
  .object({
    id: z.string(),
    clientRef: z.string(),
    clientName: z.string(),
    asOf: z.string(),
    stage: z.string(),
    scenario: z.string(),
    tone: z.string(),
    language: z.string(),
    status: z.enum(REMINDER_STATUSES),
    subject: z.string(),
    body: z.string(),
    invoiceRefs: z.array(z.string()),
    findings: z.array(FindingSchema),
    facts: z
      .unknown()
      .describe('the facts the draft was written from (figures, dates, refs and their origin)'),
    promptVersion: z.string().nullable(),
    createdBy: z.string(),
    reviewedBy: z.string().nullable(),
    reviewedAt: z.string().nullable(),
    reviewNote: z.string().nullable(),
    createdAt: z.string(),
    sending: z.object({
      messageId: z.string().nullable(),
      scheduledFor: z.string().nullable(),
      nextAttemptAt: z.string().nullable(),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      recipients: z.object({ to: z.array(z.string()), cc: z.array(z.string()) }).nullable(),
      contentHash: z.string().nullable(),
      sentAt: z.string().nullable(),
      sentDate: z.string().nullable(),
    }),
    supersededBy: z.string().nullable(),
  })
  .openapi('Reminder');

/**
 * Approves, then tries to send at once when the sending window allows it, so the reviewer sees
 * `sent` (or why not) in the answer; later attempts belong to the background sender of `serve`.
 */
export async function approveAndSend(
  services: ServiceContext,
  mailer: Mailer,
  id: string,
  caller: Caller,
  note?: string,
): Promise<ReminderView> {
  await approveReminder(services, id, caller, note ? { note } : {});
  await sendDueReminders(services, { mailer }, { ids: [id] });
  return getReminder(services, id);
}

export function reminderRoutes(api: Api, services: ServiceContext, mailer: Mailer): void {
  const tag = 'Reminders';
  route(
    api,
    {
      method: 'get',
      path: '/reminders',
      tag,
      summary: 'List reminders (the review queue)',
      description: 'Newest first; imported history of sent reminders only with a status or `history=true`.',
      role: 'sales',
      query: z.object({
        status: z.enum(REMINDER_STATUSES).optional(),
        client: z.string().max(200).optional(),
        limit: z.coerce.number().int().min(1).max(500).optional(),
        history: z.enum(['true', 'false']).optional(),
      }),
      response: z.object({ reminders: z.array(ReminderSchema) }),
    },
    async (_c, { query }) => ({
      reminders: await listReminders(services, {
        ...(query.status ? { status: query.status as string } : {}),
        ...(query.client ? { client: query.client as string } : {}),
        ...(query.limit ? { limit: query.limit as number } : {}),
        ...(query.history === 'true' ? { includeHistory: true } : {}),
      }),
    }),
  );
  route(
    api,
    {
      method: 'get',
      path: '/reminders/{id}',
      tag,
      summary: 'One reminder with its facts, findings and sending state',
      role: 'sales',
      params: idParam,
      response: ReminderSchema,
    },
    async (_c, { param }) => getReminder(services, param.id!),
  );
  route(
    api,
    {
      method: 'post',
      path: '/reminders',
      tag,
      summary: 'Draft a reminder for a client',
      description:
        "From the client's dunning plan (or an explicit scenario). A pending draft of the same client and stage is superseded.",
      role: 'sales',
      status: 201,
      body: z.object({
        client: z.string().min(1).max(200),
        scenario: z.enum(SCENARIOS).optional(),
        invoiceRef: z.string().min(1).max(100).optional(),
        asOf: isoDay.optional(),
      }),
      response: ReminderSchema,
    },
    async (_c, { json }, caller) => {
      const body = json as { client: string; scenario?: string; invoiceRef?: string; asOf?: string };
      return draftReminder(services, { ...body, actor: caller });
    },
  );
  route(
    api,
    {
      method: 'put',
      path: '/reminders/{id}',
      tag,
      summary: 'Edit the text of a draft (guards run again)',
      description: 'Back to `draft` when every check passes, else `blocked` with the findings.',
      role: 'finance',
      params: idParam,
      body: z
        .object({
          subject: z.string().max(300).optional(),
          body: z.string().max(20_000).optional(),
          note: z.string().max(2000).optional(),
        })
        .refine((b) => b.subject !== undefined || b.body !== undefined, {
          message: 'give a new body and/or subject',
          path: ['body'],
        }),
      response: ReminderSchema,
    },
    async (_c, { param, json }, caller) =>
      editReminder(services, param.id!, caller, json as { subject?: string; body?: string }),
  );
  route(
    api,
    {
      method: 'post',
      path: '/reminders/{id}/check',
      tag,
      summary: 'Run the guards on a text without saving it',
      role: 'finance',
      params: idParam,
      body: z.object({ subject: z.string().max(300).optional(), body: z.string().max(20_000).optional() }),
      response: z.object({ findings: z.array(FindingSchema), approvable: z.boolean() }),
    },
    async (_c, { param, json }) => checkReminderText(services, param.id!, json as { body?: string }),
  );
  route(
    api,
    {
      method: 'post',
      path: '/reminders/{id}/approve',
      tag,
      summary: 'Approve a draft; it is sent by e-mail exactly once',
      description:
        'Fixes the Message-ID and sends at once inside the sending window (else at the next opening). A second approval gets 409.',
      role: 'finance',
      params: idParam,
      body: z.object({ note: z.string().max(2000).optional() }),
      response: ReminderSchema,
    },
    async (_c, { param, json }, caller) =>
      approveAndSend(services, mailer, param.id!, caller, (json as { note?: string }).note),
  );
  route(
    api,
    {
      method: 'post',
      path: '/reminders/{id}/reject',
      tag,
      summary: 'Reject a draft with a reason',
      role: 'finance',
      params: idParam,
      body: reasonBody,
      response: ReminderSchema,
    },
    async (_c, { param, json }, caller) =>
      rejectReminder(services, param.id!, caller, json as { reason: string }),
  );
  route(
    api,
    {
      method: 'post',
      path: '/reminders/{id}/reschedule',
      tag,
      summary: 'Hold a draft or an approved reminder until a date',
      role: 'finance',
      params: idParam,
      body: z.object({ date: isoDay, note: z.string().max(2000).optional() }),
      response: ReminderSchema,
    },
    async (_c, { param, json }, caller) =>
      rescheduleReminder(services, param.id!, caller, json as { date: string }),
  );
  route(
    api,
    {
      method: 'post',
      path: '/reminders/{id}/retry',
      tag,
      summary: 'Send a failed reminder again (same Message-ID)',
      role: 'finance',
      params: idParam,
      body: z.object({}),
      response: ReminderSchema,
    },
    async (_c, { param }, caller) => {
      await retryReminder(services, param.id!, caller);
      await sendDueReminders(services, { mailer }, { ids: [param.id!] });
      return getReminder(services, param.id!);
    },
  );
  route(
    api,
    {
      method: 'post',
      path: '/reminders/{id}/bounce',
      tag,
      summary: 'Record a bounce reported after sending',
      description: 'The reminder becomes `failed` and no longer counts as a contact in the dunning plan.',
      role: 'finance',
      params: idParam,
      body: reasonBody,
      response: ReminderSchema,
    },
    async (_c, { param, json }, caller) =>
      markBounced(services, param.id!, caller, json as { reason: string }),
  );
  route(
    api,
    {
      method: 'post',
      path: '/reminders/bulk',
      tag,
      summary: 'Approve, reject or reschedule several reminders',
      description: 'Each reminder is decided on its own; the answer lists every outcome.',
      role: 'finance',
      body: z
        .object({
          action: z.enum(['approve', 'reject', 'reschedule']),
          ids: z.array(z.string().min(1).max(100)).min(1).max(200),
          reason: z.string().max(2000).optional(),
          date: isoDay.optional(),
        })
        .refine((b) => b.action !== 'reschedule' || b.date, {
          message: 'required to reschedule',
          path: ['date'],
        })
        .refine((b) => b.action !== 'reject' || b.reason?.trim(), {
          message: 'say why the drafts are rejected',
          path: ['reason'],
        }),
      response: z.object({
        results: z.array(
          z.object({
            id: z.string(),
            ok: z.boolean(),
            status: z.string().optional(),
            error: z.object({ code: z.string(), message: z.string() }).optional(),
          }),
        ),
      }),
    },
    async (_c, { json }, caller) => {
      const body = json as {
        action: 'approve' | 'reject' | 'reschedule';
        ids: string[];
        reason?: string;
        date?: string;
      };
      const results = await bulkReview(services, caller, body);
      if (body.action === 'approve') {
        const approved = results.filter((r) => r.ok).map((r) => r.id);
        await sendDueReminders(services, { mailer }, { ids: approved });
        for (const r of results) if (r.ok) r.status = (await getReminder(services, r.id)).status;
      }
      return { results };
    },
  );
  route(
    api,
    {
      method: 'get',
      path: '/outbox/today',
      tag,
      summary: 'What goes out today (the forewarning digest)',
      role: 'sales',
      response: z.object({
        date: z.string(),
        transport: z.object({ kind: z.enum(['smtp', 'outbox']), target: z.string() }),
        reminders: z.array(ReminderSchema),
      }),
    },
    async () => {
      const date = localDate(services.now(), services.policy.policy.sending);
      return {
        date,
        transport: { kind: mailer.kind, target: mailer.target },
        reminders: await goingOutOn(services, date),
      };
    },
  );
}
