import type { z } from 'zod';
import { isAppError, withLocation } from '../src/errors.ts';
import { languageOf } from './common.ts';
import type { ToolContext, ToolDefinition } from './types.ts';

export interface ToolErrorInfo {
  /** An AppError code (INVALID_INPUT, NOT_FOUND, AMBIGUOUS, FORBIDDEN...) or INTERNAL. */
  code: string;
  message: string;
  /** The input field at fault, as a dotted path. */
  field?: string;
  /** For NOT_FOUND / AMBIGUOUS clients: who the caller may have meant. */
  candidates?: { ref: string; name: string }[];
  hint?: string;
}

/** What a call gave: the tool's own output type on success (erased to a record for a registry list). */
export type ToolOutcome<R = Record<string, unknown>> =
  | { ok: true; result: R; text: string }
  | { ok: false; error: ToolErrorInfo; text: string };

/**
 * The single way to run a tool, for MCP and for the agent: validates the arguments, runs the
 * handler, checks the result against the output schema, and turns every failure into an error
 * outcome (never a thrown exception, never a stack trace).
 */
export async function callTool<I extends z.ZodObject, O extends z.ZodObject>(
  tool: ToolDefinition<I, O>,
  rawArgs: unknown,
  ctx: ToolContext,
): Promise<ToolOutcome<z.infer<O>>> {
  const parsed = tool.input.safeParse(rawArgs ?? {}, { reportInput: true });
  if (!parsed.success) {
    const issues = parsed.error.issues;
    let message = `invalid arguments for ${tool.name}: ${issues.map(describeIssue).join('; ')}`;
    if (issues.some((i) => i.code === 'unrecognized_keys'))
      message += ` (accepted fields: ${Object.keys(tool.input.shape).join(', ')})`;
    const field = issues[0]?.path.join('.');
    return failure({ code: 'INVALID_INPUT', message, ...(field ? { field } : {}) });
  }
  if (!tool.annotations.readOnlyHint && !tool.suggestion && ctx.caller.role === 'viewer')
    return failure({
      code: 'FORBIDDEN',
      message: `${tool.name} records something, and ${ctx.caller.user} has the viewer role, which may only read and ask for suggestions`,
      hint: 'ask a sales, finance or admin user, or have an admin change your role',
    });
  let result: unknown;
  try {
    result = await tool.handler(parsed.data, ctx);
  } catch (e) {
    return failure(errorInfo(withLocation(e, ctx.services.database.location)));
  }
  const checked = tool.output.safeParse(result);
  if (!checked.success) {
    // A bug on our side: say which tool and field, keep internals out of the message.
    return failure({
      code: 'INTERNAL',
      message: `${tool.name} produced a result that does not match its declared output (${checked.error.issues
        .slice(0, 3)
        .map((i) => i.path.join('.') || '(root)')
        .join(', ')})`,
      hint: 'this is a bug in encours; please report it with the arguments used',
    });
  }
  const data = checked.data as z.infer<O>;
  let text: string;
  try {
    text = tool.render(data, languageOf(ctx));
  } catch {
    text = JSON.stringify(data, null, 2);
  }
  return { ok: true, result: data, text };
}

function failure(error: ToolErrorInfo): { ok: false; error: ToolErrorInfo; text: string } {
  return { ok: false, error, text: errorText(error) };
}

/** The one readable line (plus hint and candidates) shown to a model or a person. */
export function errorText(error: ToolErrorInfo): string {
  const lines = [`${error.code}: ${error.message}`];
  if (error.candidates?.length)
    lines.push(`candidates: ${error.candidates.map((c) => `${c.name} (${c.ref})`).join(', ')}`);
  if (error.hint) lines.push(`hint: ${error.hint}`);
  return lines.join('\n');
}

/** Maps anything thrown to an error outcome: AppError keeps its code and details; the rest is INTERNAL. */
export function errorInfo(e: unknown): ToolErrorInfo {
  if (isAppError(e)) {
    const info: ToolErrorInfo = { code: e.code, message: e.message };
    const details = e.details as { candidates?: unknown; field?: unknown } | undefined;
    if (details && typeof details === 'object') {
      if (Array.isArray(details.candidates))
        info.candidates = details.candidates
          .filter((c): c is { ref: string; name: string } => !!c && typeof c === 'object' && 'ref' in c)
          .map((c) => ({ ref: String(c.ref), name: String(c.name) }));
      if (typeof details.field === 'string') info.field = details.field;
    }
    if (e.hint) info.hint = e.hint;
    return info;
  }
  // Unexpected: the message only (no stack), so nothing internal leaks to a client.
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'INTERNAL', message: `unexpected error: ${message.split('\n')[0]}` };
}

/** "asOf: expected a calendar date YYYY-MM-DD (got "2026-13-01")" */
function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length ? issue.path.join('.') : '(arguments)';
  switch (issue.code) {
    case 'invalid_type': {
      const missing = issue.input === undefined;
      return missing
        ? `${path}: required (expected ${issue.expected})`
        : `${path}: expected ${issue.expected}, got ${kindOf(issue.input)}`;
    }
    case 'unrecognized_keys':
      return `${path === '(arguments)' ? '' : `${path}: `}unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_value':
      return `${path}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${path}: ${issue.message}${issue.input !== undefined ? ` (got ${shown(issue.input)})` : ''}`;
  }
}

/** The offending value as JSON, cut short: an error never echoes megabytes of input back. */
function shown(input: unknown): string {
  const json = JSON.stringify(input) ?? String(input);
  return json.length > 80 ? `${json.slice(0, 60)}... (${json.length} characters)` : json;
}

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
