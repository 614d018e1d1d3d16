/** @jsxImportSource hono/jsx */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { secureHeaders } from 'hono/secure-headers';
import type { Decision, Role } from '../../core/policy.ts';
import { AppError, isAppError } from '../../errors.ts';
import type { Mailer } from '../../mail/mailer.ts';
import { localDate } from '../../mail/schedule.ts';
import { PACKAGE_ROOT } from '../../package-root.ts';
import { listAudit, verifyAudit } from '../../services/audit.ts';
import type { Caller } from '../../services/callers.ts';
import { getClientFile } from '../../services/client-file.ts';
import { listClients } from '../../services/clients.ts';
import { setClientContact } from '../../services/contacts.ts';
import { defaultAsOf, type ServiceContext } from '../../services/context.ts';
import { getDashboard } from '../../services/dashboard.ts';
import { checkPassword } from '../../services/passwords.ts';
import { endPause, pauseReminders } from '../../services/pauses.ts';
import {
  type BulkAction,
  bulkReview,
  editReminder,
  goingOutOn,
  rejectReminder,
  rescheduleReminder,
  retryReminder,
} from '../../services/reminder-review.ts';
import { sendDueReminders } from '../../services/reminder-sender.ts';
import { draftReminder, getReminder, listReminders } from '../../services/reminders.ts';
import { closeSession, openSession, setUserLanguage } from '../../services/sessions.ts';
import { listDecisions } from '../../services/terms.ts';
import { decideTermsRequest } from '../../services/terms-requests.ts';
import type { UserRow } from '../../services/users.ts';
import type { Language } from '../../wording/index.ts';
import { type PageCode, pageWords } from '../../wording/pages.ts';
import { approveAndSend } from '../api/reminders.ts';
import {
  assertRole,
  clientAddress,
  identify,
  LANG_COOKIE,
  limiter,
  SESSION_COOKIE,
  setIdentified,
  type WebEnv,
} from '../auth.ts';
import { AuditPage } from './audit.tsx';
import { ClientPage, ClientsPage } from './clients.tsx';
import { DashboardPage } from './dashboard.tsx';
import { type View, viewFor } from './layout.tsx';
import { ErrorPage, LoginPage } from './login.tsx';
import { QUEUE_TABS, QueuePage, type QueueTab, ReviewPage } from './reminders.tsx';
import { TermsPage } from './terms.tsx';

const ASSETS = join(PACKAGE_ROOT, 'src', 'http', 'assets');
const CHART_JS = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');

/** Static files, read once: the pages' stylesheet and script, and Chart.js from node_modules (no CDN). */
function asset(file: string, type: string): { body: string; type: string } {
  return { body: readFileSync(file, 'utf8'), type };
}

const isLang = (x: unknown): x is Language => x === 'fr' || x === 'en';

/** A local path to come back to after a form; anything else goes to the dashboard. */
const safeBack = (x: unknown, fallback = '/'): string =>
  typeof x === 'string' && /^\/(?!\/)[^\s\\]*$/.test(x) ? x : fallback;

/**
 * The finance pages: server-rendered hono JSX, one form per action (they work without JavaScript),
 * a session cookie (httpOnly, SameSite=Lax) with a CSRF token in every form, strict CSP (scripts
 * and styles from this server only). French by default; the switch is kept per user.
 */
export function createPages(services: ServiceContext, mailer: Mailer): Hono<WebEnv> {
  const pages = new Hono<WebEnv>();
  const files = {
    '/assets/app.css': asset(join(ASSETS, 'app.css'), 'text/css; charset=utf-8'),
    '/assets/app.js': asset(join(ASSETS, 'app.js'), 'text/javascript; charset=utf-8'),
    '/assets/chart.umd.min.js': asset(CHART_JS, 'text/javascript; charset=utf-8'),
  };
  const policy = services.policy.policy;
  const timeZone = policy.sending.timeZone;
  const currency = policy.baseCurrency;

  for (const [path, file] of Object.entries(files))
    pages.get(path, (c) =>
      c.body(file.body, 200, { 'content-type': file.type, 'cache-control': 'public, max-age=3600' }),
    );

  pages.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: 'same-origin',
    }),
  );
  // Forms only from our own pages (Origin / Sec-Fetch-Site), on top of the per-session token.
  pages.use('*', csrf());

  const secure = (services.config.ENCOURS_PUBLIC_URL ?? '').startsWith('https:');
  const langOf = (c: Context<WebEnv>, account: UserRow | undefined): Language => {
    const cookie = getCookie(c, LANG_COOKIE);
    if (isLang(cookie)) return cookie;
    return isLang(account?.language) ? account.language : 'fr';
  };
  const flashOf = (c: Context<WebEnv>, lang: Language): View['flash'] => {
    const ok = c.req.query('done');
    const err = c.req.query('error');
    const t = pageWords(lang);
    if (err) return { kind: 'error', text: t('flash.error', { message: err.slice(0, 500) }) };
    if (ok && `flash.${ok}` in PAGE_FLASH)
      return { kind: 'ok', text: t(`flash.${ok}` as PageCode, { ...c.req.query() }) };
    return null;
  };
  const view = (c: Context<WebEnv>): View => {
    const caller = c.get('caller');
    const lang = langOf(c, c.get('account'));
    return viewFor(lang, caller, c.get('session')?.csrfToken ?? '', c.req.path, flashOf(c, lang));
  };

  // Sign in and out.
  pages.get('/login', (c) => {
    const lang = isLang(c.req.query('lang')) ? (c.req.query('lang') as Language) : langOf(c, undefined);
    if (c.req.query('lang'))
      setCookie(c, LANG_COOKIE, lang, { path: '/', sameSite: 'Lax', secure, maxAge: 31_536_000 });
    const v = viewFor(
      lang,
      null,
      '',
      '/login',
      c.req.query('failed') ? { kind: 'error', text: pageWords(lang)('login.failed') } : null,
    );
    return c.html(<LoginPage v={v} next={safeBack(c.req.query('next'))} name={c.req.query('name') ?? ''} />);
  });
  pages.post(
    '/login',
    limiter(services.config.ENCOURS_LOGIN_RATE_LIMIT, (c) => `login:${clientAddress(c)}`),
    async (c) => {
      const form = await c.req.parseBody();
      const name = String(form.name ?? '').slice(0, 200);
      const next = safeBack(form.next);
      try {
        const user = await checkPassword(services, name, String(form.password ?? ''));
        const { cookie } = await openSession(services, user, { address: clientAddress(c) });
        setCookie(c, SESSION_COOKIE, cookie, {
          path: '/',
          httpOnly: true,
          sameSite: 'Lax',
          secure,
          // Relative, so a server clock fixed for reproducible runs cannot make the cookie stale.
          maxAge: services.config.ENCOURS_SESSION_HOURS * 3600,
        });
        return c.redirect(next, 303);
      } catch (e) {
        if (isAppError(e) && e.code === 'UNAUTHORIZED')
          return c.redirect(
            `/login?failed=1&name=${encodeURIComponent(name)}&next=${encodeURIComponent(next)}`,
            303,
          );
        throw e;
      }
    },
  );

  // Everything below needs a session (or a token, for scripts).
  pages.use('*', async (c, next) => {
    const found = await identify(services, c);
    if (!found) {
      if (c.req.method === 'GET') return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303);
      throw new AppError('UNAUTHORIZED', 'sign in first', undefined, 'open /login');
    }
    if (found.session && c.req.method === 'POST') {
      const form = await c.req.parseBody();
      if (form._csrf !== found.session.csrfToken)
        throw new AppError(
          'FORBIDDEN',
          'missing or wrong CSRF token',
          { field: '_csrf' },
          'reload the page and try again',
        );
    }
    setIdentified(c, found);
    await next();
  });

  pages.post('/logout', async (c) => {
    await closeSession(services, getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/login', 303);
  });
  pages.post('/lang', async (c) => {
    const form = await c.req.parseBody();
    const lang = isLang(form.lang) ? form.lang : 'fr';
    setCookie(c, LANG_COOKIE, lang, { path: '/', sameSite: 'Lax', secure, maxAge: 31_536_000 });
    await setUserLanguage(services, c.get('account').id, lang);
    return c.redirect(safeBack(form.back), 303);
  });

  /** Runs a form's action, then back to the page with a message (or the refusal). */
  const act = async (
    c: Context<WebEnv>,
    back: string,
    least: Role,
    run: (caller: Caller) => Promise<string>,
  ) => {
    const caller = c.get('caller');
    try {
      assertRole(caller, least);
      const done = await run(caller);
      return c.redirect(`${back}${back.includes('?') ? '&' : '?'}done=${done}`, 303);
    } catch (e) {
      if (!isAppError(e) || e.code === 'INVALID_CONFIG' || e.code === 'DB_ERROR') throw e;
      return c.redirect(
        `${back}${back.includes('?') ? '&' : '?'}error=${encodeURIComponent(e.message)}`,
        303,
      );
    }
  };
  const form = async (c: Context<WebEnv>) => {
    const body = await c.req.parseBody({ all: true });
    const one = (k: string) => {
      const x = body[k];
      return typeof x === 'string' ? x : Array.isArray(x) && typeof x[0] === 'string' ? x[0] : '';
    };
    const all = (k: string) => {
      const x = body[k];
      return (Array.isArray(x) ? x : x === undefined ? [] : [x]).filter(
        (y): y is string => typeof y === 'string',
      );
    };
    return { one, all };
  };
  const today = () => defaultAsOf(services);

  pages.get('/', async (c) => {
    const d = await getDashboard(services, today());
    return c.html(<DashboardPage v={view(c)} d={d} currency={currency} />);
  });

  pages.get('/clients', async (c) => {
    const q = (c.req.query('q') ?? '').trim().slice(0, 200);
    const folded = q.toLowerCase();
    const rows = (await listClients(services.db, today()))
      .filter((r) => !folded || r.name.toLowerCase().includes(folded) || r.ref.toLowerCase().includes(folded))
      .sort((a, b) => b.overdue - a.overdue || a.name.localeCompare(b.name));
    return c.html(
      <ClientsPage v={view(c)} rows={rows.slice(0, 500)} q={q} currency={currency} asOf={today()} />,
    );
  });
  pages.get('/clients/:ref', async (c) => {
    const file = await getClientFile(services, c.req.param('ref'), today());
    const canDecide = c.get('caller').role === 'finance' || c.get('caller').role === 'admin';
    return c.html(
      <ClientPage v={view(c)} file={file} currency={currency} timeZone={timeZone} canDecide={canDecide} />,
    );
  });
  const clientBack = (c: Context<WebEnv>) => `/clients/${encodeURIComponent(c.req.param('ref') ?? '')}`;
  pages.post('/clients/:ref/contact', (c) =>
    act(c, clientBack(c), 'finance', async (caller) => {
      const { one } = await form(c);
      await setClientContact(services, caller, c.req.param('ref'), {
        email: one('email') || null,
        cc: one('cc').split(/[,;\s]+/),
      });
      return 'contact';
    }),
  );
  pages.post('/clients/:ref/pause', (c) =>
    act(c, clientBack(c), 'finance', async (caller) => {
      const { one } = await form(c);
      await pauseReminders(services, caller, {
        client: c.req.param('ref'),
        reason: one('reason'),
        ...(one('invoiceRef') ? { invoiceRef: one('invoiceRef') } : {}),
        ...(one('resumeDate') ? { resumeDate: one('resumeDate') } : {}),
      });
      return 'paused';
    }),
  );
  pages.post('/clients/:ref/draft', async (c) => {
    const caller = c.get('caller');
    try {
      assertRole(caller, 'sales');
      const d = await draftReminder(services, { client: c.req.param('ref'), actor: caller });
      return c.redirect(`/reminders/${d.id}?done=drafted`, 303);
    } catch (e) {
      if (!isAppError(e)) throw e;
      return c.redirect(`${clientBack(c)}?error=${encodeURIComponent(e.message)}`, 303);
    }
  });
  pages.post('/pauses/:id/end', async (c) => {
    const { one } = await form(c);
    return act(c, safeBack(one('back')), 'finance', async (caller) => {
      await endPause(services, c.req.param('id'), caller);
      return 'resumed';
    });
  });

  pages.get('/reminders', async (c) => {
    const tab = (c.req.query('tab') ?? 'review') as QueueTab;
    const current = tab in QUEUE_TABS ? tab : 'review';
    const all = await listReminders(services, { limit: 500 });
    const counts = Object.fromEntries(
      (Object.keys(QUEUE_TABS) as QueueTab[]).map((k) => [
        k,
        all.filter((r) => (QUEUE_TABS[k] as readonly string[]).includes(r.status)).length,
      ]),
    ) as Record<QueueTab, number>;
    const rows = all.filter((r) => (QUEUE_TABS[current] as readonly string[]).includes(r.status));
    const q = {
      tab: current,
      rows,
      counts,
      today: await goingOutOn(services, localDate(services.now(), policy.sending)),
      transport: { kind: mailer.kind, target: mailer.target },
      sending: policy.sending,
    };
    const canReview = ['finance', 'admin'].includes(c.get('caller').role);
    return c.html(<QueuePage v={view(c)} q={q} canReview={canReview} />);
  });
  pages.post('/reminders/bulk', (c) =>
    act(c, '/reminders', 'finance', async (caller) => {
      const { one, all } = await form(c);
      const action = one('action') as BulkAction;
      if (!['approve', 'reject', 'reschedule'].includes(action))
        throw new AppError('INVALID_INPUT', 'action: choose approve, reject or reschedule', {
          field: 'action',
        });
      const ids = all('ids');
      if (!ids.length)
        throw new AppError('INVALID_INPUT', 'ids: select at least one reminder', { field: 'ids' });
      const results = await bulkReview(services, caller, {
        action,
        ids,
        ...(one('reason') ? { reason: one('reason') } : {}),
        ...(one('date') ? { date: one('date') } : {}),
      });
      if (action === 'approve')
        await sendDueReminders(services, { mailer }, { ids: results.filter((r) => r.ok).map((r) => r.id) });
      const failed = results.filter((r) => !r.ok);
      if (failed.length && failed.length === results.length)
        throw new AppError('CONFLICT', failed.map((r) => `${r.id}: ${r.error?.message}`).join('; '));
      return `bulk&ok=${results.length - failed.length}&failed=${failed.length}`;
    }),
  );
  pages.get('/reminders/:id', async (c) => {
    const r = await getReminder(services, c.req.param('id'));
    const file = await getClientFile(services, r.clientRef, today());
    const history = await listAudit(services.db, { subject: r.id, limit: 50 });
    const canReview = ['finance', 'admin'].includes(c.get('caller').role);
    return c.html(
      <ReviewPage
        v={view(c)}
        r={r}
        recipient={{ to: file.client.email, cc: file.client.ccEmails ?? [] }}
        canReview={canReview}
        history={history}
        timeZone={timeZone}
        legalRef={policy.legal.reference}
      />,
    );
  });
  const reminderBack = (c: Context<WebEnv>) => `/reminders/${encodeURIComponent(c.req.param('id') ?? '')}`;
  pages.post('/reminders/:id/edit', (c) =>
    act(c, reminderBack(c), 'finance', async (caller) => {
      const { one } = await form(c);
      await editReminder(services, c.req.param('id'), caller, {
        subject: one('subject'),
        body: one('body').replace(/\r\n/g, '\n'),
      });
      return 'saved';
    }),
  );
  pages.post('/reminders/:id/approve', (c) =>
    act(c, reminderBack(c), 'finance', async (caller) => {
      const r = await approveAndSend(services, mailer, c.req.param('id'), caller);
      return r.status === 'sent' ? 'sent' : 'queued';
    }),
  );
  pages.post('/reminders/:id/reject', (c) =>
    act(c, reminderBack(c), 'finance', async (caller) => {
      const { one } = await form(c);
      await rejectReminder(services, c.req.param('id'), caller, { reason: one('reason') });
      return 'rejected';
    }),
  );
  pages.post('/reminders/:id/reschedule', (c) =>
    act(c, reminderBack(c), 'finance', async (caller) => {
      const { one } = await form(c);
      await rescheduleReminder(services, c.req.param('id'), caller, { date: one('date') });
      return 'rescheduled';
    }),
  );
  pages.post('/reminders/:id/retry', (c) =>
    act(c, reminderBack(c), 'finance', async (caller) => {
      await retryReminder(services, c.req.param('id'), caller);
      await sendDueReminders(services, { mailer }, { ids: [c.req.param('id')] });
      return (await getReminder(services, c.req.param('id'))).status === 'sent' ? 'sent' : 'queued';
    }),
  );

  pages.get('/terms', async (c) => {
    const pending = await listDecisions(services, { status: 'pending_approval', limit: 200 });
    const recent = (await listDecisions(services, { limit: 30 })).filter(
      (d) => d.status !== 'pending_approval',
    );
    return c.html(
      <TermsPage
        v={view(c)}
        pending={pending}
        recent={recent}
        caller={c.get('caller')}
        policy={policy}
        timeZone={timeZone}
      />,
    );
  });
  pages.post('/terms/:id/decide', (c) =>
    act(c, '/terms', 'sales', async (caller) => {
      const { one } = await form(c);
      const verb = one('verb');
      await decideTermsRequest(services, {
        decisionId: c.req.param('id'),
        verdict: verb === 'approve' || verb === 'decline' ? verb : { to: one('to') as Decision },
        decider: caller,
        reason: one('reason'),
      });
      return 'decided';
    }),
  );

  pages.get('/audit', async (c) => {
    assertRole(c.get('caller'), 'finance');
    const filters = {
      action: (c.req.query('action') ?? '').trim(),
      actor: (c.req.query('actor') ?? '').trim(),
      subject: (c.req.query('subject') ?? '').trim(),
    };
    const before = Number(c.req.query('before') ?? '') || undefined;
    const pageSize = 100;
    const rows = await listAudit(services.db, {
      ...(filters.action ? { action: filters.action } : {}),
      ...(filters.actor ? { actor: filters.actor } : {}),
      ...(filters.subject ? { subject: filters.subject } : {}),
      ...(before ? { beforeSeq: before } : {}),
      limit: pageSize,
    });
    return c.html(
      <AuditPage
        v={view(c)}
        rows={rows}
        verify={await verifyAudit(services.db)}
        filters={filters}
        timeZone={timeZone}
        pageSize={pageSize}
      />,
    );
  });

  return pages;
}

/** A page that cannot be shown says why, in the reader's language (the API keeps its JSON errors). */
export function errorPage(c: Context<WebEnv>, e: AppError, status: number): Response | Promise<Response> {
  const cookie = getCookie(c, LANG_COOKIE);
  const v = viewFor(
    isLang(cookie) ? cookie : 'fr',
    c.get('caller') ?? null,
    c.get('session')?.csrfToken ?? '',
    c.req.path,
  );
  return c.html(<ErrorPage v={v} message={e.message} />, status as 400);
}

const PAGE_FLASH = Object.fromEntries(
  [
    'approved',
    'sent',
    'queued',
    'rejected',
    'saved',
    'rescheduled',
    'bulk',
    'decided',
    'contact',
    'paused',
    'resumed',
    'drafted',
  ].map((k) => [`flash.${k}`, true]),
);
