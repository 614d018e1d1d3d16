/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import { GRADES } from '../../core/policy.ts';
import type { Dashboard } from '../../services/dashboard.ts';
import { Card, jsonScript, Layout, type View } from './layout.tsx';

const Tile: FC<{ label: string; value: string; hint?: string; href?: string; tone?: string }> = ({
  label,
  value,
  hint,
  href,
  tone,
}) => {
  const body = (
    <>
      <span class="tile-label">{label}</span>
      <strong class="tile-value">{value}</strong>
      {hint ? <span class="tile-hint">{hint}</span> : null}
    </>
  );
  return href ? (
    <a class={`tile ${tone ?? ''}`} href={href}>
      {body}
    </a>
  ) : (
    <div class={`tile ${tone ?? ''}`}>{body}</div>
  );
};

export const DashboardPage: FC<{ v: View; d: Dashboard; currency: string }> = ({ v, d, currency }) => {
  const { t, f } = v;
  const money = (cents: number) => f.money(cents, currency);
  const num = (x: number | null, decimals = 0) => (x === null ? '—' : f.number(x, decimals));
  const pct = (x: number | null) =>
    x === null ? '—' : `${f.number(x, 1)}${v.lang === 'fr' ? '\u202f%' : '%'}`;
  const agingLabels = [
    t('dash.notDue'),
    ...d.aging.buckets.map((b) => t('dash.days', { range: b.label })),
    t('dash.disputed'),
  ];
  const agingValues = [
    d.aging.notDueCents,
    ...d.aging.buckets.map((b) => b.amountCents),
    d.aging.disputedCents,
  ];
  const weeks = d.forecast.weeks;
  const charts = {
    currency,
    lang: v.lang,
    aging: { labels: agingLabels, values: agingValues.map((c) => c / 100) },
    grades: { labels: GRADES.map((g) => g), values: GRADES.map((g) => d.summary.grades[g]) },
    forecast: {
      labels: [...weeks.map((w) => f.date(w.weekStart).replace(/ \d{4}$/, '')), t('dash.later')],
      values: [...weeks.map((w) => w.amountCents / 100), d.forecast.later.amountCents / 100],
    },
    dso: {
      labels: d.dsoTrend.map((p) => f.date(p.date).replace(/^\d+(er)? /, '')),
      values: d.dsoTrend.map((p) => p.days),
    },
  };
  return (
    <Layout
      v={v}
      title={t('dash.title')}
      charts
      badges={{ '/reminders': d.toReview, '/terms': d.termsPending }}
    >
      <div class="page-head">
        <h1>{t('dash.title')}</h1>
        <p class="muted">{t('dash.asOf', { date: d.asOf })}</p>
      </div>
      <div class="tiles">
        <Tile
          label={t('dash.dso')}
          value={`${num(d.kpis.dsoCountBack.value, 1)} j`.replace(' j', v.lang === 'fr' ? ' j' : ' d')}
          hint={t('dash.dsoHint')}
        />
        <Tile label={t('dash.cei')} value={pct(d.kpis.cei.value)} />
        <Tile
          label={t('dash.overdueShare')}
          value={pct(d.kpis.overdueShareByAmount.value)}
          hint={`${t('dash.overdue')} ${money(d.summary.overdue)}`}
          tone="warn"
        />
        <Tile
          label={t('dash.disputes')}
          value={num(d.kpis.openDisputes.value)}
          hint={t('dash.disputedAmount', { amount: money(d.kpis.openDisputedAmount.value ?? 0) })}
        />
        <Tile
          label={t('dash.openBalance')}
          value={money(d.summary.openBalance)}
          hint={t('clients.count', { n: d.summary.clients })}
        />
        <Tile
          label={t('dash.toReview')}
          value={String(d.toReview)}
          href="/reminders"
          tone={d.toReview ? 'accent' : ''}
        />
        <Tile
          label={t('dash.termsPending')}
          value={String(d.termsPending)}
          href="/terms"
          tone={d.termsPending ? 'accent' : ''}
        />
      </div>
      <div class="grid">
        <Card title={t('dash.aging')} id="aging">
          <div class="chart h220">
            <canvas id="chart-aging" role="img" aria-label={`${t('dash.aging')}. ${t('dash.chartAlt')}`} />
          </div>
          <table class="compact">
            <tbody>
              {agingLabels.map((label, i) => (
                <tr>
                  <th scope="row">{label}</th>
                  <td class="num">{money(agingValues[i]!)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
        <Card title={t('dash.grades')} id="grades">
          <div class="chart h220">
            <canvas id="chart-grades" role="img" aria-label={`${t('dash.grades')}. ${t('dash.chartAlt')}`} />
          </div>
          <table class="compact counts">
            <tbody>
              <tr>
                {GRADES.map((g) => (
                  <th scope="col">{g}</th>
                ))}
              </tr>
              <tr>
                {GRADES.map((g) => (
                  <td class="num">{d.summary.grades[g]}</td>
                ))}
              </tr>
            </tbody>
          </table>
        </Card>
        <Card title={t('dash.forecast')} id="forecast" wide>
          <div class="chart h200">
            <canvas
              id="chart-forecast"
              role="img"
              aria-label={`${t('dash.forecast')}. ${t('dash.chartAlt')}`}
            />
          </div>
        </Card>
        <Card title={t('dash.dsoTrend')} id="dso">
          <div class="chart h220">
            <canvas id="chart-dso" role="img" aria-label={`${t('dash.dsoTrend')}. ${t('dash.chartAlt')}`} />
          </div>
        </Card>
        <Card title={t('dash.topOverdue')} id="top">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('col.client')}</th>
                <th scope="col" class="num">
                  {t('col.overdue')}
                </th>
                <th scope="col" class="num">
                  {t('col.oldest')}
                </th>
              </tr>
            </thead>
            <tbody>
              {d.summary.topOverdue.map((c) => (
                <tr>
                  <td>
                    <a href={`/clients/${encodeURIComponent(c.ref)}`}>{c.name}</a>
                  </td>
                  <td class="num">{money(c.overdue)}</td>
                  <td class="num">{t('days.n', { n: c.oldestDaysOverdue })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      </div>
      {jsonScript('dashboard-data', charts)}
    </Layout>
  );
};
