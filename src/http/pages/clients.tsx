/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import type { ClientFile } from '../../services/client-file.ts';
import type { ClientBalance } from '../../services/portfolio.ts';
import { dunningText } from '../../wording/dunning.ts';
import { bandAdjective, wordedFactor } from '../../wording/score.ts';
import { Card, CsrfField, dateTime, Empty, jsonScript, Layout, Pill, type View } from './layout.tsx';
import { StatusPill, stageName } from './reminders.tsx';
import { decisionName } from './terms.tsx';

export const ClientsPage: FC<{
  v: View;
  rows: ClientBalance[];
  q: string;
  currency: string;
  asOf: string;
}> = ({ v, rows, q, currency, asOf }) => {
  const { t, f } = v;
  return (
    <Layout v={v} title={t('clients.title')}>
      <div class="page-head">
        <h1>{t('clients.title')}</h1>
        <p class="muted">
          {t('dash.asOf', { date: asOf })} · {t('clients.count', { n: rows.length })}
        </p>
      </div>
      <form method="get" action="/clients" class="search">
        <label for="q">{t('clients.search')}</label>
        <input id="q" name="q" type="search" value={q} autocomplete="off" />
        <button type="submit">{t('clients.searchButton')}</button>
      </form>
      <div class="card wide">
        <table class="sortable">
          <thead>
            <tr>
              <th scope="col">{t('col.client')}</th>
              <th scope="col">{t('col.ref')}</th>
              <th scope="col">{t('col.segment')}</th>
              <th scope="col" class="num">
                {t('col.openBalance')}
              </th>
              <th scope="col" class="num">
                {t('col.overdue')}
              </th>
              <th scope="col" class="num">
                {t('col.oldest')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr>
                <td>
                  <a href={`/clients/${encodeURIComponent(c.ref)}`}>{c.name}</a>
                </td>
                <td>{c.ref}</td>
                <td>{c.segment ?? ''}</td>
                <td class="num">{f.money(c.openBalance, currency)}</td>
                <td class={c.overdue ? 'num warn-text' : 'num'}>{f.money(c.overdue, currency)}</td>
                <td class="num">{c.oldestDaysOverdue ? t('days.n', { n: c.oldestDaysOverdue }) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length ? null : <Empty v={v} />}
      </div>
    </Layout>
  );
};

export const ClientPage: FC<{
  v: View;
  file: ClientFile;
  currency: string;
  timeZone: string;
  canDecide: boolean;
}> = ({ v, file, currency, timeZone, canDecide }) => {
  const { t, f } = v;
  const { client, score, limit, plan } = file;
  const money = (c: number) => f.money(c, currency);
  const open = file.lines.filter((l) => l.status !== 'paid');
  const paid = file.lines
    .filter((l) => l.status === 'paid')
    .slice(-12)
    .reverse();
  const factors = score.factors.filter((x) => x.name !== 'bounds').map((x) => wordedFactor(x, v.lang));
  const band = bandAdjective(score.band, v.lang);
  return (
    <Layout v={v} title={client.name} charts>
      <div class="page-head">
        <h1>{client.name}</h1>
        <p class="muted">
          {client.ref}
          {client.segment ? ` · ${client.segment}` : ''}
          {client.sector ? ` · ${client.sector}` : ''} · {t('dash.asOf', { date: file.asOf })}
        </p>
      </div>
      <div class="grid">
        <Card title={t('client.score')} id="score">
          <p class="score-line">
            <span class={`grade grade-${score.grade}`}>{score.grade}</span>
            <span>
              <strong>{t('client.scoreLine', { score: score.score, grade: score.grade, band })}</strong>
              <br />
              <span class="muted">
                {t('client.confidence', { pct: f.percent(score.confidence), plate: f.percent(score.pLate) })}
              </span>
            </span>
          </p>
          <h3>{t('client.factors')}</h3>
          <div class="chart h240">
            <canvas id="chart-factors" role="img" aria-label={t('client.factors')} />
          </div>
          <table class="compact">
            <thead>
              <tr>
                <th scope="col">{t('col.factor')}</th>
                <th scope="col" class="num">
                  {t('col.points')}
                </th>
                <th scope="col">{t('col.details')}</th>
              </tr>
            </thead>
            <tbody>
              {factors.map((x) => (
                <tr>
                  <th scope="row">{x.label}</th>
                  <td class={x.points < 0 ? 'num neg' : 'num pos'}>
                    {x.points > 0 ? `+${x.points}` : x.points}
                  </td>
                  <td class="small">{x.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {jsonScript('factors-data', {
            labels: factors.map((x) => x.label),
            values: factors.map((x) => x.points),
          })}
        </Card>
        <Card title={t('client.exposure')} id="exposure">
          <p>{t('client.exposureLine', { exposure: money(limit.exposure), limit: money(limit.limit) })}</p>
          <div class="meter" role="img" aria-label={`${money(limit.exposure)} / ${money(limit.limit)}`}>
            <meter
              min={0}
              max={Math.max(limit.limit, limit.exposure, 1)}
              value={limit.exposure}
              high={limit.limit * 0.8}
              optimum={0}
            />
          </div>
          <h3>{t('client.plan')}</h3>
          {plan === null ? (
            <p>{t('client.planNone')}</p>
          ) : (
            <>
              {plan.nextAction ? (
                <p>
                  <strong>
                    {t('client.planNext', {
                      stage: stageName(v, plan.nextAction.stage),
                      date: plan.nextAction.date,
                    })}
                  </strong>
                </p>
              ) : (
                <p>{t('client.planHold')}</p>
              )}
              {plan.stageReached && plan.lastReminderDate ? (
                <p class="muted">
                  {t('client.planLast', {
                    stage: stageName(v, plan.stageReached),
                    date: plan.lastReminderDate,
                  })}
                </p>
              ) : null}
              {plan.excluded.length ? (
                <>
                  <h4>{t('client.excluded')}</h4>
                  <ul class="plain">
                    {plan.excluded.map((e) => (
                      <li>
                        <Pill kind="muted">{e.ref}</Pill> {dunningText(e.detail, v.lang)}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              {canDecide ? (
                <form
                  method="post"
                  action={`/clients/${encodeURIComponent(client.ref)}/draft`}
                  class="inline"
                >
                  <CsrfField v={v} />
                  <button type="submit">{t('client.draft')}</button>
                </form>
              ) : null}
            </>
          )}
        </Card>
        <Card title={t('client.openInvoices')} id="open" wide>
          {open.length ? (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('col.invoice')}</th>
                  <th scope="col">{t('col.issued')}</th>
                  <th scope="col">{t('col.due')}</th>
                  <th scope="col" class="num">
                    {t('col.amount')}
                  </th>
                  <th scope="col" class="num">
                    {t('col.open')}
                  </th>
                  <th scope="col" class="num">
                    {t('col.daysLate')}
                  </th>
                  <th scope="col">{t('col.status')}</th>
                </tr>
              </thead>
              <tbody>
                {open.map((l) => (
                  <tr>
                    <td>{l.ref}</td>
                    <td>{f.date(l.issueDate)}</td>
                    <td>{f.date(l.dueDate)}</td>
                    <td class="num">{money(l.amount)}</td>
                    <td class="num">{money(l.open)}</td>
                    <td class="num">{l.daysOverdue > 0 ? l.daysOverdue : ''}</td>
                    <td>
                      {l.disputed ? (
                        <Pill kind="blocked">{t('dash.disputed')}</Pill>
                      ) : l.status === 'overdue' ? (
                        <Pill kind="failed">{t('col.overdue')}</Pill>
                      ) : (
                        <Pill kind="muted">{t('dash.notDue')}</Pill>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <Empty v={v} />
          )}
        </Card>
        <Card title={t('client.history')} id="history">
          {paid.length ? (
            <table class="compact">
              <thead>
                <tr>
                  <th scope="col">{t('col.invoice')}</th>
                  <th scope="col">{t('col.due')}</th>
                  <th scope="col">{t('col.paidOn')}</th>
                  <th scope="col" class="num">
                    {t('col.daysLate')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {paid.map((l) => {
                  const late = l.settledDate
                    ? Math.round((Date.parse(l.settledDate) - Date.parse(l.dueDate)) / 86_400_000)
                    : 0;
                  return (
                    <tr>
                      <td>{l.ref}</td>
                      <td>{f.date(l.dueDate)}</td>
                      <td>{l.settledDate ? f.date(l.settledDate) : ''}</td>
                      <td class={late > 0 ? 'num neg' : 'num pos'}>{late}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : (
            <Empty v={v} />
          )}
        </Card>
        <Card title={t('client.disputes')} id="disputes">
          {file.facts.disputes.length ? (
            <ul class="plain">
              {file.facts.disputes.map((d) => (
                <li>
                  <Pill kind={d.status === 'open' ? 'blocked' : 'muted'}>{d.invoiceRef}</Pill>{' '}
                  {f.date(d.openedDate)} · {d.reason}
                  {d.owner ? ` · ${d.owner}` : ''}
                </li>
              ))}
            </ul>
          ) : (
            <Empty v={v} />
          )}
          <h3>{t('client.promises')}</h3>
          {file.facts.promises.length ? (
            <ul class="plain">
              {file.facts.promises.map((p) => (
                <li>
                  {f.date(p.promisedDate)} · {money(p.amount)} · {t(`promise.${p.status}`)}
                  {p.invoiceRef ? ` · ${p.invoiceRef}` : ''}
                </li>
              ))}
            </ul>
          ) : (
            <Empty v={v} />
          )}
        </Card>
        <Card title={t('client.decisions')} id="decisions">
          {file.decisions.length ? (
            <ul class="plain">
              {file.decisions.map((d) => (
                <li>
                  <a href={`/terms#${d.id}`}>{f.date(d.asOf)}</a> · {d.request.days} j ·{' '}
                  {decisionName(v, d.decision)}
                  {d.finalDecision ? ` → ${decisionName(v, d.finalDecision)} (${d.decidedBy})` : ''}
                </li>
              ))}
            </ul>
          ) : (
            <Empty v={v} />
          )}
          <h3>{t('nav.reminders')}</h3>
          {file.reminders.length ? (
            <ul class="plain">
              {file.reminders.map((r) => (
                <li>
                  <a href={`/reminders/${r.id}`}>{stageName(v, r.stage)}</a> ·{' '}
                  {f.date(r.sending.sentDate ?? r.asOf)} · <StatusPill v={v} status={r.status} />
                </li>
              ))}
            </ul>
          ) : (
            <Empty v={v} />
          )}
        </Card>
        <Card title={t('client.contact')} id="contact">
          <form method="post" action={`/clients/${encodeURIComponent(client.ref)}/contact`} class="stack">
            <CsrfField v={v} />
            <label for="email">{t('client.email')}</label>
            <input id="email" name="email" type="email" value={client.email ?? ''} disabled={!canDecide} />
            <label for="cc">{t('client.cc')}</label>
            <input
              id="cc"
              name="cc"
              type="text"
              value={(client.ccEmails ?? []).join(', ')}
              disabled={!canDecide}
            />
            {canDecide ? <button type="submit">{t('client.saveContact')}</button> : null}
          </form>
        </Card>
        <Card title={t('client.pause')} id="pause">
          {file.pauses.length ? (
            <>
              <h3>{t('client.pauses')}</h3>
              <ul class="plain">
                {file.pauses.map((p) => (
                  <li>
                    {p.invoiceRef ?? client.ref} · {p.reason}
                    {p.resumeDate ? ` · ${t('col.until')} ${f.date(p.resumeDate)}` : ''}
                    {canDecide ? (
                      <form method="post" action={`/pauses/${p.id}/end`} class="inline">
                        <CsrfField v={v} />
                        <input type="hidden" name="back" value={`/clients/${client.ref}`} />
                        <button type="submit" class="link">
                          {t('client.resume')}
                        </button>
                      </form>
                    ) : null}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {canDecide ? (
            <form method="post" action={`/clients/${encodeURIComponent(client.ref)}/pause`} class="stack">
              <CsrfField v={v} />
              <label for="pause-invoice">{t('client.pauseInvoice')}</label>
              <select id="pause-invoice" name="invoiceRef">
                <option value="">—</option>
                {open.map((l) => (
                  <option value={l.ref}>{l.ref}</option>
                ))}
              </select>
              <label for="pause-reason">{t('client.pauseReason')}</label>
              <input id="pause-reason" name="reason" required maxlength={2000} />
              <label for="pause-until">{t('client.pauseUntil')}</label>
              <input id="pause-until" name="resumeDate" type="date" />
              <button type="submit">{t('client.pauseButton')}</button>
            </form>
          ) : null}
        </Card>
        <Card title={t('client.audit')} id="audit" wide>
          <AuditTable v={v} rows={file.audit} timeZone={timeZone} />
        </Card>
      </div>
    </Layout>
  );
};

export const AuditTable: FC<{
  v: View;
  rows: { seq: number; at: string; actor: string; action: string; subject: string | null; data: unknown }[];
  timeZone: string;
}> = ({ v, rows, timeZone }) =>
  rows.length ? (
    <table class="compact audit">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">{v.t('col.date')}</th>
          <th scope="col">{v.t('col.who')}</th>
          <th scope="col">{v.t('col.action')}</th>
          <th scope="col">{v.t('col.subject')}</th>
          <th scope="col">{v.t('col.details')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr>
            <td class="num">{r.seq}</td>
            <td class="nowrap">{dateTime(v, r.at, timeZone)}</td>
            <td>{r.actor}</td>
            <td>
              <code>{r.action}</code>
            </td>
            <td>{r.subject ?? ''}</td>
            <td class="small data">{summarise(r.data)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  ) : (
    <Empty v={v} />
  );

/** A short readable line of an audit entry's data (the whole entry is in the API export). */
function summarise(data: unknown): string {
  if (!data || typeof data !== 'object') return '';
  const parts: string[] = [];
  for (const [k, val] of Object.entries(data as Record<string, unknown>)) {
    if (val === null || val === undefined || typeof val === 'object') continue;
    parts.push(`${k}: ${String(val)}`);
    if (parts.length >= 5) break;
  }
  const text = parts.join(' · ');
  return text.length > 220 ? `${text.slice(0, 217)}...` : text;
}
