import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { rateLimiter } from 'hono-rate-limiter';
import { ROLES, type Role } from '../core/policy.ts';
import { AppError } from '../errors.ts';
import type { ServiceContext } from '../services/context.ts';
import { findSession, type Session } from '../services/sessions.ts';
import { authenticate, type UserRow } from '../services/users.ts';
import type { Language } from '../wording/index.ts';

/**
 * Who is calling, for every route: a bearer token (API clients) or the session cookie (pages, and
 * the pages' own calls to /api). A cookie-authenticated request that changes something must carry
 * the session's CSRF token (form field `_csrf` or header `X-CSRF-Token`); bearer requests cannot be
 * forged by another site, so they need none.
 */
export interface Caller {
  user: UserRow;
  name: string;
  role: Role;
  channel: 'web';
  via: 'token' | 'session';
}

export interface WebEnv {
  Variables: {
    caller: Caller;
    session: Session | null;
    lang: Language;
  };
}

export const SESSION_COOKIE = 'encours_session';
export const LANG_COOKIE = 'encours_lang';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const toCaller = (user: UserRow, via: Caller['via']): Caller => ({
  user,
  name: user.name,
  role: (ROLES as readonly string[]).includes(user.role) ? (user.role as Role) : 'viewer',
  channel: 'web',
  via,
});

/** The caller from a bearer token or a session cookie, or null when neither is there. */
export async function identify(
  services: ServiceContext,
  c: Context<WebEnv>,
): Promise<{ caller: Caller; session: Session | null } | null> {
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    return { caller: toCaller(await authenticate(services, token), 'token'), session: null };
  }
  const session = await findSession(services, getCookie(c, SESSION_COOKIE));
  return session ? { caller: toCaller(session.user, 'session'), session } : null;
}

/** Checks the CSRF token of a cookie-authenticated request that changes something. */
export async function checkCsrf(c: Context<WebEnv>, session: Session | null): Promise<void> {
  if (!session || !UNSAFE.has(c.req.method)) return;
  let sent = c.req.header('x-csrf-token');
  if (!sent && (c.req.header('content-type') ?? '').includes('form')) {
    const form = await c.req.parseBody();
    sent = typeof form._csrf === 'string' ? form._csrf : undefined;
  }
  if (sent !== session.csrfToken)
    throw new AppError(
      'FORBIDDEN',
      'missing or wrong CSRF token',
      { field: '_csrf' },
      'reload the page and try again',
    );
}

/** API authentication: 401 with a WWW-Authenticate challenge when nobody is identified. */
export function requireCaller(services: ServiceContext): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const found = await identify(services, c);
    if (!found)
      throw new AppError(
        'UNAUTHORIZED',
        'missing credentials',
        undefined,
        'send Authorization: Bearer <token> (`encours users add` prints one) or sign in at /login',
      );
    await checkCsrf(c, found.session);
    c.set('caller', found.caller);
    c.set('session', found.session);
    await next();
  };
}

const RANK: Record<Role, number> = { viewer: 0, sales: 1, finance: 2, admin: 3 };

/** 403 unless the caller's role is at least `least`. */
export function requireRole(least: Role): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    assertRole(c.get('caller'), least);
    await next();
  };
}

export function assertRole(caller: Caller, least: Role): void {
  if (RANK[caller.role] < RANK[least])
    throw new AppError(
      'FORBIDDEN',
      `${caller.name} has the ${caller.role} role; this needs ${least} or above`,
      { field: 'role', needed: least },
      `ask a user with the ${least} role, or an admin to change your role`,
    );
}

/** The client address (loopback in tests that call app.request()). */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'local';
  } catch {
    return 'local';
  }
}

/** A fixed-window limiter per key, answering 429 in the API's error shape. */
export function limiter(limit: number, key: (c: Context<WebEnv>) => string): MiddlewareHandler<WebEnv> {
  return rateLimiter<WebEnv>({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-7',
    keyGenerator: key,
    handler: (c) =>
      c.json(
        {
          error: {
            code: 'RATE_LIMITED',
            message: `too many requests: at most ${limit} a minute`,
            field: null,
            hint: 'wait a minute and try again',
          },
        },
        429,
      ),
  });
}
