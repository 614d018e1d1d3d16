import type { Command } from 'commander';
import { scorePortfolio } from '../../services/scoring.ts';
import { type CliCode, cliSay } from '../../wording/cli.ts';
import { formatterFor, signed, type WordParams } from '../../wording/index.ts';
import { bandAdjective, wordedFactor } from '../../wording/score.ts';
import { cliLanguage } from '../language.ts';
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
        const lang = cliLanguage(cmd);
        const worded = results.map((r) => ({ ...r, factors: r.factors.map((f) => wordedFactor(f, lang)) }));
        if (opts.json) {
          printJson(worded);
          return;
        }
        const say = (code: CliCode, params?: WordParams) => cliSay(code, lang, params);
        printTable(
          worded.map((r) => ({
            [say('col.ref')]: r.client,
            [say('col.name')]: r.name,
            [say('col.score')]: r.score,
            [say('col.grade')]: r.grade,
            [say('col.band')]: bandAdjective(r.band, lang),
            [say('col.confidence')]: formatterFor(lang).number(r.confidence, 2),
            [say('col.pLate')]: formatterFor(lang).percent(r.pLate),
          })),
        );
        const one = opts.client !== undefined ? worded[0] : undefined;
        const out = process.stdout;
        if (one) {
          out.write(
            `\n${say('score.detailHead', { client: `${one.name} (${one.client})`, asOf: one.asOf, base: one.base })}\n`,
          );
          for (const f of one.factors)
            out.write(
              `  ${signed(f.points).padStart(4)}  ${f.label} (${f.name})${lang === 'fr' ? ' : ' : ': '}${f.detail}\n`,
            );
          out.write(
            `  ${say('score.total', { score: one.score, grade: one.grade, band: one.band, model: one.modelVersion })}\n`,
          );
        } else if (results.length) {
          const byGrade = new Map<string, number>();
          for (const r of results) byGrade.set(r.grade, (byGrade.get(r.grade) ?? 0) + 1);
          const grades = ['A', 'B', 'C', 'D', 'E'].map((g) => `${g} ${byGrade.get(g) ?? 0}`).join(', ');
          out.write(
            `\n${say('score.summary', { clients: results.length, asOf: results[0]!.asOf, grades })}\n`,
          );
        }
      }),
    );
}
