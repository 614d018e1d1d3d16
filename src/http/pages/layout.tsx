/** @jsxImportSource hono/jsx */
import type { Child, FC } from 'hono/jsx';
import type { Caller } from '../../services/callers.ts';
import { type Formatter, formatterFor, type Language } from '../../wording/index.ts';
import { type PageCode, pageWords } from '../../wording/pages.ts';
import { roleWord } from '../../wording/terms.ts';

/** What every page view receives: the language, its words and formatter, who is signed in. */
export interface View {
  lang: Language;
  t: ReturnType<typeof pageWords>;
  f: Formatter;
  caller: Caller | null;
  csrf: string;
  path: string;
  /** A one-line message after a form was handled. */
  flash: { kind: 'ok' | 'error'; text: string } | null;
}

export const viewFor = (
  lang: Language,
  caller: Caller | null,
  csrf: string,
  path: string,
  flash: View['flash'] = null,
): View => ({ lang, t: pageWords(lang), f: formatterFor(lang), caller, csrf, path, flash });

/** Data for the browser script (charts), as JSON that cannot close the script element. */
export const jsonScript = (id: string, value: unknown) => (
  <script
    type="application/json"
    id={id}
    dangerouslySetInnerHTML={{ __html: JSON.stringify(value).replace(/</g, '\\u003c') }}
  />
);

export const CsrfField: FC<{ v: View }> = ({ v }) => <input type="hidden" name="_csrf" value={v.csrf} />;

const NAV: [string, PageCode][] = [
  ['/', 'nav.dashboard'],
  ['/clients', 'nav.clients'],
  ['/reminders', 'nav.reminders'],
  ['/terms', 'nav.terms'],
  ['/audit', 'nav.audit'],
];

const active = (v: View, href: string) => (href === '/' ? v.path === '/' : v.path.startsWith(href));

export const Layout: FC<{
  v: View;
  title: string;
  children?: Child;
  charts?: boolean;
  badges?: Record<string, number>;
}> = ({ v, title, children, charts, badges }) => (
  <html lang={v.lang}>
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{`${title} · encours`}</title>
      <link rel="stylesheet" href="/assets/app.css" />
      {charts ? <script src="/assets/chart.umd.min.js" defer /> : null}
      <script src="/assets/app.js" defer />
    </head>
    <body>
      <a class="skip" href="#main">
        {v.t('nav.skip')}
      </a>
      {v.caller ? (
        <header class="top">
          <a class="brand" href="/">
            <span class="brand-mark" aria-hidden="true">
              €
            </span>
            <span>
              encours<small>{v.t('app.tagline')}</small>
            </span>
          </a>
          <nav class="menu" aria-label={v.t('nav.menu')}>
            {NAV.map(([href, code]) => (
              <a href={href} aria-current={active(v, href) ? 'page' : undefined}>
                {v.t(code)}
                {badges?.[href] ? <span class="badge">{badges[href]}</span> : null}
              </a>
            ))}
          </nav>
          <div class="who">
            <span>
              {v.t('user.signedInAs', {
                name: v.caller.user,
                role: roleWord(v.caller.role, v.lang),
              })}
            </span>
            <form method="post" action="/lang" class="inline">
              <CsrfField v={v} />
              <input type="hidden" name="back" value={v.path} />
              <button
                type="submit"
                name="lang"
                value={v.lang === 'fr' ? 'en' : 'fr'}
                class="link"
                lang={v.lang === 'fr' ? 'en' : 'fr'}
              >
                {v.lang === 'fr' ? 'English' : 'Français'}
              </button>
            </form>
            <form method="post" action="/logout" class="inline">
              <CsrfField v={v} />
              <button type="submit" class="link">
                {v.t('user.logout')}
              </button>
            </form>
          </div>
        </header>
      ) : null}
      <main id="main" tabindex={-1}>
        {v.flash ? (
          <p class={`flash ${v.flash.kind}`} role={v.flash.kind === 'error' ? 'alert' : 'status'}>
            {v.flash.text}
          </p>
        ) : null}
        {children}
      </main>
    </body>
  </html>
);

export const Pill: FC<{ kind: string; children?: Child }> = ({ kind, children }) => (
  <span class={`pill pill-${kind}`}>{children}</span>
);

export const Card: FC<{ title?: string; children?: Child; wide?: boolean; id?: string }> = ({
  title,
  children,
  wide,
  id,
}) => (
  <section class={wide ? 'card wide' : 'card'} id={id} aria-labelledby={id ? `${id}-h` : undefined}>
    {title ? <h2 id={id ? `${id}-h` : undefined}>{title}</h2> : null}
    {children}
  </section>
);

export const Empty: FC<{ v: View }> = ({ v }) => <p class="muted">{v.t('none.rows')}</p>;

/** A date-time in the viewer's language, in the policy's time zone. */
export function dateTime(v: View, iso: string | null, timeZone: string): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(v.lang === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  }).format(new Date(iso));
}
