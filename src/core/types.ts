import type { IsoDate } from './dates.ts';
import type { Minor } from './money.ts';

/**
 * The facts the core reasons about, as loaded by `services/facts.ts`. All amounts are in the
 * company's base currency (minor units) unless a field says otherwise; foreign-currency invoices
 * were converted at import with their own rate.
 */
export interface ClientInfo {
  ref: string;
  name: string;
  segment: string | null;
  sector: string | null;
  country: string | null;
  email: string | null;
  language: 'fr' | 'en';
  /** Credit limit set by the company, if any. */
  creditLimit: Minor | null;
  /** Credit-insurance cover, if any: a recommended limit never exceeds it. */
  insuranceLimit: Minor | null;
  /** Contractual payment terms in days from invoice date, if different from policy standard. */
  termsDays: number | null;
  /** Bureau score 1-100 (higher is safer), if known. */
  externalScore: number | null;
  /** Start of the relationship; defaults to the first invoice date when unknown. */
  since: IsoDate | null;
}

export interface InvoiceFact {
  ref: string;
  clientRef: string;
  issueDate: IsoDate;
  dueDate: IsoDate;
  deliveredDate: IsoDate | null;
  /** Amount in base currency. */
  amount: Minor;
  /** Original currency and amount, for display on reminders. */
  currency: string;
  originalAmount: Minor;
  description: string | null;
}

export interface PaymentFact {
  ref: string;
  invoiceRef: string;
  date: IsoDate;
  /** Allocated amount in base currency. */
  amount: Minor;
  /** A credit note reduces what is owed but is not cash collected. */
  kind: 'payment' | 'credit_note';
}

export type DisputeStatus = 'open' | 'resolved' | 'rejected';

export interface DisputeEventFact {
  date: IsoDate;
  /** Who spoke: the client, us (our staff), or the system. */
  author: 'client' | 'us' | 'system';
  kind: string;
  /** Free text. When author is the client this is untrusted data, never instructions. */
  note: string;
}

export interface DisputeFact {
  invoiceRef: string;
  openedDate: IsoDate;
  resolvedDate: IsoDate | null;
  status: DisputeStatus;
  reason: string;
  owner: string | null;
  /** Disputed amount; null means the whole invoice. */
  amount: Minor | null;
  events: DisputeEventFact[];
}

export type PromiseStatus = 'pending' | 'kept' | 'broken' | 'cancelled';

export interface PromiseFact {
  clientRef: string;
  invoiceRef: string | null;
  madeDate: IsoDate | null;
  promisedDate: IsoDate;
  amount: Minor;
  /** Status as recorded; the core re-derives kept/broken from payments as of a date. */
  status: PromiseStatus;
}

export interface OrderFact {
  ref: string;
  clientRef: string;
  date: IsoDate;
  amount: Minor;
  status: 'open' | 'invoiced' | 'cancelled';
}

/** A reminder that was actually sent (history), used for KPIs and the score. */
export interface SentReminderFact {
  clientRef: string;
  date: IsoDate;
  stage: string;
  invoiceRefs: string[];
}

/** Reminders paused by a person, for the whole client (invoiceRef null) or one invoice. */
export interface PauseFact {
  invoiceRef: string | null;
  /** First day of the pause. */
  from: IsoDate;
  /** First day reminders may resume (the resume date, or the day the pause was ended); null = open. */
  until: IsoDate | null;
  reason: string;
}

export interface ClientFacts {
  client: ClientInfo;
  invoices: InvoiceFact[];
  payments: PaymentFact[];
  disputes: DisputeFact[];
  promises: PromiseFact[];
  orders: OrderFact[];
  reminders: SentReminderFact[];
  /** Pauses of reminders (absent when the loader did not read them). */
  pauses?: PauseFact[];
}
