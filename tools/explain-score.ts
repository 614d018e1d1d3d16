import { z } from 'zod';
import { getClientScore } from '../src/services/scoring.ts';
import { asOfInput, clientInput, meta, resolveAsOf, resultMeta } from './common.ts';
import { BAND_WORDS, factorLabel } from './score-labels.ts';
import { defineTool } from './types.ts';

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
    strengths: z
      .array(z.object({ label: z.string(), points: z.number().int(), detail: z.string() }))
      .describe('factors that raise the score, largest first'),
    concerns: z
      .array(z.object({ label: z.string(), points: z.number().int(), detail: z.string() }))
      .describe('factors that lower the score, largest first'),
    neutral: z.array(z.object({ label: z.string(), detail: z.string() })).describe('factors worth 0 points'),
    reliability: z.string().describe('how much history the score rests on'),
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
    const items = s.factors.map((f) => ({ label: factorLabel(f.name), points: f.points, detail: f.detail }));
    const confidencePercent = Math.round(s.confidence * 100);
    return {
      ...meta(ctx, s.asOf),
      client: { ref: s.client, name: s.name },
      headline: `${s.name} scores ${s.score}/100 as of ${s.asOf}: grade ${s.grade}, ${BAND_WORDS[s.band]}.`,
      score: s.score,
      grade: s.grade,
      band: s.band,
      base: s.base,
      strengths: items.filter((f) => f.points > 0).sort((a, b) => b.points - a.points),
      concerns: items.filter((f) => f.points < 0).sort((a, b) => a.points - b.points),
      neutral: items.filter((f) => f.points === 0).map(({ label, detail }) => ({ label, detail })),
      reliability: s.noHistory
        ? `Little history: ${s.metrics.paidInvoices === 0 ? 'no paid invoice yet' : `only ${s.metrics.paidInvoices} paid invoice${s.metrics.paidInvoices === 1 ? '' : 's'}`}, so the score leans on the policy defaults (confidence ${confidencePercent}%).`
        : `Based on ${s.metrics.paidInvoices} paid invoices over ${s.metrics.relationshipMonths} months (confidence ${confidencePercent}%).`,
      modelVersion: s.modelVersion,
    };
  },
  render: (r) =>
    [
      r.headline,
      `Starts from ${r.base} points.`,
      ...(r.strengths.length
        ? ['Raises it:', ...r.strengths.map((f) => `  +${f.points} ${f.label}: ${f.detail}`)]
        : []),
      ...(r.concerns.length
        ? ['Lowers it:', ...r.concerns.map((f) => `  ${f.points} ${f.label}: ${f.detail}`)]
        : []),
      r.reliability,
    ].join('\n'),
});
