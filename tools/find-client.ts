import { z } from 'zod';
import { isAppError } from '../src/errors.ts';
import { findClient } from '../src/services/clients.ts';
import { meta, resolveAsOf, resultMeta, TEXT_MAX } from './common.ts';
import { defineTool } from './types.ts';

const match = z.object({ ref: z.string(), name: z.string() });

export const findClientTool = defineTool({
  name: 'find-client',
  description:
    'Find a client by name or ref when you are not sure of the exact spelling. Accents, case and punctuation ' +
    'are ignored ("dupont btp" finds "Dupont-BTP SARL"). Returns the single match when there is one, else ' +
    'every candidate (ref and name) so you can ask the user which one they mean. Use the returned ref in ' +
    'other tools.',
  input: z.strictObject({
    query: z
      .string()
      .trim()
      .min(1, 'expected part of a client name or a ref')
      .max(TEXT_MAX.name, `expected at most ${TEXT_MAX.name} characters of a client name or a ref`)
      .describe('Client name (or part of it) or ref.'),
  }),
  output: z.object({
    ...resultMeta,
    query: z.string(),
    status: z.enum(['found', 'ambiguous', 'not_found']).describe('found = exactly one client matches'),
    match: match.nullable().describe('the client, when exactly one matches'),
    candidates: z.array(match).describe('possible clients when the query is ambiguous or has no exact match'),
  }),
  annotations: {
    title: 'Find a client',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  handler: async ({ query }, ctx) => {
    const stamp = meta(ctx, resolveAsOf(ctx, undefined));
    try {
      const c = await findClient(ctx.services.db, query);
      return {
        ...stamp,
        query,
        status: 'found' as const,
        match: { ref: c.ref, name: c.name },
        candidates: [],
      };
    } catch (e) {
      if (isAppError(e) && (e.code === 'AMBIGUOUS' || e.code === 'NOT_FOUND')) {
        const candidates = (
          (e.details as { candidates?: { ref: string; name: string }[] })?.candidates ?? []
        ).map((c) => ({ ref: c.ref, name: c.name }));
        return {
          ...stamp,
          query,
          status: e.code === 'AMBIGUOUS' ? ('ambiguous' as const) : ('not_found' as const),
          match: null,
          candidates,
        };
      }
      throw e;
    }
  },
  render: (r) => {
    if (r.match) return `Found ${r.match.name} (${r.match.ref}).`;
    const list = r.candidates.map((c) => `- ${c.name} (${c.ref})`).join('\n');
    return r.status === 'ambiguous'
      ? `"${r.query}" matches several clients:\n${list}`
      : `No client matches "${r.query}".${list ? `\nClosest names:\n${list}` : ''}`;
  },
});
