import { Command } from 'commander';
import { registerAgingCommands } from './commands/aging.ts';
import { registerAskCommands } from './commands/ask.ts';
import { registerAuditCommands } from './commands/audit.ts';
import { registerBacktestCommands } from './commands/backtest.ts';
import { registerClientsCommands } from './commands/clients.ts';
import { registerDbCommands } from './commands/db.ts';
import { registerDemoCommands } from './commands/demo.ts';
import { registerDisputesCommands } from './commands/disputes.ts';
import { registerForecastCommands } from './commands/forecast.ts';
import { registerImportCommands } from './commands/import.ts';
import { registerInvoicesCommands } from './commands/invoices.ts';
import { registerKpisCommands } from './commands/kpis.ts';
import { registerMcpCommands } from './commands/mcp.ts';
import { registerRemindersCommands } from './commands/reminders.ts';
import { registerScoreCommands } from './commands/score.ts';
import { registerServeCommands } from './commands/serve.ts';
import { registerSlackCommands } from './commands/slack.ts';
import { registerTermsCommands } from './commands/terms.ts';
import { registerUsersCommands } from './commands/users.ts';

/**
 * The `encours` command. Each command group lives in `commands/<group>.ts` and registers itself
 * here; commands parse flags, call a service, and format the result.
 */
export function createProgram(): Command {
  const program = new Command('encours')
    .description('Client credit risk, payment terms and collections for B2B finance teams')
    .option(
      '--db <target>',
      'postgres://... URL or a directory for the embedded database (default .encours/)',
    )
    .option('--as <user>', 'act as this user (recorded in the audit log)')
    .option('--debug', 'print stack traces on errors')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nStart here:\n  $ encours demo             generate and import a demo portfolio\n  $ encours score --json     score every client\n  $ encours terms "Dupont BTP" --days 60',
    );
  registerDbCommands(program);
  registerImportCommands(program);
  registerDemoCommands(program);
  registerClientsCommands(program);
  registerInvoicesCommands(program);
  registerAuditCommands(program);
  registerMcpCommands(program);
  registerServeCommands(program);
  registerSlackCommands(program);
  registerAgingCommands(program);
  registerKpisCommands(program);
  registerRemindersCommands(program);
  registerForecastCommands(program);
  registerScoreCommands(program);
  registerTermsCommands(program);
  registerBacktestCommands(program);
  registerUsersCommands(program);
  registerAskCommands(program);
  registerDisputesCommands(program);
  return program;
}

// `encours ... | head` closes stdout early: stop quietly instead of printing a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

await createProgram().parseAsync(process.argv);
