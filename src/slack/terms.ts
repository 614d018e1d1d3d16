import type { App, BlockAction, ButtonAction, RespondFn, webApi } from '@slack/bolt';
import { isAppError } from '../errors.ts';
import { type Caller, callerFor } from '../services/callers.ts';
import { findClient } from '../services/clients.ts';
import type { ServiceContext } from '../services/context.ts';
import {
  markShown,
  messagesFor,
  recordSlackMessage,
  type SlackMessageRow,
  staleMessages,
} from '../services/slack-store.ts';
import { evaluateTermsRequest, requestTermsApproval } from '../services/terms.ts';
import {
  asTermsRequest,
  decideTermsRequest,
  getTermsRequest,
  isOverride,
  type TermsRequest,
  type Verdict,
} from '../services/terms-requests.ts';
import type { Language } from '../wording/index.ts';
import { slackSay as say } from '../wording/slack.ts';
import {
  ACTIONS,
  approvalMessage,
  decisionMessage,
  type Message,
  parseButtonValue,
  pickClientMessage,
  reasonView,
  requestTermsView,
  requestWords,
  statusLine,
  textMessage,
  VIEWS,
  withStatus,
} from './blocks.ts';
import { type CreditCommand, parseAmountCents, parseCreditCommand } from './credit-command.ts';
import { errorReply } from './errors.ts';
import { mention } from './identity.ts';

type WebClient = webApi.WebClient;

/** What the Slack handlers share: services, settings, and how to find a member's language. */
export interface SlackEnv {
  services: ServiceContext;
  financeChannel?: string;
  publicUrl?: string;
  currency: string;
  languageOf: (client: WebClient, slackId: string) => Promise<Language>;
  log: (line: string) => void;
  /** Posts to a response_url (ephemeral messages can only be replaced through it). */
  postToResponseUrl: (url: string, message: Record<string, unknown>) => Promise<void>;
}

/** Where an answer goes: privately to the asker (default) or in the channel. */
interface Delivery {
  web: WebClient;
  slackId: string;
  channel?: string;
  respond?: RespondFn;
  public: boolean;
  replaceOriginal?: boolean;
}

async function deliver(d: Delivery, message: Message): Promise<void> {
  if (d.public && d.channel) {
    try {
      await d.web.chat.postMessage({ channel: d.channel, ...message, unfurl_links: false });
      return;
    } catch (e) {
      // The bot is not in that channel (a private one, a DM between people): answer through Slack's
      // response_url, which still shows it in the channel.
      if (!d.respond) throw e;
      await d.respond({ response_type: 'in_channel', ...message });
      return;
    }
  }
  if (d.respond) {
    await d.respond({
      response_type: 'ephemeral',
      ...(d.replaceOriginal ? { replace_original: true } : {}),
      ...message,
    });
    return;
  }
  if (d.channel) {
    try {
      await d.web.chat.postEphemeral({ channel: d.channel, user: d.slackId, ...message });
      return;
    } catch {
      // Not a channel the bot is in: fall back to a direct message.
    }
  }
  await d.web.chat.postMessage({ channel: d.slackId, ...message });
}

/** Tells the clicker something only they see (refusals, stale buttons). */
async function tellPrivately(web: WebClient, channel: string | undefined, slackId: string, message: Message) {
  await deliver({ web, slackId, channel, public: false }, message);
}

/** Evaluates a terms request and answers with the decision, or with a short reply saying what went wrong. */
async function answerTerms(
  env: SlackEnv,
  d: Delivery,
  command: CreditCommand,
  lang: Language,
): Promise<void> {
  const { services } = env;
  const caller = await callerFor(services, { kind: 'slack', slackId: d.slackId });
  let request: TermsRequest;
  try {
    const client = await findClient(services.db, command.client);
    const evaluated = await evaluateTermsRequest(services, {
      client: client.ref,
      days: command.days ?? client.termsDays ?? 30,
      amount: command.amountCents ?? 0,
      endOfMonth: command.endOfMonth,
      actor: caller,
    });
    request = asTermsRequest(evaluated);
  } catch (e) {
    const candidates = isAppError(e)
      ? (e.details as { candidates?: { ref: string; name: string }[] })?.candidates
      : [];
    if (isAppError(e) && (e.code === 'AMBIGUOUS' || e.code === 'NOT_FOUND') && candidates?.length) {
      const pick = pickClientMessage(
        command.client,
        candidates,
        {
          days: command.days,
          amount: command.amountCents,
          public: command.public,
          endOfMonth: command.endOfMonth,
        },
        lang,
      );
      if (e.code === 'NOT_FOUND')
        pick.blocks[0] = textMessage(errorReply(e, lang, command.client).text).blocks[0]!;
      await deliver({ ...d, public: false }, pick);
      return;
    }
    if (!isAppError(e))
      env.log(`slack: terms request failed: ${e instanceof Error ? (e.stack ?? e.message) : e}`);
    await deliver({ ...d, public: false }, errorReply(e, lang, command.client));
    return;
  }
  await deliver(
    d,
    decisionMessage(request, {
      lang,
      currency: env.currency,
      publicUrl: env.publicUrl,
      canRequest: caller.verified && caller.role !== 'viewer',
      note: caller.verified ? undefined : say('note.unmapped', lang),
    }),
  );
}

/** The message a stored Slack message should now show for this request. */
function messageFor(env: SlackEnv, row: SlackMessageRow, r: TermsRequest): Message {
  const lang = row.language as Language;
  const base =
    row.kind === 'finance'
      ? approvalMessage(r, {
          lang,
          currency: env.currency,
          publicUrl: env.publicUrl,
          requester: row.slackUserId ? mention(row.slackUserId) : (r.approvalRequestedBy ?? r.requestedBy),
        })
      : decisionMessage(r, { lang, currency: env.currency, publicUrl: env.publicUrl, canRequest: false });
  if (row.kind === 'finance' && r.state === 'pending') return base;
  return withStatus(base, statusLine(r, lang));
}

/**
 * Replaces the buttons of every Slack message showing this request with its status line; tells the
 * requester once, by direct message, when the request is decided. Failures are logged, not thrown:
 * the decision is already recorded.
 */
export async function refreshRequestMessages(
  env: SlackEnv,
  web: WebClient,
  decisionId: string,
): Promise<void> {
  const r = await getTermsRequest(env.services, decisionId);
  for (const row of await messagesFor(env.services, decisionId)) {
    if (row.shownState === r.state) continue;
    const message = messageFor(env, row, r);
    try {
      if (row.ts) await web.chat.update({ channel: row.channel, ts: row.ts, ...message });
      else if (row.responseUrl)
        await env.postToResponseUrl(row.responseUrl, { replace_original: true, ...message });
      await markShown(env.services, row.id, r.state);
      if (row.kind === 'origin' && r.state !== 'pending' && row.slackUserId) {
        const lang = row.language as Language;
        await web.chat.postMessage({
          channel: row.slackUserId,
          text: say('status.notify', lang, {
            client: r.client.name,
            request: requestWords(r, lang, env.currency),
            status: statusLine(r, lang),
          }),
        });
      }
    } catch (e) {
      env.log(`slack: could not update the message of ${decisionId}: ${e instanceof Error ? e.message : e}`);
    }
  }
}

/** Updates the messages of requests decided elsewhere (web, CLI, another process). Returns how many. */
export async function syncRequestMessages(env: SlackEnv, web: WebClient): Promise<number> {
  const rows = await staleMessages(env.services);
  const ids = [...new Set(rows.map((r) => r.decisionId))];
  for (const id of ids) await refreshRequestMessages(env, web, id);
  return ids.length;
}

/** Checks a click before acting: a known user, a live request, the revision the button showed. */
async function clickedRequest(
  env: SlackEnv,
  web: WebClient,
  body: BlockAction,
  value: string | undefined,
  lang: Language,
): Promise<{ caller: Caller; request: TermsRequest } | null> {
  const channel = body.channel?.id ?? body.container?.channel_id;
  const caller = await callerFor(env.services, { kind: 'slack', slackId: body.user.id });
  if (!caller.verified) {
    await tellPrivately(
      web,
      channel,
      body.user.id,
      textMessage(`:no_entry_sign: ${say('note.unmapped', lang)}`),
    );
    return null;
  }
  const shown = parseButtonValue(value);
  if (!shown) {
    env.log(`slack: a button carried an unreadable value: ${String(value).slice(0, 100)}`);
    await tellPrivately(web, channel, body.user.id, errorReply(new Error('unreadable button'), lang));
    return null;
  }
  const request = await getTermsRequest(env.services, shown.d);
  if (request.revision !== shown.r) {
    const state = say(
      `state.${request.state === 'recommended' ? 'pending' : request.state}`,
      lang,
    ).toLowerCase();
    const already = say('approval.already', lang, { state });
    await tellPrivately(
      web,
      channel,
      body.user.id,
      textMessage(`:arrows_counterclockwise: ${say('error.stale', lang, { message: already })}`),
    );
    // The message was out of date: bring it up to date for everyone.
    await refreshRequestMessages(env, web, request.id);
    return null;
  }
  return { caller, request };
}

/** What a click on a request's button gives its handler once checked (see clickedRequest). */
interface RequestClick {
  caller: Caller;
  request: TermsRequest;
  lang: Language;
  channel: string | undefined;
  body: BlockAction;
  client: WebClient;
}

/** A button listener for a request: acks at once, checks the click, then runs the handler. */
const onRequestClick =
  (env: SlackEnv, handler: (click: RequestClick) => Promise<void>) =>
  async ({
    ack,
    action,
    body,
    client,
  }: {
    ack: () => Promise<void>;
    action: ButtonAction;
    body: BlockAction;
    client: WebClient;
  }) => {
    await ack();
    const lang = await env.languageOf(client, body.user.id);
    const clicked = await clickedRequest(env, client, body, action.value, lang);
    if (!clicked) return;
    await handler({
      ...clicked,
      lang,
      channel: body.channel?.id ?? body.container?.channel_id,
      body,
      client,
    });
  };

export function registerTermsHandlers(app: App, env: SlackEnv): void {
  const { services } = env;

  app.command('/credit', async ({ command, ack, respond, client }) => {
    await ack();
    const lang = await env.languageOf(client, command.user_id);
    const parsed = parseCreditCommand(command.text);
    if (!parsed.ok) {
      if (parsed.reason === 'empty') {
        await client.views.open({
          trigger_id: command.trigger_id,
          view: requestTermsView(lang, command.channel_id),
        });
        return;
      }
      const detail = parsed.detail ? ` (« ${parsed.detail} »)` : '';
      await respond({ response_type: 'ephemeral', ...textMessage(`${say('error.usage', lang)}${detail}`) });
      return;
    }
    await answerTerms(
      env,
      {
        web: client,
        slackId: command.user_id,
        channel: command.channel_id,
        respond,
        public: parsed.command.public,
      },
      parsed.command,
      lang,
    );
  });

  // A global shortcut (lightning menu) opens the same form as `/credit` alone.
  app.shortcut('encours_request_terms', async ({ ack, shortcut, client }) => {
    await ack();
    const lang = await env.languageOf(client, shortcut.user.id);
    await client.views.open({ trigger_id: shortcut.trigger_id, view: requestTermsView(lang, undefined) });
  });

  app.view(VIEWS.requestTerms, async ({ ack, view, body, client }) => {
    const meta = JSON.parse(view.private_metadata || '{}') as { channel?: string | null; lang?: Language };
    const lang = meta.lang ?? (await env.languageOf(client, body.user.id));
    const value = (block: string) => view.state.values[block]?.value?.value?.trim() ?? '';
    const errors: Record<string, string> = {};
    const days = value('days');
    if (!/^\d{1,4}$/.test(days)) errors.days = say('modal.badDays', lang);
    const amountText = value('amount');
    const amount = amountText ? parseAmountCents(amountText) : 0;
    if (amount === null) errors.amount = say('modal.badAmount', lang);
    if (Object.keys(errors).length) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    await answerTerms(
      env,
      { web: client, slackId: body.user.id, channel: meta.channel ?? undefined, public: false },
      {
        client: value('client'),
        days: Number(days),
        amountCents: amount ?? 0,
        endOfMonth: false,
        public: false,
      },
      lang,
    );
  });

  app.action<BlockAction<ButtonAction>>(
    new RegExp(`^${ACTIONS.pickClient}_\\d+$`),
    async ({ ack, action, body, respond, client }) => {
      await ack();
      const lang = await env.languageOf(client, body.user.id);
      const picked = JSON.parse(action.value ?? '{}') as {
        client: string;
        days?: number;
        amount?: number;
        public?: boolean;
        endOfMonth?: boolean;
      };
      await answerTerms(
        env,
        {
          web: client,
          slackId: body.user.id,
          channel: body.channel?.id,
          respond,
          public: !!picked.public,
          replaceOriginal: true,
        },
        {
          client: picked.client,
          days: picked.days,
          amountCents: picked.amount,
          endOfMonth: !!picked.endOfMonth,
          public: !!picked.public,
        },
        lang,
      );
    },
  );

  // "Open in encours" is a link: Slack still sends the click, which needs an ack.
  app.action(ACTIONS.open, async ({ ack }) => {
    await ack();
  });

  app.action<BlockAction<ButtonAction>>(
    ACTIONS.requestApproval,
    onRequestClick(env, async ({ caller, request, lang, channel, body, client }) => {
      if (caller.role === 'viewer') {
        await tellPrivately(
          client,
          channel,
          body.user.id,
          textMessage(`:no_entry_sign: ${say('note.unmapped', lang)}`),
        );
        return;
      }
      let pending: TermsRequest;
      try {
        pending = asTermsRequest(await requestTermsApproval(services, request.id, caller));
      } catch (e) {
        await tellPrivately(client, channel, body.user.id, errorReply(e, lang));
        return;
      }
      const container = body.container as {
        message_ts?: string;
        channel_id?: string;
        is_ephemeral?: boolean;
      };
      await recordSlackMessage(services, {
        decisionId: pending.id,
        kind: 'origin',
        channel: container.channel_id ?? channel ?? body.user.id,
        ts: container.is_ephemeral ? null : (container.message_ts ?? null),
        responseUrl: body.response_url ?? null,
        slackUserId: body.user.id,
        language: lang,
        shownState: 'recommended',
      });
      if (env.financeChannel) {
        const financeLang = services.config.ENCOURS_SLACK_LANG;
        const posted = await client.chat.postMessage({
          channel: env.financeChannel,
          ...approvalMessage(pending, {
            lang: financeLang,
            currency: env.currency,
            publicUrl: env.publicUrl,
            requester: mention(body.user.id),
          }),
        });
        await recordSlackMessage(services, {
          decisionId: pending.id,
          kind: 'finance',
          channel: posted.channel ?? env.financeChannel,
          ts: posted.ts ?? null,
          responseUrl: null,
          slackUserId: body.user.id,
          language: financeLang,
          shownState: 'pending',
        });
      }
      await refreshRequestMessages(env, client, pending.id);
      await tellPrivately(
        client,
        channel,
        body.user.id,
        textMessage(
          env.financeChannel
            ? `:outbox_tray: ${say('approval.sent', lang, { channel: `<#${env.financeChannel}>` })}`
            : `:outbox_tray: ${say('approval.noChannel', lang)}`,
        ),
      );
    }),
  );

  const decide = async (
    web: WebClient,
    who: { slackId: string; channel?: string },
    input: { decisionId: string; revision: string; verdict: Verdict; reason?: string },
    caller: Caller,
    lang: Language,
  ) => {
    try {
      await decideTermsRequest(services, {
        ...input,
        decider: caller,
        via: { slackUserId: who.slackId, ...(who.channel ? { slackChannel: who.channel } : {}) },
      });
    } catch (e) {
      await tellPrivately(web, who.channel, who.slackId, errorReply(e, lang));
      if (isAppError(e) && e.code === 'CONFLICT') await refreshRequestMessages(env, web, input.decisionId);
      return;
    }
    await refreshRequestMessages(env, web, input.decisionId);
  };

  const onVerdict = (verdict: Verdict) =>
    onRequestClick(env, async ({ caller, request, lang, channel, body, client }) => {
      const message = body.container?.message_ts ?? body.message?.ts;
      const needsReason = verdict === 'decline' || isOverride(request, verdict);
      if (!needsReason) {
        await decide(
          client,
          { slackId: body.user.id, channel },
          { decisionId: request.id, revision: request.revision, verdict },
          caller,
          lang,
        );
        return;
      }
      // Check the rights before asking for a reason nobody could use.
      try {
        await decideTermsRequest(services, {
          decisionId: request.id,
          revision: request.revision,
          verdict,
          decider: caller,
          dryRun: true,
        });
      } catch (e) {
        await tellPrivately(client, channel, body.user.id, errorReply(e, lang));
        return;
      }
      await client.views.open({
        trigger_id: body.trigger_id,
        view: reasonView(request, {
          lang,
          currency: env.currency,
          verdict,
          message: { channel: channel ?? '', ts: message ?? '' },
        }),
      });
    });
  app.action<BlockAction<ButtonAction>>(ACTIONS.approve, onVerdict('approve'));
  app.action<BlockAction<ButtonAction>>(ACTIONS.decline, onVerdict('decline'));

  app.view(VIEWS.reason, async ({ ack, view, body, client }) => {
    const meta = JSON.parse(view.private_metadata || '{}') as {
      d: string;
      r: string;
      v: Verdict;
      lang?: Language;
      channel?: string;
    };
    const lang = meta.lang ?? (await env.languageOf(client, body.user.id));
    const reason = view.state.values.reason?.value?.value?.trim() ?? '';
    if (!reason) {
      await ack({ response_action: 'errors', errors: { reason: say('modal.reasonRequired', lang) } });
      return;
    }
    await ack();
    const caller = await callerFor(services, { kind: 'slack', slackId: body.user.id });
    await decide(
      client,
      { slackId: body.user.id, channel: meta.channel || undefined },
      { decisionId: meta.d, revision: meta.r, verdict: meta.v, reason },
      caller,
      lang,
    );
  });
}
