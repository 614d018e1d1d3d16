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
