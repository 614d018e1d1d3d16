import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PgTable } from 'drizzle-orm/pg-core';
import { type Database, openDatabase } from '../src/db/open.ts';
import * as t from '../src/db/schema.ts';
import { DEMO_FILES } from '../src/services/demo/index.ts';
import { BATCH_SIZE, type ImportPlan, loadExisting, planImport } from '../src/services/import/apply.ts';
import { bulkInsert } from '../src/services/import/bulk.ts';
import { importDirectory, readImportFiles } from '../src/services/import/index.ts';
import { validateImport } from '../src/services/import/validate.ts';
import { postgresAnswers } from '../test/support/databases.ts';
import {
  BENCH_CALLER,
  benchContext,
  freshDir,
  freshPostgresDatabase,
  generateBenchPortfolio,
  seconds,
} from './support.ts';

/**
 * Import of a generated 100,000-invoice portfolio (2,000 clients, with its payments, disputes,
 * promises, orders and reminder history) into a fresh database, against a plain bulk INSERT of the
 * same rows through the same driver, same batch size, in the same run. Target: import <= 3x plain.
 */
const CLIENTS = 2000;
const INVOICES = 100_000;

export default async function benchImport(): Promise<void> {
  let t0 = performance.now();
  const portfolio = generateBenchPortfolio(CLIENTS, INVOICES);
  const csvDir = freshDir('import-csv');
  for (const f of DEMO_FILES) writeFileSync(join(csvDir, f), portfolio.files[f]);
  const totalRows = Object.values(portfolio.rows).reduce((a, b) => a + b, 0);
  const invoices = portfolio.rows['invoices.csv'];
  process.stdout.write(
    `import: generated ${invoices} invoices, ${totalRows} rows in ${DEMO_FILES.length} files in ${seconds(performance.now() - t0)}\n`,
  );

  // The plain insert gets the rows already converted (parsing and validation are import work).
  t0 = performance.now();
  const rows = await plainRows(csvDir);
  process.stdout.write(`import: prepared plain rows in ${seconds(performance.now() - t0)}\n`);

  const drivers: ('pglite' | 'postgres')[] = ['pglite'];
  if (await postgresAnswers()) drivers.push('postgres');
  else process.stdout.write('import: PostgreSQL not reachable, PGlite only\n');

  for (const driver of drivers) {
    // Baselines first: a later run in the same process would otherwise get a warmer runtime.
    const plainMs = await onFreshDatabase(driver, async (database) => {
      const start = performance.now();
      await insertPlain(database, rows);
      return performance.now() - start;
    });
    const jsonMs = await onFreshDatabase(driver, async (database) => {
      const start = performance.now();
      await insertPlain(database, rows, true);
      return performance.now() - start;
    });
    const importMs = await onFreshDatabase(driver, async (database) => {
      const start = performance.now();
      const report = await importDirectory(benchContext(database), csvDir, { actor: BENCH_CALLER });
      const ms = performance.now() - start;
      if (report.totals.inserted !== totalRows)
        throw new Error(`import inserted ${report.totals.inserted} rows, expected ${totalRows}`);
      return ms;
    });
    const ratio = importMs / plainMs;
    const strict = importMs / jsonMs;
    const perSecond = (ms: number) => `${Math.round(invoices / (ms / 1000))} invoices/s`;
    process.stdout.write(
      [
        `import (${driver}, ${invoices} invoices, ${totalRows} rows in all tables, batch ${BATCH_SIZE}):`,
        `  encours import (read, validate, diff, write, audit)  ${seconds(importMs)}  ${perSecond(importMs)}  ${Math.round(totalRows / (importMs / 1000))} rows/s`,
        `  plain INSERT ... VALUES of the same rows            ${seconds(plainMs)}  ${perSecond(plainMs)}`,
        `  plain INSERT ... jsonb_to_recordset (import's way)  ${seconds(jsonMs)}  ${perSecond(jsonMs)}`,
        `  ratio import / plain VALUES insert  ${ratio.toFixed(2)}x (target <= 3x): ${ratio <= 3 ? 'OK' : 'OVER TARGET'}`,
        `  ratio import / plain jsonb insert   ${strict.toFixed(2)}x`,
        '',
      ].join('\n'),
    );
  }
  rmSync(csvDir, { recursive: true, force: true });
}

async function onFreshDatabase<T>(
  driver: 'pglite' | 'postgres',
  fn: (db: Database) => Promise<T>,
): Promise<T> {
  if (driver === 'pglite') {
    const dir = freshDir('import-db');
    const database = await openDatabase(dir);
    try {
      return await fn(database);
    } finally {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const fresh = await freshPostgresDatabase();
  const database = await openDatabase(fresh.url);
  try {
    return await fn(database);
  } finally {
    await database.close();
    await fresh.drop();
  }
}

interface PlainRows {
  clients: (typeof t.clients.$inferInsert)[];
  invoices: (typeof t.invoices.$inferInsert)[];
  payments: (typeof t.payments.$inferInsert)[];
  allocations: (typeof t.paymentAllocations.$inferInsert)[];
  disputes: (typeof t.disputes.$inferInsert)[];
  events: (typeof t.disputeEvents.$inferInsert)[];
  promises: (typeof t.promises.$inferInsert)[];
  orders: (typeof t.orders.$inferInsert)[];
  reminders: (typeof t.reminders.$inferInsert)[];
}

/** The same rows the import writes, with ids assigned up front so the plain insert needs no RETURNING. */
async function plainRows(csvDir: string): Promise<PlainRows> {
  const { files } = readImportFiles(csvDir);
  const scratch = await openDatabase(':memory:');
  let plan: ImportPlan;
  try {
    const existing = await scratch.db.transaction((tx) => loadExisting(tx));
    plan = planImport(
      validateImport(files, existing, { baseCurrency: 'EUR', dateFormat: 'yyyy-mm-dd' }),
      existing,
    );
  } finally {
    await scratch.close();
  }
  const ids = (list: { key: string }[]) => new Map(list.map((r, i) => [r.key, i + 1]));
  const clientId = ids(plan.clients.inserts);
  const invoiceId = ids(plan.invoices.inserts);
  const disputeId = ids(plan.disputes.inserts);
  const lang = new Map(plan.clients.inserts.map((c) => [c.key, c.fields.language]));
  return {
    clients: plan.clients.inserts.map(({ key, fields }) => ({ id: clientId.get(key)!, ref: key, ...fields })),
    invoices: plan.invoices.inserts.map(({ key, fields: { clientRef, ...f } }) => ({
      id: invoiceId.get(key)!,
      ref: key,
      clientId: clientId.get(clientRef)!,
      ...f,
    })),
    payments: plan.payments.inserts.map(({ key, fields: f }, i) => ({
      id: i + 1,
      ref: key,
      clientId: clientId.get(f.clientRef)!,
      date: f.date,
      amount: f.amount,
      kind: f.kind,
    })),
    allocations: plan.payments.inserts.map(({ fields: f }, i) => ({
      paymentId: i + 1,
      invoiceId: invoiceId.get(f.invoiceRef)!,
      amount: f.amount,
      baseAmount: f.baseAmount,
    })),
    disputes: plan.disputes.inserts.map(({ key, fields: { invoiceRef, ...f } }) => ({
      id: disputeId.get(key)!,
      invoiceId: invoiceId.get(invoiceRef)!,
      ...f,
    })),
    events: plan.events.inserts.map(({ fields: e }) => ({
      disputeId: disputeId.get(`${e.invoiceRef}|${e.openedDate}`)!,
      date: e.date,
      author: e.author,
      kind: e.kind,
      note: e.note,
      createdBy: 'import',
    })),
    promises: plan.promises.inserts.map(({ key, fields: f }) => ({
      key,
      clientId: clientId.get(f.clientRef)!,
      invoiceId: f.invoiceRef ? invoiceId.get(f.invoiceRef)! : null,
      madeDate: f.madeDate,
      promisedDate: f.promisedDate,
      amount: f.amount,
      status: f.status,
      createdBy: 'import',
    })),
    orders: plan.orders.inserts.map(({ key, fields: { clientRef, ...f } }) => ({
      ref: key,
      clientId: clientId.get(clientRef)!,
      ...f,
    })),
    reminders: plan.reminders.inserts.map(({ key, fields: f }) => ({
      id: key,
      clientId: clientId.get(f.clientRef)!,
      asOf: f.date,
      stage: f.stage,
      scenario: f.stage,
      tone: 'neutral',
      language: lang.get(f.clientRef) ?? 'fr',
      status: 'sent',
      invoiceRefs: f.invoiceRefs,
      sentDate: f.date,
      createdBy: 'import',
    })),
  };
}

/**
 * Plain batched inserts in one transaction, nothing else: INSERT ... VALUES through drizzle, or
 * (`json`) the same single-parameter jsonb_to_recordset statement the import uses.
 */
async function insertPlain(database: Database, rows: PlainRows, json = false): Promise<void> {
  await database.db.transaction(async (tx) => {
    const batches = async <R extends Record<string, unknown>>(table: PgTable, list: R[]) => {
      for (let i = 0; i < list.length; i += BATCH_SIZE) {
        const batch = list.slice(i, i + BATCH_SIZE);
        if (json) await bulkInsert(tx, table, batch);
        else await tx.insert(table).values(batch as never);
      }
    };
    await batches(t.clients, rows.clients);
    await batches(t.invoices, rows.invoices);
    await batches(t.payments, rows.payments);
    await batches(t.paymentAllocations, rows.allocations);
    await batches(t.disputes, rows.disputes);
    await batches(t.disputeEvents, rows.events);
    await batches(t.promises, rows.promises);
    await batches(t.orders, rows.orders);
    await batches(t.reminders, rows.reminders);
  });
}
