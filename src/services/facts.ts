import { type SQL, sql } from 'drizzle-orm';
import type { ClientFacts, DisputeFact } from '../core/types.ts';
import type { DbOrTx } from '../db/open.ts';
import { queryRows } from '../db/rows.ts';
import { noDataError } from '../errors.ts';

/**
 * Loads every fact the core needs, for the whole portfolio or some clients, with one statement that
 * returns each table as ONE JSON text: row-by-row results make the embedded database parse every
 * field of every row in JavaScript, which was about 5x slower on 100,000 invoices. Amounts are
 * converted to base currency here, once.
 */
export interface LoadFactsOptions {
  /**
   * `scoring` leaves out what no score, limit or terms decision reads: invoice descriptions, dispute
   * events and sent reminders (a third of the data). Default `all`.
   */
  scope?: 'all' | 'scoring';
}

export async function loadFacts(
  db: DbOrTx,
  clientIds?: number[],
  opts: LoadFactsOptions = {},
): Promise<ClientFacts[]> {
  const all = opts.scope !== 'scoring';
  const ids = clientIds
    ? sql`(${sql.join(
        clientIds.map((id) => sql`${id}`),
        sql`, `,
      )})`
    : null;
  const only = (column: SQL) => (ids ? sql`where ${column} in ${ids}` : sql``);

  // ONE statement with a subquery per table: it reads one snapshot, so an import committing meanwhile
  // is seen whole or not at all (separate queries could see an invoice without its client).
  const [row] = await queryRows<Record<string, string | null>>(
    db,
    sql`select
      (select json_agg(json_build_object('id', c.id, 'ref', c.ref, 'name', c.name, 'segment', c.segment,
          'sector', c.sector, 'country', c.country, 'email', c.email, 'language', c.language,
          'creditLimit', c.credit_limit, 'insuranceLimit', c.insurance_limit, 'termsDays', c.terms_days,
          'externalScore', c.external_score, 'since', c.since) order by c.ref)::text
        from clients c ${only(sql`c.id`)}) as clients,
      (select json_agg(json_build_array(i.id, i.ref, i.client_id, i.issue_date, i.due_date, i.delivered_date,
          i.amount, i.currency, i.base_amount, ${all ? sql`i.description` : sql`null`}, i.fx_rate))::text
        from invoices i ${only(sql`i.client_id`)}) as invoices,
      (select json_agg(json_build_array(a.invoice_id, a.base_amount, p.ref, p.date, p.kind))::text
        from payment_allocations a join payments p on p.id = a.payment_id ${only(sql`p.client_id`)}) as allocations,
      (select json_agg(json_build_array(d.id, d.invoice_id, d.opened_date, d.resolved_date, d.status, d.reason,
          d.owner, d.amount) order by d.id)::text
        from disputes d join invoices i on i.id = d.invoice_id ${only(sql`i.client_id`)}) as disputes,
      ${all ? sql`(${disputeEventsSql(only)})` : sql`null`} as events,
      (select json_agg(json_build_array(p.client_id, p.invoice_id, p.made_date, p.promised_date, p.amount, p.status)
          order by p.id)::text
        from promises p ${only(sql`p.client_id`)}) as promises,
      (select json_agg(json_build_array(o.client_id, o.ref, o.date, o.amount, o.status) order by o.id)::text
        from orders o ${only(sql`o.client_id`)}) as orders,
      ${
        // Only reminders that actually went out are facts; drafts are not.
        all
          ? sql`(select json_agg(json_build_array(r.client_id, r.sent_date, r.stage, r.invoice_refs)
                  order by r.sent_date, r.id)::text
                from reminders r
                where r.status = 'sent' and r.sent_date is not null ${ids ? sql`and r.client_id in ${ids}` : sql``})`
          : sql`null`
      } as reminders,
      ${
        all
          ? sql`(select json_agg(json_build_array(p.client_id, p.invoice_id, (p.created_at at time zone 'UTC')::date,
                  p.resume_date, (p.ended_at at time zone 'UTC')::date, p.reason) order by p.created_at, p.id)::text
                from pauses p ${only(sql`p.client_id`)})`
          : sql`null`
      } as pauses`,
  );
  const parsed = <T>(column: string): T[] => {
    const text = row?.[column];
    return text ? (JSON.parse(text) as T[]) : [];
  };
  const clientRows = parsed<ClientRow>('clients');
  const invoices =
    parsed<
      [number, string, number, string, string, string | null, number, string, number, string | null, number]
    >('invoices');
  const allocations = parsed<[number, number, string, string, string]>('allocations');
  const disputes =
    parsed<[number, number, string, string | null, string, string, string | null, number | null]>('disputes');
  const events = parsed<[number, string, string, string, string]>('events');
  const promises = parsed<[number, number | null, string | null, string, number, string]>('promises');
  const orders = parsed<[number, string, string, number, string]>('orders');
  const reminders = parsed<[number, string, string, string[]]>('reminders');
  const pauses = parsed<[number, number | null, string, string | null, string | null, string]>('pauses');
  if (!clientRows.length) {
    if (!clientIds) throw noDataError();
    return [];
  }

  const byClient = new Map<number, ClientFacts>(clientRows.map((c) => [c.id, emptyFacts(c)]));
  const invoiceById = new Map<number, { ref: string; clientId: number; fxRate: number }>();
  for (const [
    id,
    ref,
    clientId,
    issueDate,
    dueDate,
    deliveredDate,
    amount,
    currency,
    baseAmount,
    description,
    fx,
  ] of invoices) {
    const f = byClient.get(clientId)!;
    invoiceById.set(id, { ref, clientId, fxRate: Number(fx) });
    f.invoices.push({
      ref,
      clientRef: f.client.ref,
      issueDate,
      dueDate,
      deliveredDate,
      amount: baseAmount,
      currency,
      originalAmount: amount,
      description,
    });
  }
  for (const [invoiceId, baseAmount, ref, date, kind] of allocations) {
    const inv = invoiceById.get(invoiceId)!;
    byClient.get(inv.clientId)!.payments.push({
      ref,
      invoiceRef: inv.ref,
      date,
      amount: baseAmount,
      kind: kind === 'credit_note' ? 'credit_note' : 'payment',
    });
  }
  const disputeById = new Map<number, DisputeFact>();
  for (const [id, invoiceId, openedDate, resolvedDate, status, reason, owner, amount] of disputes) {
    // A proposed dispute pauses nothing until finance confirms it; a dismissed proposal never did.
    if (status === 'proposed' || status === 'dismissed') continue;
    const inv = invoiceById.get(invoiceId)!;
    const fact: DisputeFact = {
      invoiceRef: inv.ref,
      openedDate,
      resolvedDate,
      status: status === 'resolved' || status === 'rejected' ? status : 'open',
      reason,
      owner,
      amount: amount === null ? null : Math.round(amount * inv.fxRate),
      events: [],
    };
    disputeById.set(id, fact);
    byClient.get(inv.clientId)!.disputes.push(fact);
  }
  for (const [disputeId, date, author, kind, note] of events)
    disputeById.get(disputeId)?.events.push({
      date,
      author: author === 'client' || author === 'us' ? author : 'system',
      kind,
      note,
    });
  for (const [clientId, invoiceId, madeDate, promisedDate, amount, status] of promises) {
    // Proposals (from MCP or the agent) take effect only once finance confirms them.
    if (status === 'proposed' || status === 'rejected') continue;
    const f = byClient.get(clientId)!;
    f.promises.push({
      clientRef: f.client.ref,
      invoiceRef: invoiceId ? (invoiceById.get(invoiceId)?.ref ?? null) : null,
      madeDate,
      promisedDate,
      amount,
      status: (['pending', 'kept', 'broken', 'cancelled'] as const).find((s) => s === status) ?? 'pending',
    });
  }
  for (const [clientId, ref, date, amount, status] of orders) {
    const f = byClient.get(clientId)!;
    f.orders.push({
      ref,
      clientRef: f.client.ref,
      date,
      amount,
      status: status === 'invoiced' || status === 'cancelled' ? status : 'open',
    });
  }
  for (const [clientId, date, stage, invoiceRefs] of reminders) {
    const f = byClient.get(clientId)!;
    f.reminders.push({ clientRef: f.client.ref, date, stage, invoiceRefs });
  }
  if (all) for (const f of byClient.values()) f.pauses = [];
  for (const [clientId, invoiceId, from, resumeDate, endedOn, reason] of pauses) {
    const until =
      resumeDate && endedOn ? (resumeDate < endedOn ? resumeDate : endedOn) : (resumeDate ?? endedOn);
    byClient.get(clientId)!.pauses!.push({
      invoiceRef: invoiceId ? (invoiceById.get(invoiceId)?.ref ?? null) : null,
      from,
      until,
      reason,
    });
  }
  for (const f of byClient.values()) {
    f.invoices.sort((a, b) =>
      a.issueDate < b.issueDate ? -1 : a.issueDate > b.issueDate ? 1 : a.ref < b.ref ? -1 : 1,
    );
    // By date, then payment and invoice ref: a deterministic order without sorting in the database.
    f.payments.sort((a, b) =>
      a.date !== b.date
        ? a.date < b.date
          ? -1
          : 1
        : a.ref !== b.ref
          ? a.ref < b.ref
            ? -1
            : 1
          : a.invoiceRef < b.invoiceRef
            ? -1
            : a.invoiceRef > b.invoiceRef
              ? 1
              : 0,
    );
  }
  return [...byClient.values()];
}

/** A client as the facts query returns it: its id, then the fields of the client fact. */
type ClientRow = Omit<ClientFacts['client'], 'language'> & { id: number; language: string };

function emptyFacts({ id: _id, language, ...client }: ClientRow): ClientFacts {
  return {
    client: { ...client, language: language === 'en' ? 'en' : 'fr' },
    invoices: [],
    payments: [],
    disputes: [],
    promises: [],
    orders: [],
    reminders: [],
  };
}

const disputeEventsSql = (only: (column: SQL) => SQL): SQL =>
  sql`select json_agg(json_build_array(e.dispute_id, e.date, e.author, e.kind, e.note) order by e.date, e.id)::text
        from dispute_events e join disputes d on d.id = e.dispute_id join invoices i on i.id = d.invoice_id
        ${only(sql`i.client_id`)}`;
