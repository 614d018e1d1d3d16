import { z } from 'zod';
import { FACTOR_NAMES } from '../src/core/score.ts';
import { getClientScore } from '../src/services/scoring.ts';
import { wordedFactor } from '../src/wording/score.ts';
import { toolSay } from '../src/wording/tools.ts';
import {
  asOfInput,
  clientInput,
  languageOf,
  meta,
  money,
  moneyOutput,
  resolveAsOf,
  resultMeta,
  wordedOutput,
} from './common.ts';
import { defineTool } from './types.ts';

export const getClientScoreTool = defineTool({
  name: 'get-client-score',
  description:
    "Get a client's payment-risk score as of a date: 0-100 (higher is safer), grade A (best) to E, risk " +
    'band (low, moderate, high), probability that the next invoice is paid late, confidence (how much ' +
    "history the score rests on), and each factor's points with the figures behind it. Computed fresh, " +
    'nothing is stored. To explain the score in plain words use explain-score.',
  input: z.strictObject({ client: clientInput, asOf: asOfInput }),
  output: z.object({
    ...resultMeta,
    client: z.object({ ref: z.string(), name: z.string() }),
    score: z.number().int().describe('0-100, higher is safer'),
    grade: z.enum(['A', 'B', 'C', 'D', 'E']),
    band: z.enum(['low', 'moderate', 'high']).describe('risk band'),
    pLate: z.number().describe('probability (0-1) that the next invoice is paid after its due date'),
    pLatePercent: z.number().describe('the same probability in percent, one decimal, for reading'),
    confidence: z.number().describe('0-1: how much history the score rests on'),
    noHistory: z.boolean().describe('true when too few paid invoices to judge behaviour'),
    base: z.number().int(),
    factors: z.array(
      z.object({
        name: z.enum(FACTOR_NAMES),
        label: z.string(),
        points: z.number().int().describe('signed points added to the base'),
        weight: z.number().describe('most points the factor can add or remove'),
        ...wordedOutput,
        detail: z.string().describe("the figures behind the points, in plain words in the caller's language"),
      }),
    ),
    metrics: z.object({
      paidInvoices: z.number().int(),
      openBalance: moneyOutput,
      overdue: moneyOutput,
      exposure: moneyOutput,
      maxDaysOverdue: z.number().int(),
      openDisputes: z.number().int(),
      brokenPromises: z.number().int(),
      relationshipMonths: z.number(),
    }),
    modelVersion: z.string(),
  }),
  annotations: {
    title: 'Client risk score',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  handler: async ({ client, asOf }, ctx) => {
    const s = await getClientScore(ctx.services, client, resolveAsOf(ctx, asOf));
    return {
      ...meta(ctx, s.asOf),
      client: { ref: s.client, name: s.name },
      score: s.score,
      grade: s.grade,
      band: s.band,
      pLate: s.pLate,
      // The same figure as a percent, for reading (and for the groundedness check on answers).
      pLatePercent: Math.round(s.pLate * 1000) / 10,
      confidence: s.confidence,
      noHistory: s.noHistory,
      base: s.base,
      factors: s.factors.map((f) => wordedFactor(f, languageOf(ctx))),
      metrics: {
        paidInvoices: s.metrics.paidInvoices,
        openBalance: money(ctx, s.metrics.openBalance),
        overdue: money(ctx, s.metrics.overdueAmount),
        exposure: money(ctx, s.metrics.exposure),
        maxDaysOverdue: s.metrics.maxDaysOverdue,
        openDisputes: s.metrics.openDisputes,
        brokenPromises: s.metrics.brokenPromises,
        relationshipMonths: s.metrics.relationshipMonths,
      },
      modelVersion: s.modelVersion,
    };
  },
  render: (r, lang) =>
    [
      toolSay('score.head', lang, {
        client: `${r.client.name} (${r.client.ref})`,
        asOf: r.asOf,
        score: r.score,
        grade: r.grade,
        band: r.band,
        pLate: r.pLate,
        confidence: r.confidence,
      }),
      ...r.factors.map((x) =>
        toolSay('factor.line', lang, { points: x.points, label: x.label, detail: x.detail }),
      ),
    ].join('\n'),
});
