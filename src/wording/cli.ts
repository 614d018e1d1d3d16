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
} satisfies WordingTable;

export type CliCode = keyof typeof CLI_WORDING;

export const cliSay = (code: CliCode, lang: Language, params: WordParams = {}): string =>
  sayFrom<CliCode>(CLI_WORDING, { code, params }, lang);

export { CLI_WORDING };
