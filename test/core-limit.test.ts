import { describe, expect, it } from 'vitest';
import { creditLimitFor, recommendLimit } from '../src/core/limit.ts';
import { DEFAULT_POLICY } from '../src/core/policy.ts';
import { limitBasisText } from '../src/wording/terms.ts';
import { clientFacts, clientInfo, invoice, order, payment } from './support/score-facts.ts';

const P = DEFAULT_POLICY;
const AS_OF = '2026-06-30';

// Paid within terms:
//   A 3,000.00 issued 01-15, due 02-14, paid 02-10          -> open at 01-31
//   B 5,000.00 issued 01-20, due 03-21, 2,000 on 02-15, 3,000 on 03-20 (on time)
//                                                           -> 5,000 open at 01-31, 3,000 at 02-28
//   C 4,000.00 issued 02-20, due 03-22, paid 03-22          -> open at 02-28
// Paid late (ignored): D 10,000.00 issued 02-01, due 03-03, paid 04-15.
// Month ends: 01-31 = 3,000 + 5,000 = 8,000; 02-28 = 3,000 + 4,000 = 7,000 -> highest 8,000 on 01-31.
// Open: E 1,500.00 issued 06-10 (not due); open order 2,500.00.
function history(over: Parameters<typeof clientInfo>[0] = {}) {
  return clientFacts({
    client: clientInfo(over),
    invoices: [
      invoice('A', '2026-01-15', '2026-02-14', 300_000),
      invoice('B', '2026-01-20', '2026-03-21', 500_000),
      invoice('D', '2026-02-01', '2026-03-03', 1_000_000),
      invoice('C', '2026-02-20', '2026-03-22', 400_000),
      invoice('E', '2026-06-10', '2026-07-10', 150_000),
    ],
    payments: [
      payment('A', '2026-02-10', 300_000),
      payment('B', '2026-02-15', 200_000, 1),
      payment('B', '2026-03-20', 300_000, 2),
      payment('C', '2026-03-22', 400_000),
      payment('D', '2026-04-15', 1_000_000),
    ],
    orders: [order('O1', '2026-06-20', 250_000)],
  });
}

describe('recommended credit limit', () => {
  it('is the highest month-end balance paid within terms x 1.25 x the grade factor', () => {
    const r = recommendLimit(history(), AS_OF, P, { grade: 'A' });
    // 8,000 x 1.25 = 10,000 x 1.2 (grade A) = 12,000
    expect(r).toMatchObject({
      recommended: 1_200_000,
      method: 'history',
      highestBalance: 800_000,
      highestBalanceDate: '2026-01-31',
      multiplier: 1.25,
      gradeFactor: 1.2,
      cappedBy: null,
    });
    expect(r.basis).toMatchObject({
      code: 'limit.history',
      params: { highest: 800_000, date: '2026-01-31' },
    });
    expect(limitBasisText(r.basis, 'en')).toBe(
      'highest month-end balance of invoices paid within terms EUR 8,000.00 (31 January 2026) x 1.25 x 1.2 for grade A = EUR 12,000.00, rounded down to EUR 12,000.00',
    );
    expect(limitBasisText(r.basis, 'fr')).toBe(
      'plus haut solde de fin de mois des factures payées dans les délais 8\u202f000,00 EUR (31 janvier 2026) x 1,25 x 1,2 pour la note A = 12\u202f000,00 EUR, arrondi à 12\u202f000,00 EUR',
    );
    // grade B x1 = 10,000; C x0.8 = 8,000; D x0.5 = 5,000; E x0 = 0
    expect(recommendLimit(history(), AS_OF, P, { grade: 'B' }).recommended).toBe(1_000_000);
    expect(recommendLimit(history(), AS_OF, P, { grade: 'C' }).recommended).toBe(800_000);
    expect(recommendLimit(history(), AS_OF, P, { grade: 'D' }).recommended).toBe(500_000);
    expect(recommendLimit(history(), AS_OF, P, { grade: 'E' }).recommended).toBe(0);
  });

  it('looks only at month ends up to the as-of date', () => {
    // As of 2026-02-27 only A, B, D and C are issued; nothing is settled yet except A: too few
    // paid invoices -> new-client limit.
    expect(recommendLimit(history(), '2026-02-27', P, { grade: 'A' })).toMatchObject({
      method: 'new_client',
      recommended: 500_000,
    });
  });

  it('rounds down to whole hundreds and is capped by credit insurance and the policy maximum', () => {
    const odd = history();
    // B becomes 5,123.45: month end 01-31 = 3,000 + 5,123.45 = 8,123.45
    odd.invoices.find((i) => i.ref === 'B')!.amount = 512_345;
    odd.payments.find((p) => p.ref === 'P-B-2')!.amount = 312_345;
    // 8,123.45 x 1.25 = 10,154.3125 -> 10,154.31; x 1.2 = 12,185.172 -> 12,185.17 -> 12,100.00
    const r = recommendLimit(odd, AS_OF, P, { grade: 'A' });
    expect(r.highestBalance).toBe(812_345);
    expect(r.recommended).toBe(1_210_000);
    expect(limitBasisText(r.basis, 'en')).toContain('= EUR 12,185.17, rounded down to EUR 12,100.00');

    const insured = recommendLimit(history({ insuranceLimit: 900_000 }), AS_OF, P, { grade: 'A' });
    expect(insured.recommended).toBe(900_000);
    expect(insured.cappedBy).toBe('insurance');
    expect(limitBasisText(insured.basis, 'en')).toMatch(/capped at the credit-insurance limit EUR 9,000.00$/);

    const small = structuredClone(P);
    small.limits.maxLimit = 700_000;
    const capped = recommendLimit(history(), AS_OF, small, { grade: 'A' });
    expect(capped).toMatchObject({ recommended: 700_000, cappedBy: 'policy_max' });
  });

  it('gives a new client the policy new-client limit, still under its insurance cover', () => {
    const fresh = clientFacts();
    const rec = recommendLimit(fresh, AS_OF, P, { grade: 'C' });
    expect(rec).toMatchObject({ method: 'new_client', recommended: 500_000 });
    expect(limitBasisText(rec.basis, 'en')).toBe(
      'new client (0 paid invoices, 3 needed for a history-based limit): policy new-client limit EUR 5,000.00',
    );
    const insured = clientFacts({ client: clientInfo({ insuranceLimit: 300_000 }) });
    expect(recommendLimit(insured, AS_OF, P, { grade: 'C' }).recommended).toBe(300_000);
  });

  it('uses the client limit when set, else the recommended one, against open balance + open orders', () => {
    const rec = creditLimitFor(history(), AS_OF, P, { grade: 'A' });
    expect(rec).toMatchObject({
      limit: 1_200_000,
      limitSource: 'recommended',
      openBalance: 150_000,
      openOrders: 250_000,
      exposure: 400_000,
      available: 800_000,
    });
    const own = creditLimitFor(history({ creditLimit: 300_000 }), AS_OF, P, { grade: 'A' });
    expect(own).toMatchObject({
      limit: 300_000,
      limitSource: 'client',
      exposure: 400_000,
      available: -100_000,
    });
    expect(own.recommended.recommended).toBe(1_200_000);
  });
});
