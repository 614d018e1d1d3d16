import { describe, expect, it } from 'vitest';
import { bucketFor, computeAging } from '../src/core/aging.ts';
import { findDataQualityIssues, legalDueDateCap } from '../src/core/data-quality.ts';
import { DEFAULT_POLICY, policySchema } from '../src/core/policy.ts';
import { findingText } from '../src/wording/aging.ts';
import { addDispute, addInvoice, agingPortfolio, clientFacts } from './support/receivables-fixtures.ts';

const AS_OF = '2026-06-30';
const policy = DEFAULT_POLICY;

const amounts = (line: {
  notDueCents: number;
  buckets: { amountCents: number }[];
  disputedCents: number;
}) => [line.notDueCents, ...line.buckets.map((b) => b.amountCents), line.disputedCents];

describe('aging (worked example)', () => {
  const report = computeAging(agingPortfolio(), AS_OF, policy);

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
    expect(findingText(over, 'en')).toContain('EUR 20.00 too much');
    expect(findingText(over, 'fr')).toContain('20,00 EUR de trop');
    const cap = report.findings.find((f) => f.kind === 'terms_beyond_legal_cap')!;
    expect(cap.params).toMatchObject({ cap: '2026-03-17' });
    expect(findingText(cap, 'fr')).toContain('17 mars 2026');
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
    const r = computeAging(agingPortfolio(), AS_OF, custom);
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
