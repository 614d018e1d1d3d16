import type { Command } from 'commander';
import { scorePortfolio } from '../../services/scoring.ts';
import { action, dateOption, printJson, printTable, withContext } from '../runtime.ts';

export function registerScoreCommands(program: Command): void {
  program
    .command('score')
    .option(
      '--as-of <date>',
      'score as of this date (default ENCOURS_AS_OF or today); later facts are ignored',
    )
    .option(
      '--client <ref|name>',
      'one client (ref, or name with accents and case ignored); prints the factors',
    )
    .option('--json', 'print a JSON array, one object per client (amounts in cents)')
    .addHelpText(
      'after',
      '\nEach run stores a snapshot per client (as-of date, score, factors, model and policy versions, input\nhash); re-scoring unchanged data stores nothing new.\n\nExamples:\n  $ encours score\n  $ encours score --client "Dupont BTP"\n  $ encours score --as-of 2026-03-31 --json',
    )
    .action(
      action(async (opts: { asOf?: string; client?: string; json?: boolean }, cmd: Command) => {
        const asOf = dateOption('--as-of', opts.asOf);
        const results = await withContext(cmd, (ctx, caller) =>
          scorePortfolio(ctx, { asOf, clientRef: opts.client, actor: caller }),
        );
        if (opts.json) {
          printJson(results);
          return;
        }
        printTable(
          results.map((r) => ({
            ref: r.client,
            name: r.name,
            score: r.score,
            grade: r.grade,
            band: r.band,
            confidence: r.confidence.toFixed(2),
            'p(late)': `${Math.round(r.pLate * 100)}%`,
          })),
        );
        const one = opts.client !== undefined ? results[0] : undefined;
        if (one) {
          const out = process.stdout;
          out.write(`\n${one.name} (${one.client}) as of ${one.asOf}: base ${one.base}\n`);
          for (const f of one.factors)
            out.write(
              `  ${(f.points > 0 ? `+${f.points}` : String(f.points)).padStart(4)}  ${f.name}: ${f.detail}\n`,
            );
          out.write(`  = ${one.score} (grade ${one.grade}, ${one.band} risk), model ${one.modelVersion}\n`);
        } else if (results.length) {
          const byGrade = new Map<string, number>();
          for (const r of results) byGrade.set(r.grade, (byGrade.get(r.grade) ?? 0) + 1);
          const dist = ['A', 'B', 'C', 'D', 'E'].map((g) => `${g} ${byGrade.get(g) ?? 0}`).join(', ');
          process.stdout.write(`\n${results.length} clients as of ${results[0]!.asOf}: ${dist}\n`);
        }
      }),
    );
}
