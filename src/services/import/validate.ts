import { daysBetween, isIsoDate, parseFrenchDate } from '../../core/dates.ts';
import { parseDecimal, toDecimalString } from '../../core/money.ts';
import { DUNNING_STAGES } from '../../core/policy.ts';
import { sha256 } from '../hash.ts';
import type { CsvFile, CsvRow } from './csv.ts';
import {
  type ClientFields,
  convertExact,
  type DisputeFields,
  disputeKey,
  type EventFields,
  type ExistingState,
  eventKey,
  type Incoming,
  type InvoiceFields,
  normaliseDecimalText,
  type OrderFields,
  type PaymentFields,
  type PromiseFields,
  type ReminderFields,
} from './records.ts';
import {
  DISPUTE_STATUSES,
  EVENT_AUTHORS,
  type ImportFileName,
  LANGUAGES,
  ORDER_STATUSES,
  PAYMENT_KINDS,
  PROMISE_STATUSES,
} from './spec.ts';

export type DateFormat = 'yyyy-mm-dd' | 'dd/mm/yyyy';

export interface ValidateOptions {
  baseCurrency: string;
  dateFormat: DateFormat;
}

/** Every row of every file, checked and converted; problems block the run, warnings do not. */
export interface ValidatedImport {
  clients: Incoming<ClientFields>[];
  invoices: Incoming<InvoiceFields>[];
  payments: Incoming<PaymentFields>[];
  disputes: Incoming<DisputeFields>[];
  events: Incoming<EventFields>[];
  promises: Incoming<PromiseFields>[];
  orders: Incoming<OrderFields>[];
  reminders: Incoming<ReminderFields>[];
  problems: string[];
  warnings: { file: ImportFileName; text: string }[];
}

/** Reads cells of one row, converting them and recording a problem for each bad one. */
class RowReader {
  ok = true;
  constructor(
    private readonly file: CsvFile,
    readonly row: CsvRow,
    private readonly opts: ValidateOptions,
    private readonly problems: string[],
  ) {}

  /** Adds a blocking problem at this row. */
  fail(column: string, reason: string): void {
    this.ok = false;
    this.problems.push(`${this.file.name}:${this.row.line}: ${column}: ${reason}`);
  }

  /** Column present in the header? Absent optional columns leave stored values untouched. */
  has(column: string): boolean {
    return this.file.columns.includes(column);
  }

  /** undefined: column absent; null: empty cell (an error when required). */
  text(column: string, required = false): string | null | undefined {
    if (!this.has(column)) return undefined;
    const v = this.row.cells[column] ?? '';
    if (v === '') {
      if (required) this.fail(column, 'required value is empty');
      return null;
    }
    return v;
  }

  amount(column: string, required = false): number | null | undefined {
    const v = this.text(column, required);
    if (v === null || v === undefined) return v;
    const normalised = this.file.decimalComma ? v.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.') : v;
    const minor = parseDecimal(normalised);
    if (minor === null) {
      const expected = this.file.decimalComma ? 'like 1234,56' : 'like 1234.56';
      const why = /^-?\d+[.,]\d{3,}$/.test(normalised)
        ? 'more than 2 decimal places'
        : 'not a decimal amount';
      this.fail(column, `${why} (expected ${expected}): "${v}"`);
      return null;
    }
    if (minor < 0) {
      this.fail(column, `must not be negative, got "${v}"`);
      return null;
    }
    return minor;
  }

  /** A positive decimal kept as normalised text (exchange rates). */
  rate(column: string): string | null | undefined {
    const v = this.text(column);
    if (v === null || v === undefined) return v;
    const normalised = this.file.decimalComma ? v.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.') : v;
    if (!/^\d+(\.\d{1,12})?$/.test(normalised) || !/[1-9]/.test(normalised)) {
      this.fail(
        column,
        `expected a positive decimal rate like ${this.file.decimalComma ? '1,0845' : '1.0845'}, got "${v}"`,
      );
      return null;
    }
    return normaliseDecimalText(normalised);
  }

  date(column: string, required = false): string | null | undefined {
    const v = this.text(column, required);
    if (v === null || v === undefined) return v;
    const iso = this.opts.dateFormat === 'dd/mm/yyyy' ? parseFrenchDate(v) : isIsoDate(v) ? v : null;
    if (iso === null) {
      const expected = this.opts.dateFormat === 'dd/mm/yyyy' ? 'DD/MM/YYYY' : 'YYYY-MM-DD';
      this.fail(column, `not a date (expected ${expected}): "${v}"`);
      return null;
    }
    return iso;
  }

  int(column: string, min: number, max: number): number | null | undefined {
    const v = this.text(column);
    if (v === null || v === undefined) return v;
    const n = Number(v);
    if (!/^-?\d+$/.test(v) || n < min || n > max) {
      this.fail(column, `expected a whole number from ${min} to ${max}, got "${v}"`);
      return null;
    }
    return n;
  }

  choice<T extends string>(column: string, values: readonly T[], fallback: T): T | undefined {
    const v = this.text(column);
    if (v === undefined) return undefined;
    if (v === null) return fallback;
    const lower = v.toLowerCase() as T;
    if (!values.includes(lower)) {
      this.fail(column, `expected one of ${values.join(', ')}, got "${v}"`);
      return fallback;
    }
    return lower;
  }
}

/** Drops undefined entries so "not provided" stays distinguishable from null. */
function provided<F>(fields: { [K in keyof F]: F[K] | undefined }): Partial<F> {
  const out: Partial<F> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** Tracks first occurrences of a key within one file to report duplicates. */
class Uniques {
  private readonly first = new Map<string, number>();
  /** The line where `key` was first seen, or undefined (and remembers this one). */
  check(key: string, line: number): number | undefined {
    const seen = this.first.get(key);
    if (seen === undefined) this.first.set(key, line);
    return seen;
  }

  /** Fails the row when its `ref` was already seen in this file, naming the first line. */
  checkRef(r: RowReader, ref: string | null | undefined): void {
    if (!ref) return;
    const first = this.check(ref, r.row.line);
    if (first !== undefined) r.fail('ref', `duplicate ref "${ref}" (first on line ${first})`);
  }
}

/** Counts occurrences of a key, for identities built from content (payments without ref, events). */
class Occurrences {
  private readonly counts = new Map<string, number>();
  next(key: string): number {
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    return n;
  }
}

const money = (minor: number) => toDecimalString(minor);

/**
 * Checks and converts every row. References resolve against the files first, then the database
 * (so a later import may add invoices for clients imported earlier). All problems are collected.
 */
export function validateImport(
  files: Map<ImportFileName, CsvFile>,
  existing: ExistingState,
  opts: ValidateOptions,
): ValidatedImport {
  const out: ValidatedImport = {
    clients: [],
    invoices: [],
    payments: [],
    disputes: [],
    events: [],
    promises: [],
    orders: [],
    reminders: [],
    problems: [],
    warnings: [],
  };
  const reader = (file: CsvFile, row: CsvRow) => new RowReader(file, row, opts, out.problems);
  const warn = (file: CsvFile, line: number, column: string, reason: string) =>
    out.warnings.push({
      file: file.name as ImportFileName,
      text: `${file.name}:${line}: ${column}: ${reason}`,
    });

  // Refs seen in files, valid or not: a bad row must not cascade into "unknown ref" problems.
  const clientRefsSeen = new Set<string>();
  const invoiceRefsSeen = new Set<string>();
  const disputeKeysSeen = new Set<string>();
  const clientOf = (ref: string) => (clientRefsSeen.has(ref) || existing.clients.has(ref) ? ref : null);
  const fileInvoices = new Map<string, InvoiceFields>();
  const invoiceOf = (ref: string): InvoiceFields | null | 'invalid' =>
    fileInvoices.get(ref) ??
    (invoiceRefsSeen.has(ref) ? 'invalid' : (existing.invoices.get(ref)?.fields ?? null));
  /** The row's client_ref, failing the row when neither the files nor the database have it. */
  const knownClient = (r: RowReader) => {
    const ref = r.text('client_ref', true);
    if (ref && !clientOf(ref)) r.fail('client_ref', `unknown client "${ref}"`);
    return ref;
  };
  /** The row's invoice_ref and the invoice it names, failing the row when none has it. */
  const knownInvoice = (r: RowReader, required: boolean) => {
    const invoiceRef = r.text('invoice_ref', required);
    const invoice = invoiceRef ? invoiceOf(invoiceRef) : null;
    if (invoiceRef && invoice === null) r.fail('invoice_ref', `unknown invoice "${invoiceRef}"`);
    return { invoiceRef, invoice };
  };

  const clientsFile = files.get('clients.csv');
  if (clientsFile) {
    const uniques = new Uniques();
    for (const row of clientsFile.rows) {
      const r = reader(clientsFile, row);
      const ref = r.text('ref', true);
      uniques.checkRef(r, ref);
      if (ref) clientRefsSeen.add(ref);
      const fields = provided<ClientFields>({
        name: r.text('name', true) ?? undefined,
        segment: lowerOrNull(r.text('segment')),
        sector: lowerOrNull(r.text('sector')),
        country: upperOrNull(r.text('country')),
        email: r.text('email'),
        language: r.choice('language', LANGUAGES, 'fr'),
        creditLimit: r.amount('credit_limit'),
        insuranceLimit: r.amount('insurance_limit'),
        termsDays: r.int('terms_days', 0, 365),
        externalScore: r.int('external_score', 1, 100),
        since: r.date('since'),
      });
      if (fields.country && !/^[A-Z]{2}$/.test(fields.country))
        r.fail('country', `expected a 2-letter ISO country code like FR, got "${fields.country}"`);
      if (fields.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(fields.email))
        r.fail('email', `not an email address: "${fields.email}"`);
      if (r.ok && ref) out.clients.push({ key: ref, line: row.line, fields });
    }
  }

  const invoicesFile = files.get('invoices.csv');
  if (invoicesFile) {
    const uniques = new Uniques();
    for (const row of invoicesFile.rows) {
      const r = reader(invoicesFile, row);
      const ref = r.text('ref', true);
      uniques.checkRef(r, ref);
      if (ref) invoiceRefsSeen.add(ref);
      const clientRef = knownClient(r);
      const issueDate = r.date('issue_date', true);
      const dueDate = r.date('due_date', true);
      if (issueDate && dueDate && dueDate < issueDate)
        r.fail('due_date', `due date ${dueDate} is before issue date ${issueDate}`);
      const amount = r.amount('amount', true);
      const currencyText = r.text('currency');
      const currency = currencyText ? currencyText.toUpperCase() : opts.baseCurrency;
      if (!/^[A-Z]{3}$/.test(currency))
        r.fail('currency', `expected a 3-letter ISO currency code like EUR, got "${currencyText}"`);
      const rate = r.rate('fx_rate');
      let fxRate = '1';
      if (currency !== opts.baseCurrency) {
        if (rate) fxRate = rate;
        // An unreadable rate was reported by `rate()`; only a missing one is reported here.
        else if ((row.cells.fx_rate ?? '') === '')
          r.fail('fx_rate', `invoice in ${currency} needs an exchange rate to ${opts.baseCurrency}`);
      } else if (rate && rate !== '1') {
        r.fail(
          'fx_rate',
          `an invoice in ${opts.baseCurrency} (the base currency) must have rate 1, got "${rate}"`,
        );
      }
      const deliveredDate = r.date('delivered_date');
      const description = r.text('description');
      if (!r.ok || !ref || !clientRef || !issueDate || !dueDate || amount == null) continue;
      if (deliveredDate && daysBetween(issueDate, deliveredDate) > 30)
        warn(
          invoicesFile,
          row.line,
          'delivered_date',
          `delivered ${deliveredDate}, ${daysBetween(issueDate, deliveredDate)} days after the invoice date ${issueDate}`,
        );
      if (amount === 0) warn(invoicesFile, row.line, 'amount', 'invoice amount is zero');
      const fields: InvoiceFields = {
        clientRef,
        issueDate,
        dueDate,
        deliveredDate: deliveredDate ?? null,
        amount,
        currency,
        fxRate,
        baseAmount: convertExact(amount, fxRate),
        description: description ?? null,
      };
      fileInvoices.set(ref, fields);
      const stored = existing.invoices.get(ref)?.fields;
      // Absent optional columns keep what is stored.
      const partial: Partial<InvoiceFields> = { ...fields };
      if (deliveredDate === undefined) delete partial.deliveredDate;
      if (description === undefined) delete partial.description;
      if (stored && !r.has('currency') && !r.has('fx_rate')) {
        partial.currency = stored.currency;
        partial.fxRate = stored.fxRate;
        partial.baseAmount = convertExact(amount, stored.fxRate);
        fileInvoices.set(ref, {
          ...fields,
          currency: stored.currency,
          fxRate: stored.fxRate,
          baseAmount: partial.baseAmount,
        });
      }
      out.invoices.push({ key: ref, line: row.line, fields: partial });
    }
  }

  const paymentsFile = files.get('payments.csv');
  if (paymentsFile) {
    const uniques = new Uniques();
    const occurrences = new Occurrences();
    const inFile: { key: string; fields: PaymentFields; line: number }[] = [];
    for (const row of paymentsFile.rows) {
      const r = reader(paymentsFile, row);
      const { invoiceRef, invoice } = knownInvoice(r, true);
      const date = r.date('date', true);
      const amount = r.amount('amount', true);
      if (amount === 0) r.fail('amount', 'must be more than zero');
      const kind = r.choice('kind', PAYMENT_KINDS, 'payment') ?? 'payment';
      const ref = r.text('ref');
      uniques.checkRef(r, ref);
      if (!r.ok || !invoiceRef || !date || !amount || !invoice || invoice === 'invalid') continue;
      const triple = `${invoiceRef}/${date}/${money(amount)}`;
      const key = ref ?? `auto:${triple}/${occurrences.next(triple)}`;
      const fields: PaymentFields = {
        clientRef: invoice.clientRef,
        invoiceRef,
        date,
        amount,
        kind,
        baseAmount: convertExact(amount, invoice.fxRate),
      };
      if (date < invoice.issueDate)
        warn(
          paymentsFile,
          row.line,
          'date',
          `payment dated ${date}, before invoice ${invoiceRef} was issued (${invoice.issueDate})`,
        );
      inFile.push({ key, fields, line: row.line });
      out.payments.push({ key, line: row.line, fields });
    }
    spreadRounding(inFile, existing, invoiceOf);
    warnOverpayments(inFile, existing, invoiceOf, (line, text) => warn(paymentsFile, line, 'amount', text));
  }

  const disputesFile = files.get('disputes.csv');
  const fileDisputes = new Map<string, DisputeFields>();
  if (disputesFile) {
    const uniques = new Uniques();
    for (const row of disputesFile.rows) {
      const r = reader(disputesFile, row);
      const { invoiceRef, invoice } = knownInvoice(r, true);
      const openedDate = r.date('opened_date', true);
      if (invoiceRef && openedDate) {
        const key = disputeKey(invoiceRef, openedDate);
        disputeKeysSeen.add(key);
        const first = uniques.check(key, row.line);
        if (first !== undefined)
          r.fail(
            'opened_date',
            `duplicate dispute on ${invoiceRef} opened ${openedDate} (first on line ${first})`,
          );
      }
      const reason = r.text('reason', true);
      const resolvedDate = r.date('resolved_date');
      // Without a status, a resolved date means resolved.
      let status: string | undefined = r.choice(
        'status',
        DISPUTE_STATUSES,
        resolvedDate ? 'resolved' : 'open',
      );
      if (status === undefined && resolvedDate !== undefined) status = resolvedDate ? 'resolved' : 'open';
      if (status && status !== 'open' && (row.cells.resolved_date ?? '') === '')
        r.fail('resolved_date', `required when the status is ${status}`);
      if (status === 'open' && resolvedDate)
        r.fail('resolved_date', 'given for a dispute whose status is open');
      if (resolvedDate && openedDate && resolvedDate < openedDate)
        r.fail('resolved_date', `resolved ${resolvedDate}, before it was opened (${openedDate})`);
      const owner = r.text('owner');
      const amount = r.amount('amount');
      if (!r.ok || !invoiceRef || !openedDate || !reason || !invoice || invoice === 'invalid') continue;
      if (amount && amount > invoice.amount)
        warn(
          disputesFile,
          row.line,
          'amount',
          `disputed amount ${money(amount)} is more than invoice ${invoiceRef} (${money(invoice.amount)})`,
        );
      const fields = provided<DisputeFields>({
        invoiceRef,
        openedDate,
        reason,
        status,
        resolvedDate,
        owner,
        amount,
      });
      if (status !== undefined && resolvedDate === undefined) fields.resolvedDate = null;
      const key = disputeKey(invoiceRef, openedDate);
      fileDisputes.set(key, { ...fields, status: status ?? 'open' } as DisputeFields);
      out.disputes.push({ key, line: row.line, fields });
    }
  }

  const eventsFile = files.get('dispute_events.csv');
  if (eventsFile) {
    const occurrences = new Occurrences();
    for (const row of eventsFile.rows) {
      const r = reader(eventsFile, row);
      const invoiceRef = r.text('invoice_ref', true);
      const openedDate = r.date('opened_date', true);
      const date = r.date('date', true);
      const author = r.choice('author', EVENT_AUTHORS, 'system');
      const kind = r.text('kind', true);
      const note = r.text('note', true);
      if (invoiceRef && openedDate) {
        const key = disputeKey(invoiceRef, openedDate);
        if (!disputeKeysSeen.has(key) && !existing.disputes.has(key))
          r.fail('opened_date', `no dispute on invoice "${invoiceRef}" opened ${openedDate}`);
      }
      if (!r.ok || !invoiceRef || !openedDate || !date || !author || !kind || !note) continue;
      if (date < openedDate)
        warn(
          eventsFile,
          row.line,
          'date',
          `event dated ${date}, before the dispute was opened (${openedDate})`,
        );
      const fields: EventFields = { invoiceRef, openedDate, date, author, kind, note };
      const base = eventKey(fields, 0);
      out.events.push({ key: eventKey(fields, occurrences.next(base)), line: row.line, fields });
    }
  }

  const promisesFile = files.get('promises.csv');
  if (promisesFile) {
    const uniques = new Uniques();
    for (const row of promisesFile.rows) {
      const r = reader(promisesFile, row);
      const clientRef = knownClient(r);
      const { invoiceRef, invoice } = knownInvoice(r, false);
      if (invoiceRef) checkOwner(r, 'invoice_ref', invoiceRef, invoice, clientRef);
      const promisedDate = r.date('promised_date', true);
      const amount = r.amount('amount', true);
      if (amount === 0) r.fail('amount', 'must be more than zero');
      const madeDate = r.date('made_date');
      const status = r.choice('status', PROMISE_STATUSES, 'pending');
      if (!r.ok || !clientRef || !promisedDate || !amount) continue;
      const key = `${clientRef}|${invoiceRef ?? ''}|${promisedDate}|${money(amount)}`;
      const first = uniques.check(key, row.line);
      if (first !== undefined) {
        r.fail('promised_date', `duplicate promise ${key} (first on line ${first})`);
        continue;
      }
      if (madeDate && madeDate > promisedDate)
        warn(
          promisesFile,
          row.line,
          'made_date',
          `promise made ${madeDate}, after the promised date ${promisedDate}`,
        );
      out.promises.push({
        key,
        line: row.line,
        fields: provided<PromiseFields>({
          clientRef,
          invoiceRef: invoiceRef ?? null,
          madeDate,
          promisedDate,
          amount,
          status,
        }),
      });
    }
  }

  const ordersFile = files.get('orders.csv');
  if (ordersFile) {
    const uniques = new Uniques();
    for (const row of ordersFile.rows) {
      const r = reader(ordersFile, row);
      const ref = r.text('ref', true);
      uniques.checkRef(r, ref);
      const clientRef = knownClient(r);
      const date = r.date('date', true);
      const amount = r.amount('amount', true);
      const status = r.choice('status', ORDER_STATUSES, 'open');
      if (!r.ok || !ref || !clientRef || !date || amount == null) continue;
      out.orders.push({
        key: ref,
        line: row.line,
        fields: provided<OrderFields>({ clientRef, date, amount, status }),
      });
    }
  }

  const remindersFile = files.get('reminders.csv');
  if (remindersFile) {
    const occurrences = new Occurrences();
    for (const row of remindersFile.rows) {
      const r = reader(remindersFile, row);
      const clientRef = knownClient(r);
      const date = r.date('date', true);
      const stageText = r.text('stage', true);
      const stage = stageText?.toLowerCase();
      if (stage && !(DUNNING_STAGES as readonly string[]).includes(stage))
        r.fail('stage', `expected one of ${DUNNING_STAGES.join(', ')}, got "${stageText}"`);
      const refsText = r.text('invoice_refs');
      const invoiceRefs = refsText
        ? refsText
            .split('|')
            .map((s) => s.trim())
            .filter(Boolean)
        : [];
      for (const ref of invoiceRefs) {
        const invoice = invoiceOf(ref);
        if (invoice === null) r.fail('invoice_refs', `unknown invoice "${ref}"`);
        else checkOwner(r, 'invoice_refs', ref, invoice, clientRef);
      }
      if (!r.ok || !clientRef || !date || !stage) continue;
      const identity = `${clientRef}|${date}|${stage}`;
      const key = `rem_imp_${sha256(`${identity}|${occurrences.next(identity)}`).slice(0, 20)}`;
      out.reminders.push({ key, line: row.line, fields: { clientRef, date, stage, invoiceRefs } });
    }
  }
  return out;
}

/**
 * Base-currency value of payments on a foreign-currency invoice: each payment gets the difference of
 * the converted running totals, so an invoice paid in instalments converts to exactly its own base
 * amount instead of being left a cent open by per-payment rounding.
 */
function spreadRounding(
  inFile: { key: string; fields: PaymentFields; line: number }[],
  existing: ExistingState,
  invoiceOf: (ref: string) => InvoiceFields | null | 'invalid',
): void {
  const keys = new Set(inFile.map((p) => p.key));
  const byInvoice = new Map<string, { fields: PaymentFields; line: number }[]>();
  for (const p of inFile) {
    const invoice = invoiceOf(p.fields.invoiceRef);
    if (!invoice || invoice === 'invalid' || invoice.fxRate === '1') continue;
    const list = byInvoice.get(p.fields.invoiceRef);
    if (list) list.push(p);
    else byInvoice.set(p.fields.invoiceRef, [p]);
  }
  const storedTotal = new Map<string, number>();
  for (const [key, p] of existing.payments)
    if (!keys.has(key) && byInvoice.has(p.fields.invoiceRef))
      storedTotal.set(p.fields.invoiceRef, (storedTotal.get(p.fields.invoiceRef) ?? 0) + p.fields.amount);
  for (const [ref, list] of byInvoice) {
    const rate = (invoiceOf(ref) as InvoiceFields).fxRate;
    list.sort(byDateThenLine);
    let total = storedTotal.get(ref) ?? 0;
    for (const p of list) {
      const before = convertExact(total, rate);
      total += p.fields.amount;
      p.fields.baseAmount = convertExact(total, rate) - before;
    }
  }
}

/** Warns once per invoice when payments and credit notes add up to more than the invoice amount. */
function warnOverpayments(
  inFile: { key: string; fields: PaymentFields; line: number }[],
  existing: ExistingState,
  invoiceOf: (ref: string) => InvoiceFields | null | 'invalid',
  warn: (line: number, text: string) => void,
): void {
  const keys = new Set(inFile.map((p) => p.key));
  const totals = new Map<string, number>();
  // Stored payments the file does not mention still count towards the invoice.
  for (const [key, p] of existing.payments) {
    if (!keys.has(key))
      totals.set(p.fields.invoiceRef, (totals.get(p.fields.invoiceRef) ?? 0) + p.fields.amount);
  }
  const warned = new Set<string>();
  const ordered = [...inFile].sort(byDateThenLine);
  for (const p of ordered) {
    const ref = p.fields.invoiceRef;
    const total = (totals.get(ref) ?? 0) + p.fields.amount;
    totals.set(ref, total);
    const invoice = invoiceOf(ref);
    if (!invoice || invoice === 'invalid' || warned.has(ref) || total <= invoice.amount) continue;
    warned.add(ref);
    warn(
      p.line,
      `payments on ${ref} total ${money(total)}, more than its amount ${money(invoice.amount)} (overpaid by ${money(total - invoice.amount)})`,
    );
  }
}

const lowerOrNull = (v: string | null | undefined) => (v == null ? v : v.toLowerCase());
const upperOrNull = (v: string | null | undefined) => (v == null ? v : v.toUpperCase());

/** Payments in date order, file order within a day. */
const byDateThenLine = (
  a: { fields: PaymentFields; line: number },
  b: { fields: PaymentFields; line: number },
) => (a.fields.date < b.fields.date ? -1 : a.fields.date > b.fields.date ? 1 : a.line - b.line);

/** Fails the row when an invoice it names belongs to another client than its own. */
function checkOwner(
  r: RowReader,
  column: string,
  invoiceRef: string,
  invoice: InvoiceFields | null | 'invalid',
  clientRef: string | null | undefined,
): void {
  if (invoice && invoice !== 'invalid' && clientRef && invoice.clientRef !== clientRef)
    r.fail(column, `invoice "${invoiceRef}" belongs to client "${invoice.clientRef}", not "${clientRef}"`);
}
