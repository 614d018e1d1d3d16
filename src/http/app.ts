import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { describeError, httpStatusFor, isAppError } from '../errors.ts';
import { SERVER_VERSION } from '../mcp/server.ts';
import type { ServiceContext } from '../services/context.ts';
import { handleMcpRequest } from './mcp-route.ts';
import { checkOrigin, type OriginPolicy } from './origin.ts';

export interface AppDeps {
  services: ServiceContext;
  /** DNS-rebinding policy; build it with `originPolicy(config.ENCOURS_ALLOWED_ORIGINS, ...)`. */
  origins: OriginPolicy;
  log?: (line: string) => void;
  /** The Slack app's HTTP handler, mounted at /slack/events when Slack is configured. */
  slackEvents?: (request: Request) => Promise<Response>;
}

/**
 * The HTTP application: health and MCP over Streamable HTTP. It reads no environment: everything
 * comes in `deps`, so tests build it on any database and port.
 */
export function createApp(deps: AppDeps): Hono {
  const log = deps.log ?? (() => {});
  const app = new Hono();

  app.onError((e, c) => {
    // Message only: a stack trace never leaves the process.
    if (!isAppError(e))
      log(`http: ${c.req.method} ${c.req.path}: ${e instanceof Error ? (e.stack ?? e.message) : e}`);
    const status = httpStatusFor(e) as 400 | 401 | 403 | 404 | 409 | 422 | 500 | 502 | 503;
    return c.json({ error: isAppError(e) ? describeError(e) : 'internal error' }, status);
  });
  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404));

  app.get('/health', async (c) => {
    await deps.services.db.execute(sql`select 1`);
    return c.json({
      status: 'ok',
      version: SERVER_VERSION,
      database: deps.services.database.driver,
      policyVersion: deps.services.policy.version,
    });
  });

  app.use('/mcp', async (c, next) => {
    const refused = checkOrigin(deps.origins, c.req.header('host'), c.req.header('origin'));
    if (refused) return c.json({ error: `forbidden: ${refused}` }, 403);
    await next();
  });
  app.all('/mcp', (c) => handleMcpRequest(c, deps.services, log));

  // Signed by Slack (checked by the receiver), so no Host/Origin rule: Slack calls the public host.
  const slackEvents = deps.slackEvents;
  if (slackEvents) app.post('/slack/events', (c) => slackEvents(c.req.raw));

  return app;
}
