import { asc, eq, inArray } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { ClientFacts, DisputeFact, InvoiceFact } from '../core/types.ts';
import type { DbOrTx } from '../db/open.ts';
import * as t from '../db/schema.ts';

type ClientRow = typeof t.clients.$inferSelect;

/**
 * Loads every fact the core needs, for one client or the whole portfolio, in one query per table
 * (no per-client round trips). Amounts are converted to base currency here, once.
 */
export async function loadFacts(db: DbOrTx, clientIds?: number[]): Promise<ClientFacts[]> {
  const only = (col: AnyPgColumn) => (clientIds ? inArray(col, clientIds) : undefined);
  const clientRows = await db.select().from(t.clients).where(only(t.clients.id)).orderBy(asc(t.clients.ref));
  if (!clientRows.length) return [];

  const [invoiceRows, allocationRows, disputeRows, eventRows, promiseRows, orderRows, reminderRows] =
    await Promise.all([
      db.select().from(t.invoices).where(only(t.invoices.clientId)),
      db
        .select({
          invoiceId: t.paymentAllocations.invoiceId,
          baseAmount: t.paymentAllocations.baseAmount,
          ref: t.payments.ref,
          date: t.payments.date,
          kind: t.payments.kind,
        })
        .from(t.paymentAllocations)
        .innerJoin(t.payments, eq(t.payments.id, t.paymentAllocations.paymentId))
        .where(only(t.payments.clientId)),
      db
        .select({ dispute: t.disputes, clientId: t.invoices.clientId })
        .from(t.disputes)
        .innerJoin(t.invoices, eq(t.invoices.id, t.disputes.invoiceId))
        .where(only(t.invoices.clientId)),
      db
        .select({ event: t.disputeEvents, clientId: t.invoices.clientId })
        .from(t.disputeEvents)
        .innerJoin(t.disputes, eq(t.disputes.id, t.disputeEvents.disputeId))
        .innerJoin(t.invoices, eq(t.invoices.id, t.disputes.invoiceId))
        .where(only(t.invoices.clientId))
        .orderBy(asc(t.disputeEvents.date), asc(t.disputeEvents.id)),
      db.select().from(t.promises).where(only(t.promises.clientId)),
      db.select().from(t.orders).where(only(t.orders.clientId)),
      db.select().from(t.reminders).where(only(t.reminders.clientId)),
    ]);

  const invoiceById = new Map(invoiceRows.map((i) => [i.id, i]));
  const byClient = new Map<number, ClientFacts>(clientRows.map((c) => [c.id, emptyFacts(c)]));
  const factsOf = (clientId: number) => byClient.get(clientId)!;

  for (const i of invoiceRows) {
    const f = factsOf(i.clientId);
    f.invoices.push(toInvoiceFact(i, f.client.ref));
  }
  for (const a of allocationRows) {
    const inv = invoiceById.get(a.invoiceId)!;
    factsOf(inv.clientId).payments.push({
      ref: a.ref,
      invoiceRef: inv.ref,
      date: a.date,
      amount: a.baseAmount,
      kind: a.kind === 'credit_note' ? 'credit_note' : 'payment',
    });
  }
  const disputeById = new Map<number, DisputeFact>();
  for (const { dispute: d, clientId } of disputeRows) {
    const inv = invoiceById.get(d.invoiceId)!;
    const fact: DisputeFact = {
      invoiceRef: inv.ref,
      openedDate: d.openedDate,
      resolvedDate: d.resolvedDate,
      status: d.status === 'resolved' || d.status === 'rejected' ? d.status : 'open',
      reason: d.reason,
      owner: d.owner,
      amount: d.amount === null ? null : Math.round(d.amount * Number(inv.fxRate)),
      events: [],
    };
    disputeById.set(d.id, fact);
    factsOf(clientId).disputes.push(fact);
  }
  for (const { event: e } of eventRows) {
    disputeById.get(e.disputeId)?.events.push({
      date: e.date,
      author: e.author === 'client' || e.author === 'us' ? e.author : 'system',
      kind: e.kind,
      note: e.note,
    });
  }
  for (const p of promiseRows) {
    const f = factsOf(p.clientId);
    f.promises.push({
      clientRef: f.client.ref,
      invoiceRef: p.invoiceId ? (invoiceById.get(p.invoiceId)?.ref ?? null) : null,
      madeDate: p.madeDate,
      promisedDate: p.promisedDate,
      amount: p.amount,
      status: (['pending', 'kept', 'broken', 'cancelled'] as const).find((s) => s === p.status) ?? 'pending',
    });
  }
  for (const o of orderRows) {
    const f = factsOf(o.clientId);
    f.orders.push({
      ref: o.ref,
      clientRef: f.client.ref,
      date: o.date,
      amount: o.amount,
      status: o.status === 'invoiced' || o.status === 'cancelled' ? o.status : 'open',
    });
  }
  // Only reminders that actually went out are facts; drafts are not.
  for (const r of reminderRows) {
    if (r.status !== 'sent' || !r.sentDate) continue;
    const f = factsOf(r.clientId);
    f.reminders.push({
      clientRef: f.client.ref,
      date: r.sentDate,
      stage: r.stage,
      invoiceRefs: r.invoiceRefs,
    });
  }
  for (const f of byClient.values()) {
    f.invoices.sort((a, b) =>
      a.issueDate < b.issueDate ? -1 : a.issueDate > b.issueDate ? 1 : a.ref < b.ref ? -1 : 1,
    );
    f.payments.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }
  return [...byClient.values()];
}

function emptyFacts(c: ClientRow): ClientFacts {
  return {
    client: {
      ref: c.ref,
      name: c.name,
      segment: c.segment,
      sector: c.sector,
      country: c.country,
      email: c.email,
      language: c.language === 'en' ? 'en' : 'fr',
      creditLimit: c.creditLimit,
      insuranceLimit: c.insuranceLimit,
      termsDays: c.termsDays,
      externalScore: c.externalScore,
      since: c.since,
    },
    invoices: [],
    payments: [],
    disputes: [],
    promises: [],
    orders: [],
    reminders: [],
  };
}

function toInvoiceFact(i: typeof t.invoices.$inferSelect, clientRef: string): InvoiceFact {
  return {
    ref: i.ref,
    clientRef,
    issueDate: i.issueDate,
    dueDate: i.dueDate,
    deliveredDate: i.deliveredDate,
    amount: i.baseAmount,
    currency: i.currency,
    originalAmount: i.amount,
    description: i.description,
  };
}
