import { z } from 'zod';
import { getDunningPlan } from '../src/services/dunning.ts';
import { dunningText } from '../src/wording/dunning.ts';
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
import { defineTool } from './types.ts';

export const getDunningPlanTool = defineTool({
  name: 'get-dunning-plan',
  description:
    'Get the dunning (collection) plan: for each client with overdue invoices, ONE consolidated next action ' +
    '(stage such as friendly, clear, firm, final notice, formal notice; its date, tone and channel; the ' +
    'invoices it covers and their open total; whether penalties may be quoted), the cadence chosen from the ' +
    "client's payment behaviour, and the invoices excluded because they are disputed, promised or paid. " +
    'Clients whose action is due now come first. It plans only: use draft-reminder to prepare a message for ' +
    'review.',
  input: z.strictObject({
    client: optionalClientInput,
    asOf: asOfInput,
    dueNowOnly: z
      .boolean()
      .default(false)
      .describe('Only clients whose next action is due on the as-of date.'),
    limit: limitInput('How many client plans to list', 20),
  }),
  output: z.object({
    ...resultMeta,
    scope: scopeOutput,
    totals: z.object({
      clients: z.number().int(),
      action: z.number().int(),
      onHold: z.number().int(),
      exhausted: z.number().int(),
      dueNow: z.number().int(),
      covered: moneyOutput.describe('open amount the planned actions cover'),
      excluded: moneyOutput.describe('overdue amount excluded (disputed, promised)'),
    }),
    plans: z.array(
      z.object({
        clientRef: z.string(),
        name: z.string(),
        language: z.string(),
        status: z.enum(['action', 'on_hold', 'exhausted']),
        behaviour: z.object({
          class: z.string(),
          reason: z.string().describe("why this class, in the caller's language"),
          reasonCode: wordedOutput.code,
          reasonParams: wordedOutput.params,
        }),
        cadence: z.string(),
        stageReached: z.string().nullable(),
        lastReminderDate: z.string().nullable(),
        nextAction: z
          .object({
            stage: z.string(),
            date: z.string(),
            dueNow: z.boolean(),
            tone: z.string(),
            channel: z.string(),
            invoiceRefs: z.array(z.string()),
            totalOpen: moneyOutput,
            quotePenalties: z.boolean(),
            payBy: z.string().nullable(),
            notes: z.array(z.object({ ...wordedOutput, text: z.string() })),
          })
          .nullable(),
        covered: z.array(
          z.object({
            ref: z.string(),
            dueDate: z.string(),
            open: moneyOutput,
            daysOverdue: z.number().int(),
          }),
        ),
        excluded: z.array(
          z.object({
            ref: z.string(),
            reason: z.enum(['disputed', 'promised', 'paid', 'paused']),
            detail: z.string().describe("the exclusion with its figures, in the caller's language"),
            detailCode: wordedOutput.code,
            detailParams: wordedOutput.params,
            followUpDate: z.string().nullable(),
          }),
        ),
        brokenPromises: z.array(
          z.object({ promisedDate: z.string(), amount: moneyOutput, invoiceRef: z.string().nullable() }),
        ),
        penalties: z
          .object({
            ratePercent: z.number(),
            interest: moneyOutput,
            indemnity: moneyOutput,
            total: moneyOutput,
          })
          .nullable()
          .describe(
            'late-payment penalties and fixed indemnity the client owes as of the date, when enabled',
          ),
      }),
    ),
    planCounts: countsOutput,
    notes: z.array(z.string()),
  }),
  annotations: {
    title: 'Dunning plan',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  handler: async ({ client, asOf, dueNowOnly, limit }, ctx) => {
    const r = await getDunningPlan(ctx.services, { asOf: resolveAsOf(ctx, asOf), client });
    const m = (v: number) => money(ctx, v);
    const lang = languageOf(ctx);
    const selected = r.plans
      .filter((p) => !dueNowOnly || p.nextAction?.dueNow === true)
      .sort(
        (a, b) =>
          Number(b.nextAction?.dueNow ?? false) - Number(a.nextAction?.dueNow ?? false) ||
          b.coveredCents - a.coveredCents ||
          (a.clientRef < b.clientRef ? -1 : 1),
      );
    return {
      ...meta(ctx, r.asOf),
      scope: r.client,
      totals: {
        clients: r.totals.clients,
        action: r.totals.action,
        onHold: r.totals.onHold,
        exhausted: r.totals.exhausted,
        dueNow: r.totals.dueNow,
        covered: m(r.totals.coveredCents),
        excluded: m(r.totals.excludedCents),
      },
      plans: selected.slice(0, limit).map((p) => ({
        clientRef: p.clientRef,
        name: p.name,
        language: p.language,
        status: p.status,
        behaviour: {
          class: p.behaviour.class,
          reason: dunningText(p.behaviour.reason, lang),
          reasonCode: p.behaviour.reason.code,
          reasonParams: p.behaviour.reason.params,
        },
        cadence: p.cadence.name,
        stageReached: p.stageReached,
        lastReminderDate: p.lastReminderDate,
        nextAction: p.nextAction && {
          stage: p.nextAction.stage,
          date: p.nextAction.date,
          dueNow: p.nextAction.dueNow,
          tone: p.nextAction.tone,
          channel: p.nextAction.channel,
          invoiceRefs: p.nextAction.invoiceRefs,
          totalOpen: m(p.nextAction.totalOpenCents),
          quotePenalties: p.nextAction.quotePenalties,
          payBy: p.nextAction.payBy,
          notes: p.nextAction.notes.map((n) => ({ ...n, text: dunningText(n, lang) })),
        },
        covered: p.covered.map((i) => ({
          ref: i.ref,
          dueDate: i.dueDate,
          open: m(i.openCents),
          daysOverdue: i.daysOverdue,
        })),
        excluded: p.excluded.map((i) => ({
          ref: i.ref,
          reason: i.reason,
          detail: dunningText(i.detail, lang),
          detailCode: i.detail.code,
          detailParams: i.detail.params,
          followUpDate: i.followUpDate,
        })),
        brokenPromises: p.brokenPromises.map((b) => ({
          promisedDate: b.promisedDate,
          amount: m(b.amountCents),
          invoiceRef: b.invoiceRef,
        })),
        penalties: p.penalties && {
          ratePercent: p.penalties.ratePercent,
          interest: m(p.penalties.interestCents),
          indemnity: m(p.penalties.indemnityCents),
          total: m(p.penalties.totalCents),
        },
      })),
      planCounts: { total: selected.length, shown: Math.min(selected.length, limit) },
      notes: r.notes,
    };
  },
  render: (r) => {
    const lines = [
      `Dunning plan as of ${r.asOf}: ${r.totals.clients} clients, ${r.totals.dueNow} actions due now, ` +
        `${r.totals.onHold} on hold; covered ${r.totals.covered.text}, excluded ${r.totals.excluded.text}`,
    ];
    for (const p of r.plans) {
      const a = p.nextAction;
      lines.push(
        a
          ? `  ${p.name} (${p.clientRef}): ${a.stage} on ${a.date}${a.dueNow ? ' (due now)' : ''} by ${a.channel}, ` +
              `${a.invoiceRefs.join(', ')} = ${a.totalOpen.text}`
          : `  ${p.name} (${p.clientRef}): ${p.status}`,
      );
      for (const x of p.excluded) lines.push(`    excluded ${x.ref}: ${x.reason} (${x.detail})`);
    }
    return lines.join('\n');
  },
});
