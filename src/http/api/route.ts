import { createRoute, type OpenAPIHono, type RouteConfig, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ZodType } from 'zod';
import { callTool } from '../../../tools/call.ts';
import type { ToolDefinition } from '../../../tools/types.ts';
import type { Role } from '../../core/policy.ts';
import { AppError, type ErrorCode } from '../../errors.ts';
import type { Caller } from '../../services/callers.ts';
import type { ServiceContext } from '../../services/context.ts';
import { requireRole, type WebEnv } from '../auth.ts';

export type Api = OpenAPIHono<WebEnv>;

/** `{error: {code, message, field, hint}}`: the one error shape of /api. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'INVALID_INPUT' }),
      message: z.string().openapi({ example: 'days: expected a whole number' }),
      field: z.string().nullable().openapi({ example: 'days' }),
      hint: z.string().nullable().optional(),
    }),
  })
  .openapi('Error');

const errorResponse = (description: string) => ({
  content: { 'application/json': { schema: ErrorSchema } },
  description,
});

const ERRORS = {
  400: errorResponse('invalid input: `field` names the parameter at fault'),
  401: errorResponse('no valid bearer token or session'),
  403: errorResponse('the role, the policy or the four-eyes rule forbids it'),
  404: errorResponse('not found'),
  409: errorResponse('conflicts with the current state (already decided, blocked, concurrent change)'),
  429: errorResponse('rate limited'),
};

export interface RouteSpec {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path, e.g. /reminders/{id}/approve (mounted under /api). */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Least role allowed (viewer = any signed-in user). */
  role: Role;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  response: ZodType;
  status?: 200 | 201;
}

/** Every route of the API (each app built registers the same ones), for the tests that walk them all. */
export const ROUTE_SPECS: RouteSpec[] = [];

function remember(spec: RouteSpec): void {
  if (!ROUTE_SPECS.some((s) => s.method === spec.method && s.path === spec.path)) ROUTE_SPECS.push(spec);
}

type Input = { param: Record<string, string>; query: Record<string, unknown>; json: unknown };

/**
 * Registers one route: its OpenAPI description, the role check (before validation, so a forbidden
 * caller learns nothing about the input), zod validation of path, query and body, and the handler.
 */
export function route(
  api: Api,
  spec: RouteSpec,
  handler: (c: Context<WebEnv>, input: Input, caller: Caller) => Promise<unknown>,
): void {
  remember(spec);
  const status = spec.status ?? 200;
  const config = createRoute({
    method: spec.method,
    path: spec.path,
    tags: [spec.tag],
    summary: spec.summary,
    ...(spec.description
      ? { description: `${spec.description}\n\nRole: ${spec.role}.` }
      : { description: `Role: ${spec.role}.` }),
    security: [{ bearer: [] }, { session: [] }],
    middleware: [requireRole(spec.role)] as const,
    request: {
      ...(spec.params ? { params: spec.params } : {}),
      ...(spec.query ? { query: spec.query } : {}),
      ...(spec.body
        ? { body: { content: { 'application/json': { schema: spec.body } }, required: true } }
        : {}),
    },
    responses: {
      [status]: { content: { 'application/json': { schema: spec.response } }, description: 'OK' },
      ...ERRORS,
    },
  } as RouteConfig);
  api.openapi(config, (async (c: Context<WebEnv>) => {
    const valid = c.req as unknown as { valid: (k: string) => unknown };
    const input: Input = {
      param: (spec.params ? valid.valid('param') : {}) as Record<string, string>,
      query: (spec.query ? valid.valid('query') : {}) as Record<string, unknown>,
      json: spec.body ? valid.valid('json') : undefined,
    };
    return c.json(await handler(c, input, c.get('caller')), status);
  }) as never);
}

/** Runs a tool of the registry as the caller (same validation and output as MCP), or throws its error. */
export async function viaTool(
  services: ServiceContext,
  caller: Caller,
  tool: ToolDefinition,
  args: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const clean = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
  const outcome = await callTool(tool, clean, {
    services,
    caller,
  });
  if (outcome.ok) return outcome.result;
  // A tool result that breaks its own schema is a bug: a 500, not the caller's fault.
  if (outcome.error.code === 'INTERNAL') throw new Error(outcome.error.message);
  throw new AppError(
    outcome.error.code as ErrorCode,
    outcome.error.message,
    { field: outcome.error.field ?? null, candidates: outcome.error.candidates },
    outcome.error.hint,
  );
}

// Shared parameter and body pieces.
export const refParam = z.object({
  ref: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: 'ref', in: 'path' }, example: 'C0001' }),
});
export const idParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'rem_0123456789abcdef' }),
});
export const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .openapi({ example: '2026-11-23' });
export const asOfQuery = z.object({ asOf: isoDay.optional() });
export const reasonBody = z.object({ reason: z.string().trim().min(1, 'say why').max(2000) });
