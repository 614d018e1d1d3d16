import type { Command } from 'commander';
import { type ForecastResult, getForecast } from '../../services/forecast.ts';
import { money, printTable, reportCommand } from '../runtime.ts';

const FORECAST_EXAMPLES = `
Examples:
  $ encours forecast                          next 13 weeks from today
  $ encours forecast --as-of 2026-06-30 --json
  $ encours forecast --client ACME

Each open invoice is expected on its due date plus the client's median days late (the portfolio
median for clients with fewer than 3 paid invoices); a promise to pay sets the date; disputed
invoices are totalled apart.`;

export function registerForecastCommands(program: Command): void {
  reportCommand(program.command('forecast'), {
    examples: FORECAST_EXAMPLES,
    load: (ctx, query) => getForecast(ctx, query),
    print: printForecast,
  });
}

function printForecast(r: ForecastResult): void {
  const out = process.stdout;
  const m = (c: number) => money(c, r.currency);
  out.write(`Cash-in forecast as of ${r.asOf}${r.client ? ` - ${r.client.name} (${r.client.ref})` : ''}\n\n`);
  const rows = r.weeks.map((w, i) => ({
    Week: String(i + 1),
    From: w.weekStart,
    To: w.weekEnd,
    Invoices: w.count,
    Expected: m(w.amountCents),
  }));
  rows.push({ Week: 'later', From: '', To: '', Invoices: r.later.count, Expected: m(r.later.amountCents) });
  rows.push({
    Week: 'disputed',
    From: '',
    To: '',
    Invoices: r.disputed.count,
    Expected: m(r.disputed.amountCents),
  });
  printTable(rows);
  out.write(
    `\nTotal open ${m(r.totalOpenCents)}; portfolio median delay ${r.portfolioMedianDaysLate ?? 'n/a'} days.\n`,
  );
  for (const line of r.method) out.write(`  ${line}\n`);
}
