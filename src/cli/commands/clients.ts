import type { Command } from 'commander';
import { formatMoney } from '../../core/money.ts';
import { getClientProfile, listClients } from '../../services/clients.ts';
import { defaultAsOf } from '../../services/context.ts';
import { action, dateOption, printJson, printSection, printTable, withContext } from '../runtime.ts';

export function registerClientsCommands(program: Command): void {
  const clients = program.command('clients');

  clients
    .command('list')
    .description('every client with its open balance and overdue amount')
    .option('--as-of <date>', 'balances as of this date (default ENCOURS_AS_OF or today)')
    .option('--json', 'print JSON (amounts in cents)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ encours clients list\n  $ encours clients list --as-of 2026-03-31 --json',
    )
    .action(
      action(async (opts: { asOf?: string; json?: boolean }, cmd: Command) => {
        const asOfFlag = dateOption('--as-of', opts.asOf);
        const { rows, currency, asOf } = await withContext(cmd, async (ctx) => {
          const asOf = asOfFlag ?? defaultAsOf(ctx);
          return { rows: await listClients(ctx.db, asOf), currency: ctx.policy.policy.baseCurrency, asOf };
        });
        if (opts.json) {
          printJson(rows.map((r) => ({ ...r, asOf, currency })));
          return;
        }
        const m = (x: number) => formatMoney(x, currency, 'en');
        printTable(
          rows.map((r) => ({
            ref: r.ref,
            name: r.name,
            segment: r.segment,
            'open balance': m(r.openBalance),
            overdue: m(r.overdue),
          })),
        );
      }),
    );

  clients
    .command('show')
    .description("one client's file: fields, open invoices, totals, disputes, promises, orders")
    .argument('<client>', 'client ref, or name (accents and case ignored)')
    .option('--as-of <date>', 'as of this date (default ENCOURS_AS_OF or today)')
    .option('--json', 'print JSON (amounts in cents)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ encours clients show "Dupont BTP"\n  $ encours clients show C0002 --json',
    )
    .action(
      action(async (query: string, opts: { asOf?: string; json?: boolean }, cmd: Command) => {
        const asOfFlag = dateOption('--as-of', opts.asOf);
        const { profile, currency } = await withContext(cmd, async (ctx) => ({
          profile: await getClientProfile(ctx.db, query, asOfFlag ?? defaultAsOf(ctx)),
          currency: ctx.policy.policy.baseCurrency,
        }));
        if (opts.json) {
          printJson({ ...profile, currency });
          return;
        }
        const m = (x: number | null) => (x === null ? '-' : formatMoney(x, currency, 'en'));
        const c = profile.client;
        const t = profile.totals;
        const out = process.stdout;
        out.write(`${c.name} (${c.ref}) as of ${profile.asOf}\n`);
        out.write(
          `  segment ${c.segment ?? '-'}, sector ${c.sector ?? '-'}, country ${c.country ?? '-'}, language ${c.language}\n`,
        );
        out.write(
          `  terms ${c.termsDays ?? 'standard'} days, credit limit ${m(c.creditLimit)}, insurance limit ${m(c.insuranceLimit)}, external score ${c.externalScore ?? '-'}, client since ${c.since ?? '-'}\n`,
        );
        out.write(`  email ${c.email ?? '-'}\n\n`);
        out.write(
          `  open balance ${m(t.openBalance)} on ${t.openInvoices} invoices, overdue ${m(t.overdue)} on ${t.overdueInvoices}` +
            ` (oldest ${t.oldestDaysOverdue} days)\n  open orders ${m(t.openOrders)}, exposure ${m(t.exposure)}; ${t.invoices} invoices in all, ${t.paidInvoices} paid\n`,
        );
        out.write('\nOpen invoices:\n');
        printTable(
          profile.openInvoices.map((i) => ({
            ref: i.ref,
            issued: i.issueDate,
            due: i.dueDate,
            amount: m(i.amount),
            open: m(i.open),
            'days overdue': i.daysOverdue,
            disputed: i.disputed ? 'yes' : '',
          })),
        );
        printSection(
          'Disputes:',
          profile.disputes.map((d) => ({
            invoice: d.invoiceRef,
            opened: d.openedDate,
            status: d.status,
            reason: d.reason,
            amount: d.amount === null ? 'whole invoice' : m(d.amount),
            owner: d.owner,
          })),
        );
        printSection(
          'Promises to pay:',
          profile.promises.map((p) => ({
            invoice: p.invoiceRef,
            made: p.madeDate,
            promised: p.promisedDate,
            amount: m(p.amount),
            status: p.status,
          })),
        );
        const openOrders = profile.orders.filter((o) => o.status === 'open');
        printSection(
          'Open orders:',
          openOrders.map((o) => ({ ref: o.ref, date: o.date, amount: m(o.amount) })),
        );
      }),
    );
}
