import type { Command } from 'commander';
import { formatMoney, parseDecimal } from '../../core/money.ts';
import type { Decision } from '../../core/policy.ts';
import { AppError } from '../../errors.ts';
import { type DecisionRecord, evaluateTermsRequest } from '../../services/terms.ts';
import { decideTermsRequest } from '../../services/terms-requests.ts';
import { type CliCode, cliSay } from '../../wording/cli.ts';
import { formatterFor, type WordParams } from '../../wording/index.ts';
import {
  conditionList,
  decisionWord,
  limitBasisText,
  requestedTerms,
  roleWord,
  wordedReason,
} from '../../wording/terms.ts';
import { cliLanguage } from '../language.ts';
import { action, dateOption, intOption, printJson, withContext } from '../runtime.ts';

interface TermsOptions {
  days?: string;
  amount?: string;
  endOfMonth?: boolean;
  asOf?: string;
  json?: boolean;
}

/** "15000" or "15000.50" (currency units) -> cents. */
export function amountOption(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const cents = parseDecimal(value, 2);
  if (cents === null || cents < 0)
    throw new AppError(
      'INVALID_INPUT',
      `${flag}: expected an amount in currency units like 15000 or 15000.50, got "${value}"`,
    );
  return cents;
}

export function registerTermsCommands(program: Command): void {
  const terms = program
    .command('terms')
    .argument('[client]', 'client ref, or name (accents and case ignored)')
    .option('--days <n>', 'payment terms requested, in days (required)')
    .option('--amount <x>', 'amount of the quote or order in currency units, e.g. 15000 or 15000.50')
    .option('--end-of-month', 'the days are "end of month" terms (legal cap 45 days in France)')
    .option('--as-of <date>', 'decide as of this date (default ENCOURS_AS_OF or today)')
    .option('--json', 'print JSON (amounts in cents)')
    .addHelpText(
      'after',
      '\nThe legal cap is checked first (France: 60 days from the invoice date, 45 days end of month);\nthen the policy rules, first match wins. A request over the credit limit is never approved\nwithout a person.\n\nExamples:\n  $ encours terms "Dupont BTP" --days 60 --amount 15000\n  $ encours terms C0042 --days 45 --end-of-month --json\n  $ encours terms override dec_0123456789abcdef --to approve --reason "limit review booked" --token enc_...',
    )
    .action(
      action(async (client: string | undefined, opts: TermsOptions, cmd: Command) => {
        if (!client)
          throw new AppError(
            'INVALID_INPUT',
            'client: give a client ref or name',
            undefined,
            'e.g. encours terms "Dupont BTP" --days 60',
          );
        if (opts.days === undefined)
          throw new AppError('INVALID_INPUT', '--days: required (the payment terms requested, in days)');
        const days = intOption('--days', opts.days, 0)!;
        const amount = amountOption('--amount', opts.amount);
        const asOf = dateOption('--as-of', opts.asOf);
        const { d, currency } = await withContext(cmd, async (ctx, caller) => ({
          d: await evaluateTermsRequest(ctx, {
            client,
            days,
            amount,
            endOfMonth: opts.endOfMonth === true,
            asOf,
            actor: caller,
          }),
          currency: ctx.policy.policy.baseCurrency,
        }));
        const lang = cliLanguage(cmd);
        const worded = {
          ...d,
          reasons: d.reasons.map((r) => wordedReason(r, lang)),
          legal: wordedReason(d.legal, lang),
          limitBasis: { ...d.limitBasis, text: limitBasisText(d.limitBasis, lang) },
        };
        if (opts.json) {
          printJson({ ...worded, exposure: d.exposureBefore, currency });
          return;
        }
        const m = (x: number) => formatterFor(lang).money(x, currency);
        const say = (code: CliCode, params?: WordParams) => `${cliSay(code, lang, params)}\n`;
        const out = process.stdout;
        out.write(
          say('terms.head', {
            client: `${d.client.name} (${d.client.ref})`,
            asOf: d.asOf,
            terms: requestedTerms(d.request.days, d.request.endOfMonth, lang),
            amount: d.request.amount ? m(d.request.amount) : null,
          }),
        );
        out.write(say('terms.decision', { decision: decisionWord(d.decision, lang), rule: d.rule }));
        out.write(say('terms.reasons'));
        for (const r of worded.reasons) out.write(`  - [${r.rule}] ${r.text}\n`);
        out.write(
          say('terms.conditions', {
            list: conditionList(d.conditions, d.request.days, currency, lang).join(', '),
          }),
        );
        out.write(say('terms.score', { score: d.score, grade: d.grade, band: d.band, pLate: d.pLate }));
        out.write(
          say('terms.exposure', {
            before: m(d.exposureBefore),
            after: m(d.exposureAfter),
            limit: m(d.limit),
            limitSource: d.limitSource,
          }),
        );
        out.write(say('terms.limitBasis', { basis: worded.limitBasis.text }));
        out.write(say('terms.legal', { text: worded.legal.text }));
        out.write(say('terms.decides', { role: d.approverRole ? roleWord(d.approverRole, lang) : null }));
        out.write(say('terms.id', { id: d.id, policy: d.policyVersion, model: d.modelVersion }));
      }),
    );

  terms
    .command('override')
    .description('record the human decision on a recommendation: who (your token), and why')
    .argument('<decision-id>', 'the id printed by `encours terms` (dec_...)')
    .option('--to <decision>', 'approve | approve_with_conditions | needs_approval | decline')
    .option('--reason <text>', 'why (kept in the audit log)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nYou decide as the user of ENCOURS_TOKEN (or --token): they must have the rights the policy gives\ntheir role at that exposure, and may not be who asked for the terms (four eyes); unlawful terms\ncan only be declined.\n\nExample:\n  $ encours terms override dec_0123456789abcdef --to approve --reason "limit review booked" --token enc_...',
    )
    .action(
      action(async (id: string, opts: { to?: string; reason?: string; json?: boolean }, cmd: Command) => {
        for (const [flag, v] of [
          ['--to', opts.to],
          ['--reason', opts.reason],
        ] as const)
          if (!v)
            throw new AppError(
              'INVALID_INPUT',
              `${flag}: required`,
              undefined,
              'see `encours terms override --help`',
            );
        const { r, currency } = await withContext(cmd, async (ctx, caller) => ({
          r: await decideTermsRequest(ctx, {
            decisionId: id,
            verdict: { to: opts.to as Decision },
            decider: caller,
            reason: opts.reason!,
          }),
          currency: ctx.policy.policy.baseCurrency,
        }));
        if (opts.json) {
          printJson({ ...r, currency });
          return;
        }
        printDecided(r, currency);
      }),
    );
}

function printDecided(r: DecisionRecord, currency: string): void {
  const m = (x: number) => formatMoney(x, currency, 'en');
  process.stdout.write(
    `Decision ${r.id} for ${r.client.name} (${r.client.ref}): ${r.finalDecision} by ${r.decidedBy} at ${r.decidedAt}` +
      ` (recommended: ${r.decision}; exposure after ${m(r.exposureAfter)})\nReason: ${r.overrideReason}\n`,
  );
}
