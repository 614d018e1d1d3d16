import type { Command } from 'commander';
import type { Minor } from '../../core/money.ts';
import { type AgingResult, getAging } from '../../services/aging.ts';
import { findingText } from '../../wording/aging.ts';
import type { Language } from '../../wording/index.ts';
import { money, printTable, reportCommand } from '../runtime.ts';

const AGING_EXAMPLES = `
Examples:
  $ encours aging                         portfolio aging as of today
  $ encours aging --as-of 2026-06-30 --json
  $ encours aging --client "Dupont BTP"   one client, invoice by invoice

Disputed invoices are shown in their own column for their whole open amount, not in the buckets:
not due + buckets + disputed = total open, to the cent.`;

export function registerAgingCommands(program: Command): void {
  reportCommand(program.command('aging'), {
    clientHelp: 'one client, by ref or name (accents and case ignored)',
    examples: AGING_EXAMPLES,
    load: (ctx, query) => getAging(ctx, query),
    print: printAging,
  });
}

function printAging(r: AgingResult, lang: Language): void {
  const out = process.stdout;
  const m = (c: Minor) => money(c, r.currency);
  const who = r.client
    ? `${r.client.name} (${r.client.ref})`
    : `portfolio, ${r.clients.length} clients with open balances`;
  out.write(`Aging as of ${r.asOf}, ${r.currency} - ${who}\n\n`);
  const line = (label: string, name: string, l: AgingResult['totals']) => ({
    Client: label,
    Name: name,
    'Not due': m(l.notDueCents),
    ...Object.fromEntries(l.buckets.map((b) => [b.label, m(b.amountCents)])),
    Disputed: m(l.disputedCents),
    Total: m(l.totalOpenCents),
  });
  const rows = r.clients.map((c) => line(c.clientRef, c.name, c));
  if (!r.client) rows.push(line('TOTAL', '', r.totals));
  printTable(rows);
  if (r.client && r.clients[0]?.invoices.length) {
    out.write('\n');
    printTable(
      r.clients[0].invoices.map((i) => ({
        Invoice: i.ref,
        Issued: i.issueDate,
        Due: i.dueDate,
        Amount: m(i.amountCents),
        Paid: m(i.paidCents),
        Credited: m(i.creditedCents),
        Open: m(i.openCents),
        'Days overdue': i.daysOverdue,
        Column: i.column === 'not_due' ? 'not due' : i.column,
      })),
    );
  }
  out.write('\nDisputed invoices are shown apart for their whole open amount (not in the buckets).\n');
  if (r.findings.length) {
    out.write(`\nData quality: ${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}\n`);
    for (const f of r.findings)
      out.write(
        `  ${f.kind}  ${f.clientRef}${f.invoiceRef ? ` ${f.invoiceRef}` : ''}: ${findingText(f, lang)}\n`,
      );
  } else out.write('\nData quality: no findings\n');
}
