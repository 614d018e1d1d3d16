import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { askQuestion } from '../../agent/ask.ts';
import { AppError } from '../../errors.ts';
import { action, dateOption, printJson, withRuntime } from '../runtime.ts';

const EXAMPLES = `
Examples:
  $ encours ask "can we give Dupont BTP 60 days?"
  $ encours ask "peut-on accorder 60 jours à Dupont BTP ?"
  $ encours ask "why is Acme Industrie grade D?" --json
  $ encours ask "quelles factures sont en retard de plus de 60 jours ?" --as-of 2026-06-30
  $ encours ask "what does this email ask for?" --client-text email.txt

With ANTHROPIC_API_KEY set, Claude answers through the encours tools; without it, the offline
responder answers the main questions (terms, score, aging, overdue, KPIs, reminders, disputes).
Every figure comes from the tools; every turn is written to the audit log (agent.turn), as the user
of ENCOURS_TOKEN (or --token) when set.`;

interface AskOptions {
  json?: boolean;
  asOf?: string;
  clientText?: string;
}

export function registerAskCommands(program: Command): void {
  program
    .command('ask')
    .argument('<question>', 'the question, in quotes')
    .option('--json', 'print the answer with the tool calls, tokens, cost and checks as JSON')
    .option('--as-of <date>', 'as-of date YYYY-MM-DD for every tool (default: today, or ENCOURS_AS_OF)')
    .option('--client-text <file>', 'a file (or - for stdin) with text written by a client, passed as data')
    .addHelpText('after', EXAMPLES)
    .action(
      action(async (question: string, opts: AskOptions, cmd: Command) => {
        if (!question.trim()) throw new AppError('INVALID_INPUT', 'question: must not be empty');
        const asOf = dateOption('--as-of', opts.asOf);
        const clientText = opts.clientText ? readClientText(opts.clientText) : undefined;
        await withRuntime(cmd, async (runtime, caller) => {
          const turn = await askQuestion(runtime, {
            question,
            caller,
            ...(asOf ? { asOf } : {}),
            ...(clientText ? { clientText } : {}),
          });
          if (opts.json) printJson(turn);
          else process.stdout.write(`${turn.answer}\n`);
        });
      }),
    );
}

function readClientText(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (e) {
    throw new AppError(
      'INVALID_INPUT',
      `--client-text: cannot read ${path}: ${(e as Error).message}`,
      { field: 'client-text' },
      'give a readable file, or - to read stdin',
    );
  }
}
