import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type Policy } from '../src/core/policy.ts';
import { scoreClient } from '../src/core/score.ts';
import { approverRoleFor, decideTerms, legalCheck, mayDecide } from '../src/core/terms.ts';
import type { ClientFacts } from '../src/core/types.ts';
import { reasonText } from '../src/wording/terms.ts';
import { clientFacts, dispute, monthlyPayer, promise } from './support/score-facts.ts';

const P = DEFAULT_POLICY;
const AS_OF = '2026-06-30';

/** Two years of invoices of 1,000.00, paid 5 days early, on time, 2 days early (grade A). */
const reliable = (client: Parameters<typeof monthlyPayer>[3] = {}) =>
  monthlyPayer(AS_OF, 24, [-5, 0, -2], client);
const gradeOf = (f: ClientFacts, policy: Policy = P) => scoreClient(f, AS_OF, policy).grade;

describe('legal cap (France: 60 days from invoice, 45 days end of month)', () => {
  it('declines 90 days as unlawful even for a grade A client', () => {
    const facts = reliable();
    expect(gradeOf(facts)).toBe('A');
    const d = decideTerms(facts, { days: 90, amount: 100_000 }, AS_OF, P);
    expect(d.decision).toBe('decline');
    expect(d.rule).toBe('legal-cap');
    expect(d.reasons).toHaveLength(1);
    expect(reasonText(d.reasons[0]!, 'en')).toBe(
      "90 days from the invoice date exceeds the legal maximum of 60 days from the invoice date (Code de commerce, article L441-10): the request is unlawful and is declined whatever the client's score; at most 60 days from the invoice date can be offered",
    );
    expect(d.legal).toMatchObject({ lawful: false, maxDays: 60, endOfMonth: false });
    expect(reasonText(d.reasons[0]!, 'fr')).toBe(
      '90 jours date de facture dépasse le maximum légal de 60 jours date de facture (Code de commerce, article L441-10) : la demande est illégale et refusée quel que soit le score du client ; au plus 60 jours date de facture peuvent être proposés',
    );
    expect(d.conditions).toEqual({
      depositPercent: 0,
      depositAmount: 0,
      maxDays: 60,
      prepayment: false,
      guarantee: false,
    });
    expect(d.grade).toBe('A');
  });

  it('applies the 45-day cap to end-of-month terms', () => {
    expect(legalCheck(60, false, P).lawful).toBe(true);
    expect(legalCheck(61, false, P).lawful).toBe(false);
    expect(legalCheck(45, true, P).lawful).toBe(true);
    expect(legalCheck(46, true, P)).toMatchObject({ lawful: false, maxDays: 45 });
    const d = decideTerms(reliable(), { days: 50, amount: 0, endOfMonth: true }, AS_OF, P);
    expect(d).toMatchObject({ decision: 'decline', rule: 'legal-cap' });
    expect(reasonText(d.reasons[0]!, 'en')).toMatch(
      /^50 days end of month exceeds the legal maximum of 45 days end of month/,
    );
  });
});

describe('decision rules of the default policy, first match wins', () => {
  it('reliable: a grade A client within its limit is approved as asked', () => {
    const d = decideTerms(reliable(), { days: 45, amount: 40_000 }, AS_OF, P);
    expect(d.grade).toBe('A');
    expect(d.decision).toBe('approve');
    expect(d.rule).toBe('reliable');
    expect(d.conditions).toEqual({
      depositPercent: 0,
      depositAmount: 0,
      maxDays: 45,
      prepayment: false,
      guarantee: false,
    });
    // The last invoice (1,000.00, due 2026-07-20) is still open: exposure 1,000 + 400 requested.
    expect(d.exposureBefore).toBe(100_000);
    expect(d.exposureAfter).toBe(140_000);
    // One 1,000.00 invoice open at each month end: 1,000 x 1.25 x 1.2 (grade A) = 1,500
    expect(d.limit).toBe(150_000);
    expect(d.limitSource).toBe('recommended');
    // 1,500 requested would take exposure to 2,500: over the recommended limit
    expect(decideTerms(reliable(), { days: 45, amount: 150_000 }, AS_OF, P).rule).toBe('over-limit');
    // Sales may not approve under the default policy: finance is the least role that may.
    expect(d.approverRole).toBe('finance');
    expect(reasonText(d.reasons[0]!, 'en')).toMatch(
      /^reliable client within policy and limit \(grade A, exposure after/,
    );
  });

  it('over-limit: a request that takes exposure over the client limit needs approval', () => {
    const facts = reliable({ client: { creditLimit: 1_000_000 } });
    // exposure 1,000 + 9,500 = 10,500 > 10,000
    const d = decideTerms(facts, { days: 30, amount: 950_000 }, AS_OF, P);
    expect(d).toMatchObject({
      decision: 'needs_approval',
      rule: 'over-limit',
      exposureBefore: 100_000,
      exposureAfter: 1_050_000,
      limit: 1_000_000,
      limitSource: 'client',
      approverRole: 'finance',
    });
    expect(reasonText(d.reasons[0]!, 'en')).toContain(
      'exposure after the request EUR 10,500.00 against a limit of EUR 10,000.00 (set for the client)',
    );
    // exactly at the limit is not over it
    expect(decideTerms(facts, { days: 30, amount: 900_000 }, AS_OF, P).decision).toBe('approve');
  });

  it('no-history: a new client gets a 30% deposit and standard terms', () => {
    const d = decideTerms(clientFacts(), { days: 45, amount: 200_000 }, AS_OF, P);
    expect(d.grade).toBe('C');
    expect(d).toMatchObject({
      decision: 'approve_with_conditions',
      rule: 'no-history',
      conditions: {
        depositPercent: 30,
        depositAmount: 60_000,
        maxDays: 30,
        prepayment: false,
        guarantee: false,
      },
      limit: 500_000,
      limitSource: 'recommended',
      approverRole: 'sales',
    });
    expect(reasonText(d.reasons[0]!, 'en')).toBe(
      'new client without payment history: partial deposit and standard terms until history builds (0 paid invoices on record)',
    );
  });

  it('a new client over the new-client limit needs approval and still owes the deposit', () => {
    const d = decideTerms(clientFacts(), { days: 30, amount: 800_000 }, AS_OF, P);
    expect(d.decision).toBe('needs_approval');
    expect(d.reasons.map((r) => r.rule)).toEqual(['over-limit', 'no-history-guard']);
    // 30% of 8,000.00
    expect(d.conditions).toMatchObject({ depositPercent: 30, depositAmount: 240_000 });
  });

  it('grade-e: a chronic late payer is declined, prepayment only', () => {
    const facts = monthlyPayer(AS_OF, 24, [45, 60, 90, 75]);
    const d = decideTerms(facts, { days: 30, amount: 100_000 }, AS_OF, P);
    expect(d.grade).toBe('E');
    expect(d).toMatchObject({ decision: 'decline', rule: 'grade-e' });
    expect(d.conditions).toMatchObject({ prepayment: true, maxDays: 0 });
  });

  it('grade-d: a weak record gets a deposit and short terms', () => {
    const facts = monthlyPayer(AS_OF, 24, [5, 15, 20, 25, 10], { client: { creditLimit: 5_000_000 } });
    const d = decideTerms(facts, { days: 45, amount: 100_000 }, AS_OF, P);
    expect(d.grade).toBe('D');
    expect(d).toMatchObject({
      decision: 'approve_with_conditions',
      rule: 'grade-d',
      conditions: { depositPercent: 30, depositAmount: 30_000, maxDays: 30 },
    });
  });

  it('open-dispute-long-terms: an open dispute makes terms above 30 days need approval', () => {
    const facts = reliable();
    facts.disputes.push(dispute('INV-020', '2026-04-01'));
    expect(['A', 'B', 'C']).toContain(gradeOf(facts));
    expect(decideTerms(facts, { days: 45, amount: 0 }, AS_OF, P)).toMatchObject({
      decision: 'needs_approval',
      rule: 'open-dispute-long-terms',
    });
    // 30 days is not above 30: the rule does not apply
    expect(decideTerms(facts, { days: 30, amount: 0 }, AS_OF, P).rule).toBe('reliable');
  });

  it('chronic-late: more than half of recent invoices late shortens the terms', () => {
    // pays 1-2 days late three times out of four: grade B or C, 75% late
    const facts = monthlyPayer(AS_OF, 24, [1, 2, 1, 0]);
    expect(['A', 'B', 'C']).toContain(gradeOf(facts));
    const d = decideTerms(facts, { days: 45, amount: 0 }, AS_OF, P);
    expect(d).toMatchObject({
      decision: 'approve_with_conditions',
      rule: 'chronic-late',
      conditions: { maxDays: 30 },
    });
    expect(d.inputs.lateShare).toBeGreaterThan(0.5);
    expect(reasonText(d.reasons[0]!, 'en')).toMatch(/% of invoices due in the last 12 months paid late\)$/);
  });

  it('long-terms-grade-c: terms above 30 days for a grade C client need approval', () => {
    // half the invoices a little late, and a weak bureau score: grade C
    const facts = monthlyPayer(AS_OF, 24, [0, 0, 8, 12], { client: { externalScore: 20 } });
    expect(gradeOf(facts)).toBe('C');
    const d = decideTerms(facts, { days: 45, amount: 0 }, AS_OF, P);
    expect(d.inputs.lateShare).toBe(0.5);
    expect(d).toMatchObject({
      decision: 'needs_approval',
      rule: 'long-terms-grade-c',
      approverRole: 'finance',
    });
    expect(decideTerms(facts, { days: 30, amount: 0 }, AS_OF, P)).toMatchObject({
      decision: 'approve',
      rule: 'reliable',
    });
  });
});

describe('rule conditions outside the default table, and the guards', () => {
  const custom = (rules: Policy['decisionRules']): Policy => ({ ...P, decisionRules: rules });

  it('overdueDaysAbove and brokenPromisesAtLeast', () => {
    const policy = custom([
      {
        id: 'long-overdue',
        when: { overdueDaysAbove: 30 },
        decision: 'needs_approval',
        conditions: {},
        reason: 'x',
      },
      {
        id: 'promises',
        when: { brokenPromisesAtLeast: 2 },
        decision: 'approve_with_conditions',
        conditions: { guarantee: true },
        reason: 'y',
      },
      { id: 'ok', when: {}, decision: 'approve', conditions: {}, reason: 'z' },
    ]);
    // last invoice (due 2026-07-20) never paid; the one before (due 2026-06-20) unpaid: 10 days overdue
    const facts = monthlyPayer(AS_OF, 24, [0], { client: { creditLimit: 5_000_000 } });
    facts.payments = facts.payments.filter((p) => p.invoiceRef !== 'INV-023');
    expect(decideTerms(facts, { days: 30, amount: 0 }, AS_OF, policy).rule).toBe('ok');
    // 2 broken promises on the overdue invoice
    facts.promises.push(promise('INV-023', '2026-06-21', '2026-06-25', 100_000));
    facts.promises.push(promise('INV-023', '2026-06-26', '2026-06-28', 100_000));
    const d = decideTerms(facts, { days: 30, amount: 0 }, AS_OF, policy);
    expect(d).toMatchObject({
      rule: 'promises',
      decision: 'approve_with_conditions',
      conditions: { guarantee: true },
    });
    expect(reasonText(d.reasons[0]!, 'en')).toBe('y (2 broken promises in 12 months)');
    // 41 days later the invoice is 41 days overdue
    expect(decideTerms(facts, { days: 30, amount: 0 }, '2026-07-31', policy).rule).toBe('long-overdue');
  });

  it('never approves over the limit outright, whatever the rules say', () => {
    const policy = custom([{ id: 'all', when: {}, decision: 'approve', conditions: {}, reason: 'always' }]);
    const facts = reliable({ client: { creditLimit: 100_000 } });
    const d = decideTerms(facts, { days: 30, amount: 50_000 }, AS_OF, policy);
    expect(d.decision).toBe('needs_approval');
    expect(d.reasons.map((r) => r.rule)).toEqual(['all', 'over-limit-guard']);
  });

  it('always asks a deposit of a client without history', () => {
    const policy = custom([{ id: 'all', when: {}, decision: 'approve', conditions: {}, reason: 'always' }]);
    const d = decideTerms(clientFacts(), { days: 30, amount: 100_000 }, AS_OF, policy);
    expect(d.decision).toBe('approve_with_conditions');
    // no no-history rule in this policy: the built-in 30%
    expect(d.conditions).toMatchObject({ depositPercent: 30, depositAmount: 30_000 });
  });

  it('a policy without a catch-all leaves unmatched requests to a person', () => {
    const policy = custom([
      { id: 'only-e', when: { grades: ['E'] }, decision: 'decline', conditions: {}, reason: 'e' },
    ]);
    expect(decideTerms(reliable(), { days: 30, amount: 0 }, AS_OF, policy)).toMatchObject({
      decision: 'needs_approval',
      rule: 'no-rule',
    });
  });
});

describe('approval rights', () => {
  it('names the least role allowed at the exposure', () => {
    expect(approverRoleFor(P, 'decline', 2_000_000)).toBe('sales');
    expect(approverRoleFor(P, 'decline', 2_000_001)).toBe('finance');
    expect(approverRoleFor(P, 'approve_with_conditions', 100_000)).toBe('sales');
    expect(approverRoleFor(P, 'approve', 100_000)).toBe('finance');
    expect(approverRoleFor(P, 'needs_approval', 25_000_000)).toBe('finance');
    expect(approverRoleFor(P, 'needs_approval', 25_000_001)).toBe('admin');
    expect(mayDecide(P, 'sales', 'approve', 100)).toBe(false);
    expect(mayDecide(P, 'viewer', 'decline', 0)).toBe(false);
    expect(mayDecide(P, 'admin', 'approve', 10 ** 12)).toBe(true);
  });
});
