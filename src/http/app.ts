import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { queryRows } from '../db/rows.ts';
import { AppError, httpStatusFor, isAppError } from '../errors.ts';
import { SERVER_VERSION } from '../mcp/server.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import type { Runtime } from '../runtime.ts';
import { createApi } from './api/index.ts';
import type { WebEnv } from './auth.ts';
import { handleMcpRequest } from './mcp-route.ts';
import { checkOrigin, type OriginPolicy } from './origin.ts';
import { createPages, errorPage } from './pages/index.tsx';

export interface AppDeps {
  /** The process's runtime: services, mailer (where approved reminders go), model client. */
  runtime: Runtime;
  /** DNS-rebinding policy; build it with `originPolicy(config.ENCOURS_ALLOWED_ORIGINS, ...)`. */
  origins: OriginPolicy;
  log?: (line: string) => void;
  /** The Slack app's HTTP handler, mounted at /slack/events when Slack is configured. */
  slackEvents?: (request: Request) => Promise<Response>;
}

/** The field an error is about: named in its details, else the "field: ..." its message starts with. */
export function errorField(e: AppError): string | null {
  const details = e.details as { field?: unknown } | undefined;
  if (details && typeof details.field === 'string') return details.field;
  const m = /^-{0,2}([A-Za-z][\w.-]*): /.exec(e.message);
  return m ? m[1]!.replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase()) : null;
}

const MIGRATION_COUNT = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'migrations', 'meta', '_journal.json'), 'utf8')) as {
    entries: unknown[];
  }
).entries.length;

/**
 * The HTTP application: health, the REST API (/api), the finance pages and MCP over Streamable HTTP
 * (/mcp). It reads no environment: everything comes in `deps`, so tests build it on any database;
 * other surfaces (Slack) mount themselves on the returned app.
 */
export function createApp(deps: AppDeps): Hono {
  const log = deps.log ?? (() => {});
  const { runtime } = deps;
  const { services, mailer } = runtime;
  const app = new Hono();

  app.onError((e, c) => {
    // Hono's own refusals (malformed JSON, unsupported media type) are the caller's input.
    if (e instanceof HTTPException && e.status < 500)
      return c.json(
        {
          error: {
            code: 'INVALID_INPUT',
            message: e.message || 'malformed request',
            field: null,
            hint: null,
          },
        },
        e.status,
      );
    // Message only: a stack trace never leaves the process.
    if (!isAppError(e))
      log(`http: ${c.req.method} ${c.req.path}: ${e instanceof Error ? (e.stack ?? e.message) : e}`);
    const status = httpStatusFor(e) as 400 | 401 | 403 | 404 | 409 | 422 | 500 | 502 | 503;
    const page = !/^\/(api|mcp)(\/|$)/.test(c.req.path) && c.req.header('accept')?.includes('text/html');
    if (page && isAppError(e)) return errorPage(c as unknown as Context<WebEnv>, e, status);
    const body = isAppError(e)
      ? { code: e.code, message: e.message, field: errorField(e), hint: e.hint ?? null }
      : { code: 'INTERNAL', message: 'internal error', field: null, hint: null };
    const headers: Record<string, string> =
      status === 401 && c.req.path.startsWith('/api') ? { 'WWW-Authenticate': 'Bearer realm="encours"' } : {};
    return c.json({ error: body }, status, headers);
  });
  app.notFound((c) =>
    c.json(
      {
        error: {
          code: 'NOT_FOUND',
          message: `no route ${c.req.method} ${c.req.path}`,
          field: null,
          hint: null,
        },
      },
      404,
    ),
  );

  // Signed by Slack (checked by the receiver), so no Host/Origin rule: Slack calls the public host.
  const slackEvents = deps.slackEvents;
  if (slackEvents) app.post('/slack/events', (c) => slackEvents(c.req.raw));
  else
    app.post('/slack/events', (c) =>
      c.json(
        {
          error: {
            code: 'NOT_FOUND',
            message: 'Slack is not configured on this server',
            field: null,
            hint: 'set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, then restart `encours serve`',
          },
        },
        404,
      ),
    );

  // Every other route: the Host must be local or configured, a browser Origin local or listed.
  app.use('*', async (c, next) => {
    if (c.req.path === '/slack/events') return next();
    const refused = checkOrigin(deps.origins, c.req.header('host'), c.req.header('origin'));
    if (refused) throw new AppError('FORBIDDEN', `forbidden: ${refused}`);
    await next();
  });

  app.get('/health', (c) => c.json({ status: 'ok', version: SERVER_VERSION }));
  app.get('/ready', async (c) => {
    try {
      await services.db.execute(sql`select 1`);
      const [migrations] = await queryRows<{ n: number }>(
        services.db,
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      const applied = Number(migrations?.n ?? 0);
      const ready = applied >= MIGRATION_COUNT;
      return c.json(
        {
          status: ready ? 'ready' : 'migrations pending',
          database: services.database.driver,
          migrations: { applied, expected: MIGRATION_COUNT },
          policyVersion: services.policy.version,
          mail: mailer.kind,
        },
        ready ? 200 : 503,
      );
    } catch (e) {
      log(`ready: ${(e as Error).message}`);
      return c.json({ status: 'database unreachable', database: services.database.driver }, 503);
    }
  });

  app.route('/api', createApi(services, mailer));
  app.all('/mcp', (c) => handleMcpRequest(c, runtime, log));
  app.route('/', createPages(services, mailer));
  return app;
}
