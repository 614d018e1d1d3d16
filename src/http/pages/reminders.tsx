/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import type { ReminderFacts } from '../../core/letters.ts';
import type { Policy } from '../../core/policy.ts';
import type { AuditRow } from '../../services/audit.ts';
import type { ReminderStatus, ReminderView } from '../../services/reminders.ts';
import type { PageCode } from '../../wording/pages.ts';
import { AuditTable } from './clients.tsx';
import { Card, CsrfField, dateTime, Empty, Layout, Pill, type View } from './layout.tsx';

export const stageName = (v: View, stage: string): string => {
  const code = `stage.${stage}` as PageCode;
  try {
    return v.t(code);
  } catch {
    return stage;
  }
};

export const StatusPill: FC<{ v: View; status: ReminderStatus }> = ({ v, status }) => (
  <Pill kind={status}>{v.t(`status.${status}` as PageCode)}</Pill>
);

export const QUEUE_TABS = {
  review: ['draft', 'blocked'],
  queued: ['approved', 'sending'],
  sent: ['sent'],
  failed: ['failed'],
  closed: ['rejected', 'superseded'],
} as const satisfies Record<string, readonly ReminderStatus[]>;
export type QueueTab = keyof typeof QUEUE_TABS;

export interface QueueData {
  tab: QueueTab;
  rows: ReminderView[];
  counts: Record<QueueTab, number>;
  today: ReminderView[];
  transport: { kind: 'smtp' | 'outbox'; target: string };
  sending: Policy['sending'];
}

const total = (v: View, r: ReminderView) => (r.facts ? v.f.money(r.facts.totalOpen, r.facts.currency) : '');

export const QueuePage: FC<{ v: View; q: QueueData; canReview: boolean }> = ({ v, q, canReview }) => {
  const { t, f } = v;
  const s = q.sending;
  return (
    <Layout v={v} title={t('rem.title')} badges={{ '/reminders': q.counts.review }}>
      <div class="page-head">
        <h1>{t('rem.title')}</h1>
        <p class="muted">{t('rem.intro')}</p>
      </div>
      <p class={q.transport.kind === 'outbox' ? 'notice warn' : 'notice'}>
        {q.transport.kind === 'outbox'
          ? t('rem.outbox', { dir: q.transport.target })
          : t('rem.smtp', { target: q.transport.target })}{' '}
        {t('rem.window', {
          start: s.windowStart,
          end: s.windowEnd,
          tz: s.timeZone,
          business: s.businessDaysOnly,
          gap: s.minGapDays,
        })}
      </p>
      <Card title={t('rem.today')} id="today">
        {q.today.length ? (
          <ul class="plain">
            {q.today.map((r) => (
              <li>
                <a href={`/reminders/${r.id}`}>{r.clientName}</a> · {stageName(v, r.stage)} · {total(v, r)} ·{' '}
                {dateTime(v, r.sending.nextAttemptAt, s.timeZone)} · <StatusPill v={v} status={r.status} />
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">{t('rem.todayNone')}</p>
        )}
      </Card>
      <nav class="tabs" aria-label={t('rem.title')}>
        {(Object.keys(QUEUE_TABS) as QueueTab[]).map((tab) => (
          <a href={`/reminders?tab=${tab}`} aria-current={tab === q.tab ? 'page' : undefined}>
            {t(`rem.tab.${tab}` as PageCode)} <span class="count">{q.counts[tab]}</span>
          </a>
        ))}
      </nav>
      <form method="post" action="/reminders/bulk" class="card wide" id="queue-form">
        <CsrfField v={v} />
        {q.rows.length ? (
          <table class="queue">
            <thead>
              <tr>
                {canReview && q.tab === 'review' ? (
                  <th scope="col">
                    <input type="checkbox" id="select-all" aria-label={t('rem.selectAll')} />
                  </th>
                ) : null}
                <th scope="col">{t('col.client')}</th>
                <th scope="col">{t('col.stage')}</th>
                <th scope="col">{t('col.invoices')}</th>
                <th scope="col" class="num">
                  {t('col.total')}
                </th>
                <th scope="col">{t('col.status')}</th>
                <th scope="col">{t('col.findings')}</th>
                <th scope="col">
                  <span class="sr-only">{t('rem.open')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {q.rows.map((r) => (
                <tr class={r.status === 'blocked' ? 'row-blocked' : ''}>
                  {canReview && q.tab === 'review' ? (
                    <td>
                      <input
                        type="checkbox"
                        name="ids"
                        value={r.id}
                        aria-label={t('rem.select', { name: r.clientName })}
                      />
                    </td>
                  ) : null}
                  <td>
                    <a href={`/clients/${encodeURIComponent(r.clientRef)}`}>{r.clientName}</a>
                    <div class="muted small">{f.date(r.asOf)}</div>
                  </td>
                  <td>{stageName(v, r.stage)}</td>
                  <td class="small">{r.invoiceRefs.join(', ')}</td>
                  <td class="num">{total(v, r)}</td>
                  <td>
                    <StatusPill v={v} status={r.status} />
                    {r.sending.lastError ? <div class="small neg">{r.sending.lastError}</div> : null}
                  </td>
                  <td class="small">
                    {r.findings.length ? r.findings.map((x) => x.message).join(' · ') : ''}
                  </td>
                  <td>
                    <a class="button small" href={`/reminders/${r.id}`}>
                      {t('rem.open')}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <Empty v={v} />
        )}
        {canReview && q.tab === 'review' && q.rows.length ? (
          <fieldset class="bulk">
            <legend>{t('rem.bulk')}</legend>
            <button type="submit" name="action" value="approve" class="primary">
              {t('rem.bulkApprove')}
            </button>
            <label>
              {t('rem.bulkReason')} <input name="reason" maxlength={2000} />
            </label>
            <button type="submit" name="action" value="reject">
              {t('rem.bulkReject')}
            </button>
            <label>
              {t('rem.bulkReschedule')} <input name="date" type="date" />
            </label>
            <button type="submit" name="action" value="reschedule">
              {t('rem.reschedule')}
            </button>
          </fieldset>
        ) : null}
      </form>
    </Layout>
  );
};

const Fact: FC<{ label: string; value?: string; source?: string }> = ({ label, value, source }) => (
  <li>
    <span>{label}</span>
    {value ? <strong class="fact-value">{value}</strong> : null}
    {source ? <span class="source">{source}</span> : null}
  </li>
);

export const ReviewPage: FC<{
  v: View;
  r: ReminderView;
  recipient: { to: string | null; cc: string[] };
  canReview: boolean;
  history: AuditRow[];
  timeZone: string;
  legalRef: string;
}> = ({ v, r, recipient, canReview, history, timeZone, legalRef }) => {
  const { t, f } = v;
  const facts = r.facts as ReminderFacts | null;
  const pending = r.status === 'draft' || r.status === 'blocked';
  const editable = canReview && pending;
  const money = (c: number) => f.money(c, facts?.currency ?? 'EUR');
  const title = `${stageName(v, r.stage)} · ${r.clientName}`;
  return (
    <Layout v={v} title={title}>
      <div class="page-head">
        <p class="crumbs">
          <a href="/reminders">{t('nav.reminders')}</a> /
        </p>
        <h1>
          {title} <StatusPill v={v} status={r.status} />
        </h1>
        <p class="muted">
          {r.id} · {f.date(r.asOf)} · {r.createdBy}
          {r.reviewedBy ? ` · ${t('rem.reviewed', { by: r.reviewedBy, note: r.reviewNote ?? '' })}` : ''}
        </p>
      </div>
      {r.status === 'superseded' ? (
        <p class="notice warn" role="status">
          {t('rem.superseded', { id: r.supersededBy ?? '' })}{' '}
          {r.supersededBy ? <a href={`/reminders/${r.supersededBy}`}>{t('rem.openNewer')}</a> : null}
        </p>
      ) : null}
      <div class="review">
        <section class="card editor" aria-labelledby="editor-h">
          <h2 id="editor-h">{t('rem.review')}</h2>
          <form
            method="post"
            action={`/reminders/${r.id}/edit`}
            id="edit-form"
            data-check={editable ? `/api/reminders/${r.id}/check` : undefined}
          >
            <CsrfField v={v} />
            <label for="subject">{t('rem.subject')}</label>
            <input id="subject" name="subject" value={r.subject} readonly={!editable} maxlength={300} />
            <label for="body">{t('rem.body')}</label>
            <textarea
              id="body"
              name="body"
              rows={14}
              readonly={!editable}
              maxlength={20000}
              lang={r.language}
            >
              {r.body}
            </textarea>
            {editable ? (
              <p class="muted small" id="checks-hint">
                {t('rem.checksLive')}
              </p>
            ) : pending ? null : (
              <p class="muted small">{t('rem.readOnly')}</p>
            )}
            <div id="findings" aria-live="polite">
              <h3>{t('rem.checks')}</h3>
              {r.findings.length ? (
                <>
                  {r.status === 'blocked' ? <p class="notice error">{t('rem.blocked')}</p> : null}
                  <ul class="findings">
                    {r.findings.map((x) => (
                      <li class={`finding finding-${x.check}`}>
                        <code>
                          {x.check}/{x.kind}
                        </code>{' '}
                        {x.message}
                        {x.text ? <q>{x.text}</q> : null}
                      </li>
                    ))}
                  </ul>
                </>
              ) : (
                <p class="ok-text">{t('rem.checksOk')}</p>
              )}
            </div>
            {editable ? (
              <div class="actions">
                <button type="submit">{t('rem.save')}</button>
              </div>
            ) : null}
          </form>
          {canReview ? (
            <div class="decide">
              {r.status === 'draft' ? (
                <form method="post" action={`/reminders/${r.id}/approve`} class="inline">
                  <CsrfField v={v} />
                  <button type="submit" class="primary" id="approve">
                    {t('rem.approve')}
                  </button>
                </form>
              ) : null}
              {r.status === 'failed' ? (
                <form method="post" action={`/reminders/${r.id}/retry`} class="inline">
                  <CsrfField v={v} />
                  <button type="submit" class="primary">
                    {t('rem.retry')}
                  </button>
                </form>
              ) : null}
              {pending || r.status === 'approved' || r.status === 'failed' ? (
                <form method="post" action={`/reminders/${r.id}/reject`} class="inline reject">
                  <CsrfField v={v} />
                  <label for="reject-reason">{t('rem.rejectReason')}</label>
                  <input id="reject-reason" name="reason" required maxlength={2000} />
                  <button type="submit" class="danger">
                    {t('rem.reject')}
                  </button>
                </form>
              ) : null}
              {pending || r.status === 'approved' ? (
                <form method="post" action={`/reminders/${r.id}/reschedule`} class="inline">
                  <CsrfField v={v} />
                  <label for="reschedule-date">{t('rem.rescheduleDate')}</label>
                  <input
                    id="reschedule-date"
                    name="date"
                    type="date"
                    required
                    value={r.sending.scheduledFor ?? ''}
                  />
                  <button type="submit">{t('rem.reschedule')}</button>
                </form>
              ) : null}
              {r.status === 'blocked' ? (
                <form
                  method="post"
                  action={`/clients/${encodeURIComponent(r.clientRef)}/draft`}
                  class="inline"
                >
                  <CsrfField v={v} />
                  <button type="submit">{t('rem.redraft')}</button>
                </form>
              ) : null}
            </div>
          ) : null}
        </section>
        <aside class="card facts" aria-labelledby="facts-h">
          <h2 id="facts-h">{t('rem.facts')}</h2>
          <p class="muted small">{t('rem.factsIntro')}</p>
          {facts ? (
            <ul class="fact-list">
              <Fact
                label={t('rem.fact.stage', {
                  stage: stageName(v, facts.stage),
                  tone: facts.tone,
                  lang: facts.language.toUpperCase(),
                })}
              />
              {facts.invoices.map((i) => (
                <Fact
                  label={t('rem.fact.invoice', {
                    ref: i.ref,
                    issued: i.issueDate,
                    due: i.dueDate,
                    days: i.daysOverdue,
                  })}
                  value={`${money(i.open)} / ${money(i.amount)}`}
                  source={t('rem.fact.invoiceSource')}
                />
              ))}
              <Fact label={t('rem.fact.total')} value={money(facts.totalOpen)} />
              <Fact
                label={t('rem.fact.deadline', { date: facts.deadline, days: facts.deadlineDays })}
                value={f.date(facts.deadline)}
              />
              {facts.legal.penaltyRatePercent !== null && facts.legal.indemnity !== null ? (
                <Fact
                  label={t('rem.fact.penalty', {
                    rate: `${f.number(facts.legal.penaltyRatePercent, 2)}${v.lang === 'fr' ? '\u202f%' : '%'}`,
                    indemnity: money(facts.legal.indemnity),
                    ref: facts.legal.reference || legalRef,
                  })}
                />
              ) : (
                <Fact label={t('rem.fact.noPenalty')} />
              )}
              {facts.excluded.map((e) => (
                <Fact label={t('rem.fact.excluded', { ref: e.ref, reason: e.reason })} />
              ))}
              {recipient.to ? (
                <Fact label={t('rem.fact.recipient', { to: recipient.to, cc: recipient.cc.join(', ') })} />
              ) : (
                <li class="neg">{t('rem.fact.noRecipient')}</li>
              )}
            </ul>
          ) : (
            <Empty v={v} />
          )}
          <h2>{t('rem.sending')}</h2>
          <ul class="fact-list">
            {r.sending.messageId ? <Fact label={t('rem.messageId')} value={r.sending.messageId} /> : null}
            <Fact label={t('rem.attempts', { n: r.sending.attempts })} />
            {r.sending.nextAttemptAt && (r.status === 'approved' || r.status === 'sending') ? (
              <Fact label={t('rem.nextAttempt', { at: dateTime(v, r.sending.nextAttemptAt, timeZone) })} />
            ) : null}
            {r.sending.lastError ? (
              <li class="neg">{t('rem.lastError', { error: r.sending.lastError })}</li>
            ) : null}
            {r.sending.sentAt ? (
              <Fact
                label={t('rem.sentAt', {
                  at: dateTime(v, r.sending.sentAt, timeZone),
                  to: [...(r.sending.recipients?.to ?? []), ...(r.sending.recipients?.cc ?? [])].join(', '),
                  hash: (r.sending.contentHash ?? '').slice(0, 16),
                })}
              />
            ) : null}
          </ul>
        </aside>
      </div>
      <Card title={t('rem.history')} id="history" wide>
        <AuditTable v={v} rows={history} timeZone={timeZone} />
      </Card>
    </Layout>
  );
};
