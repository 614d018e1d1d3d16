import { z } from 'zod';
import { AppError } from './errors.ts';

/** The only module that reads `process.env`. Everything else receives a `Config`. */
const envSchema = z
  .object({
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    ENCOURS_DATA_DIR: z.string().min(1).default('.encours'),
    ENCOURS_DB_IDLE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
    ENCOURS_POLICY: z.string().min(1).optional(),
    ENCOURS_AS_OF: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
      .optional(),
    /** The access token of the user a CLI command or the stdio MCP server acts as (`encours users add` prints it). */
    ENCOURS_TOKEN: z
      .string()
      .regex(/^enc_[A-Za-z0-9_-]{20,}$/, 'must be a token printed by `encours users add` (enc_...)')
      .optional(),
    ANTHROPIC_API_KEY: z.string().min(1).optional(),
    ANTHROPIC_BASE_URL: z.url().optional(),
    ENCOURS_MODEL: z.string().min(1).default('claude-sonnet-4-6'),
    ENCOURS_AGENT_MAX_STEPS: z.coerce.number().int().min(1).max(50).default(8),
    /** Seconds one Messages API request may take, and how many times a failed one is retried. */
    ENCOURS_MODEL_TIMEOUT: z.coerce.number().min(1).max(600).default(30),
    ENCOURS_MODEL_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    ENCOURS_ALLOWED_ORIGINS: z.string().optional(),
    ENCOURS_PUBLIC_URL: z.url().optional(),
    SLACK_BOT_TOKEN: z
      .string()
      .regex(/^xoxb-/, 'must be a bot token starting with xoxb-')
      .optional(),
    SLACK_SIGNING_SECRET: z.string().min(8, 'must be the signing secret from the app settings').optional(),
    SLACK_APP_TOKEN: z
      .string()
      .regex(/^xapp-/, 'must be an app-level token starting with xapp- (Socket Mode)')
      .optional(),
    SLACK_API_URL: z.url().optional(),
    ENCOURS_SLACK_FINANCE_CHANNEL: z
      .string()
      .regex(/^[CGD][A-Z0-9]+$/, 'must be a channel id like C0123ABCD (channel details, bottom)')
      .optional(),
    /** Language of the CLI, MCP and tool texts when the caller does not say (`--lang`, the question). */
    ENCOURS_LANG: z.enum(['fr', 'en']).default('fr'),
    ENCOURS_SLACK_LANG: z.enum(['fr', 'en']).default('fr'),
    ENCOURS_SLACK_DIGEST_TIME: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM (24 h)')
      .default('08:30'),
    ENCOURS_SLACK_DIGEST_TZ: z
      .string()
      .refine(validTimeZone, 'must be an IANA time zone like Europe/Paris')
      .default('Europe/Paris'),
    /** smtp://user:pass@host:587 or smtps://...; without it approved mail goes to the outbox directory. */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
      .optional(),
    /** Sender of reminders, e.g. "Acme Compta <compta@acme.fr>". */
    ENCOURS_MAIL_FROM: z.string().min(3).optional(),
    ENCOURS_MAIL_REPLY_TO: z.string().min(3).optional(),
    /** Where .eml files go without SMTP_URL (default: outbox/ in the data directory). */
    ENCOURS_OUTBOX_DIR: z.string().min(1).optional(),
    /** How often `serve` looks for approved reminders due to go out (seconds). */
    ENCOURS_SEND_INTERVAL: z.coerce.number().int().min(1).max(3600).default(30),
    /** Requests per minute per user on /api, and login attempts per minute per address. */
    ENCOURS_API_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
    ENCOURS_LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
    /** Web sessions expire after this many hours. */
    ENCOURS_SESSION_HOURS: z.coerce.number().int().min(1).max(720).default(12),
  })
  .superRefine((env, ctx) => {
    if (env.SMTP_URL && !env.ENCOURS_MAIL_FROM)
      ctx.addIssue({
        code: 'custom',
        path: ['ENCOURS_MAIL_FROM'],
        message: 'required with SMTP_URL: the sender your clients see, e.g. "Acme Compta <compta@acme.fr>"',
      });
  });

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export type Config = z.infer<typeof envSchema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings are treated as unset: `FOO= encours ...` should not fail validation.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new AppError(
      'INVALID_CONFIG',
      `invalid environment:\n${lines.join('\n')}`,
      parsed.error.issues,
      'fix or unset the variables above (see README, "Configuration")',
    );
  }
  return parsed.data;
}
