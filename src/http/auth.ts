import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { rateLimiter } from 'hono-rate-limiter';
import type { Role } from '../core/policy.ts';
import { AppError } from '../errors.ts';
import { type Caller, callerFor, callerOf, hasRole } from '../services/callers.ts';
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
export interface WebEnv {
  Variables: {
    caller: Caller;
    /** The caller's user row (their page language...). */
    account: UserRow;
    session: Session | null;
    lang: Language;
  };
}

export const SESSION_COOKIE = 'encours_session';
export const LANG_COOKIE = 'encours_lang';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface Identified {
  caller: Caller;
  account: UserRow;
  session: Session | null;
}

/** The caller from a bearer token or a session cookie, or null when neither is there. */
export async function identify(services: ServiceContext, c: Context<WebEnv>): Promise<Identified | null> {
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const account = await authenticate(services, token);
    return { caller: callerOf(account, 'web'), account, session: null };
  }
  const session = await findSession(services, getCookie(c, SESSION_COOKIE));
  if (!session) return null;
  return {
    caller: await callerFor(services, { kind: 'session', user: session.user }),
    account: session.user,
    session,
  };
}

/** Puts who is calling on the request for the routes below. */
export function setIdentified(c: Context<WebEnv>, found: Identified): void {
  c.set('caller', found.caller);
  c.set('account', found.account);
  c.set('session', found.session);
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
    setIdentified(c, found);
    await next();
  };
}

/** 403 unless the caller's role is at least `least`. */
export function requireRole(least: Role): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    assertRole(c.get('caller'), least);
    await next();
  };
}

export function assertRole(caller: Caller, least: Role): void {
  if (!hasRole(caller, least))
    throw new AppError(
      'FORBIDDEN',
      `${caller.user} has the ${caller.role} role; this needs ${least} or above`,
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
