/**
 * What the core means, without its words: a stable code and the figures behind it (numbers,
 * amounts in minor units, ISO dates, refs). src/wording turns it into French or English; the core
 * never writes a sentence for a person.
 */
export type WordParam = string | number | boolean | null;
export type WordParams = Readonly<Record<string, WordParam>>;

export interface Worded<C extends string = string> {
  code: C;
  params: WordParams;
}

export const worded = <C extends string>(code: C, params: WordParams = {}): Worded<C> => ({ code, params });
