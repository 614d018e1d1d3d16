import type { Command } from 'commander';
import { AppError } from '../../errors.ts';
import { listAudit, verifyAudit } from '../../services/audit.ts';
import { action, intOption, printJson, printTable, withContext } from '../runtime.ts';

/** A one-line preview of an entry's data for the text listing. */
function preview(data: unknown): string {
  const text = JSON.stringify(data) ?? '';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit');

  audit
    .command('log')
    .description('latest audit entries, newest first')
    .option('--limit <n>', 'how many entries (default 50)')
    .option('--action <action>', 'only this action, e.g. import.run, client.updated, data.reset')
    .option('--json', 'print JSON (full data of each entry)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ encours audit log --limit 10\n  $ encours audit log --action import.run --json',
    )
    .action(
      action(async (opts: { limit?: string; action?: string; json?: boolean }, cmd: Command) => {
        const limit = intOption('--limit', opts.limit, 1) ?? 50;
        const rows = await withContext(cmd, (ctx) => listAudit(ctx.db, { limit, action: opts.action }));
        if (opts.json) {
          printJson(rows);
          return;
        }
        printTable(
          rows.map((r) => ({
            seq: r.seq,
            at: r.at,
            actor: r.actor,
            action: r.action,
            subject: r.subject,
            data: preview(r.data),
          })),
        );
      }),
    );

  audit
    .command('verify')
    .description('recompute the hash chain; exit code 7 and the first bad row when it was altered or cut')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ encours audit verify\n  $ encours audit verify --json || echo "audit log tampered"',
    )
    .action(
      action(async (opts: { json?: boolean }, cmd: Command) => {
        const result = await withContext(cmd, (ctx) => verifyAudit(ctx.db));
        if (opts.json) printJson(result);
        if (!result.ok) {
          const bad = result.firstBad!;
          throw new AppError(
            'TAMPERED',
            `audit log does not verify: row ${bad.seq}: ${bad.reason} (${result.checked} rows checked before it)`,
            bad,
            'restore the audit_log table from a backup and investigate who changed the database directly',
          );
        }
        if (!opts.json) process.stdout.write(`audit log verified: ${result.checked} entries, chain intact\n`);
      }),
    );
}
