import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc } from 'drizzle-orm';
import type { Database } from '../../src/db/open.ts';
import * as t from '../../src/db/schema.ts';

/** Writes CSV files into a fresh temp directory and returns its path. */
export function writeFixture(files: Record<string, string>, dir?: string): string {
  const target = dir ?? mkdtempSync(join(tmpdir(), 'encours-import-'));
  mkdirSync(target, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(target, name), text);
  return target;
}

/** Joins lines with LF and a final LF. */
export const csv = (...lines: string[]): string => `${lines.join('\n')}\n`;

/**
 * A small portfolio whose stored values are computed by hand in the tests:
 * F-002 is USD 1,000.00 at 0.9215 = EUR 921.50; its payments of 400 and 600 convert to
 * 368.60 and 552.90 (running totals 368.60 and 921.50).
 */
export const BASE_FILES: Record<string, string> = {
  'clients.csv': csv(
    'ref,name,segment,sector,country,email,language,credit_limit,terms_days,external_score,since,insurance_limit',
    '007,Dupont BTP,sme,construction,FR,compta@dupont-btp.fr,fr,50000.00,45,62,2015-03-01,40000.00',
    'C2,Acme Industrie,key_account,industry,FR,,fr,,60,,,',
    'C3,Harbor Logistics Ltd,sme,distribution,GB,accounts@harbor.co.uk,en,20000,30,,,',
  ),
  'invoices.csv': csv(
    'ref,client_ref,issue_date,due_date,amount,currency,delivered_date,description,fx_rate',
    'F-001,007,2026-01-05,2026-02-19,1200.00,EUR,2026-01-03,"Béton, livraison chantier",',
    'F-002,C3,2026-01-10,2026-02-09,1000.00,USD,,Freight,0.9215',
    'F-003,007,2026-02-01,2026-03-18,350.5,,,,',
    'F-004,C2,2026-02-10,2026-04-11,5000.00,EUR,,Usinage,',
  ),
  'payments.csv': csv(
    'invoice_ref,date,amount,ref,kind',
    'F-001,2026-02-15,1000.00,VIR-1,payment',
    'F-001,2026-02-20,200.00,AV-1,credit_note',
    'F-002,2026-03-01,400.00,,',
    'F-002,2026-03-20,600.00,,payment',
    'F-004,2026-04-20,1000.00,,',
  ),
  'disputes.csv': csv(
    'invoice_ref,opened_date,reason,status,resolved_date,owner,amount',
    'F-004,2026-02-20,prix différent du devis,open,,Claire Moreau,800.00',
    'F-001,2026-01-20,quantité,resolved,2026-02-10,Julien Perrin,200.00',
  ),
  'dispute_events.csv': csv(
    'invoice_ref,opened_date,date,author,kind,note',
    'F-004,2026-02-20,2026-02-20,client,complaint,"Prix unitaire faux.\nNous attendons un avoir."',
    'F-004,2026-02-20,2026-02-21,us,acknowledged,Réclamation enregistrée',
  ),
  'promises.csv': csv(
    'client_ref,invoice_ref,made_date,promised_date,amount,status',
    'C2,F-004,2026-04-15,2026-04-30,4000.00,pending',
    '007,,2026-03-01,2026-03-10,350.50,broken',
  ),
  'orders.csv': csv(
    'ref,client_ref,date,amount,status',
    'CMD-1,007,2026-03-01,2500.00,open',
    'CMD-2,C2,2025-12-01,900,invoiced',
  ),
  'reminders.csv': csv(
    'client_ref,date,stage,invoice_refs',
    '007,2026-03-25,friendly,F-003',
    'C2,2026-04-18,clear,F-004',
  ),
};

/** The Excel (French locale) spelling of some files: BOM, `;`, decimal comma, dd/mm/yyyy, CRLF. */
export function excelVariant(files: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) {
    const records = parseRecords(text).map((cells) =>
      cells
        .map((cell) => {
          let v = cell.replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$3/$2/$1');
          // Amounts and rates: decimal comma, thousands with a no-break space.
          if (/^\d+\.\d+$/.test(v)) {
            const [whole, frac] = v.split('.') as [string, string];
            v = `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0')},${frac}`;
          }
          return /[";\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
        })
        .join(';'),
    );
    out[name] = `\uFEFF${records.join('\r\n')}\r\n`;
  }
  return out;
}

/** A minimal RFC 4180 reader (quotes, doubled quotes, newlines inside quotes) for building fixtures. */
function parseRecords(text: string): string[][] {
  const records: string[][] = [];
  let cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cur);
      cur = '';
    } else if (ch === '\n') {
      cells.push(cur);
      records.push(cells);
      cells = [];
      cur = '';
    } else cur += ch;
  }
  if (cur || cells.length) records.push([...cells, cur]);
  return records;
}

/** Every data table's rows (without creation timestamps), for before/after comparisons. */
export async function dumpData(database: Database): Promise<Record<string, unknown[]>> {
  const db = database.db;
  const strip = <R extends { createdAt?: unknown }>(rows: R[]) => rows.map(({ createdAt: _, ...r }) => r);
  return {
    clients: strip(await db.select().from(t.clients).orderBy(asc(t.clients.id))),
    invoices: strip(await db.select().from(t.invoices).orderBy(asc(t.invoices.id))),
    payments: strip(await db.select().from(t.payments).orderBy(asc(t.payments.id))),
    allocations: await db.select().from(t.paymentAllocations).orderBy(asc(t.paymentAllocations.id)),
    disputes: strip(await db.select().from(t.disputes).orderBy(asc(t.disputes.id))),
    events: strip(await db.select().from(t.disputeEvents).orderBy(asc(t.disputeEvents.id))),
    promises: strip(await db.select().from(t.promises).orderBy(asc(t.promises.id))),
    orders: strip(await db.select().from(t.orders).orderBy(asc(t.orders.id))),
    reminders: strip(await db.select().from(t.reminders).orderBy(asc(t.reminders.id))),
  };
}
