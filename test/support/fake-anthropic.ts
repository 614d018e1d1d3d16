import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Anthropic Messages API (POST /v1/messages), speaking its JSON wire
 * format with scripted replies. Tests point the SDK at it with `baseURL` (or ANTHROPIC_BASE_URL for a
 * spawned CLI); nothing goes to the network. Every request is recorded so tests can assert on what
 * the agent sent (system prompt, tools, cache_control, tool results...).
 */

export interface FakeUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

export type FakeBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface FakeMessage {
  content: FakeBlock[];
  stop_reason?: 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence';
  usage?: FakeUsage;
}

/** An HTTP error reply (429, 529, 500...) in the API's error envelope. */
export interface FakeError {
  status: number;
  type?: string;
  message?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: {
    model: string;
    max_tokens: number;
    system?: unknown;
    tools?: { name: string; description?: string; input_schema: unknown; cache_control?: unknown }[];
    messages: { role: 'user' | 'assistant'; content: unknown }[];
    [k: string]: unknown;
  };
}

export type FakeStep = FakeMessage | FakeError | ((req: RecordedRequest) => FakeMessage | FakeError);

export interface FakeAnthropic {
  /** Base URL to give the SDK (`baseURL`) or ANTHROPIC_BASE_URL. */
  url: string;
  requests: RecordedRequest[];
  /** Appends scripted replies, consumed in order; when none is left the server answers 500. */
  push: (...steps: FakeStep[]) => void;
  /** Replies not consumed yet. */
  pending: () => number;
  close: () => Promise<void>;
}

let counter = 0;
const DEFAULT_USAGE: FakeUsage = {
  input_tokens: 100,
  output_tokens: 20,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
};

export const text = (t: string): FakeBlock => ({ type: 'text', text: t });
export const toolUse = (name: string, input: Record<string, unknown> = {}, id?: string): FakeBlock => ({
  type: 'tool_use',
  id: id ?? `toolu_${++counter}`,
  name,
  input,
});
/** A reply; stop_reason is `tool_use` when it contains a tool call, else `end_turn`. */
export const reply = (blocks: FakeBlock[] | string, usage?: Partial<FakeUsage>): FakeMessage => {
  const content = typeof blocks === 'string' ? [text(blocks)] : blocks;
  return {
    content,
    stop_reason: content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn',
    usage: { ...DEFAULT_USAGE, ...usage },
  };
};
export const overloaded = (): FakeError => ({ status: 529, type: 'overloaded_error', message: 'Overloaded' });

/** The tool_result blocks of the last user message of a request. */
export function toolResults(
  req: RecordedRequest,
): { tool_use_id: string; content: string; is_error?: boolean }[] {
  const last = req.body.messages[req.body.messages.length - 1];
  if (!last || !Array.isArray(last.content)) return [];
  return (last.content as { type: string }[])
    .filter((b) => b.type === 'tool_result')
    .map((b) => {
      const r = b as unknown as { tool_use_id: string; content: unknown; is_error?: boolean };
      const content =
        typeof r.content === 'string'
          ? r.content
          : Array.isArray(r.content)
            ? (r.content as { text?: string }[]).map((c) => c.text ?? '').join('')
            : '';
      return { tool_use_id: r.tool_use_id, content, ...(r.is_error ? { is_error: true } : {}) };
    });
}

export async function startFakeAnthropic(...initial: FakeStep[]): Promise<FakeAnthropic> {
  const queue: FakeStep[] = [...initial];
  const requests: RecordedRequest[] = [];

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, {
          'content-type': 'application/json',
          // A fresh connection per request: on a loaded machine a kept-alive socket can outlive the
          // server's keep-alive timeout, and the SDK would spend one of its retries reconnecting.
          connection: 'close',
          'request-id': `req_${++counter}`,
          ...headers,
        });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || !req.url?.startsWith('/v1/messages')) {
        send(404, { type: 'error', error: { type: 'not_found_error', message: `no route ${req.url}` } });
        return;
      }
      let body: RecordedRequest['body'];
      try {
        body = JSON.parse(raw);
      } catch {
        send(400, { type: 'error', error: { type: 'invalid_request_error', message: 'body is not JSON' } });
        return;
      }
      const recorded: RecordedRequest = { method: req.method, path: req.url, headers: req.headers, body };
      requests.push(recorded);
      const next = queue.shift();
      const step = typeof next === 'function' ? next(recorded) : next;
      if (!step) {
        send(
          500,
          { type: 'error', error: { type: 'api_error', message: 'fake: no scripted reply left' } },
          {
            'x-should-retry': 'false',
          },
        );
        return;
      }
      if ('status' in step) {
        // Tiny retry delay so SDK retries stay fast in tests.
        send(
          step.status,
          { type: 'error', error: { type: step.type ?? 'api_error', message: step.message ?? 'error' } },
          { 'retry-after-ms': '5' },
        );
        return;
      }
      send(200, {
        id: `msg_${++counter}`,
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: step.content,
        stop_reason:
          step.stop_reason ?? (step.content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn'),
        stop_sequence: null,
        usage: { ...DEFAULT_USAGE, ...step.usage },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    push: (...steps) => {
      queue.push(...steps);
    },
    pending: () => queue.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
