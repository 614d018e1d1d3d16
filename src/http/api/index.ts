import { OpenAPIHono } from '@hono/zod-openapi';
import type { Mailer } from '../../mail/mailer.ts';
import { SERVER_VERSION } from '../../mcp/server.ts';
import type { ServiceContext } from '../../services/context.ts';
import { limiter, requireCaller, type WebEnv } from '../auth.ts';
import { portfolioRoutes } from './portfolio.ts';
import { reminderRoutes } from './reminders.ts';
import type { Api } from './route.ts';
import { termsRoutes } from './terms.ts';

export const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: {
    title: 'encours API',
    version: SERVER_VERSION,
    description:
      'Credit risk, payment terms and collections. Amounts are integer cents unless a field says otherwise; ' +
      'errors are `{error: {code, message, field, hint}}`. Authenticate with `Authorization: Bearer <token>` ' +
      '(`encours users add` prints one).',
  },
};

/** The REST API, mounted at /api: authentication, rate limit, validation, then the services. */
export function createApi(services: ServiceContext, mailer: Mailer): Api {
  const api: Api = new OpenAPIHono<WebEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const issue = result.error.issues[0];
      const field = issue?.path.length ? issue.path.join('.') : null;
      const message = result.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
        .join('; ');
      return c.json({ error: { code: 'INVALID_INPUT', message, field, hint: null } }, 400);
    },
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'a token printed by `encours users add`',
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'encours_session',
    description: "the pages' session; requests that change something also need the X-CSRF-Token header",
  });
  api.doc31('/openapi.json', OPENAPI_INFO);
  api.use('*', async (c, next) => {
    if (c.req.path.endsWith('/openapi.json')) return next();
    return requireCaller(services)(c, next);
  });
  api.use(
    '*',
    limiter(services.config.ENCOURS_API_RATE_LIMIT, (c) => c.get('caller')?.user ?? 'anonymous'),
  );
  portfolioRoutes(api, services);
  termsRoutes(api, services);
  reminderRoutes(api, services, mailer);
  return api;
}
