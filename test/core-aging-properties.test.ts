import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeAging } from '../src/core/aging.ts';
import { addDays } from '../src/core/dates.ts';
import { computeDunningPlan } from '../src/core/dunning.ts';
import { computeForecast } from '../src/core/forecast.ts';
import { computeKpis } from '../src/core/kpis.ts';
import { factsAsOf, invoiceStates } from '../src/core/ledger.ts';
import { DEFAULT_POLICY, DUNNING_STAGES } from '../src/core/policy.ts';
import type { ClientFacts } from '../src/core/types.ts';
import { centsValues } from './support/receivables-fixtures.ts';

/**
 * Properties of the receivables core on random portfolios: the aging reconciles to the cent, nothing
 * dated after the as-of date changes any output, and every money output is an integer.
 */
const policy = DEFAULT_POLICY;
const EPOCH = '2025-01-01';
const day = (n: number) => addDays(EPOCH, n);

const invoiceArb = fc.record({
  issue: fc.integer({ min: 0, max: 600 }),
  terms: fc.integer({ min: -5, max: 90 }),
  amount: fc.integer({ min: 1, max: 500_000 }),
  delivered: fc.option(fc.integer({ min: -40, max: 5 }), { nil: null }),
  payments: fc.array(
    fc.record({
      offset: fc.integer({ min: -10, max: 200 }),
      share: fc.integer({ min: 1, max: 110 }),
      credit: fc.boolean(),
    }),
    { maxLength: 3 },
  ),
  dispute: fc.option(
    fc.record({
      offset: fc.integer({ min: 0, max: 120 }),
      resolveAfter: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
      amountShare: fc.option(fc.integer({ min: 1, max: 100 }), { nil: null }),
    }),
    { nil: null },
  ),
  promise: fc.option(
    fc.record({
      made: fc.integer({ min: 0, max: 100 }),
      after: fc.integer({ min: 0, max: 40 }),
      onInvoice: fc.boolean(),
    }),
    { nil: null },
  ),
  reminders: fc.array(
    fc.record({ offset: fc.integer({ min: 1, max: 120 }), stage: fc.constantFrom(...DUNNING_STAGES) }),
    { maxLength: 3 },
  ),
});

const clientArb = fc.record({
  segment: fc.constantFrom(null, 'btp', 'retail'),
  since: fc.option(fc.integer({ min: -800, max: 500 }), { nil: null }),
  invoices: fc.array(invoiceArb, { maxLength: 12 }),
});

type ClientSpec = typeof clientArb extends fc.Arbitrary<infer T> ? T : never;

function buildClient(i: number, spec: ClientSpec): ClientFacts {
  const ref = `C${i}`;
  const f: ClientFacts = {
    client: {
      ref,
      name: ref,
      segment: spec.segment,
      sector: null,
      country: 'FR',
      email: null,
      language: 'fr',
      creditLimit: null,
      insuranceLimit: null,
      termsDays: null,
      externalScore: null,
      since: spec.since === null ? null : day(spec.since),
    },
    invoices: [],
    payments: [],
    disputes: [],
    promises: [],
    orders: [],
    reminders: [],
  };
  spec.invoices.forEach((inv, k) => {
    const invRef = `${ref}-I${k}`;
    const issueDate = day(inv.issue);
    const dueDate = addDays(issueDate, inv.terms);
    f.invoices.push({
      ref: invRef,
      clientRef: ref,
      issueDate,
      dueDate,
      deliveredDate: inv.delivered === null ? null : addDays(issueDate, inv.delivered),
      amount: inv.amount,
      currency: 'EUR',
      originalAmount: inv.amount,
      description: null,
    });
    for (const [n, p] of inv.payments.entries())
      f.payments.push({
        ref: `${invRef}-P${n}`,
        invoiceRef: invRef,
        date: addDays(issueDate, p.offset),
        amount: Math.max(1, Math.round((inv.amount * p.share) / 100)),
        kind: p.credit ? 'credit_note' : 'payment',
      });
    if (inv.dispute) {
      const opened = addDays(dueDate, inv.dispute.offset);
      const resolved = inv.dispute.resolveAfter === null ? null : addDays(opened, inv.dispute.resolveAfter);
      f.disputes.push({
        invoiceRef: invRef,
        openedDate: opened,
        resolvedDate: resolved,
        status: resolved ? 'resolved' : 'open',
        reason: 'r',
        owner: null,
        amount:
          inv.dispute.amountShare === null ? null : Math.round((inv.amount * inv.dispute.amountShare) / 100),
        events: [],
      });
    }
    if (inv.promise) {
      const made = addDays(dueDate, inv.promise.made);
      f.promises.push({
        clientRef: ref,
        invoiceRef: inv.promise.onInvoice ? invRef : null,
        madeDate: made,
        promisedDate: addDays(made, inv.promise.after),
        amount: inv.amount,
        status: 'pending',
      });
    }
    for (const r of inv.reminders)
      f.reminders.push({
        clientRef: ref,
        date: addDays(dueDate, r.offset),
        stage: r.stage,
        invoiceRefs: [invRef],
      });
  });
  return f;
}

const portfolioArb = fc
  .array(clientArb, { minLength: 1, maxLength: 3 })
  .map((specs) => specs.map((s, i) => buildClient(i, s)));
const asOfArb = fc.integer({ min: 60, max: 720 }).map(day);

/** Facts dated strictly after `asOf`: new invoices, payments, disputes, resolutions, promises, reminders. */
function withFuture(all: ClientFacts[], asOf: string, seed: number): ClientFacts[] {
  const later = (n: number) => addDays(asOf, 1 + ((seed + n) % 40));
  return all.map((f, i) => {
    const ref = f.client.ref;
    const future = `${ref}-FUT`;
    const known = f.invoices.filter((inv) => inv.issueDate <= asOf);
    return {
      ...f,
      invoices: [
        ...f.invoices,
        {
          ...(f.invoices[0] ?? { clientRef: ref, deliveredDate: null, currency: 'EUR', description: null }),
          ref: future,
          issueDate: later(i),
          dueDate: later(i + 30),
          amount: 12345,
          originalAmount: 12345,
        } as ClientFacts['invoices'][number],
      ],
      payments: [
        ...f.payments,
        ...known.map((inv, k) => ({
          ref: `${inv.ref}-FP`,
          invoiceRef: inv.ref,
          date: later(k),
          amount: inv.amount,
          kind: 'payment' as const,
        })),
        { ref: `${future}-P`, invoiceRef: future, date: later(i + 31), amount: 12345, kind: 'payment' },
      ],
      // an open dispute resolved after the as-of date, and a new one opened after it
      disputes: [
        ...f.disputes.map((d) =>
          d.status === 'open' ? { ...d, status: 'resolved' as const, resolvedDate: later(3) } : d,
        ),
        ...known.slice(0, 1).map((inv) => ({
          invoiceRef: inv.ref,
          openedDate: later(4),
          resolvedDate: null,
          status: 'open' as const,
          reason: 'later',
          owner: null,
          amount: null,
          events: [],
        })),
      ],
      promises: [
        ...f.promises,
        {
          clientRef: ref,
          invoiceRef: null,
          madeDate: later(5),
          promisedDate: later(9),
          amount: 999999,
          status: 'pending',
        },
      ],
      reminders: [
        ...f.reminders,
        { clientRef: ref, date: later(6), stage: 'firm', invoiceRefs: known.map((x) => x.ref) },
      ],
    };
  });
}

const everything = (all: ClientFacts[], asOf: string) => ({
  aging: computeAging(all, asOf, policy),
  kpis: computeKpis(all, asOf, policy, 90),
  plan: computeDunningPlan(all, asOf, policy),
  forecast: computeForecast(all, asOf, policy),
});

describe('receivables core properties', () => {
  it('aging buckets + not due + disputed sum to the open balances, per client and portfolio', () => {
    fc.assert(
      fc.property(portfolioArb, asOfArb, (all, asOf) => {
        const r = computeAging(all, asOf, policy);
        let portfolio = 0;
        for (const c of r.clients) {
          const parts = c.notDueCents + c.buckets.reduce((a, b) => a + b.amountCents, 0) + c.disputedCents;
          expect(parts).toBe(c.totalOpenCents);
          const facts = all.find((f) => f.client.ref === c.clientRef)!;
          const open = invoiceStates(factsAsOf(facts, asOf), asOf).reduce((a, s) => a + s.open, 0);
          expect(c.totalOpenCents).toBe(open);
          expect(c.invoices.every((i) => i.openCents > 0)).toBe(true);
          portfolio += open;
        }
        const t = r.totals;
        expect(t.notDueCents + t.buckets.reduce((a, b) => a + b.amountCents, 0) + t.disputedCents).toBe(
          portfolio,
        );
        expect(t.totalOpenCents).toBe(portfolio);
      }),
      { numRuns: 200 },
    );
  });

  it('total overdue (KPI) = aging buckets + overdue disputed, and the forecast covers every open cent', () => {
    fc.assert(
      fc.property(portfolioArb, asOfArb, (all, asOf) => {
        const { aging, kpis, forecast } = everything(all, asOf);
        const disputedOverdue = aging.clients
          .flatMap((c) => c.invoices)
          .filter((i) => i.disputed && i.daysOverdue > 0)
          .reduce((a, i) => a + i.openCents, 0);
        expect(kpis.kpis.totalOverdue.value).toBe(aging.totals.overdueCents + disputedOverdue);
        expect(kpis.inputs.closingReceivablesCents).toBe(aging.totals.totalOpenCents);
        const weekly = forecast.weeks.reduce((a, w) => a + w.amountCents, 0);
        expect(weekly + forecast.later.amountCents + forecast.disputed.amountCents).toBe(
          aging.totals.totalOpenCents,
        );
        expect(forecast.invoices.every((i) => i.expectedDate === null || i.expectedDate >= asOf)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('facts dated after the as-of date never change the aging, KPIs, dunning plan or forecast', () => {
    fc.assert(
      fc.property(portfolioArb, asOfArb, fc.nat(1000), (all, asOf, seed) => {
        const before = JSON.stringify(everything(all, asOf));
        const after = JSON.stringify(everything(withFuture(all, asOf, seed), asOf));
        expect(after).toBe(before);
      }),
      { numRuns: 100 },
    );
  });

  it('every money output is an integer number of cents', () => {
    fc.assert(
      fc.property(portfolioArb, asOfArb, (all, asOf) => {
        const values = centsValues(everything(all, asOf));
        expect(values.length).toBeGreaterThan(0);
        // null only where a field is documented as optional (a dispute claim for the whole invoice)
        for (const v of values)
          expect(v === null || Number.isSafeInteger(v), `${String(v)} is not integer cents`).toBe(true);
        const k = computeKpis(all, asOf, policy, 90).kpis;
        for (const key of ['totalOverdue', 'openDisputedAmount'] as const)
          expect(Number.isSafeInteger(k[key].value)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('the dunning plan never covers a disputed, settled or not-yet-due invoice', () => {
    fc.assert(
      fc.property(portfolioArb, asOfArb, (all, asOf) => {
        const plan = computeDunningPlan(all, asOf, policy);
        for (const p of plan.plans) {
          const facts = factsAsOf(all.find((f) => f.client.ref === p.clientRef)!, asOf);
          const disputed = new Set(
            facts.disputes.filter((d) => d.status === 'open').map((d) => d.invoiceRef),
          );
          for (const inv of p.covered) {
            expect(disputed.has(inv.ref)).toBe(false);
            expect(inv.openCents).toBeGreaterThan(0);
            expect(inv.daysOverdue).toBeGreaterThan(0);
          }
          if (p.nextAction) expect(p.nextAction.date >= asOf).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });
});
