import { loadConfig } from '../../src/config.ts';
import type { Role } from '../../src/core/policy.ts';
import type { Database } from '../../src/db/open.ts';
import type { Mailer } from '../../src/mail/mailer.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import type { Caller, Channel } from '../../src/services/callers.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { type LoadedPolicy, loadPolicy } from '../../src/services/policy.ts';

/** A service context on a test database with a fixed clock and an empty environment. */
export function testContext(
  database: Database,
  opts: { now?: string; policy?: LoadedPolicy; env?: Record<string, string> } = {},
): ServiceContext {
  const now = new Date(opts.now ?? '2026-11-23T09:00:00Z');
  return {
    db: database.db,
    database,
    config: loadConfig(opts.env ?? {}),
    policy: opts.policy ?? loadPolicy(),
    now: () => now,
  };
}

/** The runtime an entry point gets, on a test context's database, clock and policy (and a given mailer). */
export const testRuntime = (services: ServiceContext, mailer?: Mailer): Promise<Runtime> =>
  createRuntime(services.config, {
    database: services.database,
    policy: services.policy,
    now: services.now,
    ...(mailer ? { mailer } : {}),
  });

/** A verified caller, as a token of that user would give (services take callers, not names). */
export const asUser = (user: string, role: Role = 'admin', channel: Channel = 'cli'): Caller => ({
  user,
  role,
  channel,
  verified: true,
});

/** The admin that sets tests up (adds users, resets data). */
export const TEST_ADMIN: Caller = asUser('test', 'admin');
