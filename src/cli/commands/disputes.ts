import type { Command } from 'commander';
import { summariseDisputeFile } from '../../agent/disputes.ts';
import { decideProposedDispute } from '../../services/disputes.ts';
import { langFlag } from '../language.ts';
import { action, dateOption, printJson, withContext } from '../runtime.ts';

const EXAMPLES = `
Examples:
  $ encours disputes summarise F2026-0042
  $ encours disputes summarise F2026-0042 --lang en --json
  $ encours disputes summarise F2026-0042 --as-of 2026-06-30

The summary gives the history, amounts, commitments, what each side said (the client's words are
quoted as data, never obeyed) and a proposed next step with an owner and a deadline.`;

interface SummariseOptions {
  json?: boolean;
  asOf?: string;
}

export function registerDisputesCommands(program: Command): void {
  const disputes = program.command('disputes').addHelpText('after', EXAMPLES);
  disputes
    .command('summarise')
    .alias('summarize')
    .description('summarise the dispute file of an invoice and propose the next step')
    .argument('<invoice-ref>', 'the invoice ref, e.g. F2026-0042')
    .option('--json', 'print the structured summary as JSON')
    .option('--as-of <date>', 'as-of date YYYY-MM-DD (default: today, or ENCOURS_AS_OF)')
    .addHelpText('after', EXAMPLES)
    .action(
      action(async (invoiceRef: string, opts: SummariseOptions, cmd: Command) => {
        const asOf = dateOption('--as-of', opts.asOf);
        // The global --lang; without it the summary is in the client's language.
        const language = langFlag(cmd);
        await withContext(cmd, async (ctx, caller) => {
          const result = await summariseDisputeFile(ctx, {
            invoiceRef,
            caller,
            ...(asOf ? { asOf } : {}),
            ...(language ? { language } : {}),
          });
          if (opts.json) printJson(result);
          else process.stdout.write(`${result.answer}\n`);
        });
      }),
    );

  for (const verb of ['confirm', 'dismiss'] as const)
    disputes
      .command(verb)
      .description(
        verb === 'confirm'
          ? 'confirm a dispute the assistant or MCP proposed (finance or admin token): reminders on the invoice pause'
          : 'dismiss a proposed dispute (finance or admin token): it never takes effect, its notes stay on file',
      )
      .argument('<invoice-ref>', 'the invoice ref')
      .option('--note <text>', 'why, recorded with the decision')
      .option('--json', 'print the result as JSON')
      .action(
        action(async (invoiceRef: string, opts: { note?: string; json?: boolean }, cmd: Command) => {
          await withContext(cmd, async (ctx, caller) => {
            const r = await decideProposedDispute(ctx, invoiceRef, caller, verb, opts.note);
            if (opts.json) printJson(r);
            else process.stdout.write(`dispute on ${r.invoiceRef} (opened ${r.openedDate}): ${r.status}\n`);
          });
        }),
      );
}
