import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../../src/db/open.ts';
import { createApp } from '../../src/http/app.ts';
import { originPolicy } from '../../src/http/origin.ts';
import { outboxMailer } from '../../src/mail/mailer.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { addUser } from '../../src/services/users.ts';
import { createSlackApp, type SlackApp, type SlackAppOptions } from '../../src/slack/app.ts';
import { seedPortfolio } from '../mcp-fixtures.ts';
import { TEST_ADMIN, testContext, testRuntime } from './context.ts';
import { freshDatabase } from './databases.ts';
import { type FakeSlack, slackSignature, startFakeSlack } from './fake-slack.ts';

/**
 * The real bolt app behind the real hono route, signed requests in, a local fake of the Slack Web
 * API out. Portfolio (test/mcp-fixtures.ts, as of 2026-11-23): C001 Dupont-BTP SARL, C002 Dupont
 * Négoce ("Dupont" is ambiguous), C003 Électricité Martin. Users: sam, alex, sally (sales), fiona
 * (finance), each with a Slack id; "nobody" has a Slack id and no encours user.
 */
export const SECRET = 'test-signing-secret';
export const FINANCE = 'CFIN0001';
export const SALES_CHANNEL = 'CSALES01';

export const USERS = {
  sam: { id: 'USAM0001', locale: 'fr-FR' }, // sales, asks in French
  alex: { id: 'UALEX001', locale: 'en-US' }, // sales, asks in English
  sally: { id: 'USALLY01', locale: 'fr-FR' }, // another sales person
  fiona: { id: 'UFIONA01', locale: 'fr-FR' }, // finance
  nobody: { id: 'UNOBODY1', locale: 'en-GB' }, // not linked to any encours user
};

export interface SlackHarness {
  fake: FakeSlack;
  database: Database;
  services: ServiceContext;
  slack: SlackApp;
  http: Hono;
  /** POSTs a signed body to /slack/events and waits until the app has handled it. */
  send: (
    body: string,
    type: 'form' | 'json',
    opts?: { timestamp?: number; secret?: string; headers?: Record<string, string> },
  ) => Promise<Response>;
  command: (user: keyof typeof USERS, text: string, responseId?: string) => Promise<Response>;
  click: (
    user: keyof typeof USERS,
    actionId: string,
    value: string,
    where: { channel: string; ts?: string; ephemeral?: boolean; responseId?: string },
  ) => Promise<Response>;
  event: (
    event: Record<string, unknown>,
    eventId: string,
    headers?: Record<string, string>,
  ) => Promise<Response>;
  close: () => Promise<void>;
}

let counter = 0;

/** Set-up builds a migrated database and two local servers: generous, for a loaded machine. */
export const SLACK_HOOK_TIMEOUT = 180_000;

/** A harness for one describe block: started before its tests, closed after. */
export function useSlackHarness(
  env: Record<string, string> = {},
  options: Partial<SlackAppOptions> = {},
): SlackHarness {
  const h = {} as SlackHarness;
  beforeAll(async () => {
    Object.assign(h, await startSlackHarness(env, options));
  }, SLACK_HOOK_TIMEOUT);
  afterAll(() => h.close(), SLACK_HOOK_TIMEOUT);
  return h;
}

export async function startSlackHarness(
  env: Record<string, string> = {},
  options: Partial<SlackAppOptions> = {},
): Promise<SlackHarness> {
  const fake = await startFakeSlack({ users: Object.values(USERS) });
  const database = await freshDatabase('pglite');
  await seedPortfolio(database.db);
  const services = testContext(database, {
    env: {
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      ENCOURS_SLACK_FINANCE_CHANNEL: FINANCE,
      ENCOURS_PUBLIC_URL: 'https://encours.example.com',
      ...env,
    },
  });
  for (const [name, role] of [
    ['sam', 'sales'],
    ['alex', 'sales'],
    ['sally', 'sales'],
    ['fiona', 'finance'],
  ] as const)
    await addUser(services, { name, role, slackId: USERS[name].id }, TEST_ADMIN);
  const runtime = await testRuntime(services, outboxMailer(mkdtempSync(join(tmpdir(), 'encours-outbox-'))));
  const slack = createSlackApp({ runtime, transport: 'http', syncEveryMs: 0, digest: false, ...options });
  const http = createApp({ runtime, origins: originPolicy(undefined), slackEvents: slack.handle });
  const now = () => Math.floor(services.now().getTime() / 1000);

  const send: SlackHarness['send'] = async (body, type, opts = {}) => {
    const res = await http.request('/slack/events', {
      method: 'POST',
      headers: {
        'content-type': type === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
        ...slackSignature(opts.secret ?? SECRET, body, opts.timestamp ?? now()),
        ...opts.headers,
      },
      body,
    });
    await slack.idle();
    return res;
  };
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

  return {
    fake,
    database,
    services,
    slack,
    http,
    send,
    command: (user, text, responseId = `cmd-${++counter}`) =>
      send(
        form({
          command: '/credit',
          text,
          user_id: USERS[user].id,
          user_name: user,
          channel_id: SALES_CHANNEL,
          channel_name: 'sales',
          team_id: 'T0001',
          team_domain: 'test',
          api_app_id: 'A0001',
          response_url: fake.responseUrl(responseId),
          trigger_id: `trigger-${counter}`,
          token: 'legacy',
        }),
        'form',
      ),
    click: (user, actionId, value, where) =>
      send(
        form({
          payload: JSON.stringify({
            type: 'block_actions',
            team: { id: 'T0001', domain: 'test' },
            user: { id: USERS[user].id, username: user, name: user, team_id: 'T0001' },
            api_app_id: 'A0001',
            token: 'legacy',
            container: {
              type: 'message',
              message_ts: where.ts ?? '1764000000.000001',
              channel_id: where.channel,
              is_ephemeral: !!where.ephemeral,
            },
            trigger_id: `trigger-${++counter}`,
            channel: { id: where.channel, name: 'x' },
            ...(where.ts ? { message: { type: 'message', ts: where.ts, text: '' } } : {}),
            response_url: fake.responseUrl(where.responseId ?? `click-${counter}`),
            actions: [
              {
                type: 'button',
                action_id: actionId,
                block_id: 'b',
                value,
                text: { type: 'plain_text', text: 'x' },
                action_ts: '1764000000.1',
              },
            ],
          }),
        }),
        'form',
      ),
    event: (event, eventId, headers) =>
      send(
        JSON.stringify({
          token: 'legacy',
          team_id: 'T0001',
          api_app_id: 'A0001',
          type: 'event_callback',
          event_id: eventId,
          event_time: now(),
          event,
          authorizations: [{ team_id: 'T0001', user_id: fake.botUserId, is_bot: true }],
        }),
        'json',
        headers ? { headers } : {},
      ),
    close: async () => {
      await slack.stop();
      await fake.close();
      await database.close();
    },
  };
}

/** Every text inside a Block Kit message, for assertions on what a reader sees. */
export function textOf(message: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') return;
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if (k === 'text' && typeof x === 'string') out.push(x);
        else walk(x);
      }
  };
  walk(message);
  return out.join('\n');
}

/** The buttons of a message, by action id. */
export function buttons(message: unknown): Map<string, { value?: string; url?: string }> {
  const found = new Map<string, { value?: string; url?: string }>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as { type?: string; action_id?: string; value?: string; url?: string };
      if (o.type === 'button' && o.action_id) found.set(o.action_id, { value: o.value, url: o.url });
      for (const x of Object.values(v)) walk(x);
    }
  };
  walk(message);
  return found;
}
