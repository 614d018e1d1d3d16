import type { Command } from 'commander';
import type { ClientDunningPlan } from '../../core/dunning.ts';
import { type DunningPlanResult, getDunningPlan } from '../../services/dunning.ts';
import { dunningText } from '../../wording/dunning.ts';
import type { Language } from '../../wording/index.ts';
import { money, printSection, printTable, reportCommand } from '../runtime.ts';

const PLAN_EXAMPLES = `
Examples:
  $ encours reminders plan                          every client with overdue invoices
  $ encours reminders plan --as-of 2026-06-30 --json
  $ encours reminders plan --client "Dupont BTP"    one client, with invoices, exclusions and penalties

One consolidated next action per client. Disputed invoices, paid invoices and invoices under a
promise to pay whose date has not passed are never planned; they are listed as excluded.
The plan is read-only: drafting and sending are separate, reviewed steps.`;

/** Adds `plan` to the `reminders` command group. */
export function registerRemindersPlanCommand(reminders: Command): void {
  reportCommand(
    reminders
      .command('plan')
      .description('dunning plan: for each client with overdue invoices, the next action, its date and tone'),
    { examples: PLAN_EXAMPLES, load: (ctx, query) => getDunningPlan(ctx, query), print: printPlan },
  );
}

function printPlan(r: DunningPlanResult, lang: Language): void {
  const out = process.stdout;
  const m = (c: number) => money(c, r.currency);
  const t = r.totals;
  out.write(
    `Dunning plan as of ${r.asOf}${r.client ? ` - ${r.client.name} (${r.client.ref})` : ''}: ` +
      `${t.clients} client(s) with overdue invoices, ${t.action} with a next action (${t.dueNow} due now), ` +
      `${t.exhausted} with the cadence exhausted, ${t.onHold} on hold\n\n`,
  );
  printTable(
    r.plans.map((p) => ({
      Client: p.clientRef,
      Name: p.name,
      Class: p.behaviour.class,
      Cadence: p.cadence.name,
      'Next action': p.nextAction?.stage ?? (p.status === 'exhausted' ? '(cadence exhausted)' : '(on hold)'),
      Date: p.nextAction?.date ?? '',
      Tone: p.nextAction?.tone ?? '',
      Invoices: p.covered.length,
      Amount: m(p.coveredCents),
      'Oldest due': p.oldestDueDate ?? '',
      Excluded: p.excluded.length,
    })),
  );
  if (r.client) for (const p of r.plans) printDetail(p, m, lang);
}

function printDetail(p: ClientDunningPlan, m: (c: number) => string, lang: Language): void {
  const out = process.stdout;
  out.write(
    `\n${p.name} (${p.clientRef}): ${p.behaviour.class} payer - ${dunningText(p.behaviour.reason, lang)}\n`,
  );
  out.write(
    `Cadence "${p.cadence.name}" (${p.cadence.source}); last stage sent: ${p.stageReached ?? 'none'}\n`,
  );
  if (p.nextAction) {
    const a = p.nextAction;
    out.write(`Next: ${a.stage} on ${a.date} (${a.tone}, ${a.channel}), D+${a.daysAfterOldestDue}\n`);
    for (const n of a.notes) out.write(`  note: ${dunningText(n, lang)}\n`);
  }
  printSection(
    'Covered invoices',
    p.covered.map((i) => ({
      Invoice: i.ref,
      Issued: i.issueDate,
      Due: i.dueDate,
      Amount: m(i.amountCents),
      Open: m(i.openCents),
      'Days overdue': i.daysOverdue,
    })),
  );
  printSection(
    'Excluded',
    p.excluded.map((e) => ({ Invoice: e.ref, Reason: e.reason, Detail: dunningText(e.detail, lang) })),
  );
  if (p.penalties && p.covered.length) {
    const pen = p.penalties;
    out.write(
      `\nLate penalties as of the plan date: interest ${m(pen.interestCents)} + indemnity ${m(pen.indemnityCents)} = ${m(pen.totalCents)}\n  ${pen.formula}\n`,
    );
  }
}
