import { inArray } from 'drizzle-orm';
import { canonicalJson } from '../core/canonical.ts';
import { factsAsOf } from '../core/ledger.ts';
import { MODEL_VERSION, type ScoreResult, scoreClient } from '../core/score.ts';
import type { ClientFacts } from '../core/types.ts';
import { clients, scoreSnapshots } from '../db/schema.ts';
import { appendAudit } from './audit.ts';
import type { Actor } from './callers.ts';
import { findClient } from './clients.ts';
import { resolveAsOf, type ServiceContext } from './context.ts';
import { loadFacts } from './facts.ts';
import { hashValue } from './hash.ts';

export interface ScoredClient extends ScoreResult {
  /** Hash of the as-of date, the facts known on it and the policy version: same hash, same score. */
  inputHash: string;
  policyVersion: string;
}

export interface ScorePortfolioOptions {
  /** YYYY-MM-DD; defaults to ENCOURS_AS_OF or today. */
  asOf?: string;
  /** Score one client (ref or name) instead of the whole portfolio. */
  clientRef?: string;
  actor: Actor;
}

/**
 * Scores every client (or one) as of a date and stores one snapshot per client with its input hash.
 * Re-scoring the same facts under the same policy and model stores nothing new (the snapshot's
 * unique index), so the run is idempotent; a run that stores snapshots writes one `score.computed`
 * audit entry, in the same transaction.
 */
export async function scorePortfolio(
  ctx: ServiceContext,
  opts: ScorePortfolioOptions,
): Promise<ScoredClient[]> {
  const asOf = resolveAsOf(ctx, opts.asOf);
  const only = opts.clientRef === undefined ? undefined : [(await findClient(ctx.db, opts.clientRef)).id];
  const facts = await loadFacts(ctx.db, only, { scope: 'scoring' });
  const idRows = await (only
    ? ctx.db.select({ id: clients.id, ref: clients.ref }).from(clients).where(inArray(clients.id, only))
    : ctx.db.select({ id: clients.id, ref: clients.ref }).from(clients));
  const idByRef = new Map(idRows.map((r) => [r.ref, r.id]));
  const scored = facts.map((f) => scoreWithHash(f, asOf, ctx));

  await ctx.db.transaction(async (tx) => {
    let stored = 0;
    const rows = scored.map((s) => ({
      clientId: idByRef.get(s.client)!,
      asOf,
      score: s.score,
      grade: s.grade,
      band: s.band,
      confidence: s.confidence,
      pLate: s.pLate,
      factors: s.factors,
      modelVersion: s.modelVersion,
      policyVersion: s.policyVersion,
      inputHash: s.inputHash,
    }));
    for (let i = 0; i < rows.length; i += 500) {
      const inserted = await tx
        .insert(scoreSnapshots)
        .values(rows.slice(i, i + 500))
        .onConflictDoNothing()
        .returning({ id: scoreSnapshots.id });
      stored += inserted.length;
    }
    if (stored > 0)
      await appendAudit(tx, ctx.now(), {
        actor: opts.actor,
        action: 'score.computed',
        subject: opts.clientRef === undefined ? null : (scored[0]?.client ?? null),
        data: {
          count: scored.length,
          stored,
          asOf,
          modelVersion: MODEL_VERSION,
          policyVersion: ctx.policy.version,
        },
      });
  });
  return scored;
}

/** One client's score as of a date (ref or name), computed without storing a snapshot. */
export async function getClientScore(
  ctx: ServiceContext,
  clientQuery: string,
  asOf?: string,
): Promise<ScoredClient> {
  const date = resolveAsOf(ctx, asOf);
  const client = await findClient(ctx.db, clientQuery);
  const [facts] = await loadFacts(ctx.db, [client.id]);
  return scoreWithHash(facts!, date, ctx);
}

function scoreWithHash(facts: ClientFacts, asOf: string, ctx: ServiceContext): ScoredClient {
  return {
    ...scoreClient(facts, asOf, ctx.policy.policy),
    inputHash: hashValue({
      asOf,
      facts: scoringInputs(factsAsOf(facts, asOf)),
      policyVersion: ctx.policy.version,
    }),
    policyVersion: ctx.policy.version,
  };
}

/**
 * What a score depends on: the as-of facts without invoice descriptions, dispute events and sent
 * reminders, which no factor reads (so fixing a description does not make a new snapshot), in a
 * canonical order (loaders may return same-day payments, disputes, promises, orders in any order).
 */
function scoringInputs(facts: ClientFacts): unknown {
  const byKey = <T>(items: readonly T[], key: (x: T) => string): T[] =>
    items
      .map((x) => [key(x), x] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, x]) => x);
  return {
    client: facts.client,
    invoices: facts.invoices.map(({ description: _d, ...rest }) => rest),
    payments: byKey(facts.payments, (p) => `${p.date}|${p.ref}|${p.invoiceRef}`),
    disputes: byKey(
      facts.disputes.map(({ events: _e, ...rest }) => rest),
      (d) => `${d.invoiceRef}|${d.openedDate}`,
    ),
    promises: byKey(facts.promises, (p) => canonicalJson(p)),
    orders: byKey(facts.orders, (o) => o.ref),
  };
}
