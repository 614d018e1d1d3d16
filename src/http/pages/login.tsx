/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import { Layout, type View } from './layout.tsx';

export const LoginPage: FC<{ v: View; next: string; name: string }> = ({ v, next, name }) => (
  <Layout v={v} title={v.t('login.title')}>
    <div class="login">
      <div class="login-brand">
        <span class="brand-mark" aria-hidden="true">
          €
        </span>
        <strong>encours</strong>
        <span class="muted">{v.t('app.tagline')}</span>
      </div>
      <form method="post" action="/login" class="card stack">
        <h1>{v.t('login.title')}</h1>
        <p class="muted small">{v.t('login.intro')}</p>
        <input type="hidden" name="next" value={next} />
        <label for="name">{v.t('login.name')}</label>
        <input id="name" name="name" autocomplete="username" required value={name} autofocus />
        <label for="password">{v.t('login.password')}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit" class="primary">
          {v.t('login.submit')}
        </button>
        <p class="small">
          <a
            href={`/login?lang=${v.lang === 'fr' ? 'en' : 'fr'}&next=${encodeURIComponent(next)}`}
            lang={v.lang === 'fr' ? 'en' : 'fr'}
          >
            {v.lang === 'fr' ? 'English' : 'Français'}
          </a>
        </p>
      </form>
    </div>
  </Layout>
);

export const ErrorPage: FC<{ v: View; message: string }> = ({ v, message }) => (
  <Layout v={v} title={v.t('error.title')}>
    <div class="card">
      <h1>{v.t('error.title')}</h1>
      <p>{message}</p>
      <p>
        <a href="/">{v.t('error.back')}</a>
      </p>
    </div>
  </Layout>
);
