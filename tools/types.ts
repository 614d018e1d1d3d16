import type { z } from 'zod';
import type { ServiceContext } from '../src/services/context.ts';
import type { Language } from '../src/wording/index.ts';

/** Who is calling a tool, for the audit log and permission checks. */
export interface ToolCaller {
  /** User name (from a token, Slack id or --as) or `agent`. */
  actor: string;
  role: 'viewer' | 'sales' | 'finance' | 'admin';
  /** mcp | agent | cli | slack | http */
  channel: string;
}

export interface ToolContext {
  services: ServiceContext;
  caller: ToolCaller;
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
  handler: (args: z.infer<I>, ctx: ToolContext) => Promise<z.infer<O>>;
  /** A short readable rendering of the result (MCP text content, CLI output), in `lang`. */
  render: (result: z.infer<O>, lang: Language) => string;
}

export const defineTool = <I extends z.ZodObject, O extends z.ZodObject>(
  def: ToolDefinition<I, O>,
): ToolDefinition<I, O> => def;
