import type Anthropic from '@anthropic-ai/sdk';
import type { Config } from './config.ts';
import type { Database } from './db/open.ts';
import { type Mailer, mailerFor } from './mail/mailer.ts';
import type { Caller } from './services/callers.ts';
import type { ServiceContext } from './services/context.ts';
import { type LoadedPolicy, loadPolicy } from './services/policy.ts';
import type { ReminderWriter } from './services/reminders.ts';

/**
 * Everything one process needs, built once by `createRuntime` and handed to every entry point (CLI
 * commands, the stdio MCP server, `serve` with its pages, API, MCP and Slack routes, Socket Mode).
 * The heavy parts (database drivers, the model SDK, nodemailer) load inside it, on use, so importing
 * this module costs a command nothing.
 */
export interface Runtime {
  services: ServiceContext;
  /** Where approved reminders go: SMTP (SMTP_URL) or .eml files in the outbox directory. */
  mailer: Mailer;
  /** The Claude client, built once on first use; null without ANTHROPIC_API_KEY. */
  model(): Promise<Anthropic | null>;
  /** Who writes reminder drafts for this caller: Claude with a key, else the templates. */
  reminderWriter(caller: Caller): Promise<ReminderWriter>;
  /** Closes what the runtime opened (not a database or mailer it was given). */
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** postgres:// URL or embedded directory; default DATABASE_URL, else ENCOURS_DATA_DIR. */
  target?: string;
  /** An open database to use instead (tests); it stays open when the runtime closes. */
  database?: Database;
  policy?: LoadedPolicy;
  mailer?: Mailer;
  now?: () => Date;
}

/** Where the data lives: the target given, else DATABASE_URL, else ENCOURS_DATA_DIR (default .encours/). */
export const resolveTarget = (config: Config, target?: string): string =>
  target ?? config.DATABASE_URL ?? config.ENCOURS_DATA_DIR;

const isUrl = (target: string) => /^postgres(ql)?:\/\//.test(target);

export async function createRuntime(config: Config, opts: RuntimeOptions = {}): Promise<Runtime> {
  const policy = opts.policy ?? loadPolicy(config.ENCOURS_POLICY);
  const target = resolveTarget(config, opts.target);
  let database = opts.database;
  if (!database) {
    // Loaded here, not at start-up: commands that never open the database do not load its drivers.
    const { openDatabase } = await import('./db/open.ts');
    database = await openDatabase(target, { idleSeconds: config.ENCOURS_DB_IDLE_SECONDS });
  }
  const services: ServiceContext = {
    db: database.db,
    database,
    config,
    policy,
    now: opts.now ?? (() => new Date()),
  };
  // The outbox sits beside embedded data; with PostgreSQL, in the default data directory.
  const mailer =
    opts.mailer ??
    mailerFor(config, isUrl(target) || target === ':memory:' ? config.ENCOURS_DATA_DIR : target);
  let model: Promise<Anthropic | null> | undefined;
  const runtime: Runtime = {
    services,
    mailer,
    model: () => {
      model ??= config.ANTHROPIC_API_KEY
        ? import('./agent/loop.ts').then((m) => m.createAnthropicClient(services))
        : Promise.resolve(null);
      return model;
    },
    reminderWriter: async (caller) => {
      const anthropic = await runtime.model();
      if (!anthropic) return (await import('./services/reminders.ts')).templateWriter;
      const [{ createAgent }, { createClaudeWriter }] = await Promise.all([
        import('./agent/loop.ts'),
        import('./agent/reminder-writer.ts'),
      ]);
      return createClaudeWriter(createAgent({ services, caller, anthropic }));
    },
    close: async () => {
      if (!opts.mailer) mailer.close();
      if (!opts.database) await database.close();
    },
  };
  return runtime;
}
