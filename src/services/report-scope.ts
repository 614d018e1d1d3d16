import type { ClientFacts } from '../core/types.ts';
import { findClient } from './clients.ts';
import { resolveAsOf, type ServiceContext } from './context.ts';
import { loadFacts } from './facts.ts';

/** Which clients a receivables report covers: the portfolio, or one client found by ref or name. */
export interface ReportScope {
  client: { ref: string; name: string } | null;
}

/** What a caller asks a receivables report for: an as-of date and, optionally, one client. */
export interface ReportQuery {
  asOf?: string;
  client?: string;
}

/** A report tagged with the clients it covers and the policy version it was computed under. */
export type ScopedReport<R> = R & ReportScope & { policyVersion: string };

/** Loads the facts for the portfolio, or for one client (NOT_FOUND / AMBIGUOUS when the query fails). */
export async function loadScopeFacts(
  ctx: ServiceContext,
  client: string | undefined,
): Promise<{ facts: ClientFacts[]; scope: ReportScope; clientId: number | null }> {
  if (client === undefined)
    return { facts: await loadFacts(ctx.db), scope: { client: null }, clientId: null };
  const row = await findClient(ctx.db, client);
  return {
    facts: await loadFacts(ctx.db, [row.id]),
    scope: { client: { ref: row.ref, name: row.name } },
    clientId: row.id,
  };
}

/**
 * Runs a portfolio-or-one-client report: validates the as-of date, loads the facts of the scope,
 * computes, and tags the result with its scope and the policy version.
 */
export async function scopedReport<R extends object>(
  ctx: ServiceContext,
  query: ReportQuery,
  compute: (input: {
    facts: ClientFacts[];
    asOf: string;
    scope: ReportScope;
    clientId: number | null;
  }) => R | Promise<R>,
): Promise<ScopedReport<R>> {
  const asOf = resolveAsOf(ctx, query.asOf);
  const loaded = await loadScopeFacts(ctx, query.client);
  const report = await compute({ ...loaded, asOf });
  return { ...report, ...loaded.scope, policyVersion: ctx.policy.version };
}
