import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asc, count, eq } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/open.ts';
import * as t from '../src/db/schema.ts';
import { AppError } from '../src/errors.ts';
import { listAudit, verifyAudit } from '../src/services/audit.ts';
import type { EncodingChoice } from '../src/services/import/encoding.ts';
import { type ImportReport, importDirectory } from '../src/services/import/index.ts';
import { TEST_ADMIN, testContext } from './support/context.ts';
import { DRIVERS, freshDatabase } from './support/databases.ts';
import { BASE_FILES, csv, dumpData, excelVariant, writeFixture } from './support/import-fixtures.ts';

const dirs: string[] = [];
const fixture = (files: Record<string, string>) => {
  const dir = writeFixture(files);
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs an import expected to fail and returns the AppError. */
async function importFails(
  database: Database,
  dir: string,
  dateFormat?: 'dd/mm/yyyy',
  encoding?: EncodingChoice,
): Promise<AppError> {
  try {
    await importDirectory(testContext(database), dir, { actor: TEST_ADMIN, dateFormat, encoding });
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('the import was expected to fail');
}

const counts = (r: ImportReport) =>
  Object.fromEntries(r.files.map((f) => [f.file, [f.inserted, f.updated, f.unchanged, f.warnings]]));

describe.each(DRIVERS)('import on %s', (driver) => {
  let database: Database;
  beforeEach(async () => {
    database = await freshDatabase(driver);
  });
  afterEach(() => database.close());
  const run = (dir: string, opts: { dryRun?: boolean; dateFormat?: 'dd/mm/yyyy' } = {}) =>
    importDirectory(testContext(database), dir, { actor: TEST_ADMIN, ...opts });

  it('imports the worked example with exact stored values', async () => {
    const report = await run(fixture(BASE_FILES));
    expect(counts(report)).toEqual({
      'clients.csv': [3, 0, 0, 0],
      'invoices.csv': [4, 0, 0, 0],
      'payments.csv': [5, 0, 0, 0],
      'disputes.csv': [2, 0, 0, 0],
      'dispute_events.csv': [2, 0, 0, 0],
      'promises.csv': [2, 0, 0, 0],
      'orders.csv': [2, 0, 0, 0],
      'reminders.csv': [2, 0, 0, 0],
    });
    expect(report.totals).toEqual({ rows: 22, inserted: 22, updated: 0, unchanged: 0 });
    expect(report.warnings).toEqual([]);

    const db = database.db;
    const clients = await db.select().from(t.clients).orderBy(asc(t.clients.id));
    expect(clients.map((c) => c.ref)).toEqual(['007', 'C2', 'C3']); // leading zeros kept
    expect(clients[0]).toMatchObject({
      name: 'Dupont BTP',
      creditLimit: 5_000_000,
      insuranceLimit: 4_000_000,
      termsDays: 45,
      externalScore: 62,
      since: '2015-03-01',
      language: 'fr',
    });
    expect(clients[1]).toMatchObject({ email: null, creditLimit: null, termsDays: 60 });
    expect(clients[2]).toMatchObject({ language: 'en', creditLimit: 2_000_000, country: 'GB' });

    const invoices = await db.select().from(t.invoices).orderBy(asc(t.invoices.id));
    expect(
      invoices.map((i) => [i.ref, i.amount, i.currency, Number(i.fxRate), i.baseAmount, i.description]),
    ).toEqual([
      ['F-001', 120_000, 'EUR', 1, 120_000, 'Béton, livraison chantier'],
      ['F-002', 100_000, 'USD', 0.9215, 92_150, 'Freight'],
      ['F-003', 35_050, 'EUR', 1, 35_050, null],
      ['F-004', 500_000, 'EUR', 1, 500_000, 'Usinage'],
    ]);

    const allocations = await db
      .select({
        ref: t.payments.ref,
        kind: t.payments.kind,
        amount: t.paymentAllocations.amount,
        base: t.paymentAllocations.baseAmount,
      })
      .from(t.paymentAllocations)
      .innerJoin(t.payments, eq(t.payments.id, t.paymentAllocations.paymentId))
      .orderBy(asc(t.payments.id));
    expect(allocations).toEqual([
      { ref: 'VIR-1', kind: 'payment', amount: 100_000, base: 100_000 },
      { ref: 'AV-1', kind: 'credit_note', amount: 20_000, base: 20_000 },
      // USD 400 and 600 at 0.9215: running totals 368.60 then 921.50, so 368.60 + 552.90.
      { ref: 'auto:F-002/2026-03-01/400.00/1', kind: 'payment', amount: 40_000, base: 36_860 },
      { ref: 'auto:F-002/2026-03-20/600.00/1', kind: 'payment', amount: 60_000, base: 55_290 },
      { ref: 'auto:F-004/2026-04-20/1000.00/1', kind: 'payment', amount: 100_000, base: 100_000 },
    ]);

    const [dispute] = await db.select().from(t.disputes).where(eq(t.disputes.openedDate, '2026-02-20'));
    expect(dispute).toMatchObject({
      status: 'open',
      amount: 80_000,
      owner: 'Claire Moreau',
      resolvedDate: null,
    });
    const events = await db.select().from(t.disputeEvents).orderBy(asc(t.disputeEvents.id));
    expect(events.map((e) => [e.author, e.kind, e.note, e.createdBy])).toEqual([
      ['client', 'complaint', 'Prix unitaire faux.\nNous attendons un avoir.', 'import'],
      ['us', 'acknowledged', 'Réclamation enregistrée', 'import'],
    ]);
    const promises = await db.select().from(t.promises).orderBy(asc(t.promises.id));
    expect(promises.map((p) => [p.key, p.amount, p.status, p.invoiceId === null])).toEqual([
      ['C2|F-004|2026-04-30|4000.00', 400_000, 'pending', false],
      ['007||2026-03-10|350.50', 35_050, 'broken', true],
    ]);
    const reminders = await db.select().from(t.reminders).orderBy(asc(t.reminders.sentDate));
    expect(
      reminders.map((r) => [r.stage, r.scenario, r.status, r.sentDate, r.invoiceRefs, r.createdBy]),
    ).toEqual([
      ['friendly', 'friendly', 'sent', '2026-03-25', ['F-003'], 'import'],
      ['clear', 'clear', 'sent', '2026-04-18', ['F-004'], 'import'],
    ]);
    expect(reminders[0]!.id).toMatch(/^rem_imp_[0-9a-f]{20}$/);

    const audit = await listAudit(db, { limit: 10 });
    expect(audit.map((a) => a.action)).toEqual(['import.run', 'import.inserted']);
    expect(audit[1]!.data).toEqual({
      clients: 3,
      invoices: 4,
      payments: 5,
      disputes: 2,
      events: 2,
      promises: 2,
      orders: 2,
      reminders: 2,
    });
    const runEntry = audit[0]!.data as { files: { file: string; sha256: string }[] };
    expect(runEntry.files.map((f) => f.file)).toHaveLength(8);
    expect(runEntry.files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await verifyAudit(db)).toMatchObject({ ok: true });
  });

  it('re-importing the same files changes nothing', async () => {
    const dir = fixture(BASE_FILES);
    await run(dir);
    const before = await dumpData(database);
    const auditBefore = (await listAudit(database.db, { limit: 100 })).length;
    const again = await run(dir);
    expect(again.totals).toEqual({ rows: 22, inserted: 0, updated: 0, unchanged: 22 });
    expect(again.files.every((f) => f.inserted === 0 && f.updated === 0)).toBe(true);
    expect(await dumpData(database)).toEqual(before);
    const audit = await listAudit(database.db, { limit: 100 });
    expect(audit.length).toBe(auditBefore + 1);
    expect(audit[0]!.action).toBe('import.run');
  });

  it('updates changed rows, audits each change, and keeps values of absent columns', async () => {
    await run(fixture(BASE_FILES));
    const changed = {
      ...BASE_FILES,
      // Only ref and name: the other client columns must keep their stored values.
      'clients.csv': csv('ref,name', '007,Dupont BTP SAS', 'C2,Acme Industrie', 'C3,Harbor Logistics Ltd'),
      'invoices.csv': BASE_FILES['invoices.csv']!.replace(
        'F-003,007,2026-02-01,2026-03-18,350.5',
        'F-003,007,2026-02-01,2026-03-18,360.00',
      ),
    };
    const report = await run(fixture(changed));
    expect(counts(report)['clients.csv']).toEqual([0, 1, 2, 0]);
    expect(counts(report)['invoices.csv']).toEqual([0, 1, 3, 0]);
    const [dupont] = await database.db.select().from(t.clients).where(eq(t.clients.ref, '007'));
    expect(dupont).toMatchObject({
      name: 'Dupont BTP SAS',
      creditLimit: 5_000_000,
      termsDays: 45,
      externalScore: 62,
    });
    const updates = (await listAudit(database.db, { limit: 10 })).filter((a) =>
      a.action.endsWith('.updated'),
    );
    expect(updates.map((u) => [u.action, u.subject, u.data])).toEqual([
      [
        'invoice.updated',
        'F-003',
        {
          before: { amount: 35_050, baseAmount: 35_050 },
          after: { amount: 36_000, baseAmount: 36_000 },
          source: 'import',
        },
      ],
      [
        'client.updated',
        '007',
        { before: { name: 'Dupont BTP' }, after: { name: 'Dupont BTP SAS' }, source: 'import' },
      ],
    ]);
  });

  it('updates payments (and their allocation), disputes, promises, orders and reminders in place', async () => {
    await run(fixture(BASE_FILES));
    const edit = (file: string, from: string, to: string) => {
      expect(BASE_FILES[file]).toContain(from);
      return BASE_FILES[file]!.replace(from, to);
    };
    const report = await run(
      fixture({
        ...BASE_FILES,
        'payments.csv': edit(
          'payments.csv',
          'F-001,2026-02-15,1000.00,VIR-1',
          'F-001,2026-02-15,900.00,VIR-1',
        ),
        'disputes.csv': edit('disputes.csv', 'devis,open,,Claire', 'devis,resolved,2026-03-15,Claire'),
        'promises.csv': edit('promises.csv', '4000.00,pending', '4000.00,kept'),
        'orders.csv': edit('orders.csv', '2500.00,open', '2500.00,invoiced'),
        'reminders.csv': edit('reminders.csv', 'friendly,F-003', 'friendly,F-003|F-001'),
      }),
    );
    expect(counts(report)).toMatchObject({
      'payments.csv': [0, 1, 4, 0],
      'disputes.csv': [0, 1, 1, 0],
      'dispute_events.csv': [0, 0, 2, 0],
      'promises.csv': [0, 1, 1, 0],
      'orders.csv': [0, 1, 1, 0],
      'reminders.csv': [0, 1, 1, 0],
    });
    const allocations = await database.db
      .select({ amount: t.paymentAllocations.amount, base: t.paymentAllocations.baseAmount })
      .from(t.paymentAllocations)
      .innerJoin(t.payments, eq(t.payments.id, t.paymentAllocations.paymentId))
      .where(eq(t.payments.ref, 'VIR-1'));
    expect(allocations).toEqual([{ amount: 90_000, base: 90_000 }]);
    const [dispute] = await database.db
      .select()
      .from(t.disputes)
      .where(eq(t.disputes.openedDate, '2026-02-20'));
    expect(dispute).toMatchObject({ status: 'resolved', resolvedDate: '2026-03-15' });
    const [reminder] = await database.db
      .select()
      .from(t.reminders)
      .where(eq(t.reminders.sentDate, '2026-03-25'));
    expect(reminder!.invoiceRefs).toEqual(['F-003', 'F-001']);
    const updates = (await listAudit(database.db, { limit: 20 }))
      .filter((a) => a.action.endsWith('.updated'))
      .map((a) => [a.action, a.subject, a.data]);
    expect(updates).toEqual([
      [
        'reminder.updated',
        reminder!.id,
        { before: { invoiceRefs: ['F-003'] }, after: { invoiceRefs: ['F-003', 'F-001'] }, source: 'import' },
      ],
      [
        'order.updated',
        'CMD-1',
        { before: { status: 'open' }, after: { status: 'invoiced' }, source: 'import' },
      ],
      [
        'promise.updated',
        'C2|F-004|2026-04-30|4000.00',
        { before: { status: 'pending' }, after: { status: 'kept' }, source: 'import' },
      ],
      [
        'dispute.updated',
        'F-004|2026-02-20',
        {
          before: { status: 'open', resolvedDate: null },
          after: { status: 'resolved', resolvedDate: '2026-03-15' },
          source: 'import',
        },
      ],
      [
        'payment.updated',
        'VIR-1',
        {
          before: { amount: 100_000, baseAmount: 100_000 },
          after: { amount: 90_000, baseAmount: 90_000 },
          source: 'import',
        },
      ],
    ]);
  });

  it('reports every kind of bad row as file:line: column: reason and writes nothing', async () => {
    await run(fixture(BASE_FILES));
    const before = await dumpData(database);
    const auditBefore = (await listAudit(database.db, { limit: 100 })).length;
    const dir = fixture({
      'clients.csv': csv('ref,name,language', 'C1,Alpha,fr', 'C1,Alpha bis,fr', 'C4,Delta,de'),
      'invoices.csv': csv(
        'ref,client_ref,issue_date,due_date,amount,currency,fx_rate',
        'F1,C1,2026-01-05,2026-02-04,100.00,,',
        'F2,C9,2026-01-05,2026-02-04,100.00,,',
        'F3,C1,2026-01-05,2026-02-04,-5.00,,',
        'F4,C1,2026-01-05,2026-02-04,12x,,',
        'F5,C1,2026-02-30,2026-03-04,10.00,,',
        'F6,C1,2026-03-05,2026-03-01,10.00,,',
        'F7,C1,2026-01-05,2026-02-04,10.00,USD,',
        'F1,C1,2026-01-06,2026-02-05,10.00,,',
        'F8,007,2026-01-06,2026-02-05,10.00,,',
      ),
      'payments.csv': csv(
        'invoice_ref,date,amount,kind',
        'F1,2026-02-01,50.00,payment',
        'F99,2026-02-01,50.00,payment',
        'F1,2026-02-02,50.00,cash',
      ),
      'disputes.csv': csv('invoice_ref,opened_date,reason', 'F98,2026-02-01,prix'),
      'promises.csv': csv('client_ref,promised_date,amount', 'C77,2026-03-01,10.00'),
    });
    const error = await importFails(database, dir);
    expect(error.code).toBe('IMPORT_FAILED');
    expect(error.message).toBe(`13 problems in ${dir}; nothing was imported`);
    expect(error.details).toEqual([
      'clients.csv:3: ref: duplicate ref "C1" (first on line 2)',
      'clients.csv:4: language: expected one of fr, en, got "de"',
      'invoices.csv:3: client_ref: unknown client "C9"',
      'invoices.csv:4: amount: must not be negative, got "-5.00"',
      'invoices.csv:5: amount: not a decimal amount (expected like 1234.56): "12x"',
      'invoices.csv:6: issue_date: not a date (expected YYYY-MM-DD): "2026-02-30"',
      'invoices.csv:7: due_date: due date 2026-03-01 is before issue date 2026-03-05',
      'invoices.csv:8: fx_rate: invoice in USD needs an exchange rate to EUR',
      'invoices.csv:9: ref: duplicate ref "F1" (first on line 2)',
      'payments.csv:3: invoice_ref: unknown invoice "F99"',
      'payments.csv:4: kind: expected one of payment, credit_note, got "cash"',
      'disputes.csv:2: invoice_ref: unknown invoice "F98"',
      'promises.csv:2: client_ref: unknown client "C77"',
    ]);
    // Client 007 already in the database resolves (line 10 is valid); nothing at all was written.
    expect(await dumpData(database)).toEqual(before);
    expect((await listAudit(database.db, { limit: 100 })).length).toBe(auditBefore);
  });

  it('names a missing required column and a missing required file', async () => {
    const noDue = fixture({
      ...BASE_FILES,
      'invoices.csv': csv('ref,client_ref,issue_date,amount', 'F-001,007,2026-01-05,1200.00'),
    });
    expect((await importFails(database, noDue)).details).toEqual([
      'invoices.csv:1: due_date: missing required column',
    ]);
    const { 'payments.csv': _, ...withoutPayments } = BASE_FILES;
    const error = await importFails(database, fixture(withoutPayments));
    expect(error.details).toEqual([
      'payments.csv: file: required file is missing (columns: invoice_ref,date,amount)',
    ]);
    const [n] = await database.db.select({ n: count() }).from(t.clients);
    expect(Number(n!.n)).toBe(0);
  });

  it('an empty optional file counts as absent; an empty required file is an error', async () => {
    const emptyRequired = fixture({ ...BASE_FILES, 'clients.csv': '' });
    expect((await importFails(database, emptyRequired)).details).toEqual([
      'clients.csv:1: header: the file is empty (expected a header row)',
    ]);
    const report = await run(fixture({ ...BASE_FILES, 'orders.csv': '' }));
    expect(report.files.map((f) => f.file)).not.toContain('orders.csv');
    expect(report.totals.inserted).toBe(20);
  });

  it('counts physical lines across quoted multi-line cells', async () => {
    const files = {
      ...BASE_FILES,
      'dispute_events.csv': `${BASE_FILES['dispute_events.csv']}F-004,2026-02-20,2026-02-22,boss,note,ok\n`,
    };
    // Line 2 holds a note spanning lines 2-3, line 4 the second event, line 5 the bad one.
    expect((await importFails(database, fixture(files))).details).toEqual([
      'dispute_events.csv:5: author: expected one of client, us, system, got "boss"',
    ]);
  });

  it('a bad row at the end of a 50,000-row invoices file writes nothing', async () => {
    await run(fixture(BASE_FILES));
    const before = await dumpData(database);
    const lines = ['ref,client_ref,issue_date,due_date,amount'];
    for (let i = 1; i < 50_000; i++)
      lines.push(`B${String(i).padStart(5, '0')},007,2026-01-05,2026-02-19,${i}.25`);
    lines.push('B50000,007,2026-01-05,2025-12-31,10.00');
    const dir = fixture({ ...BASE_FILES, 'invoices.csv': csv(...lines) });
    const error = await importFails(database, dir);
    expect(error.details).toEqual([
      'invoices.csv:50001: due_date: due date 2025-12-31 is before issue date 2026-01-05',
    ]);
    expect(await dumpData(database)).toEqual(before);
  });

  it('imports the Excel variant (BOM, ";", decimal comma, dd/mm/yyyy, CRLF) exactly like the plain files', async () => {
    const plainDir = fixture(BASE_FILES);
    const excelDir = fixture(excelVariant(BASE_FILES));
    await run(plainDir);
    const plain = await dumpData(database);
    const other = await freshDatabase(driver);
    try {
      const report = await importDirectory(testContext(other), excelDir, {
        actor: TEST_ADMIN,
        dateFormat: 'dd/mm/yyyy',
      });
      expect(report.files.every((f) => f.delimiter === ';')).toBe(true);
      expect(report.totals.inserted).toBe(22);
      expect(await dumpData(other)).toEqual(plain);
      // Without --date-format the French dates are rejected, naming the expected format.
      const error = await importFails(other, excelDir);
      expect((error.details as string[])[0]).toBe(
        'clients.csv:2: since: not a date (expected YYYY-MM-DD): "01/03/2015"',
      );
    } finally {
      await other.close();
    }
  });

  it('imports a Windows-1252 Excel export (no BOM) with exactly the same data, and says how it was read', async () => {
    // Characters only Windows-1252 has (’ œ €) beside Latin-1 ones (é è).
    const files = {
      ...BASE_FILES,
      'invoices.csv': BASE_FILES['invoices.csv']!.replace(
        'Béton, livraison chantier',
        'Béton d’œuvre, 1 200 € HT',
      ),
    };
    const plainDir = fixture(files);
    const windowsDir = fixture({});
    for (const [name, text] of Object.entries(excelVariant(files)))
      writeFileSync(join(windowsDir, name), iconv.encode(text.replace(/^\uFEFF/, ''), 'win1252'));
    const plainDb = await freshDatabase(driver);
    const windowsDb = await freshDatabase(driver);
    try {
      await importDirectory(testContext(plainDb), plainDir, { actor: TEST_ADMIN });
      const report = await importDirectory(testContext(windowsDb), windowsDir, {
        actor: TEST_ADMIN,
        dateFormat: 'dd/mm/yyyy',
      });
      // A file with accents is not valid UTF-8 and is read as Windows-1252; a pure-ASCII one reads the same either way.
      const read = new Map(report.files.map((f) => [f.file, f.encoding]));
      expect(read.get('invoices.csv')).toBe('windows-1252');
      expect(new Set(read.values())).toEqual(new Set(['windows-1252', 'utf-8']));
      const data = await dumpData(windowsDb);
      expect(data).toEqual(await dumpData(plainDb));
      expect(JSON.stringify(data)).not.toContain('\uFFFD');
      expect(JSON.stringify(data)).toContain('Béton d’œuvre, 1 200 € HT');

      // Forced to UTF-8, the same bytes are refused, naming the file, the line and the byte.
      const error = await importFails(windowsDb, windowsDir, undefined, 'utf-8');
      expect((error.details as string[]).join('\n')).toMatch(
        /^clients\.csv:\d+: encoding: byte 0x[0-9A-F]{2} at offset \d+ is not valid UTF-8 \(save the file as UTF-8, or pass --encoding windows-1252/m,
      );
      // A byte that Windows-1252 leaves undefined is not read as anything.
      writeFileSync(
        join(windowsDir, 'clients.csv'),
        Buffer.concat([Buffer.from('ref;name\r\nC9;A'), Buffer.from([0x81]), Buffer.from('\r\n')]),
      );
      const undefinedByte = await importFails(windowsDb, windowsDir, 'dd/mm/yyyy');
      expect((undefinedByte.details as string[])[0]).toBe(
        'clients.csv:2: encoding: byte 0x81 at offset 14 is not a character in Windows-1252 (save the file as UTF-8, or pass the right --encoding)',
      );
    } finally {
      await plainDb.close();
      await windowsDb.close();
    }
  });

  it('reports data-quality warnings and keeps the rows', async () => {
    const files = {
      ...BASE_FILES,
      'invoices.csv': `${BASE_FILES['invoices.csv']}F-005,C2,2026-02-10,2026-04-11,100.00,EUR,2026-03-20,,\n`,
      'payments.csv': `${BASE_FILES['payments.csv']}F-003,2026-01-20,400.00,,\n`,
      'orders.csv': csv(
        'ref,client_ref,date,amount,status,notes',
        'CMD-1,007,2026-03-01,2500.00,open,urgent',
      ),
    };
    const report = await run(fixture(files));
    expect(report.warnings).toEqual([
      'invoices.csv:6: delivered_date: delivered 2026-03-20, 38 days after the invoice date 2026-02-10',
      'payments.csv:7: date: payment dated 2026-01-20, before invoice F-003 was issued (2026-02-01)',
      'payments.csv:7: amount: payments on F-003 total 400.00, more than its amount 350.50 (overpaid by 49.50)',
      'orders.csv:1: notes: unknown column, ignored',
    ]);
    expect(counts(report)['payments.csv']).toEqual([6, 0, 0, 2]);
    const [n] = await database.db.select({ n: count() }).from(t.payments);
    expect(Number(n!.n)).toBe(6);
  });

  it('--dry-run validates and counts without writing', async () => {
    const report = await run(fixture(BASE_FILES), { dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.totals.inserted).toBe(22);
    const data = await dumpData(database);
    expect(Object.values(data).every((rows) => rows.length === 0)).toBe(true);
    expect(await listAudit(database.db)).toEqual([]);
  });

  it('accepts file names in any case and reports a missing directory', async () => {
    const dir = fixture({});
    writeFixture(
      Object.fromEntries(Object.entries(BASE_FILES).map(([name, text]) => [name.toUpperCase(), text])),
      dir,
    );
    expect((await run(dir)).totals.inserted).toBe(22);
    const missing = join(dir, 'nope');
    await expect(run(missing)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: `import: no directory at ${missing}`,
    });
  });
});
