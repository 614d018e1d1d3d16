/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import { DECISIONS, type Decision, type Policy } from '../../core/policy.ts';
import { leastRoleAllowed, mayDecide } from '../../core/terms.ts';
import type { Caller } from '../../services/callers.ts';
import type { DecisionRecord } from '../../services/terms.ts';
import { grantedDecision } from '../../services/terms-requests.ts';
import { decisionWord, reasonText, roleWord } from '../../wording/terms.ts';
import { CsrfField, dateTime, Empty, Layout, Pill, type View } from './layout.tsx';

export const decisionName = (v: View, d: Decision): string => decisionWord(d, v.lang);

const pillFor = (d: string) =>
  d === 'approve' ? 'sent' : d === 'decline' ? 'failed' : d === 'needs_approval' ? 'blocked' : 'approved';

/** Why the caller may not decide this request, or null when they may. */
function refusal(v: View, d: DecisionRecord, caller: Caller, policy: Policy): string | null {
  if (d.requestedBy === caller.user || d.approvalRequestedBy === caller.user) return v.t('terms.ownRequest');
  const to = d.legal.lawful ? grantedDecision(d) : 'decline';
  if (
    !mayDecide(policy, caller.role, to, d.exposureAfter) &&
    !mayDecide(policy, caller.role, 'decline', d.exposureAfter)
  )
    return v.t('terms.noRight', {
      role: roleWord(leastRoleAllowed(policy, to, d.exposureAfter) ?? 'admin', v.lang),
    });
  return null;
}

const Request: FC<{ v: View; d: DecisionRecord; caller: Caller; policy: Policy; timeZone: string }> = ({
  v,
  d,
  caller,
  policy,
  timeZone,
}) => {
  const { t, f } = v;
  const money = (c: number) => f.money(c, policy.baseCurrency);
  const blocked = d.status === 'decided' ? null : refusal(v, d, caller, policy);
  const choices = d.legal.lawful ? DECISIONS : (['decline'] as readonly Decision[]);
  return (
    <article class="card request" id={d.id} aria-labelledby={`${d.id}-h`}>
      <header>
        <h3 id={`${d.id}-h`}>
          <a href={`/clients/${encodeURIComponent(d.client.ref)}`}>{d.client.name}</a>{' '}
          <Pill kind={pillFor(d.decision)}>{decisionName(v, d.decision)}</Pill>
        </h3>
        <p class="muted small">
          {d.id} · {dateTime(v, d.decidedAt ?? null, timeZone) || f.date(d.asOf)}
        </p>
      </header>
      <p>
        <strong>
          {t('terms.requestLine', {
            days: d.request.days,
            eom: d.request.endOfMonth,
            amount: money(d.request.amount),
            by: d.requestedBy,
          })}
        </strong>
      </p>
      <p class="muted">
        {t('terms.scoreLine', {
          score: d.score ?? '—',
          grade: d.grade ?? '—',
          after: money(d.exposureAfter),
          limit: money(d.limit),
        })}
      </p>
      <ul class="plain reasons">
        {d.reasons.map((r) => (
          <li>
            <code>{r.rule}</code> {reasonText(r, v.lang)}
          </li>
        ))}
      </ul>
      {d.approverRole ? (
        <p class="small">{t('terms.approver', { role: roleWord(d.approverRole, v.lang) })}</p>
      ) : null}
      {!d.legal.lawful ? <p class="notice warn">{t('terms.unlawful', { max: d.legal.maxDays })}</p> : null}
      {d.status === 'decided' ? (
        <p class="notice">
          {t('terms.decided', {
            decision: decisionName(v, d.finalDecision ?? d.decision),
            by: d.decidedBy ?? '',
            reason: d.overrideReason ?? '',
          })}
        </p>
      ) : blocked ? (
        <p class="notice">{blocked}</p>
      ) : (
        <form method="post" action={`/terms/${d.id}/decide`} class="decide-terms">
          <CsrfField v={v} />
          <label for={`${d.id}-reason`}>{t('terms.reason')}</label>
          <input id={`${d.id}-reason`} name="reason" required maxlength={2000} />
          <div class="actions">
            {d.legal.lawful ? (
              <button type="submit" name="verb" value="approve" class="primary">
                {t('terms.approve')}
              </button>
            ) : null}
            <button type="submit" name="verb" value="decline" class="danger">
              {t('terms.decline')}
            </button>
            <label for={`${d.id}-to`} class="sr-only">
              {t('terms.overrideTo')}
            </label>
            <select id={`${d.id}-to`} name="to">
              {choices.map((c) => (
                <option value={c}>{decisionName(v, c)}</option>
              ))}
            </select>
            <button type="submit" name="verb" value="override">
              {t('terms.override')}
            </button>
          </div>
        </form>
      )}
    </article>
  );
};

export const TermsPage: FC<{
  v: View;
  pending: DecisionRecord[];
  recent: DecisionRecord[];
  caller: Caller;
  policy: Policy;
  timeZone: string;
}> = ({ v, pending, recent, caller, policy, timeZone }) => (
  <Layout v={v} title={v.t('terms.title')} badges={{ '/terms': pending.length }}>
    <div class="page-head">
      <h1>{v.t('terms.title')}</h1>
      <p class="muted">{v.t('terms.intro')}</p>
    </div>
    <h2>
      {v.t('terms.pending')} <span class="count">{pending.length}</span>
    </h2>
    <div class="requests">
      {pending.length ? (
        pending.map((d) => <Request v={v} d={d} caller={caller} policy={policy} timeZone={timeZone} />)
      ) : (
        <Empty v={v} />
      )}
    </div>
    <h2>{v.t('terms.recent')}</h2>
    <div class="requests">
      {recent.length ? (
        recent.map((d) => <Request v={v} d={d} caller={caller} policy={policy} timeZone={timeZone} />)
      ) : (
        <Empty v={v} />
      )}
    </div>
  </Layout>
);
