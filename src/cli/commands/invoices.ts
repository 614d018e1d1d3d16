import type { Command } from 'commander';
import { formatMoney } from '../../core/money.ts';
import { defaultAsOf } from '../../services/context.ts';
import { INVOICE_STATUSES, type InvoiceStatus, listInvoices } from '../../services/invoices.ts';
import { action, dateOption, printJson, printTable, withContext } from '../runtime.ts';

export function registerInvoicesCommands(program: Command): void {
  const invoices = program.command('invoices');
  invoices
    .command('list')
    .description('invoices with their open amount and status as of a date (oldest first)')
    .option('--client <client>', 'only this client (ref or name)')
    .option('--status <status>', `${INVOICE_STATUSES.join('|')}: open = still owed (overdue included)`)
    .option('--as-of <date>', 'as of this date (default ENCOURS_AS_OF or today)')
    .option('--json', 'print JSON (amounts in cents, base currency)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ encours invoices list --status overdue\n  $ encours invoices list --client "Dupont BTP" --json',
    )
    .action(
      action(
        async (opts: { client?: string; status?: string; asOf?: string; json?: boolean }, cmd: Command) => {
          const asOfFlag = dateOption('--as-of', opts.asOf);
          const { lines, currency } = await withContext(cmd, async (ctx) => ({
            lines: await listInvoices(ctx.db, {
              asOf: asOfFlag ?? defaultAsOf(ctx),
              client: opts.client,
              status: opts.status as InvoiceStatus | undefined,
            }),
            currency: ctx.policy.policy.baseCurrency,
          }));
          if (opts.json) {
            printJson(lines);
            return;
          }
          const m = (x: number) => formatMoney(x, currency, 'en');
          printTable(
            lines.map((l) => ({
              ref: l.ref,
              client: l.clientRef,
              issued: l.issueDate,
              due: l.dueDate,
              amount: m(l.amount),
              open: m(l.open),
              status: l.status,
              'days overdue': l.daysOverdue || '',
              disputed: l.disputed ? 'yes' : '',
            })),
          );
        },
      ),
    );
}
