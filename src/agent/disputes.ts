import { callTool } from '../../tools/call.ts';
import { getTool } from '../../tools/index.ts';
import { AppError } from '../errors.ts';
import { logAgentTurn } from '../services/agent-log.ts';
import { asAgent, type Caller } from '../services/callers.ts';
import type { ServiceContext } from '../services/context.ts';
import { hashValue } from '../services/hash.ts';
import {
  type DisputeFileResult,
  type DisputeSummary,
  offlineNote,
  summariseDispute,
} from './dispute-summary.ts';
import type { Language } from './language.ts';
import { createAgent } from './loop.ts';
import { emptyUsage, estimateCost, type TokenUsage } from './pricing.ts';
import { loadPrompts } from './prompts.ts';

export interface DisputeSummaryResult extends DisputeSummary {
  language: Language;
  offline: boolean;
  model: string;
  /** The text shown to the user: Claude's summary when a key is set, else the deterministic one. */
  answer: string;
  usage: TokenUsage;
  auditSeq?: number;
}

async function run(ctx: ServiceContext, caller: Caller, name: string, args: Record<string, unknown>) {
  const tool = getTool(name);
  if (!tool) throw new AppError('INVALID_CONFIG', `the ${name} tool is missing from the registry`);
  return callTool(tool, args, {
    services: ctx,
    caller: asAgent(caller),
  });
}

/**
 * Summarises the dispute file of an invoice: the structured summary is always computed from the
 * `get-dispute-file` tool (deterministic next step); with an API key Claude writes the prose from
 * the same tool, client text quoted as data. Logged as an `agent.turn`.
 */
export async function summariseDisputeFile(
  ctx: ServiceContext,
  input: { invoiceRef: string; caller: Caller; asOf?: string; language?: Language },
): Promise<DisputeSummaryResult> {
  const args = { invoiceRef: input.invoiceRef, ...(input.asOf ? { asOf: input.asOf } : {}) };
  const outcome = await run(ctx, input.caller, 'get-dispute-file', args);
  if (!outcome.ok)
    throw new AppError(
      outcome.error.code === 'NOT_FOUND' ? 'NOT_FOUND' : 'INVALID_INPUT',
      outcome.error.message,
      { field: outcome.error.field ?? 'invoiceRef' },
      outcome.error.hint,
    );
  const file = outcome.result as unknown as DisputeFileResult;
  let language = input.language;
  if (!language) {
    const profile = await run(ctx, input.caller, 'get-client-profile', { client: file.client.ref });
    language = profile.ok && (profile.result.client as { language?: string }).language === 'en' ? 'en' : 'fr';
  }
  const summary = summariseDispute(file, language);
  if (ctx.config.ANTHROPIC_API_KEY) {
    const question =
      language === 'fr'
        ? `Résume le litige sur la facture ${file.invoice.ref} : historique, montants, engagements, ce que chaque partie a dit, puis propose la prochaine étape avec un responsable et une échéance. Proposition calculée par encours, à reprendre ou à justifier : ${summary.nextStep.action} ; responsable ${summary.nextStep.owner} ; échéance ${summary.nextStep.deadline}.`
        : `Summarise the dispute on invoice ${file.invoice.ref}: history, amounts, commitments, what each side said, then propose the next step with an owner and a deadline. Proposal computed by encours, to use or to argue against: ${summary.nextStep.action}; owner ${summary.nextStep.owner}; deadline ${summary.nextStep.deadline}.`;
    // The question is ours, not the user's: it may ask for no action with side effects.
    const turn = await createAgent({ services: ctx, caller: input.caller }).ask(question, {
      asOf: file.asOf,
      userWords: '',
    });
    return {
      ...summary,
      language,
      offline: false,
      model: turn.model,
      answer: turn.answer,
      usage: turn.usage,
      ...(turn.auditSeq ? { auditSeq: turn.auditSeq } : {}),
    };
  }
  const answer = `${summary.text}\n${offlineNote(language)}`;
  const usage = emptyUsage();
  const auditSeq = await logAgentTurn(ctx, {
    user: input.caller,
    question: `disputes summarise ${file.invoice.ref}`,
    answer,
    model: 'offline',
    promptVersion: loadPrompts().version,
    offline: true,
    language,
    intent: 'dispute_summary',
    toolCalls: [
      {
        name: 'get-dispute-file',
        args,
        argsHash: hashValue(args),
        resultHash: hashValue(outcome.result),
        ok: true,
      },
    ],
    usage,
    cost: estimateCost('offline', usage),
    steps: 1,
    grounding: [],
  });
  return { ...summary, language, offline: true, model: 'offline', answer, usage, auditSeq };
}
