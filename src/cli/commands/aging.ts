import type { Command } from 'commander';
import { isIsoDate } from '../../core/dates.ts';
import { formatMoney, type Minor } from '../../core/money.ts';
import { AppError } from '../../errors.ts';
import { type AgingResult, getAging } from '../../services/aging.ts';
import { action, printJson, printTable, withContext } from '../runtime.ts';

/** Options shared by the receivables read commands (aging, kpis, reminders plan, forecast). */
export interface ReportOptions {
  asOf?: string;
  client?: string;
  json?: boolean;
}

/** Validates --as-of as a real calendar date (2026-02-30 is refused), naming the flag. */
export function asOfFlag(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!isIsoDate(value))
    throw new AppError(
      'INVALID_INPUT',
      `--as-of: expected a calendar date YYYY-MM-DD, got "${value}"`,
      undefined,
      'for example --as-of 2026-06-30',
    );
  return value;
}

export const money = (cents: Minor, currency: string): string => formatMoney(cents, currency, 'en');

export const JSON_MONEY_NOTE = 'print JSON (amounts are integer cents in fields named ...Cents)';

const AGING_EXAMPLES = `
Examples:
  $ encours aging                         portfolio aging as of today
  $ encours aging --as-of 2026-06-30 --json
  $ encours aging --client "Dupont BTP"   one client, invoice by invoice

Disputed invoices are shown in their own column for their whole open amount, not in the buckets:
not due + buckets + disputed = total open, to the cent.`;

export function registerAgingCommands(program: Command): void {
  program
    .command('aging')
    .description('aging balance: open amounts per client, not yet due and overdue by bucket, disputed apart')
    .option('--as-of <date>', 'as-of date YYYY-MM-DD (default: today, or ENCOURS_AS_OF)')
    .option('--client <ref-or-name>', 'one client, by ref or name (accents and case ignored)')
    .option('--json', JSON_MONEY_NOTE)
    .addHelpText('after', AGING_EXAMPLES)
    .action(
      action(async (opts: ReportOptions, cmd: Command) => {
        const asOf = asOfFlag(opts.asOf);
        await withContext(cmd, async (ctx) => {
          const report = await getAging(ctx, { asOf, client: opts.client });
          if (opts.json) printJson(report);
          else printAging(report);
        });
      }),
    );
}

function printAging(r: AgingResult): void {
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
      out.write(`  ${f.kind}  ${f.clientRef}${f.invoiceRef ? ` ${f.invoiceRef}` : ''}: ${f.detail}\n`);
  } else out.write('\nData quality: no findings\n');
}
