import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/open.ts';
import { disputes, invoices, promises } from '../src/db/schema.ts';
import { listAudit } from '../src/services/audit.ts';
import type { ServiceContext } from '../src/services/context.ts';
import { getDisputeFile, logDisputeEvent } from '../src/services/disputes.ts';
import { importDirectory } from '../src/services/import/index.ts';
import { recordPromise } from '../src/services/promises.ts';
import { INJECTION, seedPortfolio, tableCounts } from './mcp-fixtures.ts';
import { asUser, testContext } from './support/context.ts';
import { DRIVERS, freshDatabase } from './support/databases.ts';

describe.each(DRIVERS)('dispute and promise services on %s', (driver) => {
  let database: Database;
  let ctx: ServiceContext;
  beforeEach(async () => {
    database = await freshDatabase(driver);
    await seedPortfolio(database.db);
    ctx = testContext(database);
  });
  afterEach(() => database.close());

  it('builds the dispute file with amounts, events in order and the as-of view', async () => {
    const file = await getDisputeFile(ctx, 'F003', '2026-11-23');
    expect(file.invoice).toMatchObject({
      ref: 'F003',
      amount: 120_000,
      settled: 0,
      open: 120_000,
      daysOverdue: 23,
    });
    expect(file.client).toMatchObject({ ref: 'C003', name: 'Électricité Martin' });
    expect(file.disputes).toHaveLength(1);
    expect(file.disputes[0]).toMatchObject({
      status: 'open',
      owner: 'bob',
      action: 'send proof of delivery',
      deadline: '2026-11-30',
      reason: 'delivery incomplete',
    });
    expect(file.disputes[0]!.events.map((e) => [e.date, e.author, e.kind])).toEqual([
      ['2026-11-02', 'client', 'email'],
      ['2026-11-05', 'us', 'call'],
    ]);
    expect(file.disputes[0]!.events[0]!.note).toBe(INJECTION);

    // As of 2026-11-03 the call of the 5th has not happened yet.
    const earlier = await getDisputeFile(ctx, 'F003', '2026-11-03');
    expect(earlier.disputes[0]!.events).toHaveLength(1);
    // A dispute resolved after the as-of date is still open as of it.
    await database.db.update(disputes).set({ status: 'resolved', resolvedDate: '2026-11-20' });
    expect((await getDisputeFile(ctx, 'F003', '2026-11-10')).disputes[0]!.status).toBe('open');
    expect((await getDisputeFile(ctx, 'F003', '2026-11-23')).disputes[0]!.status).toBe('resolved');
    // Before the dispute was opened there is none.
    expect((await getDisputeFile(ctx, 'F003', '2026-11-01')).disputes).toEqual([]);
  });

  it('shows promises for the invoice and the open amount after payments', async () => {
    const file = await getDisputeFile(ctx, 'F002', '2026-11-23');
    expect(file.invoice).toMatchObject({ open: 500_000, daysOverdue: 39 });
    expect(file.promises).toEqual([
      {
        madeDate: '2026-11-20',
        promisedDate: '2026-11-30',
        amount: 500_000,
        status: 'pending',
        scope: 'invoice',
      },
    ]);
    const paid = await getDisputeFile(ctx, 'F001', '2026-11-23');
    expect(paid.invoice).toMatchObject({ settled: 1_000_000, open: 0, daysOverdue: 0 });
  });

  it('names the missing invoice, and refuses an as-of date before issue', async () => {
    await expect(getDisputeFile(ctx, 'F999', '2026-11-23')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'no invoice with ref "F999"',
    });
    await expect(getDisputeFile(ctx, 'F004', '2026-10-01')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('logs an event once, with its audit entry, on the open dispute', async () => {
    const input = {
      invoiceRef: 'F003',
      date: '2026-11-23',
      author: 'us' as const,
      kind: 'proof_sent' as const,
      note: 'delivery note sent',
      actor: asUser('alice'),
    };
    const first = await logDisputeEvent(ctx, input);
    expect(first).toMatchObject({ created: true, openedDispute: false, disputeOpenedDate: '2026-11-02' });
    const before = await tableCounts(database.db);
    const again = await logDisputeEvent(ctx, input);
    expect(again).toMatchObject({ created: false, event: { recordedBy: 'alice' } });
    expect(await tableCounts(database.db)).toEqual(before);
    const audit = await listAudit(database.db, { action: 'dispute.event_logged' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'alice', subject: 'F003' });
  });

  it('opens a dispute with kind "opened", and needs one for any other kind', async () => {
    await expect(
      logDisputeEvent(ctx, {
        invoiceRef: 'F002',
        date: '2026-11-23',
        author: 'client',
        kind: 'call',
        note: 'x',
        actor: asUser('a'),
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'invoice F002 has no open dispute' });
    const opened = await logDisputeEvent(ctx, {
      invoiceRef: 'F002',
      date: '2026-11-23',
      author: 'client',
      kind: 'opened',
      note: 'price differs from the quote',
      actor: asUser('alice'),
    });
    expect(opened).toMatchObject({ openedDispute: true, created: true, disputeStatus: 'open' });
    const [row] = await database.db
      .select()
      .from(disputes)
      .innerJoin(invoices, eq(invoices.id, disputes.invoiceId))
      .where(eq(invoices.ref, 'F002'));
    expect(row!.disputes).toMatchObject({ openedDate: '2026-11-23', reason: 'price differs from the quote' });
    expect((await listAudit(database.db, { action: 'dispute.opened' }))[0]).toMatchObject({
      actor: 'alice',
    });
  });

  it('records a promise once, keyed on client, invoice, date and amount', async () => {
    const input = {
      client: 'dupont btp',
      invoiceRef: 'F002',
      promisedDate: '2026-12-10',
      amount: 250_000,
      actor: asUser('bob'),
    };
    const first = await recordPromise(ctx, input);
    expect(first).toMatchObject({
      clientRef: 'C001',
      madeDate: '2026-11-23',
      status: 'pending',
      created: true,
      key: 'C001|F002|2026-12-10|2500.00',
    });
    const again = await recordPromise(ctx, input);
    expect(again.created).toBe(false);
    expect(await database.db.select().from(promises).where(eq(promises.key, first.key))).toHaveLength(1);
    expect(await listAudit(database.db, { action: 'promise.recorded' })).toHaveLength(1);
  });

  it("rejects a promise dated before it was made, or on another client's invoice", async () => {
    await expect(
      recordPromise(ctx, { client: 'C001', promisedDate: '2026-11-01', amount: 100, actor: asUser('a') }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'promisedDate' } });
    await expect(
      recordPromise(ctx, {
        client: 'C001',
        invoiceRef: 'F003',
        promisedDate: '2026-12-01',
        amount: 100,
        actor: asUser('a'),
      }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/F003 belongs to another client/) });
    await expect(
      recordPromise(ctx, { client: 'C001', promisedDate: '2026-12-01', amount: 0, actor: asUser('a') }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('treats a promise imported from CSV and the same one recorded by a tool as one promise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'encours-promise-'));
    try {
      writeFileSync(join(dir, 'clients.csv'), 'ref,name\nC001,Dupont-BTP SARL\n');
      writeFileSync(
        join(dir, 'invoices.csv'),
        'ref,client_ref,issue_date,due_date,amount\nF002,C001,2026-09-15,2026-10-15,5000.00\n',
      );
      writeFileSync(join(dir, 'payments.csv'), 'invoice_ref,date,amount\n');
      writeFileSync(
        join(dir, 'promises.csv'),
        'client_ref,promised_date,amount,invoice_ref,made_date\nC001,2026-12-10,2500.00,F002,2026-11-20\n',
      );
      await importDirectory(ctx, dir, { actor: asUser('import') });
      const recorded = await recordPromise(ctx, {
        client: 'C001',
        invoiceRef: 'F002',
        promisedDate: '2026-12-10',
        amount: 250_000,
        actor: asUser('bob'),
      });
      expect(recorded).toMatchObject({ created: false, madeDate: '2026-11-20' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
