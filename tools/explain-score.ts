import { z } from 'zod';
import { getClientScore } from '../src/services/scoring.ts';
import { wordedFactor } from '../src/wording/score.ts';
import { toolSay } from '../src/wording/tools.ts';
import { asOfInput, clientInput, languageOf, meta, resolveAsOf, resultMeta, wordedOutput } from './common.ts';
import { defineTool } from './types.ts';

const factorItem = z.object({
  name: z.string(),
  label: z.string(),
  points: z.number().int(),
  ...wordedOutput,
  detail: z.string().describe("the figures behind the points, in the caller's language"),
});

export const explainScoreTool = defineTool({
  name: 'explain-score',
  description:
    'Explain why a client has its score and grade, in plain words with figures: what raises it (strengths), ' +
    'what lowers it (concerns), each with its points and the facts behind it (days late, amounts, counts, ' +
    'dates), and how reliable the score is. Use it for "why is X grade D?" or before arguing a terms ' +
    'decision. Quote the figures as given; do not recompute them.',
  input: z.strictObject({ client: clientInput, asOf: asOfInput }),
  output: z.object({
    ...resultMeta,
    client: z.object({ ref: z.string(), name: z.string() }),
    headline: z.string().describe('one sentence: score, grade, band, as-of date'),
    score: z.number().int(),
    grade: z.enum(['A', 'B', 'C', 'D', 'E']),
    band: z.enum(['low', 'moderate', 'high']),
    base: z.number().int().describe('points every client starts from'),
    strengths: z.array(factorItem).describe('factors that raise the score, largest first'),
    concerns: z.array(factorItem).describe('factors that lower the score, largest first'),
    neutral: z.array(factorItem).describe('factors worth 0 points'),
    reliability: z.string().describe('how much history the score rests on'),
    confidence: z.number().describe('0-1: how much history the score rests on'),
    paidInvoices: z.number().int(),
    relationshipMonths: z.number(),
    modelVersion: z.string(),
  }),
  annotations: {
    title: 'Explain a client score',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  handler: async ({ client, asOf }, ctx) => {
    const s = await getClientScore(ctx.services, client, resolveAsOf(ctx, asOf));
    const lang = languageOf(ctx);
    const items = s.factors.map((f) => {
      const { name, label, points, code, params, detail } = wordedFactor(f, lang);
      return { name, label, points, code, params, detail };
    });
    const figures = {
      paid: s.metrics.paidInvoices,
      months: s.metrics.relationshipMonths,
      confidence: s.confidence,
    };
    return {
      ...meta(ctx, s.asOf),
      client: { ref: s.client, name: s.name },
      headline: toolSay('explain.headline', lang, {
        name: s.name,
        score: s.score,
        asOf: s.asOf,
        grade: s.grade,
        band: s.band,
      }),
      score: s.score,
      grade: s.grade,
      band: s.band,
      base: s.base,
      strengths: items.filter((f) => f.points > 0).sort((a, b) => b.points - a.points),
      concerns: items.filter((f) => f.points < 0).sort((a, b) => a.points - b.points),
      neutral: items.filter((f) => f.points === 0),
      reliability: toolSay(s.noHistory ? 'explain.littleHistory' : 'explain.history', lang, figures),
      confidence: s.confidence,
      paidInvoices: s.metrics.paidInvoices,
      relationshipMonths: s.metrics.relationshipMonths,
      modelVersion: s.modelVersion,
    };
  },
  render: (r, lang) => {
    const line = (f: { points: number; label: string; detail: string }) =>
      toolSay('factor.line', lang, { points: f.points, label: f.label, detail: f.detail });
    return [
      r.headline,
      toolSay('explain.base', lang, { base: r.base }),
      ...(r.strengths.length ? [toolSay('explain.raises', lang), ...r.strengths.map(line)] : []),
      ...(r.concerns.length ? [toolSay('explain.lowers', lang), ...r.concerns.map(line)] : []),
      r.reliability,
    ].join('\n');
  },
});
