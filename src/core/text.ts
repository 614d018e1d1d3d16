/** Lower-case, accents stripped, punctuation folded to spaces: "Dupont-BTP SÀRL" -> "dupont btp sarl". */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
