import type { Command } from 'commander';
import { decidePromise, listPromises, type PromiseView } from '../../services/promises.ts';
import { action, money, printJson, printTable, withContext } from '../runtime.ts';

const EXAMPLES = `
Examples:
  $ encours promises list --status proposed
  $ encours promises confirm "C0001|F2026-0042|2026-12-04|1500.00" --token enc_...
  $ encours promises reject "C0001||2026-12-31|9000.00" --note "not what the client said" --token enc_...

Promises recorded by the assistant or over MCP are proposals: they hold no reminder and count for
no score until a finance user confirms them (as the user of ENCOURS_TOKEN or --token).`;

function printPromises(rows: PromiseView[], currency: string): void {
  printTable(
    rows.map((p) => ({
      key: p.key,
      client: `${p.clientName} (${p.clientRef})`,
      invoice: p.invoiceRef ?? '-',
      promised: p.promisedDate,
      amount: money(p.amount, currency),
      status: p.status,
      by: p.recordedBy ?? '-',
    })),
  );
}

export function registerPromisesCommands(program: Command): void {
  const promises = program.command('promises').addHelpText('after', EXAMPLES);
  promises
    .command('list')
    .description('promises to pay on file (proposed ones wait for a finance user)')
    .option('--status <status>', 'only this status: proposed, pending, kept, broken, cancelled, rejected')
    .option('--json', 'print as JSON (amounts in cents)')
    .action(
      action(async (opts: { status?: string; json?: boolean }, cmd: Command) => {
        await withContext(cmd, async (ctx) => {
          const rows = await listPromises(ctx, opts.status ? { status: opts.status } : {});
          if (opts.json) printJson(rows);
          else printPromises(rows, ctx.policy.policy.baseCurrency);
        });
      }),
    );
  for (const verb of ['confirm', 'reject'] as const)
    promises
      .command(verb)
      .description(
        verb === 'confirm'
          ? 'confirm a proposed promise (finance or admin token): it then holds the reminders it covers'
          : 'reject a proposed promise (finance or admin token): it never takes effect',
      )
      .argument('<key>', 'the promise key (see `encours promises list`)')
      .option('--note <text>', 'why, recorded with the decision')
      .option('--json', 'print the promise as JSON')
      .action(
        action(async (key: string, opts: { note?: string; json?: boolean }, cmd: Command) => {
          await withContext(cmd, async (ctx, caller) => {
            const p = await decidePromise(ctx, key, caller, verb, opts.note);
            if (opts.json) printJson(p);
            else printPromises([p], ctx.policy.policy.baseCurrency);
          });
        }),
      );
}
