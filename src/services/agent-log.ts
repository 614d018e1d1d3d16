import { desc } from 'drizzle-orm';
import { auditLog } from '../db/schema.ts';
import { appendAudit } from './audit.ts';
import type { Actor } from './callers.ts';
import type { ServiceContext } from './context.ts';
import { sha256 } from './hash.ts';

/** One agent turn as written to the audit log (`agent.turn`): hashes for tool data, text for Q&A. */
export interface TurnLogEntry {
  /** The person who asked (not the agent), on the channel they asked through. */
  user: Actor;
  question: string;
  /** Null when the turn failed (then `error` says why). */
  answer: string | null;
  error?: string;
  model: string;
  promptVersion: string;
  offline: boolean;
  language?: string;
  intent?: string;
  toolCalls: {
    name: string;
    args: unknown;
    argsHash: string;
    resultHash: string;
    ok: boolean;
    refused?: boolean;
    error?: { code: string; message: string };
  }[];
  usage: { inputTokens: number; outputTokens: number; cacheWriteTokens: number; cacheReadTokens: number };
  cost: { micros: number; text: string; estimated: boolean };
  steps: number;
  grounding: { kind: string; text: string }[];
  /** Sentences withheld for ungrounded figures; claims of actions the tool log does not show. */
  withheld?: string[];
  falseClaims?: string[];
}

/** Appends the `agent.turn` entry in its own transaction and returns its sequence number. */
export async function logAgentTurn(ctx: ServiceContext, t: TurnLogEntry): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    await appendAudit(tx, ctx.now(), {
      actor: t.user,
      action: 'agent.turn',
      subject: t.intent ?? null,
      data: {
        question: t.question,
        answer: t.answer,
        answerHash: t.answer === null ? null : sha256(t.answer),
        ...(t.error ? { error: t.error } : {}),
        model: t.model,
        promptVersion: t.promptVersion,
        offline: t.offline,
        language: t.language ?? null,
        toolCalls: t.toolCalls.map((c) => ({
          name: c.name,
          args: c.args,
          argsHash: c.argsHash,
          resultHash: c.resultHash,
          ok: c.ok,
          ...(c.refused ? { refused: true } : {}),
          ...(c.error ? { error: c.error } : {}),
        })),
        usage: t.usage,
        costMicroUsd: t.cost.micros,
        cost: t.cost.text,
        costEstimated: t.cost.estimated,
        steps: t.steps,
        groundingViolations: t.grounding.map((g) => ({ kind: g.kind, text: g.text })),
        ...(t.withheld?.length ? { withheld: t.withheld } : {}),
        ...(t.falseClaims?.length ? { falseClaims: t.falseClaims } : {}),
      },
    });
    const [last] = await tx.select({ seq: auditLog.seq }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
    return last?.seq ?? 0;
  });
}
