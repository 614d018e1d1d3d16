import type { Runtime } from '../runtime.ts';
import type { Caller } from '../services/callers.ts';
import { type AgentTurn, type AskOptions, createAgent } from './loop.ts';
import { answerOffline } from './offline.ts';

/** One question: Claude when ANTHROPIC_API_KEY is set, else the offline responder. */
export async function askQuestion(
  runtime: Runtime,
  input: { question: string; caller: Caller } & AskOptions,
): Promise<AgentTurn> {
  const { question, caller, ...opts } = input;
  const { services } = runtime;
  const anthropic = await runtime.model();
  if (anthropic) return createAgent({ services, caller, anthropic }).ask(question, opts);
  return answerOffline({ services, caller }, question, opts);
}
