import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Decision } from '../src/core/policy.ts';
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
  requestTermsApproval,
} from '../src/services/terms.ts';
import { decideTermsRequest } from '../src/services/terms-requests.ts';
import { addUser } from '../src/services/users.ts';
import { asUser, TEST_ADMIN, testContext } from './support/context.ts';
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
    await addUser(ctx, { name: 'sam', role: 'sales' }, TEST_ADMIN);
    await addUser(ctx, { name: 'fiona', role: 'finance' }, TEST_ADMIN);
  });
  afterEach(() => database.close());

  it('records a recommendation and its audit entry', async () => {
    const d = await evaluateTermsRequest(ctx, {
      client: 'acme industrie',
      days: 45,
      amount: 2_500_000,
      asOf: AS_OF,
      actor: asUser('sam'),
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
      channel: 'cli',
      subject: d.id,
      data: { client: 'C010', decision: 'approve', rule: 'reliable', exposureAfter: 2_600_000 },
    });
  });

  it('refuses an override beyond the user rights and accepts it from finance', async () => {
    // 35,000.00 more takes exposure to 36,000 > 30,000: needs approval (asked by rita, so sam and
    // fiona are not held back by the four-eyes rule)
    const d = await evaluateTermsRequest(ctx, {
      client: 'C010',
      days: 30,
      amount: 3_500_000,
      asOf: AS_OF,
      actor: asUser('rita', 'sales'),
    });
    expect(d.decision).toBe('needs_approval');
    expect(d.rule).toBe('over-limit');

    await expect(
      decideTermsRequest(ctx, {
        decisionId: d.id,
        verdict: { to: 'approve' },
        decider: asUser('sam', 'sales'),
        reason: 'good client',
      }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message:
        'sam (sales) may not decide "approve" at an exposure of EUR 36,000.00: the policy requires the finance role',
    });
    // sales may decide with conditions only up to 20,000.00 of exposure
    await expect(
      decideTermsRequest(ctx, {
        decisionId: d.id,
        verdict: { to: 'approve_with_conditions' },
        decider: asUser('sam', 'sales'),
        reason: 'deposit',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      decideTermsRequest(ctx, {
        decisionId: d.id,
        verdict: { to: 'approve' },
        decider: { user: 'nobody', role: 'viewer', channel: 'cli', verified: false },
        reason: 'x',
      }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(
      decideTermsRequest(ctx, {
        decisionId: d.id,
        verdict: { to: 'approve' },
        decider: asUser('fiona', 'finance'),
        reason: '  ',
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      decideTermsRequest(ctx, {
        decisionId: d.id,
        verdict: { to: 'maybe' as Decision },
        decider: asUser('fiona', 'finance'),
        reason: 'x',
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });

    const done = await decideTermsRequest(ctx, {
      decisionId: d.id,
      verdict: { to: 'approve' },
      decider: asUser('fiona', 'finance'),
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
    const audit = await listAudit(database.db, { action: 'terms_request.approved' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: 'fiona',
      channel: 'cli',
      subject: d.id,
      data: { recommendation: 'needs_approval', to: 'approve', role: 'finance', exposureAfter: 3_600_000 },
    });

    // the same override again changes nothing; a different one conflicts
    await decideTermsRequest(ctx, {
      decisionId: d.id,
      verdict: { to: 'approve' },
      decider: asUser('fiona', 'finance'),
      reason: 'again',
    });
    expect(await listAudit(database.db, { action: 'terms_request.approved' })).toHaveLength(1);
    await expect(
      decideTermsRequest(ctx, {
        decisionId: d.id,
        verdict: { to: 'decline' },
        decider: asUser('fiona', 'finance'),
        reason: 'changed my mind',
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await verifyAudit(database.db)).ok).toBe(true);
  });

  it('never lets anyone grant unlawful terms', async () => {
    await addUser(ctx, { name: 'ada', role: 'admin' }, TEST_ADMIN);
    const d = await evaluateTermsRequest(ctx, {
      client: 'C010',
      days: 90,
      asOf: AS_OF,
      actor: asUser('sam'),
    });
    expect(d).toMatchObject({
      decision: 'decline',
      rule: 'legal-cap',
      legal: { lawful: false, maxDays: 60 },
    });
    await expect(
      decideTermsRequest(ctx, {
        decisionId: d.id,
        verdict: { to: 'approve' },
        decider: asUser('ada', 'admin'),
        reason: 'key account',
      }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('legal maximum of 60 days'),
    });
    // confirming the refusal is fine
    const ok = await decideTermsRequest(ctx, {
      decisionId: d.id,
      verdict: { to: 'decline' },
      decider: asUser('ada', 'admin'),
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
      actor: asUser('sam'),
    });
    // new client over the 5,000.00 new-client limit: needs approval, deposit still due
    expect(d).toMatchObject({
      decision: 'needs_approval',
      conditions: { depositPercent: 30, depositAmount: 240_000 },
    });
    const pending = await requestTermsApproval(ctx, d.id, asUser('sam'), 'customer waiting');
    expect(pending.status).toBe('pending_approval');
    await requestTermsApproval(ctx, d.id, asUser('sam'));
    const audit = await listAudit(database.db, { action: 'decision.approval_requested' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      subject: d.id,
      data: { note: 'customer waiting', approverRole: 'finance' },
    });
    expect((await listDecisions(ctx, { status: 'pending_approval' })).map((x) => x.id)).toEqual([d.id]);
    await expect(requestTermsApproval(ctx, 'dec_missing', asUser('sam'))).rejects.toMatchObject({
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
    await expect(
      evaluateTermsRequest(ctx, { client: 'C010', days: -1, actor: asUser('x') }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^days:/),
    });
    await expect(
      evaluateTermsRequest(ctx, { client: 'nobody here', days: 30, actor: asUser('x') }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await database.db.select().from(t.decisions)).toHaveLength(0);
  });
});
