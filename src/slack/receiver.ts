import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { verifySlackRequest } from '@slack/bolt';

/**
 * A bolt receiver for web-standard requests, so `/slack/events` is one route of the hono app that
 * `encours serve` runs. Transport only: it checks Slack's signature and timestamp, answers Slack's
 * URL verification, drops re-delivered events, and hands the body to bolt; the HTTP response is
 * sent as soon as a listener acks (Slack wants it within 3 seconds) while the listener goes on.
 */
export interface FetchReceiverOptions {
  signingSecret: string;
  /** Milliseconds since the epoch; tests and reproducible runs inject their clock. */
  now?: () => number;
  /** Claims an event id: false when it was already handled (a retry). */
  claimEvent?: (eventId: string) => Promise<boolean>;
  log?: (line: string) => void;
}

/** Slack refuses to act on requests more than five minutes away from its clock; so do we. */
const MAX_SKEW_SECONDS = 300;

export class FetchReceiver implements Receiver {
  private app: App | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly opts: FetchReceiverOptions) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  /** Waits for the listeners still running (replies posted after the ack). */
  async stop(): Promise<void> {
    await this.idle();
  }

  /** Resolves once every event received so far has been fully handled. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  async handle(request: Request): Promise<Response> {
    const log = this.opts.log ?? (() => {});
    const raw = await request.text();
    const refused = this.verify(raw, request.headers);
    if (refused) {
      log(`slack: refused a request: ${refused}`);
      return new Response(refused, { status: 401 });
    }
    let body: Record<string, unknown>;
    try {
      body = parseBody(raw, request.headers.get('content-type'));
    } catch {
      return new Response('body is neither JSON nor a form', { status: 400 });
    }
    if (body.ssl_check) return new Response('', { status: 200 });
    if (body.type === 'url_verification') return Response.json({ challenge: body.challenge });
    const eventId = typeof body.event_id === 'string' ? body.event_id : undefined;
    if (eventId && this.opts.claimEvent && !(await this.opts.claimEvent(eventId))) {
      // Already handled: acknowledge so Slack stops re-delivering, and do nothing.
      return new Response('', { status: 200, headers: { 'x-slack-no-retry': '1' } });
    }
    const app = this.app;
    if (!app) return new Response('Slack app not ready', { status: 503 });

    let settle!: (r: Response) => void;
    const response = new Promise<Response>((resolve) => {
      settle = resolve;
    });
    let acked = false;
    const retryNum = request.headers.get('x-slack-retry-num');
    const event: ReceiverEvent = {
      body,
      ...(retryNum ? { retryNum: Number(retryNum) } : {}),
      ...(request.headers.get('x-slack-retry-reason')
        ? { retryReason: request.headers.get('x-slack-retry-reason')! }
        : {}),
      ack: async (reply?: unknown) => {
        if (acked) return;
        acked = true;
        settle(
          reply === undefined || reply === null || reply === ''
            ? new Response('', { status: 200 })
            : typeof reply === 'string'
              ? new Response(reply, { status: 200 })
              : Response.json(reply),
        );
      },
    };
    const work = app
      .processEvent(event)
      .then(() => settle(acked ? new Response('', { status: 200 }) : new Response('', { status: 404 })))
      .catch((e: unknown) => {
        log(`slack: a listener failed: ${e instanceof Error ? e.message : String(e)}`);
        settle(new Response('', { status: acked ? 200 : 500 }));
      })
      .finally(() => {
        this.inFlight.delete(work);
      });
    this.inFlight.add(work);
    return response;
  }

  /** Null when the request is Slack's, else why it is refused. */
  private verify(raw: string, headers: Headers): string | null {
    const signature = headers.get('x-slack-signature');
    const timestamp = Number(headers.get('x-slack-request-timestamp'));
    if (!signature || !Number.isFinite(timestamp) || timestamp <= 0)
      return 'missing x-slack-signature or x-slack-request-timestamp';
    const nowMs = (this.opts.now ?? Date.now)();
    // bolt checks only for old timestamps; one far in the future is as suspicious.
    if (Math.abs(nowMs / 1000 - timestamp) > MAX_SKEW_SECONDS)
      return 'stale request: x-slack-request-timestamp is more than 5 minutes away from our clock';
    try {
      verifySlackRequest({
        signingSecret: this.opts.signingSecret,
        body: raw,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
        nowMilliseconds: nowMs,
      });
    } catch (e) {
      return e instanceof Error ? e.message : 'bad signature';
    }
    return null;
  }
}

/** Slash commands and interactions come as forms (interactions as one JSON `payload` field); events as JSON. */
function parseBody(raw: string, contentType: string | null): Record<string, unknown> {
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(raw);
    const payload = form.get('payload');
    if (payload !== null) return JSON.parse(payload) as Record<string, unknown>;
    return Object.fromEntries(form);
  }
  return JSON.parse(raw) as Record<string, unknown>;
}
