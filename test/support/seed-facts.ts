import { eq } from 'drizzle-orm';
import type { ClientFacts } from '../../src/core/types.ts';
import type { Db } from '../../src/db/open.ts';
import * as t from '../../src/db/schema.ts';

/**
 * Writes hand-built client facts into a real database through the schema (no import pipeline):
 * base-currency invoices, one allocation per payment, disputes, promises, orders and sent reminders.
 * Service tests then compare what the services compute with the figures worked out by hand for the
 * core. Returns the client ids by ref.
 */
export async function seedFacts(db: Db, portfolio: readonly ClientFacts[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  await db.transaction(async (tx) => {
    for (const f of portfolio) {
      const c = f.client;
      const [client] = await tx
        .insert(t.clients)
        .values({
          ref: c.ref,
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
        })
        .returning({ id: t.clients.id });
      const clientId = client!.id;
      ids.set(c.ref, clientId);
      const invoiceIds = new Map<string, number>();
      for (const i of f.invoices) {
        const [row] = await tx
          .insert(t.invoices)
          .values({
            ref: i.ref,
            clientId,
            issueDate: i.issueDate,
            dueDate: i.dueDate,
            deliveredDate: i.deliveredDate,
            amount: i.amount,
            currency: i.currency,
            baseAmount: i.amount,
            description: i.description,
          })
          .returning({ id: t.invoices.id });
        invoiceIds.set(i.ref, row!.id);
      }
      for (const p of f.payments) {
        const [row] = await tx
          .insert(t.payments)
          .values({ ref: p.ref, clientId, date: p.date, amount: p.amount, kind: p.kind })
          .returning({ id: t.payments.id });
        await tx.insert(t.paymentAllocations).values({
          paymentId: row!.id,
          invoiceId: invoiceIds.get(p.invoiceRef)!,
          amount: p.amount,
          baseAmount: p.amount,
        });
      }
      for (const d of f.disputes)
        await tx.insert(t.disputes).values({
          invoiceId: invoiceIds.get(d.invoiceRef)!,
          openedDate: d.openedDate,
          reason: d.reason,
          status: d.status,
          resolvedDate: d.resolvedDate,
          owner: d.owner,
          amount: d.amount,
        });
      let n = 0;
      for (const p of f.promises)
        await tx.insert(t.promises).values({
          key: `${c.ref}-promise-${n++}`,
          clientId,
          invoiceId: p.invoiceRef ? invoiceIds.get(p.invoiceRef)! : null,
          madeDate: p.madeDate,
          promisedDate: p.promisedDate,
          amount: p.amount,
          status: p.status,
        });
      for (const o of f.orders)
        await tx
          .insert(t.orders)
          .values({ ref: o.ref, clientId, date: o.date, amount: o.amount, status: o.status });
      for (const r of f.reminders)
        await tx.insert(t.reminders).values({
          id: `${c.ref}-rem-${n++}`,
          clientId,
          asOf: r.date,
          stage: r.stage,
          scenario: r.stage,
          tone: 'neutral',
          language: c.language,
          status: 'sent',
          invoiceRefs: r.invoiceRefs,
          createdBy: 'test',
          sentDate: r.date,
        });
    }
  });
  return ids;
}

/** A payment recorded without any allocation (e.g. a transfer nobody matched to an invoice). */
export async function seedUnallocatedPayment(
  db: Db,
  clientRef: string,
  ref: string,
  date: string,
  amount: number,
): Promise<void> {
  const [client] = await db.select({ id: t.clients.id }).from(t.clients).where(eq(t.clients.ref, clientRef));
  await db.insert(t.payments).values({ ref, clientId: client!.id, date, amount, kind: 'payment' });
}
