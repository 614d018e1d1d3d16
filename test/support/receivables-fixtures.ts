import { DEFAULT_POLICY } from '../../src/core/policy.ts';
import type {
  ClientFacts,
  ClientInfo,
  DisputeFact,
  InvoiceFact,
  PaymentFact,
  PromiseFact,
  SentReminderFact,
} from '../../src/core/types.ts';

/** Small builders for hand-made portfolios in the receivables tests (aging, KPIs, dunning, forecast). */
export function clientFacts(ref: string, info: Partial<ClientInfo> = {}): ClientFacts {
  return {
    client: {
      ref,
      name: info.name ?? `Client ${ref}`,
      segment: null,
      sector: null,
      country: 'FR',
      email: `${ref.toLowerCase()}@example.test`,
      language: 'fr',
      creditLimit: null,
      insuranceLimit: null,
      termsDays: null,
      externalScore: null,
      since: null,
      ...info,
    },
    invoices: [],
    payments: [],
    disputes: [],
    promises: [],
    orders: [],
    reminders: [],
  };
}

let paymentSeq = 0;

/** Adds an invoice; `paid` lists [date, cents] payments, `credits` [date, cents] credit notes. */
export function addInvoice(
  f: ClientFacts,
  ref: string,
  issueDate: string,
  dueDate: string,
  amount: number,
  opts: { paid?: [string, number][]; credits?: [string, number][]; delivered?: string } = {},
): ClientFacts {
  const inv: InvoiceFact = {
    ref,
    clientRef: f.client.ref,
    issueDate,
    dueDate,
    deliveredDate: opts.delivered ?? null,
    amount,
    currency: 'EUR',
    originalAmount: amount,
    description: null,
  };
  f.invoices.push(inv);
  for (const [date, cents] of opts.paid ?? []) f.payments.push(payment(ref, date, cents, 'payment'));
  for (const [date, cents] of opts.credits ?? []) f.payments.push(payment(ref, date, cents, 'credit_note'));
  return f;
}

const payment = (
  invoiceRef: string,
  date: string,
  amount: number,
  kind: PaymentFact['kind'],
): PaymentFact => ({
  ref: `PAY-${++paymentSeq}`,
  invoiceRef,
  date,
  amount,
  kind,
});

export function addDispute(
  f: ClientFacts,
  invoiceRef: string,
  openedDate: string,
  opts: Partial<DisputeFact> = {},
): ClientFacts {
  f.disputes.push({
    invoiceRef,
    openedDate,
    resolvedDate: null,
    status: 'open',
    reason: 'quantity',
    owner: null,
    amount: null,
    events: [],
    ...opts,
  });
  return f;
}

export function addPromise(
  f: ClientFacts,
  promisedDate: string,
  amount: number,
  opts: Partial<PromiseFact> = {},
): ClientFacts {
  f.promises.push({
    clientRef: f.client.ref,
    invoiceRef: null,
    madeDate: null,
    promisedDate,
    amount,
    status: 'pending',
    ...opts,
  });
  return f;
}

export function addReminder(f: ClientFacts, date: string, stage: string, invoiceRefs: string[]): ClientFacts {
  const r: SentReminderFact = { clientRef: f.client.ref, date, stage, invoiceRefs };
  f.reminders.push(r);
  return f;
}

/** Every value under a key ending in "Cents", anywhere in a JSON-like value. */
export function centsValues(value: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const v of value) centsValues(v, out);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (k.endsWith('Cents')) out.push(v);
      centsValues(v, out);
    }
  return out;
}

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
export function agingPortfolio(): ClientFacts[] {
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

/**
 * Hand-built portfolio, 30-day period 2026-06-01..06-30 (opening receivables at the end of 05-31).
 * K1 (segment btp):
 *   A 1 000.00 issued 04-15 due 05-15, delivered 04-14, paid 06-10
 *   B   600.00 issued 05-20 due 06-19, unpaid (11 days overdue)
 *   C   900.00 issued 06-05 due 07-05, delivered 06-01 (4 days), credit note 100.00 on 06-15
 *   D   300.00 issued 06-10 due 06-25, delivered 06-10 (0 days), paid 06-24 (on time)
 *   reminder 06-14 on A (already paid: not counted), reminder 06-20 on B (window not complete)
 * K2 (segment retail):
 *   E   500.00 issued 05-01 due 05-31, paid 06-20; reminders 06-03 (not paid within 14 days) and 06-10 (paid)
 *   F   400.00 issued 06-12 due 06-20, open dispute since 06-22
 *   G   200.00 issued 03-01 due 03-31, dispute 04-05 -> resolved 06-04 (60 days), credit note 200.00 on 06-04
 * K3 (no segment):
 *   H   100.00 issued 01-01 due 01-31, every stage of its (tight) cadence already sent: nothing left to plan
 *   I   200.00 issued 05-01 due 05-31, promise to pay on 07-03 made 06-25
 *
 * Opening 05-31: A 1 000 + B 600 + E 500 + G 200 + H 100 + I 200 = 2 600.00
 * Net credit sales in June: C 900 + D 300 + F 400 - credit notes (100 + 200) = 1 300.00
 * Closing 06-30: B 600 + C 800 + F 400 + H 100 + I 200 = 2 100.00; current (not due) C 800; overdue 1 300
 */
export function kpiPortfolio(): ClientFacts[] {
  const k1 = clientFacts('K1', { segment: 'btp', since: '2024-01-01' });
  addInvoice(k1, 'A', '2026-04-15', '2026-05-15', 100000, {
    delivered: '2026-04-14',
    paid: [['2026-06-10', 100000]],
  });
  addInvoice(k1, 'B', '2026-05-20', '2026-06-19', 60000, { delivered: '2026-05-19' });
  addInvoice(k1, 'C', '2026-06-05', '2026-07-05', 90000, {
    delivered: '2026-06-01',
    credits: [['2026-06-15', 10000]],
  });
  addInvoice(k1, 'D', '2026-06-10', '2026-06-25', 30000, {
    delivered: '2026-06-10',
    paid: [['2026-06-24', 30000]],
  });
  addReminder(k1, '2026-06-14', 'friendly', ['A']);
  addReminder(k1, '2026-06-20', 'friendly', ['B']);

  const k2 = clientFacts('K2', { segment: 'retail', since: '2024-01-01' });
  addInvoice(k2, 'E', '2026-05-01', '2026-05-31', 50000, { paid: [['2026-06-20', 50000]] });
  addInvoice(k2, 'F', '2026-06-12', '2026-06-20', 40000);
  addDispute(k2, 'F', '2026-06-22');
  addInvoice(k2, 'G', '2026-03-01', '2026-03-31', 20000, { credits: [['2026-06-04', 20000]] });
  addDispute(k2, 'G', '2026-04-05', { status: 'resolved', resolvedDate: '2026-06-04' });
  addReminder(k2, '2026-06-03', 'friendly', ['E']);
  addReminder(k2, '2026-06-10', 'clear', ['E']);

  const k3 = clientFacts('K3');
  addInvoice(k3, 'H', '2026-01-01', '2026-01-31', 10000);
  addInvoice(k3, 'I', '2026-05-01', '2026-05-31', 20000);
  const tight = ['02-01', '02-05', '02-10', '02-15', '02-25', '03-12', '04-11'];
  for (const [i, step] of DEFAULT_POLICY.dunning.cadences.tight!.entries())
    addReminder(k3, `2026-${tight[i]}`, step.stage, ['H']);
  addPromise(k3, '2026-07-03', 20000, { invoiceRef: 'I', madeDate: '2026-06-25' });
  return [k1, k2, k3];
}

/** Every KPI of `kpiPortfolio()` as of 2026-06-30 over 30 days, worked out by hand. */
export const KPI_PORTFOLIO_EXPECTED = {
  // June absorbs 1 300 (30 days), 800 remain of May's 1 300 sales: 30 + 31 x 800/1 300 = 49.08
  dsoCountBack: 49.1,
  // 2 100 / 1 300 x 30 = 48.46
  dsoSimple: 48.5,
  // 800 / 1 300 x 30 = 18.46
  bestPossibleDso: 18.5,
  // 1 300 / 1 300 x 30
  averageDaysDelinquent: 30,
  // (2 600 + 1 300 - 2 100) / (2 600 + 1 300 - 800) = 1 800 / 3 100
  cei: 58.1,
  // B, F, H, I of B, C, F, H, I
  overdueShareByCount: 80,
  // 1 300 / 2 100
  overdueShareByAmount: 61.9,
  totalOverdue: 130000,
  openDisputes: 1,
  openDisputedAmount: 40000,
  // G: 04-05 -> 06-04
  averageDisputeResolutionDays: 60,
  // C 4 days, D 0 days
  deliveryToInvoiceDays: 2,
  invoicedWithin2DaysShare: 50,
  // B (planned) and I (promise follow-up) of B, H, I: H's cadence is exhausted
  overdueWithNextActionShare: 66.7,
  // E after 06-03: paid 06-20, too late; E after 06-10: paid within 14 days
  paymentRateAfterReminders: 50,
  // due in June: B (unpaid), D (on time), F (unpaid)
  onTimePaymentRate: 33.3,
};
