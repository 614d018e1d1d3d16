import type { types } from '@slack/bolt';
import { defaultAsOf, type ServiceContext } from '../services/context.ts';
import { listInvoices } from '../services/invoices.ts';
import { listReminders } from '../services/reminders.ts';
import { listPendingRequests } from '../services/terms-requests.ts';
import { formatterFor, type Language } from '../wording/index.ts';
import { slackSay as say } from '../wording/slack.ts';
import { ACTIONS, type Block, escapeText, type Message } from './blocks.ts';

/** Invoices that fell due within this many days count as "new" overdue amounts. */
export const NEW_OVERDUE_DAYS = 7;

/**
 * The finance channel's morning message: drafts waiting for review, terms requests pending, and the
 * biggest amounts that became overdue this week, linking to the queues.
 */
export async function digestMessage(
  services: ServiceContext,
  o: { lang: Language; publicUrl?: string },
): Promise<Message> {
  const { lang } = o;
  const f = formatterFor(lang);
  const asOf = defaultAsOf(services);
  const currency = services.policy.policy.baseCurrency;
  const [drafts, pending, overdue] = await Promise.all([
    listReminders(services, { status: 'draft' }),
    listPendingRequests(services),
    listInvoices(services.db, { asOf, status: 'overdue' }),
  ]);
  const fresh = overdue
    .filter((i) => !i.disputed && i.daysOverdue <= NEW_OVERDUE_DAYS)
    .sort((a, b) => b.open - a.open || a.ref.localeCompare(b.ref))
    .slice(0, 5);
  const lines = fresh.map(
    (i) =>
      `• ${say('digest.overdueLine', lang, {
        client: escapeText(i.clientName),
        amount: f.money(i.open, currency),
        invoice: escapeText(i.ref),
        days: f.days(i.daysOverdue),
      })}`,
  );
  const title = say('digest.title', lang, { date: f.date(asOf) });
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: title } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${say('digest.drafts', lang, { n: drafts.length })}\n${say('digest.pending', lang, { n: pending.length })}`,
      },
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${say('digest.overdueTitle', lang)}*\n${lines.length ? lines.join('\n') : say('digest.noOverdue', lang)}`,
      },
    },
  ];
  if (o.publicUrl) {
    const base = o.publicUrl.replace(/\/+$/, '');
    const link = (label: string, path: string, id: string): types.Button => ({
      type: 'button',
      action_id: `${ACTIONS.openQueue}_${id}`,
      text: { type: 'plain_text', text: label },
      url: `${base}${path}`,
    });
    blocks.push({
      type: 'actions',
      elements: [
        link(
          `${say('button.queue', lang)} · ${say('digest.drafts', lang, { n: drafts.length }).replace(/\*/g, '')}`.slice(
            0,
            75,
          ),
          '/reminders',
          'reminders',
        ),
        link(
          `${say('button.queue', lang)} · ${say('digest.pending', lang, { n: pending.length }).replace(/\*/g, '')}`.slice(
            0,
            75,
          ),
          '/terms',
          'terms',
        ),
      ],
    });
  }
  return {
    text: `${title}: ${say('digest.drafts', lang, { n: drafts.length })}, ${say('digest.pending', lang, { n: pending.length })}`.replace(
      /\*/g,
      '',
    ),
    blocks,
  };
}

/**
 * Milliseconds until the next HH:MM in a time zone, from `now`. Uses the zone's offset at that
 * moment, so daylight-saving changes keep the wall-clock time.
 */
export function msUntilNext(time: string, timeZone: string, now: Date): number {
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const parts = (d: Date) => {
    const p = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(d);
    const get = (t: string) => Number(p.find((x) => x.type === t)?.value);
    return {
      y: get('year'),
      m: get('month'),
      d: get('day'),
      h: get('hour'),
      min: get('minute'),
      s: get('second'),
    };
  };
  const offsetMs = (d: Date) => {
    const p = parts(d);
    return Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s) - Math.floor(d.getTime() / 1000) * 1000;
  };
  const local = parts(now);
  for (let addDays = 0; addDays <= 2; addDays++) {
    const wallUtc = Date.UTC(local.y, local.m - 1, local.d + addDays, hh, mm, 0);
    const guess = new Date(wallUtc - offsetMs(new Date(wallUtc)));
    const at = new Date(wallUtc - offsetMs(guess));
    if (at.getTime() > now.getTime()) return at.getTime() - now.getTime();
  }
  return 86_400_000;
}
