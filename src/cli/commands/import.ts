import { MultiBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { AppError } from '../../errors.ts';
import { ENCODINGS, type EncodingChoice } from '../../services/import/encoding.ts';
import {
  type DateFormat,
  describeFileReport,
  type ImportProgress,
  type ImportReport,
  importDirectory,
} from '../../services/import/index.ts';
import { action, printJson, withContext } from '../runtime.ts';

/** Files larger than this get a progress bar (when stderr is a terminal). */
const PROGRESS_MIN_ROWS = 10_000;
/** Warnings printed in text mode; --json gives them all. */
const WARNINGS_SHOWN = 20;

export function parseDateFormat(value: string | undefined): DateFormat {
  if (value === undefined || value === 'yyyy-mm-dd') return 'yyyy-mm-dd';
  if (value === 'dd/mm/yyyy') return 'dd/mm/yyyy';
  throw new AppError('INVALID_INPUT', `--date-format: expected yyyy-mm-dd or dd/mm/yyyy, got "${value}"`);
}

export function parseEncoding(value: string | undefined): EncodingChoice {
  const found = ENCODINGS.find((e) => e === (value ?? 'auto').toLowerCase());
  if (!found)
    throw new AppError(
      'INVALID_INPUT',
      `--encoding: expected one of ${ENCODINGS.join(', ')}, got "${value}"`,
    );
  return found;
}

/** Progress bars on stderr, one per large file, only on a terminal. */
export function progressReporter(): { onProgress: (p: ImportProgress) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { onProgress: () => {}, stop: () => {} };
  let multi: MultiBar | null = null;
  const bars = new Map<string, ReturnType<MultiBar['create']>>();
  return {
    onProgress: ({ file, done, total }) => {
      if (total < PROGRESS_MIN_ROWS) return;
      multi ??= new MultiBar(
        { stream: process.stderr, format: '{file} [{bar}] {value}/{total} rows', hideCursor: true },
        Presets.shades_classic,
      );
      let bar = bars.get(file);
      if (!bar) {
        bar = multi.create(total, 0, { file: file.padEnd(18) });
        bars.set(file, bar);
      }
      bar.update(done, { file: file.padEnd(18) });
    },
    stop: () => multi?.stop(),
  };
}

export function printImportReport(report: ImportReport): void {
  const out = process.stdout;
  for (const f of report.files) out.write(`${describeFileReport(f)}\n`);
  if (report.warnings.length) {
    out.write(
      `\n${report.warnings.length} data-quality ${report.warnings.length === 1 ? 'warning' : 'warnings'} (rows kept):\n`,
    );
    for (const w of report.warnings.slice(0, WARNINGS_SHOWN)) out.write(`  ${w}\n`);
    if (report.warnings.length > WARNINGS_SHOWN)
      out.write(`  ... and ${report.warnings.length - WARNINGS_SHOWN} more (--json lists them all)\n`);
  }
  if (report.dryRun) out.write('\ndry run: nothing was written\n');
}

export function registerImportCommands(program: Command): void {
  program
    .command('import')
    .argument('<dir>', 'folder holding clients.csv, invoices.csv, payments.csv and the optional files')
    .option('--date-format <format>', 'date format in the files: yyyy-mm-dd or dd/mm/yyyy', 'yyyy-mm-dd')
    .option(
      '--encoding <name>',
      `how the files are encoded: ${ENCODINGS.join(', ')} (auto: UTF-8 when valid, else Windows-1252, as Excel saves "CSV (séparateur: point-virgule)")`,
      'auto',
    )
    .option('--dry-run', 'validate and count the changes without writing anything')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `
All or nothing: any bad row is reported as "file:line: column: reason" (exit code 2) and nothing is
written. Re-importing the same files changes nothing. Excel exports (BOM, ";" and decimal comma)
are accepted, in UTF-8 or Windows-1252 (detected; --encoding forces one; a byte the encoding
cannot read is an error naming the file, line and byte, never a replaced character). See README, "CSV format", for the columns.

Examples:
  $ encours import ./exports
  $ encours import ./exports-excel --date-format dd/mm/yyyy --dry-run
  $ encours import ./exports --json > import-report.json`,
    )
    .action(
      action(
        async (
          dir: string,
          opts: { dateFormat?: string; encoding?: string; dryRun?: boolean; json?: boolean },
          cmd: Command,
        ) => {
          const dateFormat = parseDateFormat(opts.dateFormat);
          const encoding = parseEncoding(opts.encoding);
          const progress = progressReporter();
          const report = await withContext(cmd, (ctx, caller) =>
            importDirectory(ctx, dir, {
              actor: caller,
              dateFormat,
              encoding,
              dryRun: opts.dryRun === true,
              onProgress: progress.onProgress,
            }).finally(progress.stop),
          );
          if (opts.json) printJson(report);
          else printImportReport(report);
        },
      ),
    );
}
