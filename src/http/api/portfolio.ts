import { z } from '@hono/zod-openapi';
import { explainScoreTool } from '../../../tools/explain-score.ts';
import { getAgingTool } from '../../../tools/get-aging.ts';
import { getClientProfileTool } from '../../../tools/get-client-profile.ts';
import { getClientScoreTool } from '../../../tools/get-client-score.ts';
import { getCreditLimitTool } from '../../../tools/get-credit-limit.ts';
import { getDisputeFileTool } from '../../../tools/get-dispute-file.ts';
import { getDunningPlanTool } from '../../../tools/get-dunning-plan.ts';
import { getKpisTool } from '../../../tools/get-kpis.ts';
import { getPaymentForecastTool } from '../../../tools/get-payment-forecast.ts';
import { listOverdueInvoicesTool } from '../../../tools/list-overdue-invoices.ts';
import { recordPromiseToPayTool } from '../../../tools/record-promise-to-pay.ts';
import { listAudit, verifyAudit } from '../../services/audit.ts';
import { listClients } from '../../services/clients.ts';
import { setClientContact } from '../../services/contacts.ts';
import { defaultAsOf, resolveAsOf, type ServiceContext } from '../../services/context.ts';
import { endPause, listPauses, pauseReminders } from '../../services/pauses.ts';
import { scorePortfolio } from '../../services/scoring.ts';
import { type Api, asOfQuery, idParam, isoDay, refParam, route, viaTool } from './route.ts';

const limitQuery = z.coerce.number().int().min(1).max(5000).optional();

const AuditEntrySchema = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    subject: z.string().nullable(),
    data: z.unknown(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .openapi('AuditEntry');

const VerifySchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstBad: z.object({ seq: z.number().int(), reason: z.string() }).optional(),
});

const PauseSchema = z
  .object({
    id: z.string(),
    client: z.object({ ref: z.string(), name: z.string() }),
    invoiceRef: z.string().nullable(),
    reason: z.string(),
    resumeDate: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    endedAt: z.string().nullable(),
    endedBy: z.string().nullable(),
    active: z.boolean(),
  })
  .openapi('Pause');

/** Clients, scores, reports, disputes, promises, pauses, audit: read through the tools MCP serves. */
export function portfolioRoutes(api: Api, services: ServiceContext): void {
  route(
    api,
    {
      method: 'get',
      path: '/me',
      tag: 'Session',
      summary: 'Who you are signed in as',
      role: 'viewer',
      response: z.object({ name: z.string(), role: z.string(), via: z.enum(['token', 'session']) }),
    },
    async (c, _i, caller) => ({
      name: caller.user,
      role: caller.role,
      via: c.get('session') ? 'session' : 'token',
    }),
  );
  route(
    api,
    {
      method: 'get',
      path: '/clients',
      tag: 'Clients',
      summary: 'Every client with its open balance and overdue amount',
      role: 'viewer',
      query: asOfQuery,
      response: z.object({
        asOf: z.string(),
        clients: z.array(
          z.object({
            ref: z.string(),
            name: z.string(),
            segment: z.string().nullable(),
            openBalance: z.number().int(),
            overdue: z.number().int(),
            openInvoices: z.number().int(),
            overdueInvoices: z.number().int(),
            oldestDaysOverdue: z.number().int(),
          }),
        ),
      }),
    },
    async (_c, { query }) => {
      const asOf = resolveAsOf(services, query.asOf as string | undefined);
      return { asOf, clients: await listClients(services.db, asOf) };
    },
  );
  const clientTool = (
    path: string,
    summary: string,
    tool: Parameters<typeof viaTool>[2],
    extra: z.ZodObject = asOfQuery,
  ) =>
    route(
      api,
      {
        method: 'get',
        path,
        tag: 'Clients',
        summary,
        role: 'viewer',
        params: refParam,
        query: extra,
        response: tool.output,
      },
      async (_c, { param, query }, caller) =>
        viaTool(services, caller, tool, { client: param.ref, ...query }),
    );
  clientTool(
    '/clients/{ref}',
    "One client's file: totals, open invoices, disputes, promises, orders",
    getClientProfileTool,
  );
  clientTool(
    '/clients/{ref}/score',
    'Risk score 0-100 with grade, band, confidence and factors',
    getClientScoreTool,
  );
  clientTool('/clients/{ref}/score/explanation', 'The score explained factor by factor', explainScoreTool);
  clientTool(
    '/clients/{ref}/credit-limit',
    'Credit limit in force, recommended limit and exposure',
    getCreditLimitTool,
  );
  clientTool(
    '/clients/{ref}/dunning-plan',
    "The client's dunning plan: next action, covered and excluded invoices",
    getDunningPlanTool,
  );
  route(
    api,
    {
      method: 'put',
      path: '/clients/{ref}/contact',
      tag: 'Clients',
      summary: 'Set the accounts-payable contact reminders go to, and who is copied',
      role: 'finance',
      params: refParam,
      body: z.object({ email: z.email().nullable(), cc: z.array(z.email()).max(10).default([]) }),
      response: z.object({ ref: z.string(), email: z.string().nullable(), cc: z.array(z.string()) }),
    },
    async (_c, { param, json }, caller) =>
      setClientContact(services, caller, param.ref!, json as { email: string | null; cc: string[] }),
  );
  route(
    api,
    {
      method: 'get',
      path: '/scores',
      tag: 'Scores',
      summary: 'Scores of every client (stores a snapshot when the facts changed)',
      role: 'viewer',
      query: asOfQuery,
      response: z.object({
        asOf: z.string(),
        scores: z.array(
          z.looseObject({
            client: z.string(),
            name: z.string(),
            score: z.number().int(),
            grade: z.string(),
            band: z.string(),
            confidence: z.number(),
            pLate: z.number(),
          }),
        ),
      }),
    },
    async (_c, { query }, caller) => {
      const asOf = resolveAsOf(services, query.asOf as string | undefined);
      return { asOf, scores: await scorePortfolio(services, { asOf, actor: caller }) };
    },
  );
  const report = (
    path: string,
    tag: string,
    summary: string,
    tool: Parameters<typeof viaTool>[2],
    query: z.ZodObject,
  ) =>
    route(
      api,
      { method: 'get', path, tag, summary, role: 'viewer', query, response: tool.output },
      async (_c, i, caller) => viaTool(services, caller, tool, i.query),
    );
  const scoped = asOfQuery.extend({ client: z.string().max(200).optional() });
  report(
    '/aging',
    'Reports',
    'Aging balance by bucket, disputed apart',
    getAgingTool,
    scoped.extend({ limit: limitQuery }),
  );
  report(
    '/kpis',
    'Reports',
    'DSO, CEI, overdue shares, disputes and the other KPIs with their definitions',
    getKpisTool,
    scoped.extend({ periodDays: z.coerce.number().int().min(1).max(3660).optional() }),
  );
  report(
    '/forecast',
    'Reports',
    'Expected cash-in per week for 13 weeks',
    getPaymentForecastTool,
    scoped.extend({ limit: limitQuery }),
  );
  report(
    '/dunning-plan',
    'Reports',
    'The consolidated dunning plan: who to remind, when, at which stage',
    getDunningPlanTool,
    scoped.extend({
      dueNowOnly: z
        .enum(['true', 'false'])
        .transform((v) => v === 'true')
        .optional(),
      limit: limitQuery,
    }),
  );
  report(
    '/overdue-invoices',
    'Reports',
    'Overdue invoices, oldest first',
    listOverdueInvoicesTool,
    scoped.extend({ minDays: z.coerce.number().int().min(0).optional(), limit: limitQuery }),
  );
  route(
    api,
    {
      method: 'get',
      path: '/disputes/{invoiceRef}',
      tag: 'Disputes',
      summary: 'The dispute file of an invoice: history, amounts, commitments, next step',
      role: 'viewer',
      params: z.object({
        invoiceRef: z
          .string()
          .min(1)
          .max(100)
          .openapi({ param: { name: 'invoiceRef', in: 'path' } }),
      }),
      query: asOfQuery,
      response: getDisputeFileTool.output,
    },
    async (_c, { param, query }, caller) =>
      viaTool(services, caller, getDisputeFileTool, { invoiceRef: param.invoiceRef, ...query }),
  );
  route(
    api,
    {
      method: 'post',
      path: '/promises',
      tag: 'Promises',
      summary: 'Record a promise to pay (amount in base-currency units)',
      role: 'sales',
      status: 201,
      body: z.object({
        client: z.string().min(1).max(200),
        amount: z.number().positive().max(1e12),
        promisedDate: isoDay,
        invoiceRef: z.string().max(100).optional(),
        madeDate: isoDay.optional(),
      }),
      response: recordPromiseToPayTool.output,
    },
    async (_c, { json }, caller) =>
      viaTool(services, caller, recordPromiseToPayTool, json as Record<string, unknown>),
  );
  route(
    api,
    {
      method: 'get',
      path: '/pauses',
      tag: 'Pauses',
      summary: 'Pauses of reminders (per client or invoice)',
      role: 'sales',
      query: z.object({
        client: z.string().max(200).optional(),
        active: z.enum(['true', 'false']).optional(),
      }),
      response: z.object({ pauses: z.array(PauseSchema) }),
    },
    async (_c, { query }) => ({
      pauses: await listPauses(services, {
        ...(query.client ? { client: query.client as string } : {}),
        ...(query.active === 'true' ? { active: true } : {}),
      }),
    }),
  );
  route(
    api,
    {
      method: 'post',
      path: '/pauses',
      tag: 'Pauses',
      summary: 'Pause reminders for a client or one invoice, with a reason and a resume date',
      role: 'finance',
      status: 201,
      body: z.object({
        client: z.string().min(1).max(200),
        invoiceRef: z.string().min(1).max(100).optional(),
        reason: z.string().trim().min(1, 'say why').max(2000),
        resumeDate: isoDay.optional(),
      }),
      response: PauseSchema,
    },
    async (_c, { json }, caller) =>
      pauseReminders(services, caller, json as { client: string; reason: string; resumeDate?: string }),
  );
  route(
    api,
    {
      method: 'post',
      path: '/pauses/{id}/end',
      tag: 'Pauses',
      summary: 'End a pause now (reminders resume)',
      role: 'finance',
      params: idParam,
      body: z.object({}),
      response: PauseSchema,
    },
    async (_c, { param }, caller) => endPause(services, param.id!, caller),
  );
  route(
    api,
    {
      method: 'get',
      path: '/audit',
      tag: 'Audit',
      summary: 'Audit log entries, newest first, with filters',
      description: 'Page with `before` (the smallest `seq` of the previous page).',
      role: 'finance',
      query: z.object({
        action: z.string().max(100).optional(),
        actor: z.string().max(200).optional(),
        subject: z.string().max(200).optional(),
        before: z.coerce.number().int().min(1).optional(),
        limit: z.coerce.number().int().min(1).max(1000).optional(),
      }),
      response: z.object({ entries: z.array(AuditEntrySchema) }),
    },
    async (_c, { query }) => ({
      entries: await listAudit(services.db, {
        ...(query.action ? { action: query.action as string } : {}),
        ...(query.actor ? { actor: query.actor as string } : {}),
        ...(query.subject ? { subject: query.subject as string } : {}),
        ...(query.before ? { beforeSeq: query.before as number } : {}),
        limit: (query.limit as number | undefined) ?? 100,
      }),
    }),
  );
  route(
    api,
    {
      method: 'get',
      path: '/audit/verify',
      tag: 'Audit',
      summary: 'Recompute the hash chain of the audit log',
      role: 'finance',
      response: VerifySchema,
    },
    async () => verifyAudit(services.db),
  );
  route(
    api,
    {
      method: 'get',
      path: '/audit/export',
      tag: 'Audit',
      summary: 'The whole audit log, oldest first, with its verification (for an auditor)',
      role: 'admin',
      response: z.object({
        exportedAt: z.string(),
        asOf: z.string(),
        verify: VerifySchema,
        entries: z.array(AuditEntrySchema),
      }),
    },
    async () => {
      const entries = (await listAudit(services.db, { limit: 1_000_000 })).reverse();
      return {
        exportedAt: services.now().toISOString(),
        asOf: defaultAsOf(services),
        verify: await verifyAudit(services.db),
        entries,
      };
    },
  );
}
