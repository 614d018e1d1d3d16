import { loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/open.ts';
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
