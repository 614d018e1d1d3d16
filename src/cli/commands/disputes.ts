import type { Command } from 'commander';
import { summariseDisputeFile } from '../../agent/disputes.ts';
import { AppError } from '../../errors.ts';
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
  lang?: string;
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
    .option('--lang <fr|en>', "language of the summary (default: the client's language)")
    .addHelpText('after', EXAMPLES)
    .action(
      action(async (invoiceRef: string, opts: SummariseOptions, cmd: Command) => {
        const asOf = dateOption('--as-of', opts.asOf);
        if (opts.lang !== undefined && opts.lang !== 'fr' && opts.lang !== 'en')
          throw new AppError('INVALID_INPUT', `--lang: expected fr or en, got "${opts.lang}"`);
        await withContext(cmd, async (ctx, caller) => {
          const result = await summariseDisputeFile(ctx, {
            invoiceRef,
            caller,
            ...(asOf ? { asOf } : {}),
            ...(opts.lang ? { language: opts.lang as 'fr' | 'en' } : {}),
          });
          if (opts.json) printJson(result);
          else process.stdout.write(`${result.answer}\n`);
        });
      }),
    );
}
