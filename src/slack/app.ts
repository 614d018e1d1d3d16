import { App, type Logger, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { createAgent } from '../agent/loop.ts';
import { answerOffline } from '../agent/offline.ts';
import { AppError } from '../errors.ts';
import type { Runtime } from '../runtime.ts';
import { claimSlackEvent } from '../services/slack-store.ts';
import { type AskFn, registerAssistantHandlers } from './assistant.ts';
import { digestMessage, msUntilNext } from './digest.ts';
import { localeCache } from './identity.ts';
import { FetchReceiver } from './receiver.ts';
import { registerTermsHandlers, type SlackEnv, syncRequestMessages } from './terms.ts';

export interface SlackAppOptions {
  runtime: Runtime;
  /** `http`: requests come to `handle` (the `/slack/events` route); `socket`: Socket Mode. */
  transport: 'http' | 'socket';
  log?: (line: string) => void;
  /** The assistant; default: Claude when ANTHROPIC_API_KEY is set, else the offline responder. */
  ask?: AskFn;
  /** How long one model call may take before the asker is told to try again (ms). */
  agentTimeoutMs?: number;
  /** How often messages of requests decided elsewhere are updated (ms); 0 turns it off. */
  syncEveryMs?: number;
  /** Post the daily digest at ENCOURS_SLACK_DIGEST_TIME (default true when a finance channel is set). */
  digest?: boolean;
}

export interface SlackApp {
  bolt: App;
  /** One request to `/slack/events` (HTTP transport). */
  handle: (request: Request) => Promise<Response>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when every event received so far has been handled (replies posted). */
  idle(): Promise<void>;
  /** Updates the Slack messages of requests decided elsewhere; returns how many requests. */
  syncMessages(): Promise<number>;
  /** Posts the digest to the finance channel now. */
  sendDigest(): Promise<void>;
}

function boltLogger(log: (line: string) => void): Logger {
  let level = LogLevel.WARN;
  const write =
    (lvl: string) =>
    (...msg: unknown[]) =>
      log(`slack ${lvl}: ${msg.map(String).join(' ')}`);
  return {
    debug: () => {},
    info: () => {},
    warn: write('warn'),
    error: write('error'),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

/**
 * The Slack app: `/credit`, the "Request terms" form, approvals with Approve / Decline in the finance
 * channel, mentions, direct messages and assistant threads answered by the agent, and the daily
 * digest. Settings come from the service context's configuration (SLACK_*, ENCOURS_SLACK_*); the
 * receiver only carries requests (HTTP route or Socket Mode).
 */
export function createSlackApp(opts: SlackAppOptions): SlackApp {
  const { runtime } = opts;
  const { services } = runtime;
  const config = services.config;
  const log = opts.log ?? (() => {});
  if (!config.SLACK_BOT_TOKEN)
    throw new AppError('INVALID_CONFIG', 'SLACK_BOT_TOKEN is not set', undefined, 'see README, "Slack"');
  const logger = boltLogger(log);
  const clientOptions = {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    // Rate-limited calls wait for Retry-After and try again; other failures are retried a few times.
    retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 },
  };
  let receiver: FetchReceiver | SocketModeReceiver;
  if (opts.transport === 'http') {
    if (!config.SLACK_SIGNING_SECRET)
      throw new AppError(
        'INVALID_CONFIG',
        'SLACK_SIGNING_SECRET is not set',
        undefined,
        'see README, "Slack"',
      );
    receiver = new FetchReceiver({
      signingSecret: config.SLACK_SIGNING_SECRET,
      now: () => services.now().getTime(),
      claimEvent: (id) => claimSlackEvent(services, id),
      log,
    });
  } else {
    if (!config.SLACK_APP_TOKEN)
      throw new AppError(
        'INVALID_CONFIG',
        'SLACK_APP_TOKEN is not set: Socket Mode needs an app-level token (xapp-...)',
        undefined,
        'create one under Basic Information > App-Level Tokens with the connections:write scope',
      );
    // apps.connections.open goes through these client options too (SLACK_API_URL included).
    receiver = new SocketModeReceiver({
      appToken: config.SLACK_APP_TOKEN,
      logger,
      installerOptions: { clientOptions },
    });
  }
  const bolt = new App({ token: config.SLACK_BOT_TOKEN, receiver, logger, clientOptions });

  const env: SlackEnv = {
    services,
    financeChannel: config.ENCOURS_SLACK_FINANCE_CHANNEL,
    publicUrl: config.ENCOURS_PUBLIC_URL,
    currency: services.policy.policy.baseCurrency,
    languageOf: localeCache(() => services.now().getTime()),
    log,
    postToResponseUrl: async (url, message) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
      });
      if (!res.ok) throw new Error(`response_url answered ${res.status}`);
    },
  };
  // Someone is waiting in Slack: a model call gets a minute (and two retries), not the CLI's two.
  const ask: AskFn =
    opts.ask ??
    (async (input) => {
      const question = {
        history: input.history,
        ...(input.clientText ? { clientText: input.clientText } : {}),
      };
      const anthropic = await runtime.model();
      if (!anthropic) return answerOffline({ services, caller: input.caller }, input.question, question);
      return createAgent({
        services,
        caller: input.caller,
        anthropic: anthropic.withOptions({ timeout: opts.agentTimeoutMs ?? 60_000, maxRetries: 2 }),
      }).ask(input.question, question);
    });
  registerTermsHandlers(bolt, env);
  registerAssistantHandlers(bolt, { ...env, ask, offline: !config.ANTHROPIC_API_KEY });
  bolt.error(async (e) => {
    log(`slack: ${e.message}`);
  });

  const timers: NodeJS.Timeout[] = [];
  const syncMessages = () => syncRequestMessages(env, bolt.client);
  const sendDigest = async () => {
    if (!env.financeChannel) return;
    const message = await digestMessage(services, {
      lang: config.ENCOURS_SLACK_LANG,
      publicUrl: env.publicUrl,
    });
    await bolt.client.chat.postMessage({ channel: env.financeChannel, ...message });
  };
  const guarded = (what: string, fn: () => Promise<unknown>) => () => {
    fn().catch((e: unknown) => log(`slack: ${what} failed: ${e instanceof Error ? e.message : e}`));
  };
  const scheduleDigest = () => {
    const wait = msUntilNext(config.ENCOURS_SLACK_DIGEST_TIME, config.ENCOURS_SLACK_DIGEST_TZ, new Date());
    const t = setTimeout(() => {
      guarded('the digest', sendDigest)();
      scheduleDigest();
    }, wait);
    t.unref();
    timers.push(t);
  };

  return {
    bolt,
    handle: (request) => {
      if (!(receiver instanceof FetchReceiver))
        return Promise.resolve(new Response('Slack runs in Socket Mode here', { status: 404 }));
      return receiver.handle(request);
    },
    start: async () => {
      if (receiver instanceof SocketModeReceiver) await bolt.start();
      const every = opts.syncEveryMs ?? 30_000;
      if (every > 0) {
        const t = setInterval(guarded('updating decided requests', syncMessages), every);
        t.unref();
        timers.push(t);
      }
      if ((opts.digest ?? true) && env.financeChannel) scheduleDigest();
    },
    stop: async () => {
      for (const t of timers) clearTimeout(t);
      timers.length = 0;
      await bolt.stop();
    },
    idle: async () => {
      if (receiver instanceof FetchReceiver) await receiver.idle();
    },
    syncMessages,
    sendDigest,
  };
}
