import { type App, Assistant, type webApi } from '@slack/bolt';
import { detectLanguage } from '../agent/language.ts';
import type { AgentTurn, ConversationTurn } from '../agent/loop.ts';
import { clientCandidates } from '../agent/offline.ts';
import { isAppError } from '../errors.ts';
import { type Caller, callerFor } from '../services/callers.ts';
import { findClient } from '../services/clients.ts';
import type { Language } from '../wording/index.ts';
import { slackSay as say } from '../wording/slack.ts';
import type { Block } from './blocks.ts';
import { errorReply } from './errors.ts';
import type { SlackEnv } from './terms.ts';

type WebClient = webApi.WebClient;

/** One question to the assistant (Claude with a key, else the offline responder). */
export type AskFn = (input: {
  question: string;
  caller: Caller;
  history: ConversationTurn[];
  clientText?: string;
  /** True when the offline responder will answer (it reads no history: the client is carried over). */
}) => Promise<AgentTurn>;

export interface AssistantEnv extends SlackEnv {
  ask: AskFn;
  offline: boolean;
}

interface ThreadMessage {
  ts?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  subtype?: string;
}

/** Slack escapes `>` as `&gt;`: a quoted line is text someone pasted (a client's email...), i.e. data. */
export function splitQuoted(text: string): { own: string; quoted: string[] } {
  const own: string[] = [];
  const quoted: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(?:&gt;|>)\s?(.*)$/.exec(line);
    if (m) quoted.push(m[1]!);
    else own.push(line);
  }
  return { own: unescapeSlack(own.join('\n')).trim(), quoted: quoted.map(unescapeSlack) };
}

const unescapeSlack = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Removes `<@U123>` mentions of the bot. */
const withoutMention = (text: string, botUserId?: string) =>
  (botUserId ? text.replaceAll(`<@${botUserId}>`, '') : text.replace(/^\s*<@[A-Z0-9]+>/, '')).trim();

/**
 * The thread so far, as conversation turns: the bot's answers and the asker's own words are turns;
 * what other people wrote and every quoted line are data, handed to the model as client text.
 */
export async function threadContext(
  web: WebClient,
  where: { channel: string; threadTs: string; currentTs: string },
  askerId: string,
  botUserId?: string,
): Promise<{ history: ConversationTurn[]; quoted: string[] }> {
  const history: ConversationTurn[] = [];
  const quoted: string[] = [];
  if (where.threadTs === where.currentTs) return { history, quoted };
  const replies = await web.conversations.replies({ channel: where.channel, ts: where.threadTs, limit: 50 });
  for (const m of (replies.messages ?? []) as ThreadMessage[]) {
    if (!m.ts || Number(m.ts) >= Number(where.currentTs) || !m.text) continue;
    if (m.bot_id || (botUserId && m.user === botUserId)) {
      history.push({ role: 'assistant', text: m.text });
      continue;
    }
    const parts = splitQuoted(withoutMention(m.text, botUserId));
    quoted.push(...parts.quoted);
    if (m.user === askerId) history.push({ role: 'user', text: parts.own });
    else if (parts.own) quoted.push(parts.own);
  }
  return { history, quoted };
}

/**
 * The offline responder answers one question at a time: a follow-up that names no client ("and 45
 * days?") is read with the client of the asker's earlier turns.
 */
async function withThreadClient(env: AssistantEnv, question: string, history: ConversationTurn[]) {
  const names = async (text: string) => {
    for (const candidate of clientCandidates(text)) {
      try {
        return (await findClient(env.services.db, candidate)).name;
      } catch (e) {
        if (isAppError(e) && e.code === 'AMBIGUOUS') return candidate;
      }
    }
    return null;
  };
  if (!env.offline || !history.length || (await names(question))) return question;
  for (const turn of [...history].reverse()) {
    if (turn.role !== 'user') continue;
    const name = await names(turn.text);
    if (name) return `${question} (${name})`;
  }
  return question;
}

/** The model writes Markdown; Slack's `markdown` block renders it as the model meant. */
const answerBlocks = (text: string): Block[] => [{ type: 'markdown', text: text.slice(0, 11_000) }];

async function answer(
  env: AssistantEnv,
  web: WebClient,
  where: { channel: string; threadTs: string; currentTs: string },
  asker: string,
  rawText: string,
  botUserId: string | undefined,
  post: (message: { text: string; blocks: Block[] }) => Promise<unknown>,
): Promise<void> {
  const { own, quoted: quotedNow } = splitQuoted(withoutMention(rawText, botUserId));
  const lang: Language = own ? detectLanguage(own) : await env.languageOf(web, asker);
  try {
    const caller = await callerFor(env.services, { kind: 'slack', slackId: asker });
    const { history, quoted } = await threadContext(web, where, asker, botUserId);
    const clientText = [...quoted, ...quotedNow].join('\n').trim();
    const question = await withThreadClient(env, own || say('thinking', lang), history);
    const turn = await env.ask({
      question,
      caller,
      history,
      ...(clientText ? { clientText } : {}),
    });
    await post({ text: turn.answer.slice(0, 3_000), blocks: answerBlocks(turn.answer) });
  } catch (e) {
    if (!isAppError(e))
      env.log(`slack: the assistant failed: ${e instanceof Error ? (e.stack ?? e.message) : e}`);
    await post(errorReply(e, lang));
  }
}

const SUGGESTIONS: Record<Language, { title: string; message: string }[]> = {
  fr: [
    { title: 'Accorder 60 jours ?', message: 'Peut-on accorder 60 jours à Dupont BTP sur 25 000 € ?' },
    { title: 'Qui relancer ?', message: 'Qui faut-il relancer aujourd’hui ?' },
    { title: 'Pourquoi ce score ?', message: 'Pourquoi Acme Industrie a-t-il cette note ?' },
  ],
  en: [
    { title: 'Give 60 days?', message: 'Can we give Dupont BTP 60 days on 25,000?' },
    { title: 'Who to remind?', message: 'Who should we remind today?' },
    { title: 'Why this score?', message: 'Why is Acme Industrie graded this way?' },
  ],
};

const GREETING: Record<Language, string> = {
  fr: 'Bonjour ! Posez une question sur un client, des conditions de paiement ou les retards : je réponds avec les chiffres d’encours.',
  en: 'Hello! Ask about a client, payment terms or overdue invoices: I answer with the figures from encours.',
};

export function registerAssistantHandlers(app: App, env: AssistantEnv): void {
  app.assistant(
    new Assistant({
      threadStarted: async ({ event, say: reply, setSuggestedPrompts, client }) => {
        const lang = await env.languageOf(client, event.assistant_thread.user_id);
        await reply(GREETING[lang]);
        await setSuggestedPrompts({ prompts: SUGGESTIONS[lang] });
      },
      userMessage: async ({ message, say: reply, setStatus, client, context }) => {
        const m = message as ThreadMessage & { channel: string; thread_ts?: string };
        if (!m.user || !m.text || !m.ts) return;
        await setStatus(say('thinking', detectLanguage(m.text))).catch(() => {});
        await answer(
          env,
          client,
          { channel: m.channel, threadTs: m.thread_ts ?? m.ts, currentTs: m.ts },
          m.user,
          m.text,
          context.botUserId,
          (msg) => reply(msg),
        );
      },
    }),
  );

  /** A mention or a direct message: the answer goes in the message's thread. */
  const inThread = (
    client: WebClient,
    m: { channel: string; ts: string; thread_ts?: string; user: string; text: string },
    botUserId: string | undefined,
  ) => {
    const threadTs = m.thread_ts ?? m.ts;
    return answer(
      env,
      client,
      { channel: m.channel, threadTs, currentTs: m.ts },
      m.user,
      m.text,
      botUserId,
      (msg) => client.chat.postMessage({ channel: m.channel, thread_ts: threadTs, ...msg }),
    );
  };

  app.event('app_mention', async ({ event, client, context }) => {
    if (event.user) await inThread(client, { ...event, user: event.user }, context.botUserId);
  });

  // Direct messages outside an assistant thread (those go to the Assistant above).
  app.message(async ({ message, client, context }) => {
    const m = message as ThreadMessage & { channel: string; channel_type?: string; thread_ts?: string };
    if (m.channel_type !== 'im' || m.subtype || m.bot_id || !m.user || !m.text || !m.ts) return;
    await inThread(client, { ...m, user: m.user, text: m.text, ts: m.ts }, context.botUserId);
  });
}
