import type { z } from 'zod';
import type { Caller } from '../src/services/callers.ts';
import type { ServiceContext } from '../src/services/context.ts';
import type { Language } from '../src/wording/index.ts';

export interface ToolContext {
  services: ServiceContext;
  /** Who is calling, for the audit log and permission checks (see services/callers.ts). */
  caller: Caller;
  /** The language of the person the results are for; default ENCOURS_LANG. */
  language?: Language;
}

export interface ToolAnnotations {
  title: string;
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/**
 * One tool, defined once, served by the MCP server and by the agent. Handlers call services;
 * they never compute numbers themselves.
 */
export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  /** kebab-case verb-noun, e.g. `get-client-score`. */
  name: string;
  /** Written for a model: when to use it and what it returns. */
  description: string;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  /**
   * It records only a suggestion for a person to review (a recommendation, a draft), so every
   * caller may use it, viewers included; other tools with side effects need sales or above.
   */
  suggestion?: true;
  handler: (args: z.infer<I>, ctx: ToolContext) => Promise<z.infer<O>>;
  /** A short readable rendering of the result (MCP text content, CLI output), in `lang`. */
  render: (result: z.infer<O>, lang: Language) => string;
}

export const defineTool = <I extends z.ZodObject, O extends z.ZodObject>(
  def: ToolDefinition<I, O>,
): ToolDefinition<I, O> => def;
