import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { formatMoney } from '../../core/money.ts';
import { AppError } from '../../errors.ts';
import { reviewReminder } from '../../services/reminder-review.ts';
import {
  type DraftResult,
  draftReminder,
  draftReminders,
  getReminder,
  listReminders,
  REMINDER_STATUSES,
  type ReminderView,
} from '../../services/reminders.ts';
import { action, dateOption, printJson, printTable, withContext, withRuntime } from '../runtime.ts';

const total = (r: ReminderView) => (r.facts ? formatMoney(r.facts.totalOpen, r.facts.currency, 'en') : '');

function printDrafts(drafts: ReminderView[]): void {
  printTable(
    drafts.map((d) => ({
      id: d.id,
      client: `${d.clientName} (${d.clientRef})`,
      asOf: d.asOf,
      scenario: d.scenario,
      status: d.status,
      invoices: d.invoiceRefs.join(' '),
      total: total(d),
      findings: d.findings.length,
    })),
  );
}

function printOne(d: ReminderView): void {
  const out = process.stdout;
  out.write(
    `${d.id}  ${d.clientName} (${d.clientRef})  ${d.scenario}  ${d.status.toUpperCase()}  as of ${d.asOf}\n`,
  );
  out.write(`Subject: ${d.subject}\n\n${d.body}\n`);
  if (d.findings.length) {
    out.write('\nFindings (the draft cannot be approved until they are fixed):\n');
    for (const f of d.findings) out.write(`  - [${f.check}/${f.kind}] ${f.message}\n`);
  }
  if (d.reviewedBy)
    out.write(`\nReviewed by ${d.reviewedBy} on ${d.reviewedAt}${d.reviewNote ? `: ${d.reviewNote}` : ''}\n`);
}

interface DraftOptions {
  client?: string;
  asOf?: string;
  scenario?: string;
  invoice?: string;
  callDate?: string;
  callNotes?: string;
  json?: boolean;
}

/** Adds `draft`, `list`, `show`, `approve`, `reject` and `edit` to the `reminders` group. */
export function registerReminderDraftCommands(reminders: Command): void {
  reminders
    .command('draft')
    .description('draft one reminder per client due for an action in the plan (or one client), for review')
    .option('--client <ref-or-name>', 'only this client (drafts even if its next action is later)')
    .option('--as-of <date>', 'as-of date YYYY-MM-DD (default: today, or ENCOURS_AS_OF)')
    .option(
      '--scenario <name>',
      'with --client: friendly, clear, firm, promise_confirmation, broken_promise, dispute_acknowledgement, final_notice, formal_notice, call_recap',
    )
    .option('--invoice <ref>', 'with --scenario dispute_acknowledgement or promise_confirmation: the invoice')
    .option(
      '--call-date <date>',
      'with --scenario call_recap: the day the call took place (default: the as-of date)',
    )
    .option(
      '--call-notes <text>',
      'with --scenario call_recap: what was said and agreed, as noted during the call',
    )
    .option('--json', 'print the drafts (with facts and findings) as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ encours reminders draft                              every client due today in the plan
  $ encours reminders draft --as-of 2026-06-30 --json
  $ encours reminders draft --client "Dupont BTP" --scenario formal_notice
  $ encours reminders draft --client C001 --scenario dispute_acknowledgement --invoice F2026-0042
  $ encours reminders draft --client C001 --scenario call_recap --call-notes "will pay F2026-0042 on 30/11"

Drafts are checked (every figure against the facts, legal lint); a draft that fails is stored as
"blocked" with its findings and can never be approved. Nothing is sent: finance reviews each draft.
Templates write the text offline; with ANTHROPIC_API_KEY set, Claude writes it from the same facts.`,
    )
    .action(
      action(async (opts: DraftOptions, cmd: Command) => {
        const asOf = dateOption('--as-of', opts.asOf);
        if ((opts.scenario || opts.invoice || opts.callNotes) && !opts.client)
          throw new AppError('INVALID_INPUT', '--scenario, --invoice and --call-notes need --client', {
            field: 'client',
          });
        const callDate = dateOption('--call-date', opts.callDate);
        await withRuntime(cmd, async (runtime, actor) => {
          const ctx = runtime.services;
          const writer = await runtime.reminderWriter(actor);
          if (opts.client) {
            const d: DraftResult = await draftReminder(ctx, {
              client: opts.client,
              actor,
              writer,
              ...(asOf ? { asOf } : {}),
              ...(opts.scenario ? { scenario: opts.scenario } : {}),
              ...(opts.invoice ? { invoiceRef: opts.invoice } : {}),
              ...(opts.callNotes
                ? { call: { notes: opts.callNotes, ...(callDate ? { date: callDate } : {}) } }
                : {}),
            });
            if (opts.json) printJson(d);
            else {
              printOne(d);
              if (!d.created)
                process.stdout.write(
                  '\n(an identical pending draft already existed: nothing new was created)\n',
                );
            }
            return;
          }
          const r = await draftReminders(ctx, { actor, writer, ...(asOf ? { asOf } : {}) });
          if (opts.json) {
            printJson(r);
            return;
          }
          const created = r.drafts.filter((d) => d.created).length;
          const blocked = r.drafts.filter((d) => d.status === 'blocked').length;
          process.stdout.write(
            `${r.drafts.length} client(s) due for a reminder as of ${r.asOf}: ${created} new draft(s), ${r.drafts.length - created} already pending, ${blocked} blocked\n`,
          );
          printDrafts(r.drafts);
          for (const s of r.skipped)
            process.stdout.write(`skipped ${s.name} (${s.clientRef}): ${s.reason}\n`);
          if (r.drafts.length)
            process.stdout.write(
              '\nReview: encours reminders show <id>, then approve <id> (as a finance user: ENCOURS_TOKEN or --token)\n',
            );
        });
      }),
    );

  reminders
    .command('list')
    .description('reminder drafts and their status (draft, blocked, approved, rejected, sent) with findings')
    .option('--status <status>', `only this status: ${REMINDER_STATUSES.join(', ')}`)
    .option('--client <ref-or-name>', 'only this client')
    .option('--all', 'also list the imported history of reminders sent before encours')
    .option('--json', 'print the reminders (text, facts, findings) as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ encours reminders list
  $ encours reminders list --status blocked --json`,
    )
    .action(
      action(
        async (opts: { status?: string; client?: string; all?: boolean; json?: boolean }, cmd: Command) => {
          await withContext(cmd, async (ctx) => {
            const rows = await listReminders(ctx, {
              ...(opts.all ? { includeHistory: true } : {}),
              ...(opts.status ? { status: opts.status } : {}),
              ...(opts.client ? { client: opts.client } : {}),
            });
            if (opts.json) printJson(rows);
            else printDrafts(rows);
          });
        },
      ),
    );

  reminders
    .command('show')
    .description('print one reminder: subject, body, findings, review')
    .argument('<id>', 'the reminder id (rem_...)')
    .option('--json', 'print it as JSON')
    .addHelpText('after', '\nExample:\n  $ encours reminders show rem_0123456789abcdef')
    .action(
      action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
        await withContext(cmd, async (ctx) => {
          const r = await getReminder(ctx, id);
          if (opts.json) printJson(r);
          else printOne(r);
        });
      }),
    );

  for (const verb of ['approve', 'reject'] as const)
    reminders
      .command(verb)
      .description(
        verb === 'approve'
          ? 'approve a draft for sending (finance or admin token; blocked drafts cannot be approved)'
          : 'reject a draft or a blocked draft (finance or admin token)',
      )
      .argument('<id>', 'the reminder id (rem_...)')
      .option('--note <text>', 'why, recorded with the decision')
      .option('--json', 'print the reviewed reminder as JSON')
      .addHelpText(
        'after',
        `\nYou review as the user of ENCOURS_TOKEN (or --token), who needs the finance or admin role.\n\nExample:\n  $ encours reminders ${verb} rem_0123456789abcdef --note "checked with sales" --token enc_...`,
      )
      .action(
        action(async (id: string, opts: { note?: string; json?: boolean }, cmd: Command) => {
          await withContext(cmd, async (ctx, caller) => {
            const r = await reviewReminder(ctx, id, caller, {
              action: verb,
              ...(opts.note ? { note: opts.note } : {}),
            });
            if (opts.json) printJson(r);
            else process.stdout.write(`${r.id}: ${r.status} by ${r.reviewedBy}\n`);
          });
        }),
      );

  reminders
    .command('edit')
    .description('replace the text of a draft (re-checked: it becomes draft or blocked again)')
    .argument('<id>', 'the reminder id (rem_...)')
    .option('--body-file <file>', 'file with the new body (- for stdin)')
    .option('--subject <text>', 'new subject')
    .option('--note <text>', 'why')
    .option('--json', 'print the edited reminder as JSON')
    .addHelpText(
      'after',
      '\nYou edit as the user of ENCOURS_TOKEN (or --token), who needs the finance or admin role.\n\nExample:\n  $ encours reminders edit rem_0123456789abcdef --body-file body.txt --token enc_...',
    )
    .action(
      action(
        async (
          id: string,
          opts: { bodyFile?: string; subject?: string; note?: string; json?: boolean },
          cmd: Command,
        ) => {
          let body: string | undefined;
          if (opts.bodyFile) {
            try {
              body = readFileSync(opts.bodyFile === '-' ? 0 : opts.bodyFile, 'utf8').trimEnd();
            } catch (e) {
              throw new AppError(
                'INVALID_INPUT',
                `--body-file: cannot read ${opts.bodyFile}: ${(e as Error).message}`,
              );
            }
          }
          await withContext(cmd, async (ctx, caller) => {
            const r = await reviewReminder(ctx, id, caller, {
              action: 'edit',
              ...(body !== undefined ? { body } : {}),
              ...(opts.subject ? { subject: opts.subject } : {}),
              ...(opts.note ? { note: opts.note } : {}),
            });
            if (opts.json) printJson(r);
            else printOne(r);
          });
        },
      ),
    );
}
