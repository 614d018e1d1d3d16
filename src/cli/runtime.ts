import type { Command } from 'commander';
import { type Config, loadConfig } from '../config.ts';
import { isIsoDate } from '../core/dates.ts';
import { formatMoney, type Minor } from '../core/money.ts';
import { AppError, describeError, exitCodeFor, isAppError, withLocation } from '../errors.ts';
import { createRuntime, type Runtime, resolveTarget } from '../runtime.ts';
import { type Caller, callerFor } from '../services/callers.ts';
import type { ServiceContext } from '../services/context.ts';
import type { Language } from '../wording/index.ts';
import { cliLanguage } from './language.ts';

/** Global options every command sees (declared on the root program in program.ts). */
export interface GlobalOptions {
  db?: string;
  debug?: boolean;
  token?: string;
  /** Removed identity flags, still parsed so that using one says what replaced it. */
  as?: string;
  by?: string;
}

export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

/** The access token that says who runs the command: --token, else ENCOURS_TOKEN. */
export const cliToken = (config: Config, opts: GlobalOptions): string | undefined =>
  opts.token ?? config.ENCOURS_TOKEN;

/** Where the data lives: --db, then DATABASE_URL, then ENCOURS_DATA_DIR (default .encours/). */
export const databaseTarget = (config: Config, opts: GlobalOptions): string => resolveTarget(config, opts.db);

/**
 * Builds the process's runtime for one command and the caller it runs as (the token's user, else a
 * viewer), and always closes the runtime.
 */
export async function withRuntime<T>(
  cmd: Command,
  fn: (runtime: Runtime, caller: Caller) => Promise<T>,
  channel: 'cli' | 'mcp-stdio' = 'cli',
): Promise<T> {
  const opts = globals(cmd);
  const config = loadConfig();
  const runtime = await createRuntime(config, { target: databaseTarget(config, opts) });
  try {
    const token = cliToken(config, opts);
    const caller = await callerFor(
      runtime.services,
      token ? { kind: 'token', token, channel } : { kind: 'local', channel },
    );
    return await fn(runtime, caller);
  } catch (e) {
    throw withLocation(e, runtime.services.database.location);
  } finally {
    await runtime.close();
  }
}

/** `withRuntime` for commands that only need the services. */
export const withContext = <T>(cmd: Command, fn: (ctx: ServiceContext, caller: Caller) => Promise<T>) =>
  withRuntime(cmd, (runtime, caller) => fn(runtime.services, caller));

/** Wraps a command action: prints one clear error line (stack only with --debug) and sets the exit code. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void) {
  return async (...args: A): Promise<void> => {
    const cmd = args[args.length - 1] as Command;
    try {
      refuseRemovedIdentityFlags(globals(cmd));
      await fn(...args);
    } catch (e) {
      reportError(inFlagTerms(e, cmd), globals(cmd).debug === true);
    }
  };
}

const TOKEN_HINT = (role: string) =>
  `set ENCOURS_TOKEN or pass --token <token> of ${role === 'admin' ? 'an' : 'a'} ${role} user (an admin prints one with \`encours users add --name N --role ${role}\`)`;

/** --as and --by used to name the acting user without proof; a token replaces them. */
function refuseRemovedIdentityFlags(opts: GlobalOptions): void {
  const flag = opts.by !== undefined ? '--by' : opts.as !== undefined ? '--as' : null;
  if (flag)
    throw new AppError(
      'INVALID_INPUT',
      `${flag}: no longer says who you are; a command acts as the user of its access token`,
      { field: flag },
      TOKEN_HINT('finance'),
    );
}

/** Services say who may act; on the command line, the fix is a token. */
function cliHint(e: AppError): string | undefined {
  const details = e.details as { reason?: string; needed?: string } | undefined;
  if (e.code !== 'UNAUTHORIZED' && e.code !== 'FORBIDDEN') return e.hint;
  if (details?.reason === 'unverified' || details?.reason === 'rights')
    return TOKEN_HINT(details.needed ?? 'finance');
  if (e.code === 'UNAUTHORIZED')
    return 'check ENCOURS_TOKEN or --token: an admin prints a new token with `encours users add`';
  return e.hint;
}

/**
 * Services name domain fields ("asOf: expected a date"); on the command line the user typed a flag,
 * so an error about a field the command has a flag for names the flag ("--as-of: expected a date").
 */
export function inFlagTerms(e: unknown, cmd: Command): unknown {
  if (!isAppError(e)) return e;
  const field = (e.details as { field?: unknown } | undefined)?.field;
  if (typeof field !== 'string' || !e.message.startsWith(`${field}: `)) return e;
  const option = cmd.options.find((o) => o.attributeName() === field);
  if (!option?.long) return e;
  return new AppError(e.code, `${option.long}${e.message.slice(field.length)}`, e.details, e.hint);
}

export function reportError(e: unknown, debug: boolean): void {
  const shown = isAppError(e) ? new AppError(e.code, e.message, e.details, cliHint(e)) : e;
  process.stderr.write(`encours: ${describeError(shown)}\n`);
  if (e instanceof AppError && e.code === 'IMPORT_FAILED' && Array.isArray(e.details)) {
    for (const line of e.details as string[]) process.stderr.write(`  ${line}\n`);
  }
  if (debug && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exitCode = exitCodeFor(e);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Parses an integer flag, naming the flag when it is wrong. */
export function intOption(flag: string, value: string | undefined, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new AppError('INVALID_INPUT', `${flag}: expected a whole number >= ${min}, got "${value}"`);
  return n;
}

/** Validates a --as-of style flag. */
export function dateOption(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!isIsoDate(value))
    throw new AppError('INVALID_INPUT', `${flag}: expected a date YYYY-MM-DD, got "${value}"`);
  return value;
}

/** An optional part of a report: a blank line, its title and its table, or nothing when it has no rows. */
export function printSection(title: string, rows: Record<string, string | number | null>[]): void {
  if (!rows.length) return;
  process.stdout.write(`\n${title}\n`);
  printTable(rows);
}

/** Renders rows as an aligned plain-text table. */
export function printTable(rows: Record<string, string | number | null>[], columns?: string[]): void {
  if (!rows.length) {
    process.stdout.write('(none)\n');
    return;
  }
  const cols = columns ?? Object.keys(rows[0]!);
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${line(cols)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const r of rows) process.stdout.write(`${line(cols.map((c) => cell(r[c])))}\n`);
}

/** Options shared by the receivables read commands (aging, kpis, reminders plan, forecast). */
export interface ReportOptions {
  asOf?: string;
  client?: string;
  json?: boolean;
}

/** Validates --as-of as a real calendar date (2026-02-30 is refused), naming the flag. */
export function asOfFlag(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!isIsoDate(value))
    throw new AppError(
      'INVALID_INPUT',
      `--as-of: expected a calendar date YYYY-MM-DD, got "${value}"`,
      undefined,
      'for example --as-of 2026-06-30',
    );
  return value;
}

export const money = (cents: Minor, currency: string): string => formatMoney(cents, currency, 'en');

export const JSON_MONEY_NOTE = 'print JSON (amounts are integer cents in fields named ...Cents)';

/**
 * Gives a receivables report command (aging, forecast, reminders plan) its --as-of, --client and
 * --json flags and its action: load the report for the portfolio or one client, print JSON or text.
 */
export function reportCommand<R>(
  cmd: Command,
  report: {
    clientHelp?: string;
    examples: string;
    load: (ctx: ServiceContext, query: { asOf?: string; client?: string }) => Promise<R>;
    print: (report: R, lang: Language) => void;
  },
): Command {
  return cmd
    .option('--as-of <date>', 'as-of date YYYY-MM-DD (default: today, or ENCOURS_AS_OF)')
    .option('--client <ref-or-name>', report.clientHelp ?? 'one client, by ref or name')
    .option('--json', JSON_MONEY_NOTE)
    .addHelpText('after', report.examples)
    .action(
      action(async (opts: ReportOptions, command: Command) => {
        const asOf = asOfFlag(opts.asOf);
        await withContext(command, async (ctx) => {
          const result = await report.load(ctx, { asOf, client: opts.client });
          if (opts.json) printJson(result);
          else report.print(result, cliLanguage(command));
        });
      }),
    );
}
