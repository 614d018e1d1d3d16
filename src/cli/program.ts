import { Command, Option } from 'commander';

type Register = (program: Command) => unknown;

/**
 * Every top-level command: its one-line description (shown by `encours --help`) and the module that
 * defines it (`commands/<group>.ts`: flags, subcommands, action). A module is loaded only when its
 * command runs, so a command does not pay for the SDKs and services of all the others.
 */
const COMMANDS: { name: string; description: string; load: () => Promise<Register> }[] = [
  {
    name: 'demo',
    description: 'generate a realistic demo portfolio (French SMEs, three years), import it and summarise it',
    load: async () => (await import('./commands/demo.ts')).registerDemoCommands,
  },
  {
    name: 'import',
    description: 'import clients, invoices, payments (and disputes, promises, orders...) from CSV files',
    load: async () => (await import('./commands/import.ts')).registerImportCommands,
  },
  {
    name: 'clients',
    description: 'the client base: balances and client files',
    load: async () => (await import('./commands/clients.ts')).registerClientsCommands,
  },
  {
    name: 'invoices',
    description: 'invoices and what is still owed on them',
    load: async () => (await import('./commands/invoices.ts')).registerInvoicesCommands,
  },
  {
    name: 'score',
    description: 'score clients 0-100 (higher is safer) with grade, risk band, confidence and the reasons',
    load: async () => (await import('./commands/score.ts')).registerScoreCommands,
  },
  {
    name: 'terms',
    description: 'decide a request for payment terms under the credit policy (recorded with an id)',
    load: async () => (await import('./commands/terms.ts')).registerTermsCommands,
  },
  {
    name: 'backtest',
    description: 'check how well scores as of a cutoff predicted which later invoices were paid late',
    load: async () => (await import('./commands/backtest.ts')).registerBacktestCommands,
  },
  {
    name: 'aging',
    description: 'aging balance: open amounts per client, not yet due and overdue by bucket, disputed apart',
    load: async () => (await import('./commands/aging.ts')).registerAgingCommands,
  },
  {
    name: 'kpis',
    description:
      'receivables KPIs: DSO (count-back and simple), CEI, ADD, overdue shares, disputes, reminders',
    load: async () => (await import('./commands/kpis.ts')).registerKpisCommands,
  },
  {
    name: 'forecast',
    description: 'expected cash-in per week for the next 13 weeks, from each client payment habits',
    load: async () => (await import('./commands/forecast.ts')).registerForecastCommands,
  },
  {
    name: 'reminders',
    description: 'dunning: plan the next reminders, then draft and review them',
    load: async () => (await import('./commands/reminders.ts')).registerRemindersCommands,
  },
  {
    name: 'disputes',
    description: 'disputed invoices: summaries and next steps',
    load: async () => (await import('./commands/disputes.ts')).registerDisputesCommands,
  },
  {
    name: 'promises',
    description: 'promises to pay: list them, confirm or reject the ones the assistant or MCP proposed',
    load: async () => (await import('./commands/promises.ts')).registerPromisesCommands,
  },
  {
    name: 'ask',
    description: 'ask the assistant a question in French or English (answers in the same language)',
    load: async () => (await import('./commands/ask.ts')).registerAskCommands,
  },
  {
    name: 'audit',
    description: 'the tamper-evident log of every change and decision',
    load: async () => (await import('./commands/audit.ts')).registerAuditCommands,
  },
  {
    name: 'users',
    description: 'people who use encours, their role and access token',
    load: async () => (await import('./commands/users.ts')).registerUsersCommands,
  },
  {
    name: 'policy',
    description: 'the credit policy in force',
    load: async () => (await import('./commands/policy.ts')).registerPolicyCommands,
  },
  {
    name: 'db',
    description: 'database maintenance',
    load: async () => (await import('./commands/db.ts')).registerDbCommands,
  },
  {
    name: 'mcp',
    description: 'run the MCP server on stdio (for Claude Desktop and other local MCP clients)',
    load: async () => (await import('./commands/mcp.ts')).registerMcpCommands,
  },
  {
    name: 'serve',
    description:
      'run the HTTP server: finance pages, REST API (/api), MCP (/mcp), Slack (/slack/events), reminder sender',
    load: async () => (await import('./commands/serve.ts')).registerServeCommands,
  },
  {
    name: 'slack',
    description: 'run the Slack app in Socket Mode (no public URL needed)',
    load: async () => (await import('./commands/slack.ts')).registerSlackCommands,
  },
];

export const COMMAND_NAMES = COMMANDS.map((c) => c.name);

/** The root command with its global options, before any command is added. */
export function createProgram(): Command {
  return new Command('encours')
    .description('Client credit risk, payment terms and collections for B2B finance teams')
    .option(
      '--db <target>',
      'postgres://... URL or a directory for the embedded database (default .encours/)',
    )
    .option(
      '--token <token>',
      'act as the user of this access token (default ENCOURS_TOKEN); without one, read-only (viewer)',
    )
    .addOption(new Option('--as <user>').hideHelp())
    .addOption(new Option('--by <user>').hideHelp())
    .option('--lang <fr|en>', 'language of the output (default ENCOURS_LANG, else fr)')
    .option('--debug', 'print stack traces on errors')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nStart here:\n  $ encours demo             generate and import a demo portfolio\n  $ encours score --json     score every client\n  $ encours terms "Dupont BTP" --days 60\n\nWho you are: reads, suggestions and imports need no token (you act as a viewer). Decisions\n(approve, reject or edit a reminder, decide terms, reset data, add users) need the access token of a\nuser whose role allows them: ENCOURS_TOKEN=enc_... or --token enc_... The first admin is added\nwithout one: encours users add --name N --role admin',
    );
}

/**
 * Adds the commands: `only` with its whole definition, the others as names and descriptions (enough
 * for `--help` and for "unknown command" suggestions).
 */
export async function addCommands(program: Command, only?: string): Promise<Command> {
  for (const entry of COMMANDS) {
    if (entry.name === only) (await entry.load())(program);
    const command = program.commands.find((c) => c.name() === entry.name) ?? program.command(entry.name);
    command.description(entry.description);
  }
  return program;
}

/** The command named on the command line (`help <command>` names it too), skipping global options. */
export function commandNamed(program: Command, args: string[]): string | undefined {
  const positional: string[] = [];
  for (let i = 0; i < args.length && positional.length < 2; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-')) positional.push(arg);
    else if (!arg.includes('=') && program.options.find((o) => o.long === arg || o.short === arg)?.required)
      i++; // its value
  }
  return positional[0] === 'help' ? positional[1] : positional[0];
}
