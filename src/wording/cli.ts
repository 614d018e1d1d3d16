import type { Band } from '../core/score.ts';
import { type Language, num, sayFrom, str, type WordingTable, type WordParams } from './index.ts';
import { bandPhrase } from './score.ts';

/** The sentences and column names of the `encours` command's text output, in French and English. */
const fixed = (fr: string, en: string) => ({ fr: () => fr, en: () => en });

const CLI_WORDING = {
  'col.ref': fixed('réf', 'ref'),
  'col.name': fixed('nom', 'name'),
  'col.score': fixed('score', 'score'),
  'col.grade': fixed('note', 'grade'),
  'col.band': fixed('risque', 'band'),
  'col.confidence': fixed('confiance', 'confidence'),
  'col.pLate': fixed('p(retard)', 'p(late)'),
  'score.detailHead': {
    fr: (p, f) => `${str(p, 'client')} au ${f.date(str(p, 'asOf'))} : base ${num(p, 'base')}`,
    en: (p, f) => `${str(p, 'client')} as of ${f.date(str(p, 'asOf'))}: base ${num(p, 'base')}`,
  },
  'score.total': {
    fr: (p) =>
      `= ${num(p, 'score')} (note ${str(p, 'grade')}, ${bandPhrase(str(p, 'band') as Band, 'fr')}), modèle ${str(p, 'model')}`,
    en: (p) =>
      `= ${num(p, 'score')} (grade ${str(p, 'grade')}, ${bandPhrase(str(p, 'band') as Band, 'en')}), model ${str(p, 'model')}`,
  },
  'score.summary': {
    fr: (p, f) =>
      `${f.count(num(p, 'clients'), 'client', 'clients')} au ${f.date(str(p, 'asOf'))} : ${str(p, 'grades')}`,
    en: (p, f) =>
      `${f.count(num(p, 'clients'), 'client', 'clients')} as of ${f.date(str(p, 'asOf'))}: ${str(p, 'grades')}`,
  },
  'terms.head': {
    fr: (p, f) =>
      `${str(p, 'client')}, au ${f.date(str(p, 'asOf'))} : ${str(p, 'terms')}${p.amount ? ` pour ${str(p, 'amount')}` : ''}`,
    en: (p, f) =>
      `${str(p, 'client')}, as of ${f.date(str(p, 'asOf'))}: ${str(p, 'terms')}${p.amount ? ` for ${str(p, 'amount')}` : ''}`,
  },
  'terms.decision': {
    fr: (p) => `Décision : ${str(p, 'decision').toUpperCase()} (règle ${str(p, 'rule')})`,
    en: (p) => `Decision: ${str(p, 'decision').toUpperCase()} (rule ${str(p, 'rule')})`,
  },
  'terms.reasons': fixed('Raisons :', 'Reasons:'),
  'terms.conditions': {
    fr: (p) => `Conditions : ${str(p, 'list') || 'aucune'}`,
    en: (p) => `Conditions: ${str(p, 'list') || 'none'}`,
  },
  'terms.score': {
    fr: (p, f) =>
      `Score ${num(p, 'score')} (note ${str(p, 'grade')}, ${bandPhrase(str(p, 'band') as Band, 'fr')}, ${f.percent(num(p, 'pLate'))} de probabilité que la prochaine facture soit payée en retard)`,
    en: (p, f) =>
      `Score ${num(p, 'score')} (grade ${str(p, 'grade')}, ${bandPhrase(str(p, 'band') as Band, 'en')}, ${f.percent(num(p, 'pLate'))} chance the next invoice is paid late)`,
  },
  'terms.exposure': {
    fr: (p) =>
      `Exposition ${str(p, 'before')} -> ${str(p, 'after')} pour une limite de ${str(p, 'limit')} (${p.limitSource === 'client' ? 'fixée pour le client' : 'recommandée'})`,
    en: (p) =>
      `Exposure ${str(p, 'before')} -> ${str(p, 'after')} against a limit of ${str(p, 'limit')} (${p.limitSource === 'client' ? 'set for the client' : 'recommended'})`,
  },
  'terms.limitBasis': {
    fr: (p) => `Limite : ${str(p, 'basis')}`,
    en: (p) => `Limit: ${str(p, 'basis')}`,
  },
  'terms.legal': {
    fr: (p) => `Légal : ${str(p, 'text')}`,
    en: (p) => `Legal: ${str(p, 'text')}`,
  },
  'terms.decides': {
    fr: (p) =>
      `Qui décide : ${p.role ? `rôle ${str(p, 'role')} ou au-dessus` : 'aucun rôle de la politique ne le peut'}`,
    en: (p) => `Who decides: ${p.role ? `${str(p, 'role')} or above` : 'no role in the policy may'}`,
  },
  'terms.id': {
    fr: (p) =>
      `Identifiant de la décision : ${str(p, 'id')} (politique ${str(p, 'policy')}, modèle ${str(p, 'model')})`,
    en: (p) => `Decision id: ${str(p, 'id')} (policy ${str(p, 'policy')}, model ${str(p, 'model')})`,
  },
} satisfies WordingTable;

export type CliCode = keyof typeof CLI_WORDING;

export const cliSay = (code: CliCode, lang: Language, params: WordParams = {}): string =>
  sayFrom<CliCode>(CLI_WORDING, { code, params }, lang);

export { CLI_WORDING };
