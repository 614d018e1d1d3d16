import { addDays, type IsoDate } from '../../src/core/dates.ts';
import type {
  ClientFacts,
  ClientInfo,
  DisputeFact,
  InvoiceFact,
  OrderFact,
  PaymentFact,
  PromiseFact,
} from '../../src/core/types.ts';

/** Small builders for hand-written client facts (scoring, limit and terms tests). */
export function clientInfo(over: Partial<ClientInfo> = {}): ClientInfo {
  return {
    ref: 'C1',
    name: 'Client One',
    segment: null,
    sector: null,
    country: 'FR',
    email: null,
    language: 'fr',
    creditLimit: null,
    insuranceLimit: null,
    termsDays: null,
    externalScore: null,
    since: null,
    ...over,
  };
}

export function invoice(ref: string, issueDate: IsoDate, dueDate: IsoDate, amount: number): InvoiceFact {
  return {
    ref,
    clientRef: 'C1',
    issueDate,
    dueDate,
    deliveredDate: null,
    amount,
    currency: 'EUR',
    originalAmount: amount,
    description: null,
  };
}

export function payment(invoiceRef: string, date: IsoDate, amount: number, n = 1): PaymentFact {
  return { ref: `P-${invoiceRef}-${n}`, invoiceRef, date, amount, kind: 'payment' };
}

export function dispute(
  invoiceRef: string,
  openedDate: IsoDate,
  over: Partial<DisputeFact> = {},
): DisputeFact {
  return {
    invoiceRef,
    openedDate,
    resolvedDate: null,
    status: 'open',
    reason: 'quantity',
    owner: null,
    amount: null,
    events: [],
    ...over,
  };
}

export function promise(
  invoiceRef: string | null,
  madeDate: IsoDate,
  promisedDate: IsoDate,
  amount: number,
): PromiseFact {
  return { clientRef: 'C1', invoiceRef, madeDate, promisedDate, amount, status: 'pending' };
}

export function order(ref: string, date: IsoDate, amount: number): OrderFact {
  return { ref, clientRef: 'C1', date, amount, status: 'open' };
}

export function clientFacts(over: Partial<ClientFacts> = {}): ClientFacts {
  return {
    client: clientInfo(),
    invoices: [],
    payments: [],
    disputes: [],
    promises: [],
    orders: [],
    reminders: [],
    ...over,
  };
}

/**
 * A client with one invoice a month for `months` months up to `asOf`, each paid `daysLate[i % n]`
 * days after its 30-day due date (only payments on or before `asOf` are kept; later ones stay open).
 * `refPrefix` keeps invoice refs unique when several such clients share a database.
 */
export function monthlyPayer(
  asOf: IsoDate,
  months: number,
  daysLate: readonly number[],
  opts: { amount?: number; client?: Partial<ClientInfo>; refPrefix?: string } = {},
): ClientFacts {
  const invoices: InvoiceFact[] = [];
  const payments: PaymentFact[] = [];
  const clientRef = opts.client?.ref ?? 'C1';
  for (let m = 0; m < months; m++) {
    const issue = addDays(asOf, -30 * (months - 1 - m) - 10);
    const due = addDays(issue, 30);
    const ref = `${opts.refPrefix ?? ''}INV-${String(m + 1).padStart(3, '0')}`;
    invoices.push({ ...invoice(ref, issue, due, opts.amount ?? 100_000), clientRef });
    const paidOn = addDays(due, daysLate[m % daysLate.length]!);
    if (paidOn <= asOf) payments.push(payment(ref, paidOn, opts.amount ?? 100_000));
  }
  return clientFacts({ client: clientInfo(opts.client), invoices, payments });
}
