import type { Command } from 'commander';
import { AppError } from '../../errors.ts';
import { runBacktest } from '../../services/backtest.ts';
import { action, dateOption, printJson, printTable, withContext } from '../runtime.ts';

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);

export function registerBacktestCommands(program: Command): void {
  program
    .command('backtest')
    .option('--cutoff <date>', 'score clients as of this date (required)')
    .option('--end <date>', 'read outcomes as of this date (default: the latest invoice or payment date)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nLate = paid after the due date, or still unpaid 30 days past due at the end of the data; invoices\nnot yet 30 days past due at the end are left out. Reports AUC (ranking), Brier score (pLate\naccuracy), late rate per grade (should fall from E to A) and a calibration table by decile.\n\nExamples:\n  $ encours backtest --cutoff 2025-12-31\n  $ encours backtest --cutoff 2025-06-30 --end 2026-06-30 --json',
    )
    .action(
      action(async (opts: { cutoff?: string; end?: string; json?: boolean }, cmd: Command) => {
        if (opts.cutoff === undefined)
          throw new AppError(
            'INVALID_INPUT',
            '--cutoff: required (the date to score as of)',
            undefined,
            'e.g. encours backtest --cutoff 2025-12-31',
          );
        const cutoff = dateOption('--cutoff', opts.cutoff)!;
        const end = dateOption('--end', opts.end);
        const r = await withContext(cmd, (ctx) => runBacktest(ctx, { cutoff, endOfData: end }));
        if (opts.json) {
          printJson(r);
          return;
        }
        const out = process.stdout;
        out.write(
          `Scores as of ${r.cutoff} against invoices issued after it, outcomes as of ${r.endOfData} (model ${r.modelVersion}, policy ${r.policyVersion})\n`,
        );
        out.write(
          `${r.counts.invoices} invoices from ${r.counts.clientsEvaluated} clients, ${r.counts.late} late (${pct(r.lateRate)}); ${r.counts.excludedNotMature} left out (not yet 30 days past due)\n`,
        );
        out.write(`AUC ${r.auc ?? '-'} (0.5 = no better than chance, 1 = perfect ranking)\n`);
        out.write(
          `Brier ${r.brier ?? '-'} (always predicting the average rate: ${r.brierBaseline ?? '-'}; lower is better)\n\n`,
        );
        printTable(
          [...r.byGrade].map((g) => ({
            grade: g.grade,
            clients: g.clients,
            invoices: g.invoices,
            late: g.late,
            'late rate': pct(g.lateRate),
          })),
        );
        out.write(
          `Late rates ${r.gradeMonotone ? 'fall' : 'do NOT fall'} steadily from grade E to grade A.\n\n`,
        );
        const fit = r.recalibration;
        if (fit)
          out.write(
            `pLate coefficients refitted on these invoices: intercept ${fit.intercept}, slope ${fit.slope}, prior strength ${fit.priorStrength}\n` +
              `  (Brier ${fit.brier} against ${fit.currentBrier} with the policy's; set them in policy.scoring.pLate to recalibrate)\n\n`,
          );
        printTable(
          r.calibration.map((b) => ({
            decile: b.decile,
            invoices: b.invoices,
            'pLate range': `${pct(b.minPLate)}-${pct(b.maxPLate)}`,
            predicted: pct(b.predicted),
            observed: pct(b.observed),
          })),
        );
      }),
    );
}
