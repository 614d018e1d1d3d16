import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * A local stand-in for the Slack Web API (POST /api/<method>), speaking its wire format: form or
 * JSON bodies in, `{ok: true, ...}` out, HTTP 429 with Retry-After when told to. It keeps the
 * messages the app posts, so `conversations.replies` and `chat.update` behave like Slack's, and it
 * serves the `response_url`s given in slash-command and interaction payloads (/respond/<id>).
 * Tests point the app at it with `slackApiUrl` (SLACK_API_URL); nothing goes to the network.
 */

export interface SlackCall {
  method: string;
  /** Form fields with JSON values (blocks, view...) parsed. */
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
}

export interface FakeSlackMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  text: string;
  blocks?: unknown[];
  metadata?: unknown;
}

export interface FakeUser {
  id: string;
  locale?: string;
  name?: string;
}

type Override = { status: number; retryAfter?: number } | { ok: false; error: string };

export interface FakeSlack {
  /** Give this to `slackApiUrl` / SLACK_API_URL (ends with /api/). */
  apiUrl: string;
  url: string;
  botUserId: string;
  calls: SlackCall[];
  /** Bodies posted to response_url, by the id in the URL. */
  responses: { id: string; body: Record<string, unknown> }[];
  messages: FakeSlackMessage[];
  users: Map<string, FakeUser>;
  /** A response_url on this fake. */
  responseUrl: (id: string) => string;
  /** Makes the next call(s) to a method fail (HTTP status with Retry-After, or `{ok:false}`). */
  failNext: (method: string, ...overrides: Override[]) => void;
  /** A message someone else wrote (a thread's earlier turns). */
  addMessage: (m: Omit<FakeSlackMessage, 'ts'> & { ts?: string }) => FakeSlackMessage;
  callsTo: (method: string) => SlackCall[];
  /**
   * Socket Mode: resolves once an app has connected (apps.connections.open, then the WebSocket and
   * Slack's hello); `socketSend` delivers an envelope and resolves with the app's ack.
   */
  socketConnected: () => Promise<void>;
  socketSend: (type: 'slash_commands' | 'interactive' | 'events_api', payload: unknown) => Promise<unknown>;
  close: () => Promise<void>;
}

const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata', 'prompts']);

function parseBody(raw: string, type: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (type?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = JSON_FIELDS.has(k) ? safeJson(v) : v;
  }
  return out;
}

const safeJson = (v: string) => {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
};

export async function startFakeSlack(opts: { users?: FakeUser[] } = {}): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const responses: FakeSlack['responses'] = [];
  const messages: FakeSlackMessage[] = [];
  const users = new Map((opts.users ?? []).map((u) => [u.id, u]));
  const overrides = new Map<string, Override[]>();
  const botUserId = 'UBOT0001';
  let clock = 1_764_000_000;
  const nextTs = () => `${++clock}.000100`;

  const handlers: Record<string, (b: Record<string, unknown>) => Record<string, unknown>> = {
    'auth.test': () => ({ user_id: botUserId, bot_id: 'BBOT0001', team_id: 'T0001', team: 'Test team' }),
    'chat.postMessage': (b) => {
      const m: FakeSlackMessage = {
        channel: String(b.channel),
        ts: nextTs(),
        ...(b.thread_ts ? { thread_ts: String(b.thread_ts) } : {}),
        user: botUserId,
        bot_id: 'BBOT0001',
        text: String(b.text ?? ''),
        ...(b.blocks ? { blocks: b.blocks as unknown[] } : {}),
        ...(b.metadata ? { metadata: b.metadata } : {}),
      };
      messages.push(m);
      return { channel: m.channel, ts: m.ts, message: m };
    },
    'chat.update': (b) => {
      const m = messages.find((x) => x.channel === b.channel && x.ts === b.ts);
      if (!m) return { ok: false, error: 'message_not_found' };
      m.text = String(b.text ?? m.text);
      if (b.blocks) m.blocks = b.blocks as unknown[];
      return { channel: m.channel, ts: m.ts, text: m.text };
    },
    'chat.postEphemeral': () => ({ message_ts: nextTs() }),
    'views.open': () => ({ view: { id: `V${++clock}` } }),
    'users.info': (b) => {
      const u = users.get(String(b.user));
      if (!u) return { ok: false, error: 'user_not_found' };
      return { user: { id: u.id, name: u.name ?? u.id, locale: u.locale ?? 'en-US', tz: 'Europe/Paris' } };
    },
    'conversations.replies': (b) => {
      const thread = String(b.ts);
      const inThread = messages.filter(
        (m) => m.channel === b.channel && (m.ts === thread || m.thread_ts === thread),
      );
      return { messages: inThread, has_more: false };
    },
    'apps.connections.open': () => ({ url: `ws://127.0.0.1:${port}/link` }),
    'assistant.threads.setStatus': () => ({}),
    'assistant.threads.setTitle': () => ({}),
    'assistant.threads.setSuggestedPrompts': () => ({}),
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        // A fresh connection per request (see fake-anthropic.ts: kept-alive sockets cost retries).
        res.writeHead(status, { 'content-type': 'application/json', connection: 'close', ...headers });
        res.end(JSON.stringify(body));
      };
      const url = req.url ?? '';
      const body = parseBody(raw, req.headers['content-type']);
      if (url.startsWith('/respond/')) {
        responses.push({ id: url.slice('/respond/'.length), body });
        send(200, { ok: true });
        return;
      }
      const method = url.replace(/^\/api\//, '').split('?')[0] ?? '';
      calls.push({ method, body, headers: req.headers });
      const override = overrides.get(method)?.shift();
      if (override && 'status' in override) {
        send(
          override.status,
          { ok: false, error: 'ratelimited' },
          { 'retry-after': String(override.retryAfter ?? 1) },
        );
        return;
      }
      if (override) {
        send(200, override);
        return;
      }
      const handler = handlers[method];
      if (!handler) {
        send(200, { ok: false, error: 'unknown_method' });
        return;
      }
      const result = handler(body);
      send(200, { ok: true, ...result });
    });
  });
  // Socket Mode's WebSocket, on the same server.
  const wss = new WebSocketServer({ noServer: true });
  let socket: WebSocket | undefined;
  let onConnected: () => void = () => {};
  const connected = new Promise<void>((resolve) => {
    onConnected = resolve;
  });
  const acks = new Map<string, (payload: unknown) => void>();
  server.on('upgrade', (req, sock, head) => {
    wss.handleUpgrade(req, sock, head, (ws) => {
      socket = ws;
      ws.on('message', (data) => {
        const ack = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
        if (ack.envelope_id) acks.get(ack.envelope_id)?.(ack.payload ?? null);
      });
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          debug_info: { host: 'fake-slack', approximate_connection_time: 3600 },
          connection_info: { app_id: 'A0001' },
        }),
      );
      onConnected();
    });
  });
  let envelopes = 0;

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    apiUrl: `${url}/api/`,
    url,
    botUserId,
    calls,
    responses,
    messages,
    users,
    responseUrl: (id) => `${url}/respond/${id}`,
    failNext: (method, ...list) => {
      overrides.set(method, [...(overrides.get(method) ?? []), ...list]);
    },
    addMessage: (m) => {
      const full = { ...m, ts: m.ts ?? nextTs() };
      messages.push(full);
      return full;
    },
    callsTo: (method) => calls.filter((c) => c.method === method),
    socketConnected: () => connected,
    socketSend: (type, payload) => {
      if (!socket) throw new Error('fake Slack: no Socket Mode connection');
      const envelope_id = `env-${++envelopes}`;
      const acked = new Promise<unknown>((resolve) => acks.set(envelope_id, resolve));
      socket.send(
        JSON.stringify({ envelope_id, type, payload, accepts_response_payload: type !== 'events_api' }),
      );
      return acked;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The headers Slack sends with a request: timestamp and v0 HMAC-SHA256 signature of the raw body. */
export function slackSignature(secret: string, body: string, timestamp: number): Record<string, string> {
  const sig = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${sig}` };
}
