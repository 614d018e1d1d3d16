import { foldText } from '../core/text.ts';

export type Language = 'fr' | 'en';

const FR = new Set(
  'le la les un une des du de au aux est sont peut on pourquoi quel quelle quels quelles combien jours jour nous vous client clients facture factures retard retards echues impayes impayees accorder donner peut-on encours litige relance relances quoi comment pour avec sur dans et ou a son sa ses notre nos leur cette ce qui que ne pas bonjour salut merci aide svp'.split(
    ' ',
  ),
);
const EN = new Set(
  'the a an is are can we could why what which how many days day client clients invoice invoices overdue late give grant for with on in and or of to our their this that who does do show me list explain hello hi help thanks please'.split(
    ' ',
  ),
);

/** French or English, from the words of the question (accents alone tip it to French). */
export function detectLanguage(text: string): Language {
  const words = foldText(text).split(' ');
  let fr = /[àâçéèêëîïôûùüÿœ]/i.test(text) ? 1 : 0;
  let en = 0;
  for (const w of words) {
    if (FR.has(w)) fr += 1;
    if (EN.has(w)) en += 1;
  }
  if (/\b(peut-on|qu'|l'|d')/i.test(text)) fr += 2;
  return fr > en ? 'fr' : 'en';
}
