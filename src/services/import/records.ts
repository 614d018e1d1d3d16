/**
 * The comparable shape of each imported entity: foreign keys as refs (not database ids) so rows
 * from a file and rows loaded from the database can be compared field by field.
 */
export interface ClientFields {
  name: string;
  segment: string | null;
  sector: string | null;
  country: string | null;
  email: string | null;
  language: string;
  creditLimit: number | null;
  insuranceLimit: number | null;
  termsDays: number | null;
  externalScore: number | null;
  since: string | null;
}

export interface InvoiceFields {
  clientRef: string;
  issueDate: string;
  dueDate: string;
  deliveredDate: string | null;
  amount: number;
  currency: string;
  /** Normalised decimal text: "1", "1.0845". */
  fxRate: string;
  baseAmount: number;
  description: string | null;
}

export interface PaymentFields {
  clientRef: string;
  invoiceRef: string;
  date: string;
  /** In the invoice currency. */
  amount: number;
  kind: string;
  /** Allocated amount in base currency. */
  baseAmount: number;
}

export interface DisputeFields {
  invoiceRef: string;
  openedDate: string;
  reason: string;
  status: string;
  resolvedDate: string | null;
  owner: string | null;
  amount: number | null;
}

export interface EventFields {
  invoiceRef: string;
  openedDate: string;
  date: string;
  author: string;
  kind: string;
  note: string;
}

export interface PromiseFields {
  clientRef: string;
  invoiceRef: string | null;
  madeDate: string | null;
  promisedDate: string;
  amount: number;
  status: string;
}

export interface OrderFields {
  clientRef: string;
  date: string;
  amount: number;
  status: string;
}

export interface ReminderFields {
  clientRef: string;
  date: string;
  stage: string;
  invoiceRefs: string[];
}

/** A row read from a file: its identity, its line, and the fields it provides (absent column = undefined). */
export interface Incoming<F> {
  key: string;
  line: number;
  fields: Partial<F>;
}

/** A row already in the database. */
export interface Stored<F> {
  id: number | string;
  fields: F;
}

export interface EntityMaps {
  clients: Map<string, ClientFields>;
  invoices: Map<string, InvoiceFields>;
  payments: Map<string, PaymentFields>;
  disputes: Map<string, DisputeFields>;
  promises: Map<string, PromiseFields>;
  orders: Map<string, OrderFields>;
  reminders: Map<string, ReminderFields>;
}

/** What the database holds before the run, by identity key. */
export interface ExistingState {
  clients: Map<string, Stored<ClientFields>>;
  invoices: Map<string, Stored<InvoiceFields>>;
  payments: Map<string, Stored<PaymentFields>>;
  disputes: Map<string, Stored<DisputeFields>>;
  /** Event identity keys (with occurrence numbers) already stored. */
  events: Set<string>;
  promises: Map<string, Stored<PromiseFields>>;
  orders: Map<string, Stored<OrderFields>>;
  reminders: Map<string, Stored<ReminderFields>>;
}

export const disputeKey = (invoiceRef: string, openedDate: string): string => `${invoiceRef}|${openedDate}`;

/** Events have no natural key: the full content plus its occurrence number identifies one. */
export const eventKey = (e: EventFields, occurrence: number): string =>
  JSON.stringify([e.invoiceRef, e.openedDate, e.date, e.author, e.kind, e.note, occurrence]);

/** "1.0800" -> "1.08", "2." -> "2": one spelling per value so rates compare as text. */
export function normaliseDecimalText(text: string): string {
  if (!text.includes('.')) return text.replace(/^0+(?=\d)/, '');
  const trimmed = text.replace(/0+$/, '').replace(/\.$/, '');
  return trimmed.replace(/^0+(?=\d)/, '');
}

/**
 * amount (minor units) x rate, exactly, rounded half away from zero. Rates are decimal text so no
 * float enters the conversion.
 */
export function convertExact(amount: number, rate: string): number {
  const [whole, frac = ''] = rate.split('.') as [string, string?];
  const scale = 10n ** BigInt(frac.length);
  const numerator = BigInt(amount) * BigInt(whole + frac);
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  let q = abs / scale;
  if ((abs % scale) * 2n >= scale) q += 1n;
  return Number(negative ? -q : q);
}
