import { describe, expect, it } from 'vitest';
import { bucketFor, computeAging } from '../src/core/aging.ts';
import { findDataQualityIssues, legalDueDateCap } from '../src/core/data-quality.ts';
import { DEFAULT_POLICY, policySchema } from '../src/core/policy.ts';
import { addDispute, addInvoice, clientFacts } from './support/receivables-fixtures.ts';

const AS_OF = '2026-06-30';
const policy = DEFAULT_POLICY;

/**
 * Worked example (amounts in cents), as of 2026-06-30 with the default buckets 1-30/31-60/61-90/90+.
 * C1 Alpha:
 *   I1 due 07-10, 1 000.00, paid 300.00            -> not due 700.00
 *   I2 due 05-31 (30 days), 500.00, credit 50.00   -> 1-30    450.00
 *   I3 due 05-01 (60 days), 1 200.00, paid 200.00  -> 31-60 1 000.00 (a payment on 07-05 is in the future)
 *   I4 due 03-31 (91 days), 800.00                 -> 90+     800.00
 *   I5 due 04-30 (61 days), 300.00, open dispute   -> disputed 300.00 (not in 61-90)
 *   I6 paid in full                                -> not listed
 *   I7 due on the as-of date, 100.00               -> not due 100.00
 *   total 3 350.00 = 800 + 450 + 1 000 + 0 + 800 + 300
 * C2 Beta:
 *   J1 due 04-14 (77 days), 250.50, paid 100.25    -> 61-90 150.25 (delivered 54 days before invoicing)
 *   J2 overpaid 120.00 on 100.00                   -> closed, finding
 *   J3 due 05-25 (36 days) before its issue date, 50.00, paid 10.00 before the issue date -> 31-60 40.00
 *   J4 issued 01-05, due 04-30 (61 days): beyond the legal cap -> 61-90 70.00
 *   total 260.25
 */
function portfolio() {
  const c1 = clientFacts('C1', { name: 'Alpha' });
  addInvoice(c1, 'I1', '2026-06-10', '2026-07-10', 100000, { paid: [['2026-06-20', 30000]] });
  addInvoice(c1, 'I2', '2026-05-01', '2026-05-31', 50000, { credits: [['2026-06-05', 5000]] });
  addInvoice(c1, 'I3', '2026-04-01', '2026-05-01', 120000, {
    paid: [
      ['2026-05-10', 20000],
      ['2026-07-05', 100000],
    ],
  });
  addInvoice(c1, 'I4', '2026-02-01', '2026-03-31', 80000);
  addInvoice(c1, 'I5', '2026-03-31', '2026-04-30', 30000);
  addDispute(c1, 'I5', '2026-05-15');
  addInvoice(c1, 'I6', '2026-01-10', '2026-02-09', 40000, { paid: [['2026-02-20', 40000]] });
  addInvoice(c1, 'I7', '2026-05-31', '2026-06-30', 10000);
  addInvoice(c1, 'I8-FUTURE', '2026-07-02', '2026-08-01', 999900);

  const c2 = clientFacts('C2', { name: 'Beta' });
  addInvoice(c2, 'J1', '2026-03-15', '2026-04-14', 25050, {
    paid: [['2026-05-01', 10025]],
    delivered: '2026-01-20',
  });
  addInvoice(c2, 'J2', '2026-05-01', '2026-05-31', 10000, { paid: [['2026-05-30', 12000]] });
  addInvoice(c2, 'J3', '2026-06-01', '2026-05-25', 5000, { paid: [['2026-05-20', 1000]] });
  addInvoice(c2, 'J4', '2026-01-05', '2026-04-30', 7000);
  return [c2, c1];
}

const amounts = (line: {
  notDueCents: number;
  buckets: { amountCents: number }[];
  disputedCents: number;
}) => [line.notDueCents, ...line.buckets.map((b) => b.amountCents), line.disputedCents];

describe('aging (worked example)', () => {
  const report = computeAging(portfolio(), AS_OF, policy);

  it('places each client in the policy buckets, disputed apart', () => {
    expect(report.bucketLabels).toEqual(['1-30', '31-60', '61-90', '90+']);
    expect(report.clients.map((c) => c.clientRef)).toEqual(['C1', 'C2']);
    const [c1, c2] = report.clients;
    expect(amounts(c1!)).toEqual([80000, 45000, 100000, 0, 80000, 30000]);
    expect(c1!.totalOpenCents).toBe(335000);
    expect(c1!.overdueCents).toBe(225000);
    expect(c1!.openInvoices).toBe(6);
    expect(c1!.oldestDaysOverdue).toBe(91);
    expect(amounts(c2!)).toEqual([0, 0, 4000, 22025, 0, 0]);
    expect(c2!.totalOpenCents).toBe(26025);
  });

  it('reconciles the portfolio to the cent', () => {
    expect(amounts(report.totals)).toEqual([80000, 45000, 104000, 22025, 80000, 30000]);
    expect(report.totals.totalOpenCents).toBe(361025);
    const sum = amounts(report.totals).reduce((a, b) => a + b, 0);
    expect(sum).toBe(report.totals.totalOpenCents);
    expect(report.totals.buckets.map((b) => b.count)).toEqual([1, 2, 2, 1]);
  });

  it('shows paid, credited and open amounts per invoice', () => {
    const i2 = report.clients[0]!.invoices.find((i) => i.ref === 'I2')!;
    expect(i2).toMatchObject({
      paidCents: 0,
      creditedCents: 5000,
      openCents: 45000,
      daysOverdue: 30,
      column: '1-30',
    });
    const i3 = report.clients[0]!.invoices.find((i) => i.ref === 'I3')!;
    expect(i3).toMatchObject({ paidCents: 20000, openCents: 100000, daysOverdue: 60, column: '31-60' });
    const i5 = report.clients[0]!.invoices.find((i) => i.ref === 'I5')!;
    expect(i5).toMatchObject({ column: 'disputed', disputed: true, daysOverdue: 61, openCents: 30000 });
    const i7 = report.clients[0]!.invoices.find((i) => i.ref === 'I7')!;
    expect(i7).toMatchObject({ column: 'not_due', daysOverdue: 0 });
    expect(report.clients[0]!.invoices.map((i) => i.ref)).not.toContain('I6');
    expect(report.clients[0]!.invoices.map((i) => i.ref)).not.toContain('I8-FUTURE');
  });

  it('lists data-quality findings with their invoice and figures', () => {
    const found = report.findings.map((f) => `${f.kind}:${f.invoiceRef}`).sort();
    expect(found).toEqual([
      'delivered_long_before_invoice:J1',
      'due_before_issue:J3',
      'overpayment:J2',
      'payment_before_invoice:J3',
      'terms_beyond_legal_cap:J4',
    ]);
    const over = report.findings.find((f) => f.kind === 'overpayment')!;
    expect(over.clientRef).toBe('C2');
    expect(over.detail).toContain('20,00 EUR too much');
    const cap = report.findings.find((f) => f.kind === 'terms_beyond_legal_cap')!;
    expect(cap.detail).toContain('2026-03-17');
  });

  it('an overdue day count maps to exactly one bucket', () => {
    expect([1, 30, 31, 60, 61, 90, 91, 5000].map((d) => bucketFor(d, policy))).toEqual([
      '1-30',
      '1-30',
      '31-60',
      '31-60',
      '61-90',
      '61-90',
      '90+',
      '90+',
    ]);
  });

  it('uses custom buckets from the policy', () => {
    const custom = {
      ...policy,
      aging: {
        buckets: [
          { label: '0-7', fromDay: 1, toDay: 7 },
          { label: '8-14', fromDay: 8, toDay: 14 },
          { label: '15+', fromDay: 15, toDay: null },
        ],
      },
    };
    const r = computeAging(portfolio(), AS_OF, custom);
    expect(amounts(r.totals)).toEqual([80000, 0, 0, 251025, 30000]);
  });
});

describe('aging buckets policy check', () => {
  const parse = (buckets: unknown) => policySchema.safeParse({ ...DEFAULT_POLICY, aging: { buckets } });
  it('accepts the default buckets', () => {
    expect(parse(DEFAULT_POLICY.aging.buckets).success).toBe(true);
  });
  it('rejects gaps, overlaps and a closed last bucket', () => {
    const gap = parse([
      { label: 'a', fromDay: 1, toDay: 30 },
      { label: 'b', fromDay: 35, toDay: null },
    ]);
    expect(gap.success).toBe(false);
    expect(gap.error!.issues[0]!.message).toMatch(/must start at day 31/);
    const closed = parse([{ label: 'a', fromDay: 1, toDay: 30 }]);
    expect(closed.error!.issues[0]!.message).toMatch(/open-ended/);
    const late = parse([{ label: 'a', fromDay: 2, toDay: null }]);
    expect(late.error!.issues[0]!.message).toMatch(/must start at day 1/);
  });
});

describe('data quality', () => {
  it('computes the French legal cap as the latest lawful reading', () => {
    // 60 days from 01-05 = 03-06; 45 days then end of month = 02-28; end of month then 45 days = 03-17.
    expect(legalDueDateCap('2026-01-05', policy)).toBe('2026-03-17');
    // 60 days from 01-31 = 04-01; 45 days (03-17) then end of month = 03-31; end of Jan + 45 = 03-17.
    expect(legalDueDateCap('2026-01-31', policy)).toBe('2026-04-01');
  });

  it('flags due dates that do not follow the client terms, and disputes larger than the invoice', () => {
    const f = clientFacts('T1', { termsDays: 30 });
    addInvoice(f, 'OK-NET', '2026-03-10', '2026-04-09', 1000);
    addInvoice(f, 'OK-EOM', '2026-03-10', '2026-04-30', 1000);
    addInvoice(f, 'BAD', '2026-03-10', '2026-04-20', 1000);
    addInvoice(f, 'ZERO', '2026-03-10', '2026-04-09', 0);
    addDispute(f, 'OK-NET', '2026-04-15', { amount: 5000 });
    const kinds = findDataQualityIssues(f, AS_OF, policy).map((x) => `${x.kind}:${x.invoiceRef}`);
    expect(kinds.sort()).toEqual([
      'dispute_exceeds_invoice:OK-NET',
      'non_positive_amount:ZERO',
      'terms_mismatch:BAD',
    ]);
  });
});
