import type { Band, FactorCode, FactorName } from '../core/score.ts';
import {
  type Formatter,
  type Language,
  num,
  sayFrom,
  signed,
  str,
  type Worded,
  type WordingTable,
  type WordParams,
} from './index.ts';

/** The words of a score: factor names, what each factor's figures say, risk bands. */

const FACTOR_LABELS: Record<FactorName, Record<Language, string>> = {
  paymentBehaviour: {
    fr: 'Comportement de paiement (jours au-delà des échéances)',
    en: 'Payment behaviour (days beyond terms)',
  },
  lateFrequency: { fr: 'Fréquence des retards de paiement', en: 'How often invoices are paid late' },
  currentOverdue: { fr: 'Montant actuellement échu', en: 'Amount currently overdue' },
  openDisputes: { fr: 'Litiges ouverts', en: 'Open disputes' },
  brokenPromises: { fr: 'Promesses de paiement non tenues', en: 'Broken promises to pay' },
  exposure: { fr: 'Exposition par rapport à la limite de crédit', en: 'Exposure against the credit limit' },
  relationshipAge: { fr: 'Ancienneté de la relation', en: 'Length of the relationship' },
  orderTrend: { fr: 'Tendance des commandes', en: 'Order volume trend' },
  externalScore: { fr: 'Score externe (bureau de crédit)', en: 'External (bureau) score' },
  sectorRisk: { fr: 'Risque sectoriel', en: 'Sector risk' },
  bounds: { fr: 'Score borné entre 0 et 100', en: 'Score kept within 0-100' },
};

const BAND_WORDS: Record<Band, Record<Language, { adjective: string; phrase: string }>> = {
  low: { fr: { adjective: 'faible', phrase: 'risque faible' }, en: { adjective: 'low', phrase: 'low risk' } },
  moderate: {
    fr: { adjective: 'modéré', phrase: 'risque modéré' },
    en: { adjective: 'moderate', phrase: 'moderate risk' },
  },
  high: {
    fr: { adjective: 'élevé', phrase: 'risque élevé' },
    en: { adjective: 'high', phrase: 'high risk' },
  },
};

const money = (p: WordParams, f: Formatter, key: string) => f.money(num(p, key), str(p, 'currency'));

/** "exposure EUR 1,200.00 (open balance ... + open orders ...)". */
const exposureFr = (p: WordParams, f: Formatter) =>
  `exposition ${money(p, f, 'exposure')} (encours ${money(p, f, 'openBalance')} + commandes ouvertes ${money(p, f, 'openOrders')})`;
const exposureEn = (p: WordParams, f: Formatter) =>
  `exposure ${money(p, f, 'exposure')} (open balance ${money(p, f, 'openBalance')} + open orders ${money(p, f, 'openOrders')})`;

const FACTOR_WORDING: WordingTable<FactorCode> = {
  'paymentBehaviour.index': {
    fr: (p, f) => {
      const d = num(p, 'daysLate');
      const how = d === 0 ? 'à l’échéance' : `${f.days(Math.abs(d))} ${d > 0 ? 'après' : 'avant'} l’échéance`;
      return `indice de paiement ${num(p, 'index')}/100 (80 = à l’échéance) : ${f.count(num(p, 'paid'), 'facture payée', 'factures payées')}, ${f.plural(num(p, 'paid'), 'réglée', 'réglées')} en moyenne ${how}, pondéré par les montants`;
    },
    en: (p, f) => {
      const d = num(p, 'daysLate');
      const how =
        d === 0 ? 'on the due date' : `${f.days(Math.abs(d))} ${d > 0 ? 'after' : 'before'} the due date`;
      return `behaviour index ${num(p, 'index')}/100 (80 = on time): ${f.count(num(p, 'paid'), 'paid invoice', 'paid invoices')} settled ${how} on average, weighted by amount`;
    },
  },
  'paymentBehaviour.insufficient': {
    fr: (p, f) =>
      `historique insuffisant : ${f.count(num(p, 'paid'), 'facture payée', 'factures payées')}, ${num(p, 'required')} ${f.plural(num(p, 'required'), 'nécessaire', 'nécessaires')} ; neutre`,
    en: (p, f) =>
      `not enough history: ${f.count(num(p, 'paid'), 'paid invoice', 'paid invoices')}, ${num(p, 'required')} needed; neutral`,
  },
  'lateFrequency.share': {
    fr: (p, f) => {
      const late = num(p, 'late');
      const open = num(p, 'stillOpen');
      return (
        `${f.count(late, 'facture', 'factures')} sur ${f.number(num(p, 'invoices'))} ${f.plural(late, 'payée', 'payées')} en retard` +
        (open ? ` (dont ${f.number(open)} ${f.plural(open, 'encore impayée', 'encore impayées')})` : '') +
        (p.averageDaysLate !== null ? `, ${f.days(num(p, 'averageDaysLate'))} de retard en moyenne` : '') +
        ` ; les mois récents pèsent davantage : ${f.percent(num(p, 'weightedShare'))} en retard après pondération`
      );
    },
    en: (p, f) => {
      const open = num(p, 'stillOpen');
      return (
        `${f.number(num(p, 'late'))} of ${f.count(num(p, 'invoices'), 'invoice', 'invoices')} paid late` +
        (open ? ` (${f.number(open)} still unpaid)` : '') +
        (p.averageDaysLate !== null ? `, ${f.days(num(p, 'averageDaysLate'))} late on average` : '') +
        `; recent months weigh more: ${f.percent(num(p, 'weightedShare'))} late after weighting`
      );
    },
  },
  'lateFrequency.none': {
    fr: () => 'aucune facture encore arrivée à échéance : neutre',
    en: () => 'no invoice due yet: neutral',
  },
  'currentOverdue.none': { fr: () => 'aucune facture en retard', en: () => 'nothing overdue' },
  'currentOverdue.clean': {
    fr: (p, f) =>
      `aucune facture en retard, ${f.count(num(p, 'paid'), 'facture payée', 'factures payées')} à l’historique`,
    en: (p, f) => `nothing overdue, ${f.count(num(p, 'paid'), 'paid invoice', 'paid invoices')} on record`,
  },
  'currentOverdue.some': {
    fr: (p, f) =>
      `${f.count(num(p, 'count'), 'facture échue', 'factures échues')} pour ${money(p, f, 'amount')} (${f.percent(num(p, 'share'))} de l’encours), ` +
      `${f.days(num(p, 'averageDays'))} de retard en moyenne, la plus ancienne à ${f.days(num(p, 'oldestDays'))}`,
    en: (p, f) =>
      `${f.count(num(p, 'count'), 'invoice', 'invoices')} overdue for ${money(p, f, 'amount')} (${f.percent(num(p, 'share'))} of the open balance), ` +
      `${f.days(num(p, 'averageDays'))} overdue on average, oldest ${f.days(num(p, 'oldestDays'))}`,
  },
  'openDisputes.none': { fr: () => 'aucun litige ouvert', en: () => 'no open dispute' },
  'openDisputes.open': {
    fr: (p, f) =>
      `${f.count(num(p, 'count'), 'litige ouvert', 'litiges ouverts')} pour ${money(p, f, 'amount')}`,
    en: (p, f) => `${f.count(num(p, 'count'), 'open dispute', 'open disputes')} for ${money(p, f, 'amount')}`,
  },
  'brokenPromises.none': {
    fr: () => 'aucune promesse de paiement arrivée à échéance sur les 12 derniers mois',
    en: () => 'no promise to pay due in the last 12 months',
  },
  'brokenPromises.record': {
    fr: (p, f) => {
      const broken = num(p, 'broken');
      return (
        `${f.count(broken, 'promesse', 'promesses')} de paiement sur ${f.number(num(p, 'promises'))} ${f.plural(broken, 'non tenue', 'non tenues')} sur les 12 derniers mois` +
        (broken ? ` (${money(p, f, 'amount')} non payés à la date promise)` : '')
      );
    },
    en: (p, f) => {
      const broken = num(p, 'broken');
      return (
        `${f.number(broken)} of ${f.count(num(p, 'promises'), 'promise', 'promises')} to pay broken in the last 12 months` +
        (broken ? ` (${money(p, f, 'amount')} not paid by the promised date)` : '')
      );
    },
  },
  'exposure.limit': {
    fr: (p, f) =>
      `${exposureFr(p, f)}, soit ${f.percent(num(p, 'ratio'))} de la ${p.insured ? 'limite d’assurance-crédit' : 'limite de crédit'} de ${money(p, f, 'limit')}`,
    en: (p, f) =>
      `${exposureEn(p, f)} is ${f.percent(num(p, 'ratio'))} of the ${p.insured ? 'credit-insurance limit' : 'credit limit'} ${money(p, f, 'limit')}`,
  },
  'exposure.usual': {
    fr: (p, f) =>
      `pas de limite de crédit ; ${exposureFr(p, f)}, soit ${f.number(num(p, 'times'), 1)} fois l’encours habituel de ${money(p, f, 'usual')} (facturation mensuelle moyenne sur 12 mois x délai de paiement)`,
    en: (p, f) =>
      `no credit limit set; ${exposureEn(p, f)} is ${f.number(num(p, 'times'), 1)} times the usual balance ${money(p, f, 'usual')} (average monthly invoicing over 12 months x terms)`,
  },
  'exposure.noBasis': {
    fr: (p, f) => `${exposureFr(p, f)} ; ni limite de crédit ni facturation récente pour comparer`,
    en: (p, f) => `${exposureEn(p, f)}; no credit limit and no recent invoicing to compare with`,
  },
  'relationshipAge.since': {
    fr: (p, f) =>
      `client depuis le ${f.date(str(p, 'since'))}, soit ${f.count(num(p, 'months'), 'mois', 'mois')}`,
    en: (p, f) =>
      `client for ${f.count(num(p, 'months'), 'month', 'months')} (since ${f.date(str(p, 'since'))})`,
  },
  'relationshipAge.none': {
    fr: () => 'pas encore de relation commerciale : neutre',
    en: () => 'no relationship yet: neutral',
  },
  'orderTrend.short': {
    fr: () => 'moins de 6 mois de facturation : pas encore de tendance',
    en: () => 'less than 6 months of invoicing: no trend yet',
  },
  'orderTrend.change': {
    fr: (p, f) =>
      `${money(p, f, 'lastMonthly')} par mois sur les 3 derniers mois contre ${money(p, f, 'previousMonthly')} auparavant (${num(p, 'change') >= 0 ? '+' : ''}${f.percent(num(p, 'change'))})`,
    en: (p, f) =>
      `${money(p, f, 'lastMonthly')} a month over the last 3 months against ${money(p, f, 'previousMonthly')} before (${num(p, 'change') >= 0 ? '+' : ''}${f.percent(num(p, 'change'))})`,
  },
  'externalScore.none': { fr: () => 'pas de score externe', en: () => 'no external score' },
  'externalScore.value': {
    fr: (p) => `score du bureau de crédit ${num(p, 'score')}/100 (50 = neutre)`,
    en: (p) => `external bureau score ${num(p, 'score')}/100 (50 is neutral)`,
  },
  'sectorRisk.unknown': { fr: () => 'secteur inconnu : neutre', en: () => 'sector unknown: neutral' },
  'sectorRisk.unlisted': {
    fr: (p) => `le secteur ${str(p, 'sector')} n’a pas d’ajustement de risque dans la politique`,
    en: (p) => `sector ${str(p, 'sector')} has no risk adjustment in the policy`,
  },
  'sectorRisk.adjusted': {
    fr: (p) =>
      `secteur ${str(p, 'sector')} : ${signed(num(p, 'adjustment'))} selon la table des secteurs de la politique`,
    en: (p) => `sector ${str(p, 'sector')}: ${signed(num(p, 'adjustment'))} in the policy's sector table`,
  },
  'bounds.clamped': {
    fr: (p) => `les facteurs totalisent ${num(p, 'raw')} ; le score reste entre 0 et 100`,
    en: (p) => `the factors add up to ${num(p, 'raw')}; scores are kept within 0-100`,
  },
};

/** The plain name of a factor. */
export const factorLabel = (name: FactorName, lang: Language): string => FACTOR_LABELS[name][lang];

/** What a factor's figures say, as a sentence. */
export const factorDetail = (factor: Worded<FactorCode>, lang: Language): string =>
  sayFrom(FACTOR_WORDING, factor, lang);

/** "faible" / "low": the band as an adjective ("risque faible", "low risk" come from bandPhrase). */
export const bandAdjective = (band: Band, lang: Language): string => BAND_WORDS[band][lang].adjective;
export const bandPhrase = (band: Band, lang: Language): string => BAND_WORDS[band][lang].phrase;

/** A factor with its words, the shape every surface shows. */
export function wordedFactor<F extends Worded<FactorCode> & { name: FactorName }>(
  factor: F,
  lang: Language,
): F & { label: string; detail: string } {
  return { ...factor, label: factorLabel(factor.name, lang), detail: factorDetail(factor, lang) };
}

/** For the completeness test: every table of this module. */
export const SCORE_TABLES = { FACTOR_WORDING, FACTOR_LABELS, BAND_WORDS };
