import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../src/core/policy.ts';
import { MODEL_VERSION, scoreClient } from '../src/core/score.ts';
import type { ClientFacts } from '../src/core/types.ts';
import type { Database } from '../src/db/open.ts';
import * as t from '../src/db/schema.ts';
import { listAudit, verifyAudit } from '../src/services/audit.ts';
import type { ServiceContext } from '../src/services/context.ts';
import { getClientScore, scorePortfolio } from '../src/services/scoring.ts';
import { asUser, testContext } from './support/context.ts';
import { DRIVERS, freshDatabase } from './support/databases.ts';
import { clientFacts, clientInfo, monthlyPayer } from './support/score-facts.ts';
import { seedFacts } from './support/seed-facts.ts';

const AS_OF = '2026-06-30';

function portfolio(): ClientFacts[] {
  const dupont = monthlyPayer(AS_OF, 24, [-5, 0, -2], {
    client: { ref: 'C001', name: 'Dupont BTP', sector: 'construction' },
  });
  const lefevre = monthlyPayer(AS_OF, 24, [45, 60, 90, 75], {
    client: { ref: 'C002', name: 'Transports Lefèvre' },
  });
  for (const f of [lefevre]) {
    for (const i of f.invoices) i.clientRef = 'C002';
    f.invoices.forEach((i) => {
      i.ref = `L-${i.ref}`;
    });
    for (const p of f.payments) {
      p.invoiceRef = `L-${p.invoiceRef}`;
      p.ref = `L-${p.ref}`;
    }
  }
  const fresh = clientFacts({ client: clientInfo({ ref: 'C003', name: 'Dupont Frères' }) });
  return [dupont, lefevre, fresh];
}

describe.each(DRIVERS)('scoring service on %s', (driver) => {
  let database: Database;
  let ctx: ServiceContext;
  const facts = portfolio();
  beforeEach(async () => {
    database = await freshDatabase(driver);
    ctx = testContext(database);
    await seedFacts(database.db, facts);
  });
  afterEach(() => database.close());

  it('scores the portfolio as the core does and stores one snapshot per client', async () => {
    const results = await scorePortfolio(ctx, { asOf: AS_OF, actor: asUser('alice') });
    expect(results.map((r) => r.client)).toEqual(['C001', 'C002', 'C003']);
    for (const [i, r] of results.entries()) {
      const { inputHash, policyVersion, ...core } = r;
      expect(core).toEqual(scoreClient(facts[i]!, AS_OF, DEFAULT_POLICY));
      expect(inputHash).toMatch(/^[0-9a-f]{64}$/);
      expect(policyVersion).toBe(ctx.policy.version);
    }
    // Dupont pays early but is in construction (-4): B
    expect(results.map((r) => r.grade)).toEqual(['B', 'E', 'C']);

    const snaps = await database.db
      .select({ snap: t.scoreSnapshots, ref: t.clients.ref })
      .from(t.scoreSnapshots)
      .innerJoin(t.clients, eq(t.clients.id, t.scoreSnapshots.clientId));
    expect(snaps).toHaveLength(3);
    const dupont = snaps.find((s) => s.ref === 'C001')!.snap;
    expect(dupont).toMatchObject({
      asOf: AS_OF,
      score: results[0]!.score,
      grade: 'B',
      band: 'low',
      modelVersion: MODEL_VERSION,
      policyVersion: ctx.policy.version,
      inputHash: results[0]!.inputHash,
    });
    expect(dupont.factors).toEqual(results[0]!.factors);
    expect(dupont.pLate).toBeCloseTo(results[0]!.pLate, 6);

    const audit = await listAudit(database.db, { action: 'score.computed' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: 'alice',
      channel: 'cli',
      subject: null,
      data: {
        count: 3,
        stored: 3,
        asOf: AS_OF,
        modelVersion: MODEL_VERSION,
        policyVersion: ctx.policy.version,
      },
    });
    expect((await verifyAudit(database.db)).ok).toBe(true);
  });

  it('re-scoring the same inputs stores nothing new; a new fact stores one new snapshot', async () => {
    await scorePortfolio(ctx, { asOf: AS_OF, actor: asUser('alice') });
    const again = await scorePortfolio(ctx, { asOf: AS_OF, actor: asUser('alice') });
    expect(again).toHaveLength(3);
    expect(await database.db.select().from(t.scoreSnapshots)).toHaveLength(3);
    expect(await listAudit(database.db, { action: 'score.computed' })).toHaveLength(1);

    // Dupont places an order: its inputs change, the others' do not.
    const [dupont] = await database.db.select().from(t.clients).where(eq(t.clients.ref, 'C001'));
    await database.db
      .insert(t.orders)
      .values({ ref: 'O-NEW', clientId: dupont!.id, date: '2026-06-29', amount: 100_000, status: 'open' });
    await scorePortfolio(ctx, { asOf: AS_OF, actor: asUser('bob') });
    expect(await database.db.select().from(t.scoreSnapshots)).toHaveLength(4);
    const audit = await listAudit(database.db, { action: 'score.computed' });
    expect(audit[0]).toMatchObject({ actor: 'bob', data: { count: 3, stored: 1 } });
  });

  it('scores one client found by name, accents and case ignored', async () => {
    const [one] = await scorePortfolio(ctx, {
      asOf: AS_OF,
      clientRef: 'transports LEFEVRE',
      actor: asUser('alice'),
    });
    expect(one!.client).toBe('C002');
    const audit = await listAudit(database.db, { action: 'score.computed' });
    expect(audit[0]).toMatchObject({ subject: 'C002', data: { count: 1, stored: 1 } });
    await expect(
      scorePortfolio(ctx, { asOf: AS_OF, clientRef: 'dupont', actor: asUser('alice') }),
    ).rejects.toMatchObject({
      code: 'AMBIGUOUS',
      details: { candidates: [{ ref: 'C001' }, { ref: 'C003' }] },
    });
  });

  it('reads one client score without storing it, and rejects a bad date', async () => {
    const s = await getClientScore(ctx, 'C003', AS_OF);
    expect(s).toMatchObject({ client: 'C003', score: 50, grade: 'C', confidence: 0, noHistory: true });
    expect(await database.db.select().from(t.scoreSnapshots)).toHaveLength(0);
    await expect(getClientScore(ctx, 'C003', '2026-02-30')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      // The service names its domain field; the CLI turns it into --as-of, MCP keeps the argument name.
      message: 'asOf: expected a calendar date YYYY-MM-DD, got "2026-02-30"',
      details: { field: 'asOf' },
    });
  });
});
