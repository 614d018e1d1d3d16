import { formatMoney, type Minor, roundHalfAway } from '../core/money.ts';
import type { Worded, WordParams } from '../core/worded.ts';

export type { Worded, WordParam, WordParams } from '../core/worded.ts';

/**
 * The one wording layer. The core and the services say what they mean as a code and figures
 * (`{ code, params }`); this module turns that into a French or English sentence. Every surface
 * (CLI, tool renders, offline responder, web pages, Slack) renders through `say`, so a word is
 * written once per language and a French answer never falls back to English.
 *
 * Each domain keeps its table in its own file here (`factors.ts`, `terms.ts`, ...), typed against
 * the codes its module declares, so a code without a wording is a compile error and a test renders
 * every code in both languages.
 */
export type Language = 'fr' | 'en';
export const LANGUAGES: readonly Language[] = ['fr', 'en'];

/** Figures formatted the way a reader of that language expects. */
export interface Formatter {
  readonly lang: Language;
  /** "12 345,67 EUR" / "EUR 12,345.67". */
  money(cents: Minor, currency: string): string;
  /** "23 novembre 2026" / "23 November 2026". */
  date(iso: string): string;
  /** "1 jour", "3 jours", "1,5 jour" / "1 day", "3 days", "1.5 days" (one decimal when not whole). */
  days(n: number): string;
  /** A count with the right singular or plural noun: count(2, 'facture', 'factures'). */
  count(n: number, one: string, many: string): string;
  /** The singular or plural word alone, by the language's rule (French: singular below 2). */
  plural(n: number, one: string, many: string): string;
  /** A share 0-1 as a whole percentage: "64 %" / "64%". */
  percent(share: number): string;
  /** A number with the language's decimal mark and grouping: "12,5" / "12.5". */
  number(n: number, decimals?: number): string;
}

/** A phrase in one language: the params of its code, and the formatter of that language. */
export type Phrase = (p: WordParams, f: Formatter) => string;
export interface WordingEntry {
  fr: Phrase;
  en: Phrase;
}
/** A domain's wordings, keyed by its codes. */
export type WordingTable<C extends string = string> = Record<C, WordingEntry>;

const MONTHS: Record<Language, string[]> = {
  fr: 'janvier février mars avril mai juin juillet août septembre octobre novembre décembre'.split(' '),
  en: 'January February March April May June July August September October November December'.split(' '),
};

function groupNumber(n: number, decimals: number, lang: Language): string {
  const fixed = Math.abs(n).toFixed(decimals);
  const [whole, frac] = fixed.split('.') as [string, string | undefined];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'fr' ? '\u202f' : ',');
  const sign = n < 0 && Number(fixed) !== 0 ? '-' : '';
  return `${sign}${grouped}${frac ? (lang === 'fr' ? ',' : '.') + frac : ''}`;
}

export function formatterFor(lang: Language): Formatter {
  const plural = (n: number, one: string, many: string) =>
    (lang === 'fr' ? Math.abs(n) < 2 : Math.abs(n) === 1) ? one : many;
  const count = (n: number, one: string, many: string) =>
    `${groupNumber(n, Number.isInteger(n) ? 0 : 1, lang)} ${plural(n, one, many)}`;
  return {
    lang,
    money: (cents, currency) => formatMoney(cents, currency, lang),
    date: (iso) => {
      const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
      const month = MONTHS[lang][m - 1] ?? String(m);
      return lang === 'fr' ? `${d === 1 ? '1er' : d} ${month} ${y}` : `${d} ${month} ${y}`;
    },
    days: (n) => (lang === 'fr' ? count(n, 'jour', 'jours') : count(n, 'day', 'days')),
    count,
    plural,
    percent: (share) => `${roundHalfAway(share * 100)}${lang === 'fr' ? '\u202f%' : '%'}`,
    number: (n, decimals = 0) => groupNumber(n, decimals, lang),
  };
}

const FORMATTERS: Record<Language, Formatter> = { fr: formatterFor('fr'), en: formatterFor('en') };

/** Renders one entry of a table; a code missing from the table is a bug, not a user error. */
export function sayFrom<C extends string>(table: WordingTable<C>, w: Worded<C>, lang: Language): string {
  const entry = table[w.code];
  if (!entry) throw new Error(`no wording for code "${w.code}"`);
  return entry[lang](w.params, FORMATTERS[lang]);
}

/** Typed accessors for params inside phrases (params are loosely typed on the wire). */
export const num = (p: WordParams, key: string): number => Number(p[key] ?? 0);
export const str = (p: WordParams, key: string): string => String(p[key] ?? '');
/** True when the param was given (null counts as given: "no value"). */
export const has = (p: WordParams, key: string): boolean => p[key] !== undefined;
/** "+3" / "-2" / "0": signed whole figures the way both languages print them. */
export const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));
/** First letter upper case (a word used at the start of a label or a line). */
export const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
