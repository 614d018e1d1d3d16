/**
 * Legal lint for reminder drafts: what a reminder to a business must never contain (threats,
 * insults, blackmail, telling third parties about the debt or asking them to pay it), never cover
 * (disputed or paid invoices), and never get wrong (the late-penalty rate and the fixed recovery
 * indemnity the policy sets). Word lists are French and English, matched on accent-folded text.
 */
import { extractValues, indexFacts } from './grounding.ts';
import { penaltyRate, type ReminderFacts } from './letters.ts';
import type { Policy } from './policy.ts';
import { foldText } from './text.ts';

export type LintKind =
  | 'threat'
  | 'insult'
  | 'blackmail'
  | 'third_party'
  | 'disputed_invoice'
  | 'paid_invoice'
  | 'penalty_rate'
  | 'penalty_disabled'
  | 'indemnity';

export interface LintFinding {
  kind: LintKind;
  /** The offending words or value, as found. */
  text: string;
  message: string;
}

/** Phrases, written folded (lower case, no accents, punctuation as spaces). */
const PHRASES: Record<'threat' | 'insult' | 'blackmail' | 'third_party', string[]> = {
  threat: [
    // fr
    'vous allez le regretter',
    'vous le regretterez',
    'vous allez regretter',
    'vous le paierez',
    'gare a vous',
    'nous savons ou',
    'on sait ou',
    'represailles',
    'nous allons vous detruire',
    'vous detruire',
    'vous ruiner',
    'nous viendrons chez vous',
    'nous viendrons vous voir',
    'casser',
    'faire du mal',
    'vous menace',
    'nous vous menacons',
    // en
    'you will regret',
    'you ll regret',
    'you will be sorry',
    'we know where',
    'or else',
    'destroy you',
    'destroy your',
    'ruin you',
    'ruin your',
    'make you pay',
    'retaliate',
    'retaliation',
    'watch your back',
    'come to your home',
    'come to your house',
    'hurt you',
  ],
  insult: [
    // fr
    'escroc',
    'escrocs',
    'voleur',
    'voleurs',
    'menteur',
    'menteurs',
    'incompetent',
    'incompetents',
    'malhonnete',
    'malhonnetes',
    'mauvais payeur',
    'mauvais payeurs',
    'idiot',
    'idiots',
    'imbecile',
    'minable',
    'minables',
    'pitoyable',
    'arnaqueur',
    'arnaqueurs',
    'crapule',
    'honte a vous',
    // en
    'crook',
    'crooks',
    'thief',
    'thieves',
    'liar',
    'liars',
    'scammer',
    'scammers',
    'fraudster',
    'deadbeat',
    'deadbeats',
    'dishonest',
    'stupid',
    'pathetic',
    'shame on you',
    'disgraceful',
    'worthless',
  ],
  blackmail: [
    // fr
    'reveler',
    'revelerons',
    'divulguer',
    'divulguerons',
    'rendre public',
    'rendrons public',
    'publier',
    'publierons',
    'reseaux sociaux',
    'mauvaise publicite',
    'votre reputation',
    'liste noire',
    'faire savoir a tous',
    // en
    'reveal',
    'expose you',
    'make public',
    'make it public',
    'publish',
    'social media',
    'go public',
    'your reputation',
    'blacklist',
    'name and shame',
    'tell everyone',
  ],
  third_party: [
    // fr: telling others about the debt, or asking them to pay it
    'vos clients',
    'vos fournisseurs',
    'votre employeur',
    'votre famille',
    'vos proches',
    'vos voisins',
    'vos partenaires',
    'vos associes',
    'votre entourage',
    'informer votre',
    'informerons votre',
    'informerons vos',
    'contacter votre',
    'contacterons votre',
    'contacterons vos',
    'prevenir votre',
    'previendrons votre',
    'payer a votre place',
    'se porter garant',
    // en
    'your customers',
    'your clients',
    'your suppliers',
    'your employer',
    'your family',
    'your relatives',
    'your neighbours',
    'your neighbors',
    'your business partners',
    'inform your',
    'contact your',
    'notify your',
    'pay on your behalf',
    'pay for you',
  ],
};

const MESSAGES: Record<keyof typeof PHRASES, string> = {
  threat: 'threatening wording',
  insult: 'insulting wording',
  blackmail: 'threat to reveal information (blackmail)',
  third_party: 'mentions telling third parties about the debt or asking them to pay it',
};

const PENALTY_WORDS =
  /p[ée]nalit|int[ée]r[êe]ts? de retard|taux|penalt|late[- ]payment interest|interest rate|statutory interest/i;
const INDEMNITY_WORDS =
  /indemnit|forfaitaire|frais de recouvrement|recovery (fee|cost|indemnity|compensation)|fixed (sum|fee|compensation)/i;

/** Splits text into sentences (and lines), keeping their offsets. */
function sentences(text: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  const re = /[^\n.!?;]+(?:[.!?;](?!\d)|$)?/g;
  // A dot between digits ("12.15") does not end a sentence.
  const masked = text.replace(/(\d)[.](\d)/g, '$1\u0000$2');
  for (const m of masked.matchAll(re)) {
    if (m[0].trim()) out.push({ text: text.slice(m.index, m.index + m[0].length), start: m.index });
  }
  return out;
}

/**
 * Checks a reminder draft (subject + body) against the facts it was built from and the policy.
 * Returns one finding per problem; an empty list means the draft may be offered for approval.
 */
export function lintReminder(text: string, facts: ReminderFacts, policy: Policy): LintFinding[] {
  const findings: LintFinding[] = [];
  const folded = ` ${foldText(text)} `;
  for (const kind of Object.keys(PHRASES) as (keyof typeof PHRASES)[]) {
    for (const phrase of PHRASES[kind]) {
      if (folded.includes(` ${phrase} `))
        findings.push({ kind, text: phrase, message: `${MESSAGES[kind]}: "${phrase}"` });
    }
  }

  // Refs in the text that the facts say are disputed or paid.
  const index = indexFacts(facts);
  const mentioned = new Set(
    extractValues(text, index.refShapes)
      .filter((v) => v.kind === 'ref')
      .map((v) => String(v.value)),
  );
  for (const ex of facts.excluded) {
    if (!mentioned.has(ex.ref)) continue;
    if (ex.reason === 'disputed' && facts.scenario !== 'dispute_acknowledgement')
      findings.push({
        kind: 'disputed_invoice',
        text: ex.ref,
        message: `invoice ${ex.ref} is in dispute: it must not be reminded`,
      });
    if (ex.reason === 'paid')
      findings.push({ kind: 'paid_invoice', text: ex.ref, message: `invoice ${ex.ref} is already paid` });
  }

  // Legal figures, read sentence by sentence.
  const rate = penaltyRate(policy);
  const enabled = policy.legal.latePenalty.enabled;
  const indemnity = policy.legal.fixedIndemnity;
  const invoiceCount = Math.max(1, facts.invoices.length);
  for (const s of sentences(text)) {
    const values = extractValues(s.text);
    if (PENALTY_WORDS.test(s.text)) {
      for (const v of values.filter((x) => x.kind === 'percent')) {
        const p = Number(v.value);
        if (!enabled)
          findings.push({
            kind: 'penalty_disabled',
            text: v.text,
            message: `states a penalty rate (${v.text}) but the policy does not apply late penalties`,
          });
        else if (Math.abs(p - rate) > 0.005)
          findings.push({
            kind: 'penalty_rate',
            text: v.text,
            message: `penalty rate ${v.text} differs from the policy rate of ${rate}% (reference rate + margin)`,
          });
      }
    }
    if (INDEMNITY_WORDS.test(s.text)) {
      const amounts = values
        .filter((x) => x.kind === 'amount')
        .map((x) => ({ text: x.text, cents: Number(x.value) }));
      // The indemnity is per invoice: the fixed sum, or that sum times a number of covered invoices.
      const isIndemnity = (c: number) =>
        c % indemnity === 0 && c / indemnity >= 1 && c / indemnity <= invoiceCount;
      const ok = indemnity > 0 && amounts.some((a) => isIndemnity(a.cents));
      const totals = new Set([
        facts.totalOpen,
        ...facts.invoices.map((i) => i.open),
        ...facts.invoices.map((i) => i.amount),
      ]);
      for (const a of amounts) {
        if (isIndemnity(a.cents) || (ok && totals.has(a.cents))) continue;
        findings.push({
          kind: 'indemnity',
          text: a.text,
          message: `recovery indemnity ${a.text} differs from the policy's fixed indemnity per invoice`,
        });
      }
    }
  }
  return findings;
}
