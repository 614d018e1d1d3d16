import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, type IsoDate, maxDate, minDate } from '../src/core/dates.ts';
import { creditLimitFor, recommendLimit } from '../src/core/limit.ts';
import { DEFAULT_POLICY } from '../src/core/policy.ts';
import { scoreClient } from '../src/core/score.ts';
import { decideTerms } from '../src/core/terms.ts';
import type { ClientFacts, PaymentFact } from '../src/core/types.ts';
import { clientFacts, clientInfo, dispute, invoice, order, payment, promise } from './support/score-facts.ts';

const P = DEFAULT_POLICY;
const AS_OF = '2026-06-30';
const RUNS = { numRuns: 150 };

const arbInvoice = fc.record({
  // days before the as-of date the invoice was issued
  age: fc.integer({ min: 0, max: 1000 }),
  terms: fc.constantFrom(30, 45, 60),
  amount: fc.integer({ min: 1_000, max: 5_000_000 }),
  pay: fc.option(fc.record({ delay: fc.integer({ min: -40, max: 150 }), split: fc.boolean() }), {
    nil: null,
  }),
  disputed: fc.option(
    fc.record({ after: fc.integer({ min: 0, max: 60 }), resolvedAfter: fc.option(fc.nat(90)) }),
    {
      nil: null,
    },
  ),
  promised: fc.boolean(),
});

/** A client whose facts are all dated on or before AS_OF (the known world). */
const arbKnownFacts: fc.Arbitrary<ClientFacts> = fc
  .record({
    invoices: fc.array(arbInvoice, { maxLength: 14 }),
    orders: fc.array(fc.record({ age: fc.nat(200), amount: fc.integer({ min: 1, max: 2_000_000 }) }), {
      maxLength: 3,
    }),
    creditLimit: fc.option(fc.integer({ min: 0, max: 20_000_000 }), { nil: null }),
    insuranceLimit: fc.option(fc.integer({ min: 0, max: 20_000_000 }), { nil: null }),
    externalScore: fc.option(fc.integer({ min: 1, max: 100 }), { nil: null }),
    sector: fc.constantFrom(null, 'construction', 'services', 'industry', 'unknown-sector'),
    sinceAge: fc.option(fc.nat(2000), { nil: null }),
  })
  .map((g) => {
    const facts = clientFacts({
      client: clientInfo({
        creditLimit: g.creditLimit,
        insuranceLimit: g.insuranceLimit,
        externalScore: g.externalScore,
        sector: g.sector,
        since: g.sinceAge === null ? null : addDays(AS_OF, -g.sinceAge),
      }),
    });
    g.invoices.forEach((x, i) => {
      const ref = `I${i}`;
      const issue = addDays(AS_OF, -x.age);
      const due = addDays(issue, x.terms);
      facts.invoices.push(invoice(ref, issue, due, x.amount));
      if (x.pay) {
        let date = addDays(due, x.pay.delay);
        if (date < issue) date = issue;
        if (date <= AS_OF) {
          if (x.pay.split) {
            const first = Math.floor(x.amount / 2);
            const early = maxDate(addDays(date, -10), issue);
            facts.payments.push(payment(ref, early, first, 1), payment(ref, date, x.amount - first, 2));
          } else facts.payments.push(payment(ref, date, x.amount));
        }
      }
      if (x.disputed) {
        const opened = addDays(due, x.disputed.after);
        if (opened <= AS_OF) {
          const resolved =
            x.disputed.resolvedAfter === null ? null : addDays(opened, x.disputed.resolvedAfter);
          facts.disputes.push(
            dispute(
              ref,
              opened,
              resolved !== null && resolved <= AS_OF
                ? { status: 'resolved', resolvedDate: resolved }
                : { status: 'open', resolvedDate: null },
            ),
          );
        }
      }
      if (x.promised && addDays(due, 5) <= AS_OF)
        facts.promises.push(promise(ref, addDays(due, 5), addDays(due, 20), x.amount));
    });
    g.orders.forEach((o, i) => {
      facts.orders.push(order(`O${i}`, addDays(AS_OF, -o.age), o.amount));
    });
    facts.invoices.sort((a, b) => (a.issueDate < b.issueDate ? -1 : a.issueDate > b.issueDate ? 1 : 0));
    return facts;
  });

/** Things that happen after AS_OF: new invoices, payments, disputes and their resolutions, orders. */
const arbFuture = fc.record({
  invoices: fc.array(
    fc.record({ ahead: fc.integer({ min: 1, max: 300 }), amount: fc.integer({ min: 1, max: 9_000_000 }) }),
    { maxLength: 4 },
  ),
  paymentsAhead: fc.array(fc.integer({ min: 1, max: 200 }), { maxLength: 6 }),
  disputeAhead: fc.integer({ min: 1, max: 100 }),
  resolveOpenDisputes: fc.boolean(),
  orders: fc.array(fc.integer({ min: 1, max: 100 }), { maxLength: 2 }),
  promiseAhead: fc.integer({ min: 1, max: 100 }),
});

type Future = typeof arbFuture extends fc.Arbitrary<infer T> ? T : never;

function withFuture(known: ClientFacts, f: Future): ClientFacts {
  const facts = structuredClone(known);
  f.invoices.forEach((x, i) => {
    const issue = addDays(AS_OF, x.ahead);
    facts.invoices.push(invoice(`F${i}`, issue, addDays(issue, 30), x.amount));
    facts.payments.push(payment(`F${i}`, addDays(issue, 10), x.amount, 9));
  });
  // Later payments on existing invoices (also paying off open ones, overpaying some).
  f.paymentsAhead.forEach((ahead, i) => {
    const target = known.invoices[i % Math.max(1, known.invoices.length)];
    if (target) facts.payments.push(payment(target.ref, addDays(AS_OF, ahead), target.amount, 10 + i));
  });
  if (known.invoices[0]) {
    facts.disputes.push(dispute(known.invoices[0].ref, addDays(AS_OF, f.disputeAhead)));
    facts.promises.push(
      promise(known.invoices[0].ref, addDays(AS_OF, f.promiseAhead), addDays(AS_OF, f.promiseAhead + 5), 1),
    );
  }
  if (f.resolveOpenDisputes)
    for (const d of facts.disputes)
      if (d.status === 'open' && d.openedDate <= AS_OF) {
        d.status = 'resolved';
        d.resolvedDate = addDays(AS_OF, 1);
      }
  f.orders.forEach((ahead, i) => {
    facts.orders.push(order(`FO${i}`, addDays(AS_OF, ahead), 5_000_000));
  });
  facts.reminders.push({ clientRef: 'C1', date: addDays(AS_OF, 3), stage: 'firm', invoiceRefs: [] });
  return facts;
}

const sumPoints = (s: ReturnType<typeof scoreClient>) => s.base + s.factors.reduce((a, f) => a + f.points, 0);

function movePayments(facts: ClientFacts, invoiceRef: string, to: (p: PaymentFact) => IsoDate): ClientFacts {
  const copy = structuredClone(facts);
  for (const p of copy.payments) if (p.invoiceRef === invoiceRef) p.date = to(p);
  copy.payments.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return copy;
}

describe('score properties', () => {
  it('stays within 0-100 with whole-point factors summing exactly to it', () => {
    fc.assert(
      fc.property(arbKnownFacts, (facts) => {
        const s = scoreClient(facts, AS_OF, P);
        expect(Number.isInteger(s.score)).toBe(true);
        expect(s.score).toBeGreaterThanOrEqual(0);
        expect(s.score).toBeLessThanOrEqual(100);
        for (const f of s.factors) expect(Number.isInteger(f.points)).toBe(true);
        expect(sumPoints(s)).toBe(s.score);
        expect(s.pLate).toBeGreaterThanOrEqual(0);
        expect(s.pLate).toBeLessThanOrEqual(1);
        expect(s.confidence).toBeGreaterThanOrEqual(0);
        expect(s.confidence).toBeLessThanOrEqual(1);
      }),
      RUNS,
    );
  });

  it('ignores every fact dated after the as-of date (score, limit, decision)', () => {
    fc.assert(
      fc.property(arbKnownFacts, arbFuture, fc.integer({ min: 0, max: 90 }), (known, future, days) => {
        const all = withFuture(known, future);
        const s = scoreClient(known, AS_OF, P);
        expect(scoreClient(all, AS_OF, P)).toEqual(s);
        expect(recommendLimit(all, AS_OF, P, s)).toEqual(recommendLimit(known, AS_OF, P, s));
        expect(creditLimitFor(all, AS_OF, P, s)).toEqual(creditLimitFor(known, AS_OF, P, s));
        const request = { days, amount: 1_000_000 };
        expect(decideTerms(all, request, AS_OF, P)).toEqual(decideTerms(known, request, AS_OF, P));
      }),
      RUNS,
    );
  });

  it('one more late payment never raises the score', () => {
    fc.assert(
      fc.property(arbKnownFacts, fc.nat(), fc.integer({ min: 1, max: 120 }), (facts, pick, lateBy) => {
        const paid = scoreClient(facts, AS_OF, P);
        const candidates = facts.invoices.filter((i) =>
          facts.payments.some((p) => p.invoiceRef === i.ref && p.date <= i.dueDate),
        );
        fc.pre(candidates.length > 0);
        const target = candidates[pick % candidates.length]!;
        const lateDate = addDays(target.dueDate, lateBy);
        fc.pre(lateDate <= AS_OF);
        // every payment on the invoice now arrives after its due date (but before the as-of date)
        const later = movePayments(facts, target.ref, (p) => maxDate(p.date, lateDate));
        expect(scoreClient(later, AS_OF, P).score).toBeLessThanOrEqual(paid.score);
      }),
      RUNS,
    );
  });

  it('paying earlier never lowers the score, paying later never raises it', () => {
    fc.assert(
      fc.property(arbKnownFacts, fc.nat(), fc.integer({ min: 1, max: 90 }), (facts, pick, shift) => {
        fc.pre(facts.payments.length > 0);
        const base = scoreClient(facts, AS_OF, P).score;
        const target = facts.payments[pick % facts.payments.length]!;
        const issue = facts.invoices.find((i) => i.ref === target.invoiceRef)!.issueDate;
        const earlier = movePayments(facts, target.invoiceRef, (p) =>
          p.ref === target.ref ? maxDate(addDays(p.date, -shift), issue) : p.date,
        );
        expect(scoreClient(earlier, AS_OF, P).score).toBeGreaterThanOrEqual(base);
        const later = movePayments(facts, target.invoiceRef, (p) =>
          p.ref === target.ref ? minDate(addDays(p.date, shift), AS_OF) : p.date,
        );
        expect(scoreClient(later, AS_OF, P).score).toBeLessThanOrEqual(base);
      }),
      RUNS,
    );
  });

  it('produces money as whole cents only', () => {
    fc.assert(
      fc.property(arbKnownFacts, fc.integer({ min: 0, max: 10_000_000 }), (facts, amount) => {
        const s = scoreClient(facts, AS_OF, P);
        const limit = creditLimitFor(facts, AS_OF, P, s);
        const d = decideTerms(facts, { days: 45, amount }, AS_OF, P);
        const money = [
          s.metrics.openBalance,
          s.metrics.openOrders,
          s.metrics.exposure,
          s.metrics.overdueAmount,
          limit.limit,
          limit.recommended.recommended,
          limit.recommended.highestBalance,
          limit.exposure,
          limit.available,
          d.exposureBefore,
          d.exposureAfter,
          d.limit,
          d.conditions.depositAmount,
        ];
        for (const m of money) expect(Number.isSafeInteger(m)).toBe(true);
      }),
      RUNS,
    );
  });

  it('keeps the decision invariants for any client and request', () => {
    fc.assert(
      fc.property(
        arbKnownFacts,
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.boolean(),
        (facts, days, amount, endOfMonth) => {
          const d = decideTerms(facts, { days, amount, endOfMonth }, AS_OF, P);
          const cap = endOfMonth ? 45 : 60;
          if (days > cap) {
            expect(d.decision).toBe('decline');
            expect(d.rule).toBe('legal-cap');
            expect(d.legal.lawful).toBe(false);
          } else expect(d.legal.lawful).toBe(true);
          if (d.exposureAfter > d.limit) expect(['needs_approval', 'decline']).toContain(d.decision);
          if (d.inputs.noHistory && d.decision !== 'decline')
            expect(d.conditions.depositPercent).toBeGreaterThan(0);
          expect(d.exposureAfter).toBe(d.exposureBefore + amount);
        },
      ),
      RUNS,
    );
  });
});
