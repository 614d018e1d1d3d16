import type { LimitCode } from '../core/limit.ts';
import { DEFAULT_POLICY, type Decision, type Role } from '../core/policy.ts';
import type { LegalCode, TermsReasonCode } from '../core/terms.ts';
import {
  type Formatter,
  formatterFor,
  has,
  type Language,
  num,
  sayFrom,
  str,
  type Worded,
  type WordingTable,
  type WordParams,
} from './index.ts';

/** The words of a terms decision: decisions, reasons, the legal check, how a limit was set, roles. */

const DECISION_WORDS: Record<Decision, Record<Language, string>> = {
  approve: { fr: 'accord', en: 'approve' },
  approve_with_conditions: { fr: 'accord sous conditions', en: 'approve with conditions' },
  needs_approval: { fr: 'à faire valider', en: 'needs approval' },
  decline: { fr: 'refus', en: 'decline' },
};

const ROLE_WORDS: Record<Role, Record<Language, string>> = {
  viewer: { fr: 'lecture', en: 'viewer' },
  sales: { fr: 'commercial', en: 'sales' },
  finance: { fr: 'finance', en: 'finance' },
  admin: { fr: 'administrateur', en: 'admin' },
};

/**
 * The built-in policy's rule reasons in both languages. A company's own rule (or a built-in rule
 * whose reason it rewrote) is shown in the words its policy file gives.
 */
const BUILT_IN_REASONS: Record<string, Record<Language, string>> = {
  'grade-e': {
    fr: 'client à risque élevé (note E) : pas de crédit, paiement d’avance uniquement',
    en: 'high-risk client (grade E): credit terms are declined, prepayment only',
  },
  'over-limit': {
    fr: 'la demande porterait l’exposition au-delà de la limite de crédit : un valideur finance doit décider',
    en: 'the request would take exposure over the credit limit: a finance approver must decide',
  },
  'no-history': {
    fr: 'nouveau client sans historique de paiement : acompte partiel et délai standard le temps de constituer un historique',
    en: 'new client without payment history: partial deposit and standard terms until history builds',
  },
  'grade-d': {
    fr: 'historique de paiement fragile (note D) : acompte exigé et délai court',
    en: 'weak payment record (grade D): deposit required and terms kept short',
  },
  'open-dispute-long-terms': {
    fr: 'litige ouvert au dossier : un délai plus long doit être validé par la finance',
    en: 'open dispute on file: longer terms need a finance approver',
  },
  'chronic-late': {
    fr: 'plus de la moitié des factures récentes payées en retard : délai raccourci',
    en: 'more than half of recent invoices paid late: terms shortened',
  },
  'long-terms-grade-c': {
    fr: 'un délai de plus de 30 jours pour un client de risque moyen (note C) doit être validé',
    en: 'terms above 30 days for an average-risk client (grade C) need approval',
  },
  reliable: {
    fr: 'client fiable, dans la politique et dans sa limite',
    en: 'reliable client within policy and limit',
  },
};

/** A factor such as 1.25 or 0.5 with only the decimals it has. */
const factor = (n: number, f: Formatter) =>
  f.number(n, Number.isInteger(n) ? 0 : Number.isInteger(n * 10) ? 1 : 2);

const money = (p: WordParams, f: Formatter, key: string) => f.money(num(p, key), str(p, 'currency') || 'EUR');

/** "45 jours fin de mois" / "45 days from the invoice date". */
const termsDays = (n: number, endOfMonth: boolean, f: Formatter) =>
  f.lang === 'fr'
    ? `${f.days(n)} ${endOfMonth ? 'fin de mois' : 'date de facture'}`
    : `${f.days(n)} ${endOfMonth ? 'end of month' : 'from the invoice date'}`;

/** The reason a policy rule gives: the built-in wording when the policy kept it, else its own text. */
function ruleReason(p: WordParams, lang: Language): string {
  const rule = str(p, 'rule');
  const builtIn = DEFAULT_POLICY.decisionRules.find((r) => r.id === rule);
  const words = BUILT_IN_REASONS[rule];
  return builtIn && words && builtIn.reason === str(p, 'reason') ? words[lang] : str(p, 'reason');
}

/** The figures a matched rule's conditions looked at (only the params the core gave). */
function evidence(p: WordParams, f: Formatter): string {
  const fr = f.lang === 'fr';
  const parts: string[] = [];
  if (has(p, 'grade')) parts.push(`${fr ? 'note' : 'grade'} ${str(p, 'grade')}`);
  if (has(p, 'paidInvoices'))
    parts.push(
      fr
        ? `${f.count(num(p, 'paidInvoices'), 'facture payée', 'factures payées')} à l’historique`
        : `${f.count(num(p, 'paidInvoices'), 'paid invoice', 'paid invoices')} on record`,
    );
  if (has(p, 'exposureAfter')) {
    const within = p.withinLimit === true;
    const source = has(p, 'limitSource')
      ? p.limitSource === 'client'
        ? fr
          ? ' (fixée pour le client)'
          : ' (set for the client)'
        : fr
          ? ' (recommandée)'
          : ' (recommended)'
      : '';
    parts.push(
      fr
        ? `exposition après la demande ${money(p, f, 'exposureAfter')} ${within ? 'dans la limite de' : 'pour une limite de'} ${money(p, f, 'limit')}${source}`
        : `exposure after the request ${money(p, f, 'exposureAfter')} ${within ? 'within the limit of' : 'against a limit of'} ${money(p, f, 'limit')}${source}`,
    );
  }
  if (has(p, 'requestedDays'))
    parts.push(
      fr
        ? `${f.days(num(p, 'requestedDays'))} demandés, seuil ${f.days(num(p, 'daysThreshold'))}`
        : `${f.days(num(p, 'requestedDays'))} requested, threshold ${f.days(num(p, 'daysThreshold'))}`,
    );
  if (has(p, 'lateShare'))
    parts.push(
      fr
        ? `${f.percent(num(p, 'lateShare'))} des factures échues sur 12 mois payées en retard`
        : `${f.percent(num(p, 'lateShare'))} of invoices due in the last 12 months paid late`,
    );
  if (has(p, 'openDisputes'))
    parts.push(
      fr
        ? f.count(num(p, 'openDisputes'), 'litige ouvert', 'litiges ouverts')
        : f.count(num(p, 'openDisputes'), 'open dispute', 'open disputes'),
    );
  if (has(p, 'maxDaysOverdue'))
    parts.push(
      fr
        ? `plus ancienne facture échue depuis ${f.days(num(p, 'maxDaysOverdue'))}`
        : `oldest overdue invoice ${f.days(num(p, 'maxDaysOverdue'))} past due`,
    );
  if (has(p, 'brokenPromises'))
    parts.push(
      fr
        ? `${f.count(num(p, 'brokenPromises'), 'promesse non tenue', 'promesses non tenues')} sur 12 mois`
        : `${f.count(num(p, 'brokenPromises'), 'broken promise', 'broken promises')} in 12 months`,
    );
  // A rule without conditions reads as one phrase: "grade A, exposure ... within the limit of ...".
  return parts.join(p.withinLimit === true ? ', ' : fr ? ' ; ' : '; ');
}

const REASON_WORDING: WordingTable<TermsReasonCode | LegalCode> = {
  'legal.within': {
    fr: (p, f) =>
      `${termsDays(num(p, 'days'), p.endOfMonth === true, f)} : dans le maximum légal de ${termsDays(num(p, 'maxDays'), p.endOfMonth === true, f)} (${str(p, 'reference')})`,
    en: (p, f) =>
      `${termsDays(num(p, 'days'), p.endOfMonth === true, f)} is within the legal maximum of ${termsDays(num(p, 'maxDays'), p.endOfMonth === true, f)} (${str(p, 'reference')})`,
  },
  'legal.exceeds': {
    fr: (p, f) => {
      const max = termsDays(num(p, 'maxDays'), p.endOfMonth === true, f);
      return `${termsDays(num(p, 'days'), p.endOfMonth === true, f)} dépasse le maximum légal de ${max} (${str(p, 'reference')}) : la demande est illégale et refusée quel que soit le score du client ; au plus ${max} peuvent être proposés`;
    },
    en: (p, f) => {
      const max = termsDays(num(p, 'maxDays'), p.endOfMonth === true, f);
      return `${termsDays(num(p, 'days'), p.endOfMonth === true, f)} exceeds the legal maximum of ${max} (${str(p, 'reference')}): the request is unlawful and is declined whatever the client's score; at most ${max} can be offered`;
    },
  },
  'terms.legalCap': {
    fr: (p, f) => REASON_WORDING['legal.exceeds'].fr(p, f),
    en: (p, f) => REASON_WORDING['legal.exceeds'].en(p, f),
  },
  'terms.policyRule': {
    fr: (p, f) => `${ruleReason(p, 'fr')} (${evidence(p, f)})`,
    en: (p, f) => `${ruleReason(p, 'en')} (${evidence(p, f)})`,
  },
  'terms.noRule': {
    fr: () => 'aucune règle de la politique ne couvre cette demande : une personne doit décider',
    en: () => 'no policy rule matches this request: a person must decide',
  },
  'terms.overLimit': {
    fr: (p, f) =>
      `l’exposition après la demande, ${money(p, f, 'exposureAfter')}, dépasse la limite de ${money(p, f, 'limit')} : jamais accordé sans la validation d’une personne`,
    en: (p, f) =>
      `exposure after the request ${money(p, f, 'exposureAfter')} is over the limit ${money(p, f, 'limit')}: never approved without a person's approval`,
  },
  'terms.recorded': { fr: (p) => str(p, 'text'), en: (p) => str(p, 'text') },
  'terms.noHistory': {
    fr: (p, f) =>
      `pas encore d’historique de paiement (${f.count(num(p, 'paid'), 'facture payée', 'factures payées')}) : un acompte de ${num(p, 'depositPercent')}\u202f% est exigé`,
    en: (p, f) =>
      `no payment history yet (${f.count(num(p, 'paid'), 'paid invoice', 'paid invoices')}): a ${num(p, 'depositPercent')}% deposit is required`,
  },
};

const cap = (p: WordParams, f: Formatter) => {
  if (p.cappedBy === 'insurance')
    return f.lang === 'fr'
      ? ` ; plafonnée à la limite d’assurance-crédit de ${money(p, f, 'cap')}`
      : `; capped at the credit-insurance limit ${money(p, f, 'cap')}`;
  if (p.cappedBy === 'policy_max')
    return f.lang === 'fr'
      ? ` ; plafonnée au maximum de la politique, ${money(p, f, 'cap')}`
      : `; capped at the policy maximum ${money(p, f, 'cap')}`;
  return '';
};

const LIMIT_WORDING: WordingTable<LimitCode> = {
  'limit.client': {
    fr: (p, f) =>
      `limite fixée pour le client : ${money(p, f, 'limit')} (recommandée : ${money(p, f, 'recommended')})`,
    en: (p, f) =>
      `limit set for the client: ${money(p, f, 'limit')} (recommended: ${money(p, f, 'recommended')})`,
  },
  'limit.newClient': {
    fr: (p, f) =>
      `nouveau client (${f.count(num(p, 'paid'), 'facture payée', 'factures payées')}, ${num(p, 'required')} nécessaires pour une limite fondée sur l’historique) : limite nouveau client de la politique, ${money(p, f, 'newClientLimit')}${cap(p, f)}`,
    en: (p, f) =>
      `new client (${f.count(num(p, 'paid'), 'paid invoice', 'paid invoices')}, ${num(p, 'required')} needed for a history-based limit): policy new-client limit ${money(p, f, 'newClientLimit')}${cap(p, f)}`,
  },
  'limit.noBalance': {
    fr: (p, f) =>
      `aucun solde de fin de mois sur des factures payées dans les délais : pas de limite fondée sur l’historique${cap(p, f)}`,
    en: (p, f) => `no month-end balance on invoices paid within terms: no history-based limit${cap(p, f)}`,
  },
  'limit.history': {
    fr: (p, f) =>
      `plus haut solde de fin de mois des factures payées dans les délais ${money(p, f, 'highest')} (${f.date(str(p, 'date'))}) x ${factor(num(p, 'multiplier'), f)} ` +
      `x ${factor(num(p, 'gradeFactor'), f)} pour la note ${str(p, 'grade')} = ${money(p, f, 'scaled')}, arrondi à ${money(p, f, 'rounded')}${cap(p, f)}`,
    en: (p, f) =>
      `highest month-end balance of invoices paid within terms ${money(p, f, 'highest')} (${f.date(str(p, 'date'))}) x ${factor(num(p, 'multiplier'), f)} ` +
      `x ${factor(num(p, 'gradeFactor'), f)} for grade ${str(p, 'grade')} = ${money(p, f, 'scaled')}, rounded down to ${money(p, f, 'rounded')}${cap(p, f)}`,
  },
};

export const decisionWord = (d: Decision, lang: Language): string => DECISION_WORDS[d][lang];

/** "45 jours fin de mois" / "45 days end of month" / "30 days": the terms asked for. */
export const requestedTerms = (days: number, endOfMonth: boolean, lang: Language): string => {
  const f = formatterFor(lang);
  return endOfMonth ? `${f.days(days)} ${lang === 'fr' ? 'fin de mois' : 'end of month'}` : f.days(days);
};

/** The conditions of a decision, each in a few words; empty when there are none. */
export function conditionList(
  c: {
    prepayment: boolean;
    depositPercent: number;
    depositAmount: number;
    maxDays: number;
    guarantee: boolean;
  },
  requestedDays: number,
  currency: string,
  lang: Language,
): string[] {
  const f = formatterFor(lang);
  const fr = lang === 'fr';
  const parts: string[] = [];
  if (c.prepayment) parts.push(fr ? 'paiement d’avance' : 'prepayment');
  if (c.depositPercent > 0) {
    const amount = c.depositAmount > 0 ? ` (${f.money(c.depositAmount, currency)})` : '';
    parts.push(
      fr ? `acompte de ${c.depositPercent}\u202f%${amount}` : `deposit ${c.depositPercent}%${amount}`,
    );
  }
  if (!c.prepayment && c.maxDays < requestedDays)
    parts.push(fr ? `délai ramené à ${f.days(c.maxDays)}` : `terms shortened to ${f.days(c.maxDays)}`);
  if (c.guarantee) parts.push(fr ? 'garantie' : 'guarantee');
  return parts;
}

/** A reason (or legal check) with its sentence, the shape surfaces and JSON outputs show. */
export const wordedReason = <R extends Worded<TermsReasonCode | LegalCode>>(r: R, lang: Language) => ({
  ...r,
  text: reasonText(r, lang),
});
export const roleWord = (r: Role, lang: Language): string => ROLE_WORDS[r][lang];

/** A decision reason or a legal check as a sentence. */
export const reasonText = (r: Worded<TermsReasonCode | LegalCode>, lang: Language): string =>
  sayFrom(REASON_WORDING, r, lang);

/** How a limit was set, as a sentence. */
export const limitBasisText = (b: Worded<LimitCode>, lang: Language): string =>
  sayFrom(LIMIT_WORDING, b, lang);

/** For the completeness tests: every table of this module. */
export const TERMS_TABLES = { DECISION_WORDS, ROLE_WORDS, BUILT_IN_REASONS, REASON_WORDING, LIMIT_WORDING };
