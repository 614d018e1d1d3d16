import type { Band } from '../core/score.ts';
import { type Language, num, sayFrom, signed, str, type WordingTable, type WordParams } from './index.ts';
import { bandPhrase } from './score.ts';

/**
 * The sentences of the tools' readable renderings (MCP text content, CLI output): figures come as
 * params (amounts already formatted by the tool in the caller's language, dates YYYY-MM-DD).
 */
const TOOL_WORDING = {
  'factor.line': {
    fr: (p) => `  ${signed(num(p, 'points'))} ${str(p, 'label')} : ${str(p, 'detail')}`,
    en: (p) => `  ${signed(num(p, 'points'))} ${str(p, 'label')}: ${str(p, 'detail')}`,
  },
  'score.head': {
    fr: (p, f) =>
      `${str(p, 'client')} au ${f.date(str(p, 'asOf'))} : score ${num(p, 'score')}/100, note ${str(p, 'grade')}, ${bandPhrase(str(p, 'band') as Band, 'fr')} ; ` +
      `${f.number(num(p, 'pLate') * 100, 1)} % de probabilité que la prochaine facture soit payée en retard ; confiance ${f.percent(num(p, 'confidence'))}`,
    en: (p, f) =>
      `${str(p, 'client')} as of ${f.date(str(p, 'asOf'))}: score ${num(p, 'score')}/100, grade ${str(p, 'grade')}, ${bandPhrase(str(p, 'band') as Band, 'en')}; ` +
      `${f.number(num(p, 'pLate') * 100, 1)}% chance the next invoice is paid late; confidence ${f.percent(num(p, 'confidence'))}`,
  },
  'explain.headline': {
    fr: (p, f) =>
      `${str(p, 'name')} obtient ${num(p, 'score')}/100 au ${f.date(str(p, 'asOf'))} : note ${str(p, 'grade')}, ${bandPhrase(str(p, 'band') as Band, 'fr')}.`,
    en: (p, f) =>
      `${str(p, 'name')} scores ${num(p, 'score')}/100 as of ${f.date(str(p, 'asOf'))}: grade ${str(p, 'grade')}, ${bandPhrase(str(p, 'band') as Band, 'en')}.`,
  },
  'explain.base': {
    fr: (p, f) => `Chaque client part de ${f.count(num(p, 'base'), 'point', 'points')}.`,
    en: (p, f) => `Every client starts from ${f.count(num(p, 'base'), 'point', 'points')}.`,
  },
  'explain.raises': { fr: () => 'Ce qui le fait monter :', en: () => 'Raises it:' },
  'explain.lowers': { fr: () => 'Ce qui le fait baisser :', en: () => 'Lowers it:' },
  'explain.littleHistory': {
    fr: (p, f) =>
      `Peu d’historique : ${num(p, 'paid') === 0 ? 'aucune facture payée' : `seulement ${f.count(num(p, 'paid'), 'facture payée', 'factures payées')}`}, le score s’appuie donc sur les valeurs par défaut de la politique (confiance ${f.percent(num(p, 'confidence'))}).`,
    en: (p, f) =>
      `Little history: ${num(p, 'paid') === 0 ? 'no paid invoice yet' : `only ${f.count(num(p, 'paid'), 'paid invoice', 'paid invoices')}`}, so the score leans on the policy defaults (confidence ${f.percent(num(p, 'confidence'))}).`,
  },
  'explain.history': {
    fr: (p, f) =>
      `Fondé sur ${f.count(num(p, 'paid'), 'facture payée', 'factures payées')} en ${f.count(num(p, 'months'), 'mois', 'mois')} (confiance ${f.percent(num(p, 'confidence'))}).`,
    en: (p, f) =>
      `Based on ${f.count(num(p, 'paid'), 'paid invoice', 'paid invoices')} over ${f.count(num(p, 'months'), 'month', 'months')} (confidence ${f.percent(num(p, 'confidence'))}).`,
  },
} satisfies WordingTable;

export type ToolCode = keyof typeof TOOL_WORDING;

export const toolSay = (code: ToolCode, lang: Language, params: WordParams = {}): string =>
  sayFrom<ToolCode>(TOOL_WORDING, { code, params }, lang);

export { TOOL_WORDING };
