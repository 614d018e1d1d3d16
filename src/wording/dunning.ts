import type { DunningCode } from '../core/dunning.ts';
import type { DunningStage } from '../core/policy.ts';
import {
  type Formatter,
  type Language,
  num,
  sayFrom,
  str,
  type Worded,
  type WordingTable,
  type WordParams,
} from './index.ts';

/** The words of a dunning plan: behaviour classes, exclusions, notes on the next action, stages. */

const STAGE_WORDS: Record<DunningStage, Record<Language, string>> = {
  friendly: { fr: 'relance amicale', en: 'friendly reminder' },
  clear: { fr: 'relance', en: 'clear reminder' },
  firm: { fr: 'relance ferme', en: 'firm reminder' },
  final_notice: { fr: 'dernier avis', en: 'final notice' },
  formal_notice: { fr: 'mise en demeure', en: 'formal notice' },
  phone_call: { fr: 'appel téléphonique', en: 'phone call' },
  legal: { fr: 'action judiciaire', en: 'legal action' },
};

const stage = (p: WordParams, f: Formatter) =>
  STAGE_WORDS[str(p, 'stage') as DunningStage]?.[f.lang] ?? str(p, 'stage');
const money = (p: WordParams, f: Formatter, key: string) => f.money(num(p, key), str(p, 'currency'));

const figuresFr = (p: WordParams, f: Formatter) =>
  `${f.count(num(p, 'late'), 'facture payée', 'factures payées')} en retard sur ${f.number(num(p, 'paid'))}, ${f.days(num(p, 'averageDaysLate'))} de retard en moyenne`;
const figuresEn = (p: WordParams, f: Formatter) =>
  `${f.number(num(p, 'late'))} of ${f.count(num(p, 'paid'), 'paid invoice', 'paid invoices')} late, ${f.days(num(p, 'averageDaysLate'))} late on average`;

const DUNNING_WORDING: WordingTable<DunningCode> = {
  'class.young': {
    fr: (p, f) =>
      `relation commencée ${p.since === null ? 'récemment' : `le ${f.date(str(p, 'since'))}`}, moins de ${f.count(num(p, 'months'), 'mois', 'mois')} avant le ${f.date(str(p, 'asOf'))}`,
    en: (p, f) =>
      `relationship started ${p.since === null ? 'recently' : f.date(str(p, 'since'))}, less than ${f.count(num(p, 'months'), 'month', 'months')} before ${f.date(str(p, 'asOf'))}`,
  },
  'class.fewPaid': {
    fr: (p, f) =>
      `seulement ${f.count(num(p, 'paid'), 'facture payée', 'factures payées')}, moins de ${num(p, 'required')}`,
    en: (p, f) =>
      `only ${f.count(num(p, 'paid'), 'paid invoice', 'paid invoices')}, fewer than ${num(p, 'required')}`,
  },
  'class.late': {
    fr: (p, f) => `retardataire chronique : ${figuresFr(p, f)}`,
    en: (p, f) => `chronic late payer: ${figuresEn(p, f)}`,
  },
  'class.good': {
    fr: (p, f) => `bon payeur : ${figuresFr(p, f)}`,
    en: (p, f) => `good payer: ${figuresEn(p, f)}`,
  },
  'class.standard': { fr: figuresFr, en: figuresEn },
  'excluded.paused': {
    fr: (p) => `relances suspendues${p.clientLevel ? ' pour le client' : ''} : ${str(p, 'reason')}`,
    en: (p) => `reminders paused${p.clientLevel ? ' for the client' : ''}: ${str(p, 'reason')}`,
  },
  'excluded.disputed': {
    fr: () => 'litige ouvert : aucune relance tant qu’il n’est pas résolu',
    en: () => 'open dispute: no reminder until it is resolved',
  },
  'excluded.promised': {
    fr: (p, f) =>
      `promesse de payer ${money(p, f, 'amount')} au plus tard le ${f.date(str(p, 'promisedDate'))}${p.clientLevel ? ' (promesse au niveau du client, affectée aux plus anciennes factures d’abord)' : ''}`,
    en: (p, f) =>
      `promise to pay ${money(p, f, 'amount')} by ${f.date(str(p, 'promisedDate'))}${p.clientLevel ? ' (client-level promise, allocated oldest invoice first)' : ''}`,
  },
  'excluded.paid': {
    fr: (p, f) =>
      `réglée le ${f.date(str(p, 'settledDate'))}, après la relance du ${f.date(str(p, 'reminderDate'))}`,
    en: (p, f) =>
      `settled on ${f.date(str(p, 'settledDate'))}, after the reminder of ${f.date(str(p, 'reminderDate'))}`,
  },
  'note.catchUp': {
    fr: (p, f) =>
      `retardataire chronique à ${f.days(num(p, 'days'))} de retard : passe directement à l’étape ${stage(p, f)} (jour ${num(p, 'cadenceDay')} de la cadence)`,
    en: (p, f) =>
      `chronic late payer at ${f.days(num(p, 'days'))} overdue: catches up to ${stage(p, f)} (cadence day ${num(p, 'cadenceDay')})`,
  },
  'note.spaced': {
    fr: (p, f) =>
      `espacée de ${f.days(num(p, 'days'))} après la relance précédente du ${f.date(str(p, 'previous'))}`,
    en: (p, f) =>
      `spaced ${f.days(num(p, 'days'))} after the previous reminder of ${f.date(str(p, 'previous'))}`,
  },
  'note.behind': {
    fr: (p, f) =>
      `en retard sur le calendrier : à ${f.days(num(p, 'days'))} de retard, la cadence en est à l’étape ${stage(p, f)} ; envisager d’accélérer`,
    en: (p, f) =>
      `behind schedule: at ${f.days(num(p, 'days'))} overdue the cadence has reached ${stage(p, f)}; consider escalating`,
  },
  'note.brokenPromises': {
    fr: (p, f) =>
      `${f.plural(num(p, 'count'), 'promesse de paiement non tenue', 'promesses de paiement non tenues')} (${dates(p, f)}) : la cadence reprend`,
    en: (p, f) =>
      `${f.plural(num(p, 'count'), 'broken promise', 'broken promises')} to pay (${dates(p, f)}): the cadence resumes`,
  },
  'note.formalNotice': {
    fr: (p, f) =>
      `mise en demeure : le client a ${f.days(num(p, 'days'))} pour payer, jusqu’au ${f.date(str(p, 'payBy'))}`,
    en: (p, f) =>
      `formal notice: the client has ${f.days(num(p, 'days'))} to pay, until ${f.date(str(p, 'payBy'))}`,
  },
  'note.call': {
    fr: () => 'appeler le client, puis envoyer un compte rendu écrit de ce qui a été convenu',
    en: () => 'call the client, then send a written recap of what was agreed',
  },
  'note.smallClaim': {
    fr: (p, f) =>
      `créance inférieure à ${money(p, f, 'threshold')} : la procédure simplifiée des petites créances s’applique`,
    en: (p, f) => `claim under ${money(p, f, 'threshold')}: the simplified small-claims procedure applies`,
  },
  'note.orderForPayment': {
    fr: () => 'créance au-dessus du seuil des petites créances : injonction de payer',
    en: () => 'claim above the small-claims threshold: order for payment (injonction de payer)',
  },
};

/** A comma-separated list of ISO dates, each formatted. */
function dates(p: WordParams, f: Formatter): string {
  return str(p, 'dates')
    .split(',')
    .filter(Boolean)
    .map((d) => f.date(d))
    .join(', ');
}

export const dunningText = (w: Worded<DunningCode>, lang: Language): string =>
  sayFrom(DUNNING_WORDING, w, lang);
export const stageWord = (s: DunningStage, lang: Language): string => STAGE_WORDS[s][lang];

/** For the completeness tests: every table of this module. */
export const DUNNING_TABLES = { DUNNING_WORDING, STAGE_WORDS };
