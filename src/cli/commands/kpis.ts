import type { Command } from 'commander';
import { type Kpi, parsePeriodDays } from '../../core/kpis.ts';
import { AppError } from '../../errors.ts';
import { getKpis, type KpiResult } from '../../services/kpis.ts';
import {
  action,
  asOfFlag,
  JSON_MONEY_NOTE,
  money,
  printJson,
  printTable,
  type ReportOptions,
  withContext,
} from '../runtime.ts';

const KPI_EXAMPLES = `
Examples:
  $ encours kpis                               portfolio, last 90 days
  $ encours kpis --period 365d --as-of 2026-06-30 --json
  $ encours kpis --client ACME --period 30d

Each KPI in --json carries its value, unit and exact definition; a KPI that cannot be computed
(division by zero) is null with a note. Definitions: README, "Aging, KPIs and dunning".`;

/** Parses --period (30d, 90d, 180d, 365d, or any number of days with a "d"). */
export function periodFlag(value: string | undefined): number {
  if (value === undefined) return 90;
  const days = parsePeriodDays(value);
  if (days === null)
    throw new AppError(
      'INVALID_INPUT',
      `--period: expected a number of days such as 30d, 90d, 180d or 365d, got "${value}"`,
      undefined,
      'write the period as <days>d, from 1d to 3660d',
    );
  return days;
}

export function registerKpisCommands(program: Command): void {
  program
    .command('kpis')
    .option('--as-of <date>', 'end of the period, YYYY-MM-DD (default: today, or ENCOURS_AS_OF)')
    .option('--client <ref-or-name>', 'one client, by ref or name')
    .option('--period <days>', 'period length ending on the as-of date: 30d, 90d, 180d or 365d', '90d')
    .option('--json', JSON_MONEY_NOTE)
    .addHelpText('after', KPI_EXAMPLES)
    .action(
      action(async (opts: ReportOptions & { period?: string }, cmd: Command) => {
        const asOf = asOfFlag(opts.asOf);
        const periodDays = periodFlag(opts.period);
        await withContext(cmd, async (ctx) => {
          const report = await getKpis(ctx, { asOf, client: opts.client, periodDays });
          if (opts.json) printJson(report);
          else printKpis(report);
        });
      }),
    );
}

function formatKpi(k: Kpi, currency: string): string {
  if (k.value === null) return `n/a (${k.note ?? 'undefined'})`;
  switch (k.unit) {
    case 'cents':
      return money(k.value, currency);
    case 'percent':
      return `${k.value.toFixed(1)} %`;
    case 'days':
      return `${k.value.toFixed(1)} days`;
    default:
      return String(k.value);
  }
}

function printKpis(r: KpiResult): void {
  const out = process.stdout;
  const who = r.client ? `${r.client.name} (${r.client.ref})` : `portfolio (${r.clients} clients)`;
  out.write(`KPIs as of ${r.asOf}, ${r.periodDays}-day period from ${r.periodStart} - ${who}\n\n`);
  printTable(Object.values(r.kpis).map((k) => ({ KPI: k.label, Value: formatKpi(k, r.currency) })));
  out.write('\nOn-time payment rate by segment (invoices due in the period, paid by their due date)\n');
  printTable(
    r.bySegment.map((s) => ({
      Segment: s.segment,
      'Invoices due': s.invoicesDue,
      'Paid on time': s.paidOnTime,
      Rate: s.rate === null ? 'n/a' : `${s.rate.toFixed(1)} %`,
      'Amount due': money(s.amountDueCents, r.currency),
      'Rate by amount': s.amountRate === null ? 'n/a' : `${s.amountRate.toFixed(1)} %`,
    })),
  );
  const i = r.inputs;
  out.write(
    `\nInputs: opening receivables ${money(i.openingReceivablesCents, r.currency)} (${i.openingDate}), ` +
      `net credit sales ${money(i.netCreditSalesCents, r.currency)}, closing ${money(i.closingReceivablesCents, r.currency)} ` +
      `of which current ${money(i.closingCurrentCents, r.currency)}.\n` +
      'Definitions: --json, or the README section "Aging, KPIs and dunning".\n',
  );
}
