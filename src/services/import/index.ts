import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { AppError } from '../../errors.ts';
import { appendAudit } from '../audit.ts';
import type { Actor } from '../callers.ts';
import type { ServiceContext } from '../context.ts';
import { applyPlan, type ImportPlan, loadExisting, PLAN_OF_FILE, planImport } from './apply.ts';
import { type CsvFile, readCsv } from './csv.ts';
import type { EncodingChoice } from './encoding.ts';
import { FILE_SPECS, type ImportFileName, MAX_LISTED_PROBLEMS } from './spec.ts';
import { type DateFormat, validateImport } from './validate.ts';

export { FILE_SPECS, type ImportFileName } from './spec.ts';
export type { DateFormat } from './validate.ts';

export interface ImportProgress {
  file: ImportFileName;
  done: number;
  total: number;
}

export interface ImportOptions {
  /** Recorded in the audit log. */
  actor: Actor;
  dateFormat?: DateFormat;
  /** How to read the files' bytes (default auto: UTF-8 when valid, else Windows-1252, said per file). */
  encoding?: EncodingChoice;
  /** Validate and compute the changes, write nothing. */
  dryRun?: boolean;
  /** Called while rows are written (the CLI draws a progress bar from it). */
  onProgress?: (p: ImportProgress) => void;
}

export interface FileReport {
  file: ImportFileName;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  warnings: number;
  sha256: string;
  /** `,` or `;` (Excel, decimal comma). */
  delimiter: string;
  /** How the bytes were read: utf-8, windows-1252... */
  encoding: string;
}

export interface ImportReport {
  dir: string;
  dryRun: boolean;
  files: FileReport[];
  /** Data-quality warnings (`file:line: column: reason`); the rows were kept. */
  warnings: string[];
  totals: { rows: number; inserted: number; updated: number; unchanged: number };
}

/** Files present in `dir`, matched case-insensitively (Excel users rename freely). */
function locateFiles(dir: string): Map<string, string> {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new AppError(
      'INVALID_INPUT',
      `import: no directory at ${dir}`,
      undefined,
      'give the folder holding clients.csv, invoices.csv and payments.csv',
    );
  return new Map(readdirSync(dir).map((name) => [name.toLowerCase(), join(dir, name)]));
}

/** Reads the CSV files of a directory; problems found here (missing file or column) block the run. */
export function readImportFiles(
  dir: string,
  encoding: EncodingChoice = 'auto',
): { files: Map<ImportFileName, CsvFile>; problems: string[] } {
  const present = locateFiles(dir);
  const files = new Map<ImportFileName, CsvFile>();
  const problems: string[] = [];
  for (const spec of FILE_SPECS) {
    const path = present.get(spec.file);
    if (!path) {
      if (spec.requiredFile)
        problems.push(`${spec.file}: file: required file is missing (columns: ${spec.required.join(',')})`);
      continue;
    }
    const file = readCsv(spec.file, readFileSync(path), encoding);
    // An optional file left completely empty is the same as no file.
    if (!spec.requiredFile && !file.columns.length && file.problems.length === 1) continue;
    problems.push(...file.problems);
    if (file.columns.length) {
      for (const column of spec.required)
        if (!file.columns.includes(column))
          problems.push(`${spec.file}:1: ${column}: missing required column`);
    }
    files.set(spec.file, file);
  }
  return { files, problems };
}

/** Unknown header columns are ignored, and said so. */
function unknownColumnWarnings(
  files: Map<ImportFileName, CsvFile>,
): { file: ImportFileName; text: string }[] {
  const out: { file: ImportFileName; text: string }[] = [];
  for (const spec of FILE_SPECS) {
    const file = files.get(spec.file);
    if (!file) continue;
    const known = new Set<string>([...spec.required, ...spec.optional]);
    for (const c of file.columns)
      if (c && !known.has(c))
        out.push({ file: spec.file, text: `${spec.file}:1: ${c}: unknown column, ignored` });
  }
  return out;
}

const FILE_ORDER = new Map<string, number>(FILE_SPECS.map((s, i) => [s.file, i]));

/** Orders `file:line: ...` messages by file (import order) then line, keeping ties stable. */
function byFileAndLine(lines: string[]): string[] {
  const keyOf = (text: string) => {
    const m = /^([^:]+):(\d+)?/.exec(text);
    return [FILE_ORDER.get(m?.[1] ?? '') ?? 99, Number(m?.[2] ?? 0)] as const;
  };
  return lines
    .map((text, i) => ({ text, i, k: keyOf(text) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.i - b.i)
    .map((x) => x.text);
}

function importFailed(dir: string, problems: string[]): AppError {
  const sorted = byFileAndLine(problems);
  const listed = sorted.slice(0, MAX_LISTED_PROBLEMS);
  if (sorted.length > listed.length) listed.push(`... and ${sorted.length - listed.length} more problems`);
  const n = problems.length;
  return new AppError(
    'IMPORT_FAILED',
    `${n} ${n === 1 ? 'problem' : 'problems'} in ${dir}; nothing was imported`,
    listed,
    'fix the rows listed below and run the import again (`encours import --help` describes the columns)',
  );
}

/**
 * Imports a directory of CSV files, all or nothing: every row is validated first; any problem throws
 * IMPORT_FAILED listing them and nothing is written. Otherwise new rows are inserted and changed rows
 * updated in ONE transaction with their audit entries. Rows already identical are left alone, so
 * re-importing the same files changes no data. Rows in the database but absent from the files are kept.
 */
export async function importDirectory(
  ctx: ServiceContext,
  dirArg: string,
  opts: ImportOptions,
): Promise<ImportReport> {
  const dir = resolve(dirArg);
  const { files, problems: readProblems } = readImportFiles(dir, opts.encoding);
  // A missing file or column makes every later check noise: report the structure first.
  if (
    readProblems.some((p) =>
      /: file: required file is missing|: missing required column$|: the file is empty/.test(p),
    )
  )
    throw importFailed(dir, readProblems);

  const baseCurrency = ctx.policy.policy.baseCurrency;
  const report = await ctx.db.transaction(async (tx) => {
    // One import at a time per database: two concurrent runs would diff against the same state.
    await tx.execute(sql`select pg_advisory_xact_lock(724013)`);
    const existing = await loadExisting(tx);
    const validated = validateImport(files, existing, {
      baseCurrency,
      dateFormat: opts.dateFormat ?? 'yyyy-mm-dd',
    });
    const problems = [...readProblems, ...validated.problems];
    if (problems.length) throw importFailed(dir, problems);

    const plan = planImport(validated, existing);
    const warnings = [...unknownColumnWarnings(files), ...validated.warnings];
    const report = buildReport(dir, files, plan, warnings, opts.dryRun === true);
    if (opts.dryRun) return report;

    const fileOfTable = new Map(Object.entries(PLAN_OF_FILE).map(([f, tbl]) => [tbl, f as ImportFileName]));
    const audit = await applyPlan(tx, plan, existing, opts.actor, (table, done, total) =>
      opts.onProgress?.({ file: fileOfTable.get(table)!, done, total }),
    );
    audit.push({
      actor: opts.actor,
      action: 'import.run',
      subject: dir,
      data: {
        files: report.files.map((f) => ({
          file: f.file,
          sha256: f.sha256,
          rows: f.rows,
          inserted: f.inserted,
          updated: f.updated,
          unchanged: f.unchanged,
          warnings: f.warnings,
        })),
        totals: report.totals,
      },
    });
    await appendAudit(tx, ctx.now(), ...audit);
    return report;
  });
  // Fresh planner statistics after a bulk load halve per-client query times (terms decisions).
  if (!report.dryRun && report.totals.inserted > 0) await ctx.db.execute(sql`analyze`);
  return report;
}

function buildReport(
  dir: string,
  files: Map<ImportFileName, CsvFile>,
  plan: ImportPlan,
  warnings: { file: ImportFileName; text: string }[],
  dryRun: boolean,
): ImportReport {
  const sortedWarnings = byFileAndLine(warnings.map((w) => w.text));
  const fileReports: FileReport[] = [];
  for (const spec of FILE_SPECS) {
    const file = files.get(spec.file);
    if (!file) continue;
    const diff = plan[PLAN_OF_FILE[spec.file]];
    fileReports.push({
      file: spec.file,
      rows: file.rows.length,
      inserted: diff.inserts.length,
      updated: diff.updates.length,
      unchanged: diff.unchanged,
      warnings: warnings.filter((w) => w.file === spec.file).length,
      sha256: file.sha256,
      delimiter: file.delimiter,
      encoding: file.encoding,
    });
  }
  const total = (k: 'rows' | 'inserted' | 'updated' | 'unchanged') =>
    fileReports.reduce((s, f) => s + f[k], 0);
  return {
    dir,
    dryRun,
    files: fileReports,
    warnings: sortedWarnings,
    totals: {
      rows: total('rows'),
      inserted: total('inserted'),
      updated: total('updated'),
      unchanged: total('unchanged'),
    },
  };
}

/** `invoices.csv: 120 inserted, 3 updated, 4000 unchanged, 2 warnings` */
export function describeFileReport(f: FileReport): string {
  const warn = f.warnings ? `, ${f.warnings} ${f.warnings === 1 ? 'warning' : 'warnings'}` : '';
  // Said when it was not UTF-8: a user who saved from Excel sees how the file was read.
  const read = f.encoding === 'utf-8' ? '' : ` (read as ${f.encoding})`;
  return `${f.file}: ${f.inserted} inserted, ${f.updated} updated, ${f.unchanged} unchanged${warn}${read}`;
}
