import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientFacts } from '../src/core/types.ts';
import type { Database } from '../src/db/open.ts';
import * as t from '../src/db/schema.ts';
import { listAudit, verifyAudit } from '../src/services/audit.ts';
import type { ServiceContext } from '../src/services/context.ts';
import {
  evaluateTermsRequest,
  getCreditLimit,
  getDecision,
  listDecisions,
  overrideDecision,
  requestTermsApproval,
} from '../src/services/terms.ts';
import { addUser } from '../src/services/users.ts';
import { testContext } from './support/context.ts';
import { DRIVERS, freshDatabase } from './support/databases.ts';
import { clientFacts, clientInfo, monthlyPayer } from './support/score-facts.ts';
import { seedFacts } from './support/seed-facts.ts';

const AS_OF = '2026-06-30';

function portfolio(): ClientFacts[] {
  // Grade A, credit limit 30,000.00; the last 1,000.00 invoice is still open (not due).
  const acme = monthlyPayer(AS_OF, 24, [-5, 0, -2], {
    client: { ref: 'C010', name: 'Acme Industrie', creditLimit: 3_000_000 },
  });
  const fresh = clientFacts({ client: clientInfo({ ref: 'C011', name: 'Boulangerie Martin' }) });
  return [acme, fresh];
}

describe.each(DRIVERS)('terms service on %s', (driver) => {
  let database: Database;
  let ctx: ServiceContext;
  beforeEach(async () => {
    database = await freshDatabase(driver);
    ctx = testContext(database, { now: '2026-06-30T10:00:00Z' });
    await seedFacts(database.db, portfolio());
    await addUser(ctx, { name: 'sam', role: 'sales' }, 'test');
    await addUser(ctx, { name: 'fiona', role: 'finance' }, 'test');
  });
  afterEach(() => database.close());

  it('records a recommendation and its audit entry', async () => {
    const d = await evaluateTermsRequest(ctx, {
      client: 'acme industrie',
      days: 45,
      amount: 2_500_000,
      asOf: AS_OF,
      actor: 'sam',
    });
    expect(d.id).toMatch(/^dec_[0-9a-f]{16}$/);
    // exposure 1,000 + 25,000 = 26,000 <= 30,000: grade A, approved; finance may approve
    expect(d).toMatchObject({
      status: 'recommended',
      decision: 'approve',
      rule: 'reliable',
      grade: 'A',
      exposureBefore: 100_000,
      exposureAfter: 2_600_000,
      limit: 3_000_000,
      limitSource: 'client',
      approverRole: 'finance',
      policyVersion: ctx.policy.version,
      requestedBy: 'sam',
      finalDecision: null,
    });
    const [row] = await database.db.select().from(t.decisions).where(eq(t.decisions.id, d.id));
    expect(row).toMatchObject({
      recommendation: 'approve',
      status: 'recommended',
      requestedDays: 45,
      amount: 2_500_000,
      exposureAfter: 2_600_000,
      creditLimit: 3_000_000,
      policyVersion: ctx.policy.version,
    });
    // The stored record reads back the same as the evaluation returned.
    const {
      inputs: _i,
      pLate: _p,
      confidence: _c,
      band: _b,
      limitBasis: _l,
      modelVersion: _m,
      ...record
    } = d;
    expect(await getDecision(ctx, d.id)).toEqual(record);
    const [audit] = await listAudit(database.db, { action: 'decision.recommended' });
    expect(audit).toMatchObject({
      actor: 'sam',
      subject: d.id,
      data: { client: 'C010', decision: 'approve', rule: 'reliable', exposureAfter: 2_600_000 },
    });
  });

  it('refuses an override beyond the user rights and accepts it from finance', async () => {
    // 35,000.00 more takes exposure to 36,000 > 30,000: needs approval
    const d = await evaluateTermsRequest(ctx, {
      client: 'C010',
      days: 30,
      amount: 3_500_000,
      asOf: AS_OF,
      actor: 'sam',
    });
    expect(d.decision).toBe('needs_approval');
    expect(d.rule).toBe('over-limit');

    await expect(
      overrideDecision(ctx, { decisionId: d.id, to: 'approve', by: 'sam', reason: 'good client' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message:
        'sam (sales) may not decide "approve" at an exposure of EUR 36,000.00: the policy requires the finance role',
    });
    // sales may decide with conditions only up to 20,000.00 of exposure
    await expect(
      overrideDecision(ctx, {
        decisionId: d.id,
        to: 'approve_with_conditions',
        by: 'sam',
        reason: 'deposit',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      overrideDecision(ctx, { decisionId: d.id, to: 'approve', by: 'nobody', reason: 'x' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      overrideDecision(ctx, { decisionId: d.id, to: 'approve', by: 'fiona', reason: '  ' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      overrideDecision(ctx, { decisionId: d.id, to: 'maybe', by: 'fiona', reason: 'x' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });

    const done = await overrideDecision(ctx, {
      decisionId: d.id,
      to: 'approve',
      by: 'fiona',
      reason: 'limit review scheduled; 20 years of clean payments',
    });
    expect(done).toMatchObject({
      status: 'decided',
      decision: 'needs_approval',
      finalDecision: 'approve',
      decidedBy: 'fiona',
      decidedAt: '2026-06-30T10:00:00.000Z',
      overrideReason: 'limit review scheduled; 20 years of clean payments',
    });
    const audit = await listAudit(database.db, { action: 'decision.override' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: 'fiona',
      subject: d.id,
      data: { from: 'needs_approval', to: 'approve', role: 'finance', exposureAfter: 3_600_000 },
    });

    // the same override again changes nothing; a different one conflicts
    await overrideDecision(ctx, { decisionId: d.id, to: 'approve', by: 'fiona', reason: 'again' });
    expect(await listAudit(database.db, { action: 'decision.override' })).toHaveLength(1);
    await expect(
      overrideDecision(ctx, { decisionId: d.id, to: 'decline', by: 'fiona', reason: 'changed my mind' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await verifyAudit(database.db)).ok).toBe(true);
  });

  it('never lets anyone grant unlawful terms', async () => {
    await addUser(ctx, { name: 'ada', role: 'admin' }, 'test');
    const d = await evaluateTermsRequest(ctx, { client: 'C010', days: 90, asOf: AS_OF, actor: 'sam' });
    expect(d).toMatchObject({
      decision: 'decline',
      rule: 'legal-cap',
      legal: { lawful: false, maxDays: 60 },
    });
    await expect(
      overrideDecision(ctx, { decisionId: d.id, to: 'approve', by: 'ada', reason: 'key account' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('legal maximum of 60 days'),
    });
    // confirming the refusal is fine
    const ok = await overrideDecision(ctx, {
      decisionId: d.id,
      to: 'decline',
      by: 'ada',
      reason: 'unlawful',
    });
    expect(ok.finalDecision).toBe('decline');
  });

  it('asks for approval, then lists pending decisions', async () => {
    const d = await evaluateTermsRequest(ctx, {
      client: 'Boulangerie Martin',
      days: 30,
      amount: 800_000,
      asOf: AS_OF,
      actor: 'sam',
    });
    // new client over the 5,000.00 new-client limit: needs approval, deposit still due
    expect(d).toMatchObject({
      decision: 'needs_approval',
      conditions: { depositPercent: 30, depositAmount: 240_000 },
    });
    const pending = await requestTermsApproval(ctx, d.id, 'sam', 'customer waiting');
    expect(pending.status).toBe('pending_approval');
    await requestTermsApproval(ctx, d.id, 'sam');
    const audit = await listAudit(database.db, { action: 'decision.approval_requested' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      subject: d.id,
      data: { note: 'customer waiting', approverRole: 'finance' },
    });
    expect((await listDecisions(ctx, { status: 'pending_approval' })).map((x) => x.id)).toEqual([d.id]);
    await expect(requestTermsApproval(ctx, 'dec_missing', 'sam')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('states the limit in use and the recommended one', async () => {
    const acme = await getCreditLimit(ctx, 'C010', AS_OF);
    // one 1,000.00 invoice open at each month end: 1,000 x 1.25 x 1.2 (A) = 1,500
    expect(acme).toMatchObject({
      client: { ref: 'C010', name: 'Acme Industrie' },
      limit: 3_000_000,
      limitSource: 'client',
      exposure: 100_000,
      available: 2_900_000,
      recommended: { recommended: 150_000, method: 'history' },
    });
    const fresh = await getCreditLimit(ctx, 'C011', AS_OF);
    expect(fresh).toMatchObject({
      limit: 500_000,
      limitSource: 'recommended',
      recommended: { method: 'new_client' },
    });
  });

  it('rejects bad requests with the flag named', async () => {
    await expect(evaluateTermsRequest(ctx, { client: 'C010', days: -1, actor: 'x' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^days:/),
    });
    await expect(
      evaluateTermsRequest(ctx, { client: 'nobody here', days: 30, actor: 'x' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await database.db.select().from(t.decisions)).toHaveLength(0);
  });
});
