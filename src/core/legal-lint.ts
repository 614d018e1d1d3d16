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
  | 'indemnity'
  | 'legal_threat'
  | 'legal_reference';

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

/**
 * Threats of steps that only a court can order, or that are not ours to take: seizure or frozen
 * accounts (only after a judgment, by a commissaire de justice), criminal proceedings (an unpaid
 * invoice is a civil debt), blacklisting or reporting to credit files. Matched on folded text.
 */
const LEGAL_THREATS: { re: RegExp; what: string }[] = [
  {
    re: /\b(saisir|saisira|saisirons|saisiront|saisie|saisies|saisis|saisissons)\b(?:\s+\S+){0,4}?\s+(biens|comptes?|materiels?|vehicules?|salaires?|stocks?|locaux|meubles)\b/,
    what: 'threatens a seizure (only a court decision allows one)',
  },
  {
    re: /\b(bloquer|bloquera|bloquerons|bloqueront|geler|gelera|gelerons)\b(?:\s+\S+){0,3}?\s+comptes?\b/,
    what: 'threatens to freeze bank accounts (only a court decision allows it)',
  },
  {
    re: /\b(seize|seizing|seizure|repossess|repossession|freeze|freezing)\b(?:\s+\S+){0,3}?\s+(assets?|accounts?|goods|property|equipment|vehicles?|wages)\b/,
    what: 'threatens a seizure or frozen accounts (only a court decision allows one)',
  },
  {
    re: /\b(huissiers?|commissaires? de justice|bailiffs?|enforcement agents?)\b.{0,80}\b(des demain|demain|immediatement|aujourd hui|sans delai|tomorrow|immediately|today|at once)\b/,
    what: 'announces enforcement officers at once (none can act without a court decision)',
  },
  {
    re: /\b(des demain|demain|immediatement|tomorrow|immediately)\b.{0,80}\b(huissiers?|commissaires? de justice|bailiffs?|enforcement agents?)\b/,
    what: 'announces enforcement officers at once (none can act without a court decision)',
  },
  {
    re: /\b(penalement|penale|penales|porter plainte|depot de plainte|deposerons plainte|prison|emprisonnement|gendarmerie|criminal|criminally|prosecute|prosecuted|prosecution|jail|imprisonment|fraud charges?)\b/,
    what: 'threatens criminal proceedings (an unpaid invoice is a civil debt)',
  },
  {
    re: /\b(liste noire|fichier des mauvais payeurs|ficher|fichage|ficherons|blacklist|blacklisted|blacklisting|credit reference agenc\w*|banque de france)\b/,
    what: 'threatens blacklisting or a credit-file report',
  },
];

/** Pre-2019 articles that no longer hold the late-payment rules (now L441-10 and D441-5). */
const REPEALED: Record<string, string> = {
  'L441-6':
    'L441-6 is the numbering repealed in 2019; late-payment penalties and the indemnity are in L441-10',
  'L441-3': 'L441-3 no longer holds the late-payment rules; they are in L441-10',
};
/** D441-5 sets the EUR 40 indemnity: citing it beside the policy's article is correct. */
const ALSO_CORRECT = new Set(['D441-5']);
const LEGAL_REF = /\b(?:article\s+)?([LRD])\.?\s?(\d{3})-(\d+)(?:-(\d+))?\b/g;
const normaliseArticle = (a: string) => a.replace(/[.\s]/g, '').toUpperCase();

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

  const bare = folded.replace(/\s+/g, ' ');
  for (const { re, what } of LEGAL_THREATS) {
    const m = re.exec(bare);
    if (m) findings.push({ kind: 'legal_threat', text: m[0].trim(), message: `${what}: "${m[0].trim()}"` });
  }

  // Legal references: only the policy's article (and the decree article of the indemnity).
  const policyArticle = /\b([LRD]\.?\s?\d{3}-\d+(?:-\d+)?)\b/.exec(policy.legal.reference)?.[1];
  for (const m of text.matchAll(LEGAL_REF)) {
    const article = `${m[1]}${m[2]}-${m[3]}${m[4] ? `-${m[4]}` : ''}`.toUpperCase();
    if ((policyArticle && normaliseArticle(policyArticle) === article) || ALSO_CORRECT.has(article)) continue;
    findings.push({
      kind: 'legal_reference',
      text: m[0],
      message: `${REPEALED[article] ?? `article ${article} is not the reference the policy states (${policy.legal.reference})`}: "${m[0]}"`,
    });
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
      // Sums stated beside the indemnity: what is owed, and for a formal notice what is claimed.
      const claim = facts.claim;
      const totals = new Set([
        facts.totalOpen,
        ...facts.invoices.flatMap((i) => [i.open, i.amount, i.openInCurrency, i.amountInCurrency]),
        ...facts.totals.map((t) => t.amount),
        ...(claim ? [...claim.principal, ...claim.interest, ...claim.total].map((a) => a.amount) : []),
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
