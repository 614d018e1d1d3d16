import type { ToolCaller } from '../../tools/types.ts';
import type { Role } from '../core/policy.ts';
import { isAppError } from '../errors.ts';
import type { ServiceContext } from '../services/context.ts';
import { getUserByName } from '../services/users.ts';
import { type AgentTurn, type AskOptions, createAgent } from './loop.ts';
import { answerOffline } from './offline.ts';

/**
 * The caller for a named user: a known user keeps its role; anyone else on the command line is
 * trusted like the CLI itself (finance), as for the stdio MCP server.
 */
export async function resolveCaller(ctx: ServiceContext, user: string, channel = 'cli'): Promise<ToolCaller> {
  try {
    const row = await getUserByName(ctx, user);
    return { actor: row.name, role: row.role as Role, channel };
  } catch (e) {
    if (isAppError(e) && e.code === 'NOT_FOUND') return { actor: user, role: 'finance', channel };
    throw e;
  }
}

/** One question: Claude when ANTHROPIC_API_KEY is set, else the offline responder. */
export async function askQuestion(
  ctx: ServiceContext,
  input: { question: string; caller: ToolCaller } & AskOptions,
): Promise<AgentTurn> {
  const { question, caller, ...opts } = input;
  if (ctx.config.ANTHROPIC_API_KEY) return createAgent({ services: ctx, caller }).ask(question, opts);
  return answerOffline({ services: ctx, caller }, question, opts);
}
