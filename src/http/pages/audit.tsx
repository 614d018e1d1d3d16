/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import type { AuditRow, VerifyResult } from '../../services/audit.ts';
import { AuditTable } from './clients.tsx';
import { Layout, type View } from './layout.tsx';

export interface AuditFilters {
  action: string;
  actor: string;
  subject: string;
}

export const AuditPage: FC<{
  v: View;
  rows: AuditRow[];
  verify: VerifyResult;
  filters: AuditFilters;
  timeZone: string;
  pageSize: number;
}> = ({ v, rows, verify, filters, timeZone, pageSize }) => {
  const { t } = v;
  const oldest = rows.at(-1)?.seq;
  const query = new URLSearchParams(Object.entries(filters).filter(([, val]) => val) as [string, string][]);
  if (oldest) query.set('before', String(oldest));
  return (
    <Layout v={v} title={t('audit.title')}>
      <div class="page-head">
        <h1>{t('audit.title')}</h1>
        <p class={verify.ok ? 'notice ok' : 'notice error'} role="status" id="verify">
          {verify.ok
            ? t('audit.ok', { n: verify.checked })
            : t('audit.bad', { seq: verify.firstBad?.seq ?? 0, reason: verify.firstBad?.reason ?? '' })}
        </p>
      </div>
      <form method="get" action="/audit" class="filters card wide">
        <label>
          {t('audit.action')}
          <input name="action" value={filters.action} placeholder="reminder.sent" />
        </label>
        <label>
          {t('audit.actor')}
          <input name="actor" value={filters.actor} />
        </label>
        <label>
          {t('audit.subject')}
          <input name="subject" value={filters.subject} placeholder="rem_..., C0001" />
        </label>
        <button type="submit">{t('audit.filter')}</button>
      </form>
      <div class="card wide">
        <AuditTable v={v} rows={rows} timeZone={timeZone} />
        {rows.length === pageSize && oldest && oldest > 1 ? (
          <p>
            <a href={`/audit?${query.toString()}`}>{t('audit.older')}</a>
          </p>
        ) : null}
      </div>
    </Layout>
  );
};
