import type { Command } from 'commander';
import { formatMoney } from '../../core/money.ts';
import { DEFAULT_DEMO_CLIENTS, DEFAULT_DEMO_SEED, runDemo } from '../../services/demo/index.ts';
import { describeFileReport } from '../../services/import/index.ts';
import type { PortfolioSummary } from '../../services/portfolio.ts';
import { action, dateOption, intOption, printJson, printSection, withContext } from '../runtime.ts';
import { progressReporter } from './import.ts';

/** The portfolio summary as plain text (also used after imports by other commands). */
export function printPortfolioSummary(s: PortfolioSummary): void {
  const m = (x: number) => formatMoney(x, s.currency, 'en');
  const out = process.stdout;
  out.write(`\nPortfolio as of ${s.asOf}\n`);
  out.write(`  clients        ${s.clients}\n`);
  out.write(`  invoices       ${s.invoices} (${s.openInvoices} open)\n`);
  out.write(`  open balance   ${m(s.openBalance)}\n`);
  out.write(`  overdue        ${m(s.overdue)} (${s.overdueSharePercent}% of the open balance)\n`);
  out.write(`  open disputes  ${s.openDisputes}\n`);
  const grades = Object.entries(s.grades).map(([g, n]) => `${g} ${n}`);
  out.write(`  risk grades    ${grades.join(', ')} (A safest; \`encours score\` explains each)\n`);
  printSection(
    'Top overdue clients:',
    s.topOverdue.map((b) => ({
      ref: b.ref,
      name: b.name,
      overdue: m(b.overdue),
      'open balance': m(b.openBalance),
      'oldest (days)': b.oldestDaysOverdue,
    })),
  );
}

export function registerDemoCommands(program: Command): void {
  program
    .command('demo')
    .option('--clients <n>', `number of clients (default ${DEFAULT_DEMO_CLIENTS})`)
    .option('--seed <n>', `random seed: the same seed gives the same data (default ${DEFAULT_DEMO_SEED})`)
    .option('--as-of <date>', 'last day of history, YYYY-MM-DD (default ENCOURS_AS_OF or today)')
    .option(
      '--out <dir>',
      'where to write the CSV files (default demo-data/ in the database directory, .encours/demo-data)',
    )
    .option('--reset', 'empty the data tables first (the audit log is kept; needs an admin token)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
The CSV files are written first, then imported with the same code as \`encours import\`.
On a database that already holds data, use --reset (or another --db); resetting is a decision, so it
needs ENCOURS_TOKEN (or --token) of an admin.

Examples:
  $ encours demo
  $ encours demo --clients 50 --seed 7 --as-of 2026-06-30 --out ./demo-csv
  $ encours demo --reset --json --token enc_...`,
    )
    .action(
      action(
        async (
          opts: {
            clients?: string;
            seed?: string;
            asOf?: string;
            out?: string;
            reset?: boolean;
            json?: boolean;
          },
          cmd: Command,
        ) => {
          const clients = intOption('--clients', opts.clients, 2);
          const seed = intOption('--seed', opts.seed, 0);
          const asOf = dateOption('--as-of', opts.asOf);
          const progress = progressReporter();
          const result = await withContext(cmd, (ctx, caller) =>
            runDemo(ctx, {
              clients,
              seed,
              asOf,
              out: opts.out,
              reset: opts.reset === true,
              actor: caller,
              onProgress: progress.onProgress,
            }).finally(progress.stop),
          );
          if (opts.json) {
            printJson(result);
            return;
          }
          const out = process.stdout;
          if (result.reset) {
            const removed = Object.values(result.reset).reduce((a, b) => a + b, 0);
            out.write(`reset: ${removed} rows removed from the data tables (audit log kept)\n`);
          }
          out.write(
            `demo portfolio: ${result.clients} clients, seed ${result.seed}, history up to ${result.asOf}\n` +
              `CSV files written to ${result.outDir}\n\n`,
          );
          for (const f of result.import.files) out.write(`${describeFileReport(f)}\n`);
          if (result.import.warnings.length)
            out.write(
              `(${result.import.warnings.length} data-quality warnings are part of the demo: \`encours import ${result.outDir} --dry-run\` lists them)\n`,
            );
          printPortfolioSummary(result.summary);
          out.write(
            '\nNext: encours clients list, encours clients show "Dupont BTP", encours invoices list --status overdue\n',
          );
        },
      ),
    );
}
