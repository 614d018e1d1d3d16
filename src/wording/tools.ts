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
  'terms.head': {
    fr: (p, f) =>
      `${str(p, 'client')}, ${str(p, 'terms')} sur ${str(p, 'amount')}, au ${f.date(str(p, 'asOf'))} : ${str(p, 'decision').toUpperCase()}` +
      (p.conditions ? ` - ${str(p, 'conditions')}` : ''),
    en: (p, f) =>
      `${str(p, 'client')}, ${str(p, 'terms')} on ${str(p, 'amount')}, as of ${f.date(str(p, 'asOf'))}: ${str(p, 'decision').toUpperCase()}` +
      (p.conditions ? ` - ${str(p, 'conditions')}` : ''),
  },
  'terms.figures': {
    fr: (p) =>
      `Score ${num(p, 'score')}/100, note ${str(p, 'grade')} (${bandPhrase(str(p, 'band') as Band, 'fr')}) ; exposition ${str(p, 'before')} -> ${str(p, 'after')} pour une limite de ${str(p, 'limit')}.`,
    en: (p) =>
      `Score ${num(p, 'score')}/100, grade ${str(p, 'grade')} (${bandPhrase(str(p, 'band') as Band, 'en')}); exposure ${str(p, 'before')} -> ${str(p, 'after')} against a limit of ${str(p, 'limit')}.`,
  },
  'terms.legal': { fr: (p) => `Légal : ${str(p, 'text')}`, en: (p) => `Legal: ${str(p, 'text')}` },
  'terms.unlawful': { fr: (p) => `ILLÉGAL : ${str(p, 'text')}`, en: (p) => `NOT LAWFUL: ${str(p, 'text')}` },
  'terms.decides': {
    fr: (p) =>
      p.role
        ? `Peut décider : le rôle ${str(p, 'role')} ou au-dessus.`
        : 'Aucun rôle ne peut accorder cette demande.',
    en: (p) => (p.role ? `Who may decide: ${str(p, 'role')} or above.` : 'No role may grant this.'),
  },
  'terms.recorded': {
    fr: (p) => `Enregistré sous ${str(p, 'id')} (recommandation seulement ; rien n’est accordé).`,
    en: (p) => `Recorded as ${str(p, 'id')} (recommendation only; nothing granted).`,
  },
  'limit.head': {
    fr: (p, f) =>
      `${str(p, 'client')} au ${f.date(str(p, 'asOf'))} : limite ${str(p, 'limit')} (${p.limitSource === 'client' ? 'fixée sur la fiche client' : 'recommandée'}), ` +
      `exposition ${str(p, 'exposure')} (encours ${str(p, 'open')} + commandes ${str(p, 'orders')}), disponible ${str(p, 'available')}`,
    en: (p, f) =>
      `${str(p, 'client')} as of ${f.date(str(p, 'asOf'))}: limit ${str(p, 'limit')} (${p.limitSource === 'client' ? 'set on the client' : 'recommended'}), ` +
      `exposure ${str(p, 'exposure')} (open ${str(p, 'open')} + orders ${str(p, 'orders')}), available ${str(p, 'available')}`,
  },
  'limit.recommended': {
    fr: (p) => `Limite recommandée ${str(p, 'amount')} : ${str(p, 'basis')}`,
    en: (p) => `Recommended limit ${str(p, 'amount')}: ${str(p, 'basis')}`,
  },
} satisfies WordingTable;

export type ToolCode = keyof typeof TOOL_WORDING;

export const toolSay = (code: ToolCode, lang: Language, params: WordParams = {}): string =>
  sayFrom<ToolCode>(TOOL_WORDING, { code, params }, lang);

export { TOOL_WORDING };
