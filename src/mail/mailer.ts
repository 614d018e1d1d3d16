import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

/** One e-mail as encours sends it: plain text, the Message-ID fixed in advance (idempotency key). */
export interface OutgoingMail {
  /** `<...@domain>`, chosen when the reminder is approved and never changed. */
  messageId: string;
  from: string;
  replyTo: string | null;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  /** BCP 47 language of the text (Content-Language). */
  language: string;
}

export interface SentMail {
  messageId: string;
  accepted: string[];
  rejected: string[];
  /** The server's last reply ("250 OK ...") or where the outbox file was written. */
  response: string;
}

/** A sending failure; `transient` ones (server down, 4xx) are retried, the others fail the reminder. */
export class MailError extends Error {
  override readonly name = 'MailError';
  constructor(
    message: string,
    readonly transient: boolean,
    readonly responseCode?: number,
  ) {
    super(message);
  }
}

export interface Mailer {
  /** `smtp` (SMTP_URL) or `outbox` (.eml files in a directory). */
  readonly kind: 'smtp' | 'outbox';
  /** Where mail goes, for messages and pages (never a password). */
  readonly target: string;
  send(mail: OutgoingMail): Promise<SentMail>;
  close(): void;
}

const headersOf = (mail: OutgoingMail) => ({
  'Content-Language': mail.language,
  'Auto-Submitted': 'auto-generated',
});

const messageOptions = (mail: OutgoingMail) => ({
  messageId: mail.messageId,
  from: mail.from,
  ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
  to: mail.to,
  ...(mail.cc.length ? { cc: mail.cc } : {}),
  subject: mail.subject,
  text: mail.text,
  headers: headersOf(mail),
});

const addresses = (list: (string | { address: string })[] | undefined) =>
  (list ?? []).map((a) => (typeof a === 'string' ? a : a.address));

/** The URL without its password, for display. */
export const redactUrl = (url: string): string => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

/**
 * A nodemailer transport built on first use: building a mailer costs nothing, so every process's
 * runtime has one, and only a process that sends loads nodemailer.
 */
function lazyTransport<Info>(options: () => object) {
  let transport: Transporter<Info> | undefined;
  return {
    get: async (): Promise<Transporter<Info>> => {
      transport ??= (await import('nodemailer')).default.createTransport(options()) as Transporter<Info>;
      return transport;
    },
    close: () => transport?.close(),
  };
}

/** SMTP through nodemailer; `url` is smtp://user:pass@host:port or smtps://... */
export function smtpMailer(url: string, opts: { timeoutMs?: number } = {}): Mailer {
  const timeout = opts.timeoutMs ?? 20_000;
  const transport = lazyTransport<SMTPTransport.SentMessageInfo>(
    (): SMTPTransport.Options => ({
      url,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    }),
  );
  return {
    kind: 'smtp',
    target: redactUrl(url),
    async send(mail) {
      try {
        const info = await (await transport.get()).sendMail(messageOptions(mail));
        const rejected = addresses(info.rejected as never);
        if (rejected.length && !addresses(info.accepted as never).length)
          throw new MailError(`every recipient was refused: ${rejected.join(', ')}`, false);
        return {
          messageId: mail.messageId,
          accepted: addresses(info.accepted as never),
          rejected,
          response: info.response,
        };
      } catch (e) {
        throw classify(e);
      }
    },
    close: () => transport.close(),
  };
}

/**
 * Nodemailer's error as a MailError: connection problems and 4xx replies are worth retrying, a 5xx
 * reply (unknown mailbox, refused content) is not.
 */
export function classify(e: unknown): MailError {
  if (e instanceof MailError) return e;
  const err = e as { message?: string; code?: string; responseCode?: number; response?: string };
  const code = err.responseCode;
  const text = err.response ?? err.message ?? String(e);
  if (code !== undefined && code >= 500)
    return new MailError(`SMTP refused the message: ${text}`, false, code);
  return new MailError(`SMTP unavailable: ${text}${err.code ? ` (${err.code})` : ''}`, true, code);
}

/**
 * Without SMTP_URL: each message is written to `dir` as an RFC 5322 `.eml` file, named after the
 * Message-ID, so the same message is never written twice. Written to a temporary name and renamed.
 */
export function outboxMailer(dir: string): Mailer {
  const transport = lazyTransport<{ message: Buffer }>(() => ({
    streamTransport: true,
    buffer: true,
    newline: 'unix',
  }));
  return {
    kind: 'outbox',
    target: dir,
    async send(mail) {
      mkdirSync(dir, { recursive: true });
      const name = `${mail.messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._-]/g, '_')}.eml`;
      const file = join(dir, name);
      if (!existsSync(file)) {
        const info = await (await transport.get()).sendMail(messageOptions(mail));
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, info.message);
        renameSync(tmp, file);
      }
      return {
        messageId: mail.messageId,
        accepted: [...mail.to, ...mail.cc],
        rejected: [],
        response: `written to ${file}`,
      };
    },
    close: () => transport.close(),
  };
}

/** SMTP when SMTP_URL is set, else the outbox directory (ENCOURS_OUTBOX_DIR, or outbox/ beside the data). */
export function mailerFor(
  config: { SMTP_URL?: string | undefined; ENCOURS_OUTBOX_DIR?: string | undefined },
  dataDir: string,
): Mailer {
  if (config.SMTP_URL) return smtpMailer(config.SMTP_URL);
  return outboxMailer(config.ENCOURS_OUTBOX_DIR ?? join(dataDir, 'outbox'));
}
