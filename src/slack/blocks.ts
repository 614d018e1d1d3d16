import type { types } from '@slack/bolt';
import type { Decision } from '../core/policy.ts';
import type { DecisionRecord } from '../services/terms.ts';
import type { TermsRequest, TermsRequestState } from '../services/terms-requests.ts';
import { capitalise, formatterFor, type Language } from '../wording/index.ts';
import { slackSay as say } from '../wording/slack.ts';
import { decisionWord, reasonText, roleWord } from '../wording/terms.ts';

/**
 * Block Kit messages a sales person reads in five seconds: the decision first, then score, exposure
 * and conditions side by side, the main reasons, and the buttons. Builders are pure: they take what
 * a service returned and the reader's language.
 */
export type Block = types.KnownBlock;
export type Message = { text: string; blocks: Block[] };

export const ACTIONS = {
  requestApproval: 'encours_request_approval',
  open: 'encours_open',
  approve: 'encours_approve',
  decline: 'encours_decline',
  pickClient: 'encours_pick_client',
  openQueue: 'encours_open_queue',
} as const;

export const VIEWS = { requestTerms: 'encours_request_terms', reason: 'encours_reason' } as const;

const ICON: Record<Decision, string> = {
  approve: ':large_green_circle:',
  approve_with_conditions: ':large_yellow_circle:',
  needs_approval: ':large_orange_circle:',
  decline: ':red_circle:',
};

const STATE_ICON: Record<TermsRequestState, string> = {
  recommended: ':grey_question:',
  pending: ':hourglass_flowing_sand:',
  approved: ':white_check_mark:',
  declined: ':no_entry:',
  overridden: ':warning:',
};

/** What a button carries: the request and the revision it was shown at (stale clicks are refused). */
export interface ButtonValue {
  d: string;
  r: string;
}
export const buttonValue = (r: TermsRequest): string => JSON.stringify({ d: r.id, r: r.revision });
export function parseButtonValue(value: string | undefined): ButtonValue | null {
  try {
    const v = JSON.parse(value ?? '') as Partial<ButtonValue>;
    return typeof v.d === 'string' && typeof v.r === 'string' ? { d: v.d, r: v.r } : null;
  } catch {
    return null;
  }
}

const plain = (text: string): types.PlainTextElement => ({ type: 'plain_text', text, emoji: true });
const mrkdwn = (text: string): types.MrkdwnElement => ({ type: 'mrkdwn', text });
/** Slack mrkdwn treats &, < and > as markup: client names and notes are shown as typed. */
export const escapeText = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function requestWords(r: DecisionRecord, lang: Language, currency: string): string {
  const f = formatterFor(lang);
  return say('terms.request', lang, {
    days: f.days(r.request.days),
    endOfMonth: r.request.endOfMonth,
    amount: f.money(r.request.amount, currency),
  });
}

export function conditionWords(r: DecisionRecord, lang: Language, currency: string): string {
  const f = formatterFor(lang);
  const c = r.conditions;
  const parts = [
    c.prepayment ? say('cond.prepayment', lang) : null,
    c.depositPercent > 0
      ? say('cond.deposit', lang, {
          percent: f.percent(c.depositPercent / 100),
          amount: f.money(c.depositAmount, currency),
        })
      : null,
    c.maxDays < r.request.days && !c.prepayment
      ? say('cond.maxDays', lang, { days: f.days(c.maxDays) })
      : null,
    c.guarantee ? say('cond.guarantee', lang) : null,
  ].filter((x): x is string => !!x);
  return parts.length ? parts.join(', ') : say('cond.none', lang);
}

/** The reasons the core gave (first three: the deciding rule and the guards). */
export const reasonLines = (r: DecisionRecord, lang: Language, max = 3): string[] =>
  r.reasons.slice(0, max).map((x) => `• ${escapeText(reasonText(x, lang))}`);

export interface DecisionMessageOptions {
  lang: Language;
  currency: string;
  /** ENCOURS_PUBLIC_URL: the "Open in encours" link; no button without it. */
  publicUrl?: string;
  /** Offer "Request approval" (only to a mapped user, and only while nothing is decided). */
  canRequest: boolean;
  /** A line under the header (e.g. "you are not linked"). */
  note?: string;
}

export function clientUrl(publicUrl: string | undefined, ref: string): string | undefined {
  return publicUrl ? `${publicUrl.replace(/\/+$/, '')}/clients/${encodeURIComponent(ref)}` : undefined;
}

/** The answer to `/credit`, the "Request terms" form and a mention asking for terms. */
export function decisionMessage(r: TermsRequest, o: DecisionMessageOptions): Message {
  const { lang, currency } = o;
  const f = formatterFor(lang);
  const decision = capitalise(decisionWord(r.decision, lang));
  const request = requestWords(r, lang, currency);
  const client = `${escapeText(r.client.name)} (${escapeText(r.client.ref)})`;
  const over = r.exposureAfter > r.limit ? say('exposure.over', lang) : '';
  const blocks: Block[] = [
    {
      type: 'section',
      text: mrkdwn(
        `${ICON[r.decision]} *${decision}* · ${client}\n${request} · ${say('terms.asOf', lang, { date: f.date(r.asOf) })}`,
      ),
    },
    {
      type: 'section',
      fields: [
        mrkdwn(
          `*${say('label.score', lang)}*\n${r.score === null ? '-' : say('score.value', lang, { score: r.score, grade: r.grade ?? '-' })}`,
        ),
        mrkdwn(
          `*${say('label.exposure', lang)}*\n${say('exposure.value', lang, {
            before: f.money(r.exposureBefore, currency),
            after: f.money(r.exposureAfter, currency),
            limit: f.money(r.limit, currency),
          })}${over}`,
        ),
        mrkdwn(`*${say('label.conditions', lang)}*\n${conditionWords(r, lang, currency)}`),
        mrkdwn(
          `*${say('label.decides', lang)}*\n${r.approverRole ? say('decides.role', lang, { role: roleWord(r.approverRole, lang) }) : say('decides.nobody', lang)}`,
        ),
      ],
    },
  ];
  const reasons = reasonLines(r, lang);
  if (!r.legal.lawful)
    reasons.unshift(
      `• ${say('legal.unlawful', lang, { days: f.days(r.legal.maxDays), reference: escapeText(r.legal.reference) })}`,
    );
  if (reasons.length)
    blocks.push({ type: 'section', text: mrkdwn(`*${say('label.reasons', lang)}*\n${reasons.join('\n')}`) });
  const buttons: types.Button[] = [];
  if (o.canRequest && r.state === 'recommended' && r.decision !== 'approve')
    buttons.push({
      type: 'button',
      action_id: ACTIONS.requestApproval,
      text: plain(say('button.requestApproval', lang)),
      style: 'primary',
      value: buttonValue(r),
    });
  const url = clientUrl(o.publicUrl, r.client.ref);
  if (url)
    buttons.push({ type: 'button', action_id: ACTIONS.open, text: plain(say('button.open', lang)), url });
  if (buttons.length) blocks.push({ type: 'actions', block_id: 'encours_actions', elements: buttons });
  const notes = [o.note, say('note.recorded', lang, { id: r.id })].filter((x): x is string => !!x);
  blocks.push({ type: 'context', elements: notes.map((n) => mrkdwn(n)) });
  return { text: `${decision}: ${r.client.name}, ${request}`, blocks };
}

/** The post in the finance channel: the same facts, who asked, and Approve / Decline. */
export function approvalMessage(
  r: TermsRequest,
  o: { lang: Language; currency: string; publicUrl?: string; requester: string; note?: string },
): Message {
  const base = decisionMessage(r, { ...o, canRequest: false });
  const request = requestWords(r, o.lang, o.currency);
  const header: Block = {
    type: 'header',
    text: plain(say('approval.header', o.lang, { client: r.client.name }).slice(0, 150)),
  };
  const by: Block = {
    type: 'context',
    elements: [
      mrkdwn(say('approval.by', o.lang, { who: o.requester, note: o.note ? escapeText(o.note) : null })),
    ],
  };
  const blocks = base.blocks.filter((b) => b.type !== 'actions');
  const buttons: types.Button[] = [
    {
      type: 'button',
      action_id: ACTIONS.approve,
      text: plain(say('button.approve', o.lang)),
      style: 'primary',
      value: buttonValue(r),
      // An override (granting what the core declined) asks for a reason in a form instead.
      ...(r.decision === 'decline'
        ? {}
        : {
            confirm: {
              title: plain(say('confirm.title', o.lang)),
              text: mrkdwn(say('confirm.text', o.lang, { client: escapeText(r.client.name), request })),
              confirm: plain(say('confirm.yes', o.lang)),
              deny: plain(say('confirm.no', o.lang)),
            },
          }),
    },
    {
      type: 'button',
      action_id: ACTIONS.decline,
      text: plain(say('button.decline', o.lang)),
      style: 'danger',
      value: buttonValue(r),
    },
  ];
  const url = clientUrl(o.publicUrl, r.client.ref);
  if (url)
    buttons.push({ type: 'button', action_id: ACTIONS.open, text: plain(say('button.open', o.lang)), url });
  return {
    text: `${say('approval.header', o.lang, { client: r.client.name })}: ${request}`,
    blocks: [
      header,
      by,
      ...blocks.slice(0, -1),
      { type: 'actions', block_id: 'encours_decide', elements: buttons },
      blocks[blocks.length - 1]!,
    ],
  };
}

/** "Approved by fiona on 23 November 2026 at 09:00 UTC": who and when, replacing the buttons. */
export function statusLine(r: TermsRequest, lang: Language): string {
  const f = formatterFor(lang);
  const when = r.decidedAt ? `${f.date(r.decidedAt.slice(0, 10))} ${r.decidedAt.slice(11, 16)} UTC` : '';
  if (r.state === 'pending' || r.state === 'recommended')
    return `${STATE_ICON[r.state]} ${say('state.pending', lang)}`;
  return `${STATE_ICON[r.state]} ${say('status.decided', lang, {
    state: say(`state.${r.state}`, lang),
    who: escapeText(r.decidedBy ?? '?'),
    when,
    reason: r.overrideReason ? escapeText(r.overrideReason) : null,
  })}`;
}

/** A message with its buttons replaced by a status line (after a request or a decision). */
export function withStatus(message: Message, status: string): Message {
  const blocks = message.blocks.filter((b) => b.type !== 'actions');
  const last = blocks.pop()!;
  return {
    text: `${message.text} · ${status}`,
    blocks: [...blocks, { type: 'section', block_id: 'encours_status', text: mrkdwn(`*${status}*`) }, last],
  };
}

/** A short reply (errors, refusals, notes). */
export const textMessage = (text: string): Message => ({
  text,
  blocks: [{ type: 'section', text: mrkdwn(text) }],
});

/** "Several clients match": one button per candidate, each re-running the request with that ref. */
export function pickClientMessage(
  query: string,
  candidates: { ref: string; name: string }[],
  rest: { days?: number; amount?: number; public?: boolean; endOfMonth?: boolean },
  lang: Language,
): Message {
  const text = say('error.ambiguous', lang, { query: escapeText(query) });
  return {
    text,
    blocks: [
      { type: 'section', text: mrkdwn(text) },
      {
        type: 'actions',
        block_id: 'encours_pick',
        elements: candidates.slice(0, 5).map((c, i) => ({
          type: 'button' as const,
          action_id: `${ACTIONS.pickClient}_${i}`,
          text: plain(`${c.name} (${c.ref})`.slice(0, 75)),
          value: JSON.stringify({ client: c.ref, ...rest }),
        })),
      },
    ],
  };
}

/** The "Request terms" form. */
export function requestTermsView(lang: Language, channel: string | undefined): types.ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.requestTerms,
    title: plain(say('modal.title', lang)),
    submit: plain(say('modal.submit', lang)),
    close: plain(say('modal.cancel', lang)),
    private_metadata: JSON.stringify({ channel: channel ?? null, lang }),
    blocks: [
      {
        type: 'input',
        block_id: 'client',
        label: plain(say('modal.client', lang)),
        element: { type: 'plain_text_input', action_id: 'value', max_length: 200 },
      },
      {
        type: 'input',
        block_id: 'days',
        label: plain(say('modal.days', lang)),
        element: { type: 'plain_text_input', action_id: 'value', initial_value: '30', max_length: 4 },
      },
      {
        type: 'input',
        block_id: 'amount',
        optional: true,
        label: plain(say('modal.amount', lang)),
        element: { type: 'plain_text_input', action_id: 'value', max_length: 20 },
      },
    ],
  };
}

/** The form asking why (decline, or deciding against the recommendation). */
export function reasonView(
  r: TermsRequest,
  o: {
    lang: Language;
    currency: string;
    verdict: 'approve' | 'decline';
    message: { channel: string; ts: string };
  },
): types.ModalView {
  const { lang } = o;
  const override = o.verdict === 'approve';
  return {
    type: 'modal',
    callback_id: VIEWS.reason,
    title: plain(say(override ? 'modal.reasonTitle.override' : 'modal.reasonTitle.decline', lang)),
    submit: plain(say(override ? 'modal.confirmOverride' : 'modal.confirmDecline', lang)),
    close: plain(say('modal.cancel', lang)),
    private_metadata: JSON.stringify({ d: r.id, r: r.revision, v: o.verdict, lang, ...o.message }),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          say('modal.reasonIntro', lang, {
            client: escapeText(r.client.name),
            request: requestWords(r, lang, o.currency),
            decision: decisionWord(r.decision, lang),
          }),
        ),
      },
      {
        type: 'input',
        block_id: 'reason',
        label: plain(say('modal.reason', lang)),
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 1000 },
      },
    ],
  };
}
