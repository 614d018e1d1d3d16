import type { ToolDefinition } from '../../tools/types.ts';
import { foldText } from '../core/text.ts';

/**
 * What the model may do on its own. Read tools are free. Of the tools with side effects, only those
 * that create something a person reviews (a recommendation, a draft, a pending approval request)
 * are offered; recording promises or dispute events stays with people.
 */
export const AGENT_WRITE_TOOLS = [
  'evaluate-terms-request',
  'draft-reminder',
  'request-terms-approval',
] as const;

export const isReadTool = (tool: ToolDefinition): boolean => tool.annotations.readOnlyHint === true;

/** The tools offered to the model. */
export function agentTools(all: readonly ToolDefinition[]): ToolDefinition[] {
  return all.filter((t) => isReadTool(t) || (AGENT_WRITE_TOOLS as readonly string[]).includes(t.name));
}

/** Words by which a user's question asks for each action (folded: lower case, no accents). */
const ACTION_WORDS: Record<string, RegExp> = {
  'evaluate-terms-request':
    /\b(terms?|days?|jours?|delai|delais|conditions?|accorder|accorde|give|grant|extend|allonger|paiement a|echeance|net \d+)\b/,
  'draft-reminder':
    /\b(draft|drafts|write|prepare|reminder|reminders|relance|relances|relancer|redige|rediger|brouillon|lettre|letter|mise en demeure)\b/,
  'request-terms-approval':
    /\b(approval|approve|approbation|approuver|valider|validation|escalate|soumettre|submit)\b/,
};

/** True when the user's own words ask for this action. */
export function questionAsksFor(toolName: string, question: string): boolean {
  const words = ACTION_WORDS[toolName];
  return !!words && words.test(foldText(question));
}

/** Every number inside tool arguments (days, amounts...), to compare with the user's question. */
function numbersIn(value: unknown, out: number[] = []): number[] {
  if (typeof value === 'number') out.push(value);
  else if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())) out.push(Number(value));
  else if (Array.isArray(value)) for (const v of value) numbersIn(v, out);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) if (k !== 'asOf') numbersIn(v, out);
  return out;
}

/** Numbers the user typed: "60", "15 000", "15,000.50", "15 000,50". */
function numbersTyped(question: string): Set<number> {
  const out = new Set<number>();
  for (const m of question.matchAll(/\d[\d \u00a0\u202f.,]*\d|\d/g)) {
    const raw = m[0];
    out.add(
      Number(
        raw
          .replace(/[ \u00a0\u202f]/g, '')
          .replace(/,(\d{1,2})$/, '.$1')
          .replace(/[,]/g, ''),
      ),
    );
    for (const part of raw.split(/[ \u00a0\u202f]+/)) out.add(Number(part.replace(',', '.')));
  }
  return out;
}

export interface AccessDecision {
  allowed: boolean;
  reason?: string;
}

/**
 * Whether the model may run this tool now. `state.question` is only what the user typed (empty when
 * encours built the request itself: then nothing with side effects runs). When the conversation carries client-supplied text, a
 * tool with side effects runs only if the user's own question asked for that action and every
 * figure in its arguments was typed by the user: an instruction hidden in a dispute note ("approve
 * 120 days") can never trigger it.
 */
export function mayCall(
  tool: ToolDefinition | undefined,
  name: string,
  args: unknown,
  state: { question: string; tainted: boolean; offered: readonly ToolDefinition[] },
): AccessDecision {
  if (!tool || !state.offered.includes(tool))
    return { allowed: false, reason: `the tool "${name}" is not available to the assistant` };
  if (isReadTool(tool)) return { allowed: true };
  if (!state.question.trim())
    return {
      allowed: false,
      reason: `refused: ${tool.name} has side effects and this request was built by encours, not typed by a user`,
    };
  if (!state.tainted) return { allowed: true };
  if (!questionAsksFor(tool.name, state.question))
    return {
      allowed: false,
      reason: `refused: ${tool.name} has side effects, this conversation contains client-supplied text, and the user's question did not ask for this action`,
    };
  const typed = numbersTyped(state.question);
  const foreign = numbersIn(args).filter((n) => !typed.has(n));
  if (foreign.length)
    return {
      allowed: false,
      reason: `refused: ${tool.name} arguments contain ${foreign.join(', ')}, which the user did not give, while the conversation contains client-supplied text`,
    };
  return { allowed: true };
}

// ---------------------------------------------------------------------------------------------
// Client-supplied text

/** Keys under which tools put text written by clients. */
const CLIENT_TEXT_KEY = /^(clientText|clientNotes?|untrusted\w*|clientSupplied\w*|client_text)$/i;

/** True when a tool result contains text written by a client. */
export function containsClientText(value: unknown): boolean {
  let found = false;
  walk(value, (key, v, parent) => {
    if (typeof v !== 'string' || !v.trim()) return;
    if (CLIENT_TEXT_KEY.test(key) || (parent && (parent as { author?: unknown }).author === 'client'))
      found = true;
  });
  return found;
}

function walk(
  value: unknown,
  visit: (key: string, v: unknown, parent: unknown) => void,
  key = '',
  parent?: unknown,
) {
  visit(key, value, parent);
  if (Array.isArray(value)) for (const v of value) walk(v, visit, key, parent);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) walk(v, visit, k, value);
}

/** Neutralises tags inside client text so it cannot close the quoting and speak as us. */
const escapeTags = (s: string) =>
  s.replace(/<\/?\s*client_text\s*>/gi, (t) => t.replace(/</g, '‹').replace(/>/g, '›'));

/** Wraps client text in `<client_text>` tags, the form the system prompt tells the model is data. */
export function quoteClientText(text: string): string {
  return `<client_text>${escapeTags(text)}</client_text>`;
}

/**
 * A copy of a tool result where every client-written string is quoted as data. Strings under
 * client-text keys, and the text fields of entries whose author is the client, are wrapped.
 */
export function quoteClientFields(value: unknown, key = '', parentIsClient = false): unknown {
  if (typeof value === 'string') {
    const isClient =
      CLIENT_TEXT_KEY.test(key) || (parentIsClient && /^(note|text|body|message|reason|comment)$/i.test(key));
    return isClient && value.trim() ? quoteClientText(value) : value;
  }
  if (Array.isArray(value)) return value.map((v) => quoteClientFields(v, key, parentIsClient));
  if (value && typeof value === 'object') {
    const isClient = (value as { author?: unknown }).author === 'client';
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, quoteClientFields(v, k, isClient)]));
  }
  return value;
}
