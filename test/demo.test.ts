import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { daysBetween } from '../src/core/dates.ts';
import { parseDecimal } from '../src/core/money.ts';
import type { Database } from '../src/db/open.ts';
import { listAudit, verifyAudit } from '../src/services/audit.ts';
import { countData, DEMO_FILES, generateDemo, HOSTILE_NOTE, runDemo } from '../src/services/demo/index.ts';
import { TEST_ADMIN, testContext } from './support/context.ts';
import { DRIVERS, freshDatabase } from './support/databases.ts';

const AS_OF = '2026-06-30';
type Row = Record<string, string>;
const rowsOf = (text: string): Row[] => parse(text, { columns: true }) as Row[];

const tmp: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'encours-demo-'));
  tmp.push(d);
  return d;
};
afterAll(() => {
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
});

describe('demo generator', () => {
  const a = generateDemo({ clients: 120, seed: 7, asOf: AS_OF });

  it('is deterministic for a seed and changes with it', () => {
    const again = generateDemo({ clients: 120, seed: 7, asOf: AS_OF });
    for (const f of DEMO_FILES) expect(again.files[f]).toBe(a.files[f]);
    const other = generateDemo({ clients: 120, seed: 8, asOf: AS_OF });
    expect(other.files['invoices.csv']).not.toBe(a.files['invoices.csv']);
    // The as-of date moves the whole history.
    const later = generateDemo({ clients: 120, seed: 7, asOf: '2026-07-31' });
    expect(later.files['invoices.csv']).not.toBe(a.files['invoices.csv']);
  });

  it('has the named clients, every segment, sector, language and currency mix', () => {
    const clients = rowsOf(a.files['clients.csv']);
    expect(clients).toHaveLength(120);
    expect(clients.map((c) => c.name)).toEqual(expect.arrayContaining(['Dupont BTP', 'Acme Industrie']));
    expect(new Set(clients.map((c) => c.name)).size).toBe(120);
    expect(new Set(clients.map((c) => c.segment))).toEqual(
      new Set(['key_account', 'sme', 'micro', 'public']),
    );
    expect(new Set(clients.map((c) => c.sector))).toEqual(
      new Set(['construction', 'industry', 'retail', 'services', 'restaurants', 'distribution']),
    );
    expect(new Set(clients.map((c) => c.terms_days))).toEqual(new Set(['30', '45', '60']));
    expect(clients.some((c) => c.language === 'en')).toBe(true);
    expect(clients.some((c) => c.external_score !== '')).toBe(true);
    const invoices = rowsOf(a.files['invoices.csv']);
    expect(invoices.some((i) => i.currency !== 'EUR' && Number(i.fx_rate) > 0)).toBe(true);
    const payments = rowsOf(a.files['payments.csv']);
    expect(payments.some((p) => p.kind === 'credit_note')).toBe(true);
    expect(payments.some((p) => p.ref === '')).toBe(true);
    const promises = rowsOf(a.files['promises.csv']);
    expect(new Set(promises.map((p) => p.status))).toEqual(new Set(['kept', 'broken', 'pending']));
    const disputes = rowsOf(a.files['disputes.csv']);
    expect(new Set(disputes.map((d) => d.status))).toEqual(new Set(['open', 'resolved', 'rejected']));
    const events = rowsOf(a.files['dispute_events.csv']);
    expect(new Set(events.map((e) => e.author))).toEqual(new Set(['client', 'us']));
    expect(events.some((e) => e.note === HOSTILE_NOTE)).toBe(true);
    expect(rowsOf(a.files['orders.csv']).some((o) => o.status === 'open')).toBe(true);
    expect(rowsOf(a.files['reminders.csv']).length).toBeGreaterThan(0);
    expect(new Set(Object.values(a.archetypes))).toEqual(
      new Set(['excellent', 'good', 'average', 'slow', 'chronic', 'deteriorating', 'new', 'stopped']),
    );
  });

  it('dates nothing after the as-of date (except due and promised dates)', () => {
    const dated: [string, string[]][] = [
      ['invoices.csv', ['issue_date', 'delivered_date']],
      ['payments.csv', ['date']],
      ['disputes.csv', ['opened_date', 'resolved_date']],
      ['dispute_events.csv', ['date']],
      ['promises.csv', ['made_date']],
      ['orders.csv', ['date']],
      ['reminders.csv', ['date']],
    ];
    for (const [file, columns] of dated) {
      for (const row of rowsOf(a.files[file as (typeof DEMO_FILES)[number]]))
        for (const c of columns) if (row[c]) expect(row[c]! <= AS_OF, `${file} ${c} ${row[c]}`).toBe(true);
    }
    const invoices = rowsOf(a.files['invoices.csv']);
    expect(invoices.map((i) => i.issue_date!).sort()[0]! >= '2023-06-30').toBe(true);
  });

  it('keeps behaviour over time: excellent payers stay ahead of chronic late payers in both halves', () => {
    const big = generateDemo({ clients: 300, seed: 11, asOf: AS_OF });
    const invoices = rowsOf(big.files['invoices.csv']);
    const paid = new Map<string, number>();
    const settled = new Map<string, string>();
    const amount = new Map(invoices.map((i) => [i.ref!, parseDecimal(i.amount!)!]));
    for (const p of rowsOf(big.files['payments.csv'])) {
      const total = (paid.get(p.invoice_ref!) ?? 0) + parseDecimal(p.amount!)!;
      paid.set(p.invoice_ref!, total);
      if (!settled.has(p.invoice_ref!) && total >= amount.get(p.invoice_ref!)!)
        settled.set(p.invoice_ref!, p.date!);
    }
    const meanLate = (archetype: string, from: string, to: string) => {
      const late = invoices
        .filter(
          (i) => big.archetypes[i.client_ref!] === archetype && i.issue_date! >= from && i.issue_date! < to,
        )
        .filter((i) => settled.has(i.ref!))
        .map((i) => daysBetween(i.due_date!, settled.get(i.ref!)!));
      return late.reduce((s, x) => s + x, 0) / late.length;
    };
    for (const [from, to] of [
      ['2023-06-30', '2024-12-31'],
      ['2024-12-31', '2026-06-30'],
    ] as const) {
      expect(meanLate('excellent', from, to)).toBeLessThan(0);
      expect(meanLate('chronic', from, to)).toBeGreaterThan(25);
    }
    // Deteriorating clients pay much later in their last year than before it.
    expect(meanLate('deteriorating', '2025-09-01', '2026-06-30')).toBeGreaterThan(
      meanLate('deteriorating', '2023-06-30', '2025-06-30') + 15,
    );
  });
});

describe.each(DRIVERS)('demo command service on %s', (driver) => {
  let database: Database;
  beforeEach(async () => {
    database = await freshDatabase(driver);
  });
  afterEach(() => database.close());

  it('writes the CSV files, imports them with warnings only, and summarises', async () => {
    const ctx = testContext(database);
    const out = tempDir();
    const result = await runDemo(ctx, { clients: 40, seed: 3, asOf: AS_OF, out, actor: TEST_ADMIN });
    const generated = generateDemo({ clients: 40, seed: 3, asOf: AS_OF });
    for (const f of DEMO_FILES) expect(readFileSync(join(out, f), 'utf8')).toBe(generated.files[f]);
    expect(result.import.totals.inserted).toBe(result.import.totals.rows);
    for (const f of result.import.files)
      expect(f.rows).toBe(generated.rows[f.file as (typeof DEMO_FILES)[number]]);
    expect(result.summary.clients).toBe(40);
    expect(result.summary.invoices).toBe(generated.rows['invoices.csv']);
    expect(result.summary.overdue).toBeLessThanOrEqual(result.summary.openBalance);
    expect(result.summary.topOverdue.length).toBeLessThanOrEqual(5);
    const grades = Object.values(result.summary.grades);
    expect(Object.keys(result.summary.grades)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(grades.reduce((a, b) => a + b, 0)).toBe(40);
    // the archetypes span the scale: safe and risky clients both appear
    expect(result.summary.grades.A + result.summary.grades.B).toBeGreaterThan(0);
    expect(result.summary.grades.D + result.summary.grades.E).toBeGreaterThan(0);
    for (const w of result.import.warnings)
      expect(w).toMatch(/^(invoices\.csv:\d+: delivered_date|payments\.csv:\d+: (amount|date)): /);
  });

  it('refuses a non-empty database, and --reset empties the data tables but keeps the audit log', async () => {
    const ctx = testContext(database);
    await runDemo(ctx, { clients: 12, seed: 1, asOf: AS_OF, out: tempDir(), actor: TEST_ADMIN });
    const first = await countData(database.db);
    const auditBefore = await listAudit(database.db, { limit: 100 });

    await expect(
      runDemo(ctx, { clients: 12, seed: 2, asOf: AS_OF, out: tempDir(), actor: TEST_ADMIN }),
    ).rejects.toMatchObject({ code: 'CONFLICT', hint: expect.stringContaining('--reset') });
    expect(await countData(database.db)).toEqual(first);

    const result = await runDemo(ctx, {
      clients: 15,
      seed: 2,
      asOf: AS_OF,
      out: tempDir(),
      actor: TEST_ADMIN,
      reset: true,
    });
    expect(result.reset).toEqual(first);
    const after = await countData(database.db);
    expect(after.clients).toBe(15);
    const audit = await listAudit(database.db, { limit: 100 });
    // Every earlier entry is still there, then the reset, then the new import.
    expect(audit.slice(-auditBefore.length)).toEqual(auditBefore);
    expect(audit.map((a) => a.action).slice(0, 3)).toEqual(['import.run', 'import.inserted', 'data.reset']);
    expect(audit[2]!.data).toEqual({ removed: first });
    expect(await verifyAudit(database.db)).toMatchObject({ ok: true });
  });
});
