import { asc, eq, inArray } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../db/open.ts';
import * as t from '../../db/schema.ts';
import type { AuditEntry } from '../audit.ts';
import type { Actor } from '../callers.ts';
import { bulkInsert } from './bulk.ts';
import {
  type ClientFields,
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
  type Stored,
} from './records.ts';
import type { ImportFileName } from './spec.ts';
import type { ValidatedImport } from './validate.ts';

/** Rows per INSERT statement: large enough to amortise round trips, well under the 65,535-parameter cap. */
export const BATCH_SIZE = 1000;

/** Loads every row an import can touch, keyed by identity, in one query per table. */
export async function loadExisting(tx: DbOrTx): Promise<ExistingState> {
  const [clientRows, invoiceRows, paymentRows, allocationRows, disputeRows, eventRows, promiseRows] =
    await Promise.all([
      tx.select().from(t.clients),
      tx.select().from(t.invoices),
      tx.select().from(t.payments),
      tx.select().from(t.paymentAllocations).orderBy(asc(t.paymentAllocations.id)),
      tx.select().from(t.disputes),
      tx.select().from(t.disputeEvents).orderBy(asc(t.disputeEvents.id)),
      tx.select().from(t.promises),
    ]);
  const [orderRows, reminderRows] = await Promise.all([
    tx.select().from(t.orders),
    tx.select().from(t.reminders).where(eq(t.reminders.createdBy, 'import')),
  ]);

  const clientRef = new Map(clientRows.map((c) => [c.id, c.ref]));
  const invoiceRef = new Map(invoiceRows.map((i) => [i.id, i.ref]));
  const state: ExistingState = {
    clients: new Map(),
    invoices: new Map(),
    payments: new Map(),
    disputes: new Map(),
    events: new Set(),
    promises: new Map(),
    orders: new Map(),
    reminders: new Map(),
  };
  for (const c of clientRows) {
    state.clients.set(c.ref, {
      id: c.id,
      fields: {
        name: c.name,
        segment: c.segment,
        sector: c.sector,
        country: c.country,
        email: c.email,
        language: c.language,
        creditLimit: c.creditLimit,
        insuranceLimit: c.insuranceLimit,
        termsDays: c.termsDays,
        externalScore: c.externalScore,
        since: c.since,
      },
    });
  }
  for (const i of invoiceRows) {
    state.invoices.set(i.ref, {
      id: i.id,
      fields: {
        clientRef: clientRef.get(i.clientId)!,
        issueDate: i.issueDate,
        dueDate: i.dueDate,
        deliveredDate: i.deliveredDate,
        amount: i.amount,
        currency: i.currency,
        fxRate: normaliseDecimalText(i.fxRate),
        baseAmount: i.baseAmount,
        description: i.description,
      },
    });
  }
  const allocationsByPayment = new Map<number, (typeof allocationRows)[number][]>();
  for (const a of allocationRows) {
    const list = allocationsByPayment.get(a.paymentId);
    if (list) list.push(a);
    else allocationsByPayment.set(a.paymentId, [a]);
  }
  for (const p of paymentRows) {
    const allocations = allocationsByPayment.get(p.id) ?? [];
    state.payments.set(p.ref, {
      id: p.id,
      fields: {
        clientRef: clientRef.get(p.clientId)!,
        // A payment spread over several invoices (not from an import) compares as changed.
        invoiceRef: allocations.length === 1 ? invoiceRef.get(allocations[0]!.invoiceId)! : '',
        date: p.date,
        amount: p.amount,
        kind: p.kind,
        baseAmount: allocations.reduce((s, a) => s + a.baseAmount, 0),
      },
    });
  }
  const disputeById = new Map<number, DisputeFields>();
  for (const d of disputeRows) {
    const fields: DisputeFields = {
      invoiceRef: invoiceRef.get(d.invoiceId)!,
      openedDate: d.openedDate,
      reason: d.reason,
      status: d.status,
      resolvedDate: d.resolvedDate,
      owner: d.owner,
      amount: d.amount,
    };
    disputeById.set(d.id, fields);
    state.disputes.set(disputeKey(fields.invoiceRef, fields.openedDate), { id: d.id, fields });
  }
  const occurrences = new Map<string, number>();
  for (const e of eventRows) {
    const d = disputeById.get(e.disputeId)!;
    const fields: EventFields = {
      invoiceRef: d.invoiceRef,
      openedDate: d.openedDate,
      date: e.date,
      author: e.author,
      kind: e.kind,
      note: e.note,
    };
    const base = eventKey(fields, 0);
    const n = (occurrences.get(base) ?? 0) + 1;
    occurrences.set(base, n);
    state.events.add(eventKey(fields, n));
  }
  for (const p of promiseRows) {
    state.promises.set(p.key, {
      id: p.id,
      fields: {
        clientRef: clientRef.get(p.clientId)!,
        invoiceRef: p.invoiceId === null ? null : invoiceRef.get(p.invoiceId)!,
        madeDate: p.madeDate,
        promisedDate: p.promisedDate,
        amount: p.amount,
        status: p.status,
      },
    });
  }
  for (const o of orderRows) {
    state.orders.set(o.ref, {
      id: o.id,
      fields: { clientRef: clientRef.get(o.clientId)!, date: o.date, amount: o.amount, status: o.status },
    });
  }
  for (const r of reminderRows) {
    state.reminders.set(r.id, {
      id: r.id,
      fields: {
        clientRef: clientRef.get(r.clientId)!,
        date: r.sentDate ?? r.asOf,
        stage: r.stage,
        invoiceRefs: r.invoiceRefs,
      },
    });
  }
  return state;
}

export interface Update<F> {
  key: string;
  line: number;
  before: Partial<F>;
  after: Partial<F>;
  /** The full row after the update. */
  merged: F;
}

export interface TableDiff<F> {
  inserts: { key: string; line: number; fields: F }[];
  updates: Update<F>[];
  unchanged: number;
}

const sameValue = (a: unknown, b: unknown): boolean =>
  Array.isArray(a) || Array.isArray(b) ? JSON.stringify(a) === JSON.stringify(b) : a === b;

/** New rows (filled with defaults), rows whose provided fields differ, and the count of identical ones. */
export function diffRows<F extends object>(
  incoming: Incoming<F>[],
  stored: Map<string, Stored<F>>,
  defaults: F,
): TableDiff<F> {
  const out: TableDiff<F> = { inserts: [], updates: [], unchanged: 0 };
  for (const row of incoming) {
    const current = stored.get(row.key);
    if (!current) {
      out.inserts.push({ key: row.key, line: row.line, fields: { ...defaults, ...row.fields } });
      continue;
    }
    const before: Partial<F> = {};
    const after: Partial<F> = {};
    for (const [k, v] of Object.entries(row.fields) as [keyof F, F[keyof F]][]) {
      if (!sameValue(current.fields[k], v)) {
        before[k] = current.fields[k];
        after[k] = v;
      }
    }
    if (Object.keys(after).length) {
      out.updates.push({
        key: row.key,
        line: row.line,
        before,
        after,
        merged: { ...current.fields, ...row.fields },
      });
    } else out.unchanged++;
  }
  return out;
}

export interface ImportPlan {
  clients: TableDiff<ClientFields>;
  invoices: TableDiff<InvoiceFields>;
  payments: TableDiff<PaymentFields>;
  disputes: TableDiff<DisputeFields>;
  events: TableDiff<EventFields>;
  promises: TableDiff<PromiseFields>;
  orders: TableDiff<OrderFields>;
  reminders: TableDiff<ReminderFields>;
}

export function planImport(v: ValidatedImport, existing: ExistingState): ImportPlan {
  const events: TableDiff<EventFields> = { inserts: [], updates: [], unchanged: 0 };
  for (const e of v.events) {
    if (existing.events.has(e.key)) events.unchanged++;
    else events.inserts.push({ key: e.key, line: e.line, fields: e.fields as EventFields });
  }
  return {
    clients: diffRows(v.clients, existing.clients, {
      name: '',
      segment: null,
      sector: null,
      country: null,
      email: null,
      language: 'fr',
      creditLimit: null,
      insuranceLimit: null,
      termsDays: null,
      externalScore: null,
      since: null,
    }),
    invoices: diffRows(v.invoices, existing.invoices, {
      deliveredDate: null,
      description: null,
    } as InvoiceFields),
    payments: diffRows(v.payments, existing.payments, { kind: 'payment' } as PaymentFields),
    disputes: diffRows(v.disputes, existing.disputes, {
      status: 'open',
      resolvedDate: null,
      owner: null,
      amount: null,
    } as DisputeFields),
    events,
    promises: diffRows(v.promises, existing.promises, { madeDate: null, status: 'pending' } as PromiseFields),
    orders: diffRows(v.orders, existing.orders, { status: 'open' } as OrderFields),
    reminders: diffRows(v.reminders, existing.reminders, {} as ReminderFields),
  };
}

/** Which file feeds which part of the plan. */
export const PLAN_OF_FILE: Record<ImportFileName, keyof ImportPlan> = {
  'clients.csv': 'clients',
  'invoices.csv': 'invoices',
  'payments.csv': 'payments',
  'disputes.csv': 'disputes',
  'dispute_events.csv': 'events',
  'promises.csv': 'promises',
  'orders.csv': 'orders',
  'reminders.csv': 'reminders',
};

/** Singular entity name used in audit actions (`invoice.updated`). */
const ENTITY: Record<keyof ImportPlan, string> = {
  clients: 'client',
  invoices: 'invoice',
  payments: 'payment',
  disputes: 'dispute',
  events: 'dispute_event',
  promises: 'promise',
  orders: 'order',
  reminders: 'reminder',
};

/** Tone recorded for imported reminders, from the stage they were sent at. */
const TONE_OF_STAGE: Record<string, string> = {
  friendly: 'courteous',
  clear: 'neutral',
  firm: 'firm',
  phone_call: 'neutral',
  final_notice: 'firm',
  formal_notice: 'formal',
  legal: 'formal',
};

export type ProgressFn = (table: keyof ImportPlan, done: number, total: number) => void;

/** Runs `write` on consecutive batches of BATCH_SIZE rows, reporting progress after each. */
async function inBatches<T>(rows: T[], write: (batch: T[]) => Promise<void>, progress?: (n: number) => void) {
  for (let i = 0; i < rows.length; i += BATCH_SIZE) {
    await write(rows.slice(i, i + BATCH_SIZE));
    progress?.(Math.min(i + BATCH_SIZE, rows.length));
  }
}

type Keyed<F> = { key: string; fields: F };

/**
 * Writes the plan inside the caller's transaction: inserts in batches, updates as batched upserts,
 * and returns the audit entries describing each change (written by the caller in the same transaction).
 */
export async function applyPlan(
  tx: DbOrTx,
  plan: ImportPlan,
  existing: ExistingState,
  actor: Actor,
  onProgress?: ProgressFn,
): Promise<AuditEntry[]> {
  const audit: AuditEntry[] = [];
  const idOf = (map: Map<string, Stored<unknown>>) => new Map([...map].map(([k, v]) => [k, v.id as number]));
  const clientIds = idOf(existing.clients);
  const invoiceIds = idOf(existing.invoices);
  const disputeIds = idOf(existing.disputes);
  const languageOf = new Map([...existing.clients].map(([k, v]) => [k, v.fields.language]));
  const merged = <F>(table: keyof ImportPlan) =>
    (plan[table].updates as Update<F>[]).map((u) => ({ key: u.key, fields: u.merged }));

  /** Inserts the new rows then upserts the changed ones of one table, with progress. */
  async function write<F>(
    table: keyof ImportPlan,
    target: PgTable,
    toRow: (r: Keyed<F>) => Record<string, unknown>,
    opts: { conflict: string[]; set: string[]; returning?: string[] },
    afterBatch?: (rows: Record<string, unknown>[], isUpdate: boolean) => Promise<void>,
  ): Promise<void> {
    const inserts = plan[table].inserts as unknown as Keyed<F>[];
    const updates = merged<F>(table);
    const total = inserts.length + updates.length;
    await inBatches(
      inserts.map(toRow),
      async (batch) => {
        const returned = await bulkInsert(tx, target, batch, { returning: opts.returning });
        await afterBatch?.(returned, false);
      },
      (n) => onProgress?.(table, n, total),
    );
    await inBatches(
      updates.map(toRow),
      async (batch) => {
        const returned = await bulkInsert(tx, target, batch, {
          onConflict: { target: opts.conflict, set: opts.set },
          returning: opts.returning,
        });
        await afterBatch?.(returned, true);
      },
      (n) => onProgress?.(table, inserts.length + n, total),
    );
  }

  await write<ClientFields>(
    'clients',
    t.clients,
    ({ key, fields }) => ({ ref: key, ...fields }),
    {
      conflict: ['ref'],
      set: [
        'name',
        'segment',
        'sector',
        'country',
        'email',
        'language',
        'creditLimit',
        'insuranceLimit',
        'termsDays',
        'externalScore',
        'since',
      ],
      returning: ['id', 'ref'],
    },
    async (rows) => {
      for (const r of rows) clientIds.set(r.ref as string, r.id as number);
    },
  );
  for (const c of [...plan.clients.inserts, ...merged<ClientFields>('clients')])
    languageOf.set(c.key, c.fields.language);

  await write<InvoiceFields>(
    'invoices',
    t.invoices,
    ({ key, fields: { clientRef, ...f } }) => ({ ref: key, clientId: clientIds.get(clientRef)!, ...f }),
    {
      conflict: ['ref'],
      set: [
        'clientId',
        'issueDate',
        'dueDate',
        'deliveredDate',
        'amount',
        'currency',
        'fxRate',
        'baseAmount',
        'description',
      ],
      returning: ['id', 'ref'],
    },
    async (rows) => {
      for (const r of rows) invoiceIds.set(r.ref as string, r.id as number);
    },
  );

  // Payments, each with one allocation to its invoice (replaced when the payment changes).
  const paymentByRef = new Map<string, PaymentFields>();
  for (const p of [...plan.payments.inserts, ...merged<PaymentFields>('payments')])
    paymentByRef.set(p.key, p.fields);
  await write<PaymentFields>(
    'payments',
    t.payments,
    ({ key, fields: f }) => ({
      ref: key,
      clientId: clientIds.get(f.clientRef)!,
      date: f.date,
      amount: f.amount,
      kind: f.kind,
    }),
    { conflict: ['ref'], set: ['clientId', 'date', 'amount', 'kind'], returning: ['id', 'ref'] },
    async (rows, isUpdate) => {
      const ids = rows.map((r) => r.id as number);
      if (isUpdate) await tx.delete(t.paymentAllocations).where(inArray(t.paymentAllocations.paymentId, ids));
      await bulkInsert(
        tx,
        t.paymentAllocations,
        rows.map((r) => {
          const f = paymentByRef.get(r.ref as string)!;
          return {
            paymentId: r.id,
            invoiceId: invoiceIds.get(f.invoiceRef)!,
            amount: f.amount,
            baseAmount: f.baseAmount,
          };
        }),
      );
    },
  );

  await write<DisputeFields>(
    'disputes',
    t.disputes,
    ({ fields: { invoiceRef, ...f } }) => ({ invoiceId: invoiceIds.get(invoiceRef)!, ...f }),
    { conflict: ['invoiceId', 'openedDate'], set: ['reason', 'status', 'resolvedDate', 'owner', 'amount'] },
  );
  if (plan.disputes.inserts.length) {
    // Ids of the new disputes, for their events (one query rather than RETURNING dates per driver).
    const refOfInvoice = new Map([...invoiceIds].map(([ref, id]) => [id, ref]));
    const rows = await tx
      .select({ id: t.disputes.id, invoiceId: t.disputes.invoiceId, openedDate: t.disputes.openedDate })
      .from(t.disputes);
    for (const r of rows) disputeIds.set(disputeKey(refOfInvoice.get(r.invoiceId)!, r.openedDate), r.id);
  }

  // Dispute events are append-only: identical events are recognised, never rewritten.
  await inBatches(
    plan.events.inserts.map(({ fields: e }) => ({
      disputeId: disputeIds.get(disputeKey(e.invoiceRef, e.openedDate))!,
      date: e.date,
      author: e.author,
      kind: e.kind,
      note: e.note,
      createdBy: 'import',
    })),
    async (batch) => {
      await bulkInsert(tx, t.disputeEvents, batch);
    },
    (n) => onProgress?.('events', n, plan.events.inserts.length),
  );

  await write<PromiseFields>(
    'promises',
    t.promises,
    ({ key, fields: f }) => ({
      key,
      clientId: clientIds.get(f.clientRef)!,
      invoiceId: f.invoiceRef === null ? null : invoiceIds.get(f.invoiceRef)!,
      madeDate: f.madeDate,
      promisedDate: f.promisedDate,
      amount: f.amount,
      status: f.status,
      createdBy: 'import',
    }),
    { conflict: ['key'], set: ['madeDate', 'status'] },
  );

  await write<OrderFields>(
    'orders',
    t.orders,
    ({ key, fields: { clientRef, ...f } }) => ({ ref: key, clientId: clientIds.get(clientRef)!, ...f }),
    { conflict: ['ref'], set: ['clientId', 'date', 'amount', 'status'] },
  );

  // Reminders already sent (history).
  await write<ReminderFields>(
    'reminders',
    t.reminders,
    ({ key, fields: f }) => ({
      id: key,
      clientId: clientIds.get(f.clientRef)!,
      asOf: f.date,
      stage: f.stage,
      scenario: f.stage,
      tone: TONE_OF_STAGE[f.stage] ?? 'neutral',
      language: languageOf.get(f.clientRef) ?? 'fr',
      status: 'sent',
      invoiceRefs: f.invoiceRefs,
      sentDate: f.date,
      createdBy: 'import',
    }),
    { conflict: ['id'], set: ['invoiceRefs'] },
  );

  const inserted = Object.fromEntries(
    (Object.keys(plan) as (keyof ImportPlan)[]).map((k) => [k, plan[k].inserts.length]),
  );
  if (Object.values(inserted).some((n) => n > 0))
    audit.push({ actor, action: 'import.inserted', subject: null, data: inserted });
  for (const table of Object.keys(plan) as (keyof ImportPlan)[]) {
    for (const u of plan[table].updates as Update<object>[]) {
      audit.push({
        actor,
        action: `${ENTITY[table]}.updated`,
        subject: u.key,
        data: { before: u.before, after: u.after, source: 'import' },
      });
    }
  }
  return audit;
}
