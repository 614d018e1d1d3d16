/**
 * The import format: which files, which columns. DESIGN.md fixes the base columns; the extensions
 * (insurance_limit, fx_rate, payment kind, dispute_events.csv, reminders.csv) are additive and optional.
 */
export interface FileSpec {
  file: string;
  /** The run fails when a required file is missing. */
  requiredFile: boolean;
  required: readonly string[];
  optional: readonly string[];
}

export const FILE_SPECS = [
  {
    file: 'clients.csv',
    requiredFile: true,
    required: ['ref', 'name'],
    optional: [
      'segment',
      'sector',
      'country',
      'email',
      'language',
      'credit_limit',
      'terms_days',
      'external_score',
      'since',
      'insurance_limit',
    ],
  },
  {
    file: 'invoices.csv',
    requiredFile: true,
    required: ['ref', 'client_ref', 'issue_date', 'due_date', 'amount'],
    optional: ['currency', 'delivered_date', 'description', 'fx_rate'],
  },
  {
    file: 'payments.csv',
    requiredFile: true,
    required: ['invoice_ref', 'date', 'amount'],
    optional: ['ref', 'kind'],
  },
  {
    file: 'disputes.csv',
    requiredFile: false,
    required: ['invoice_ref', 'opened_date', 'reason'],
    optional: ['status', 'resolved_date', 'owner', 'amount'],
  },
  {
    file: 'dispute_events.csv',
    requiredFile: false,
    required: ['invoice_ref', 'opened_date', 'date', 'author', 'kind', 'note'],
    optional: [],
  },
  {
    file: 'promises.csv',
    requiredFile: false,
    required: ['client_ref', 'promised_date', 'amount'],
    optional: ['invoice_ref', 'made_date', 'status'],
  },
  {
    file: 'orders.csv',
    requiredFile: false,
    required: ['ref', 'client_ref', 'date', 'amount'],
    optional: ['status'],
  },
  {
    file: 'reminders.csv',
    requiredFile: false,
    required: ['client_ref', 'date', 'stage'],
    optional: ['invoice_refs'],
  },
] as const satisfies readonly FileSpec[];

export type ImportFileName = (typeof FILE_SPECS)[number]['file'];

/** Every import file name, in the order the files are read. */
export const IMPORT_FILES: readonly ImportFileName[] = FILE_SPECS.map((s) => s.file);

/** A file's full header: its required columns, then its optional ones. */
export function columnsOf(file: ImportFileName): string[] {
  const spec = FILE_SPECS.find((s) => s.file === file)!;
  return [...spec.required, ...spec.optional];
}

export const LANGUAGES = ['fr', 'en'] as const;
export const PAYMENT_KINDS = ['payment', 'credit_note'] as const;
export const DISPUTE_STATUSES = ['open', 'resolved', 'rejected'] as const;
export const EVENT_AUTHORS = ['client', 'us', 'system'] as const;
export const PROMISE_STATUSES = ['pending', 'kept', 'broken', 'cancelled'] as const;
export const ORDER_STATUSES = ['open', 'invoiced', 'cancelled'] as const;

/** The most problems listed in one failed run; the count still covers them all. */
export const MAX_LISTED_PROBLEMS = 100;
