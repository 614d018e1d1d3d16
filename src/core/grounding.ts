/**
 * Groundedness: every amount, date, percentage and invoice ref written in a draft or an answer must
 * come from the facts (tool results). The model never computes; this checker is how we know.
 *
 * Reads French and English formats: "1 234,56 EUR", "1 234,56 €", "EUR 1,234.56", "€1,234.56",
 * "2026-11-23", "23/11/2026", "23 novembre 2026", "November 23, 2026", "23 November 2026",
 * "12,15 %", "12.15%".
 */
import { isIsoDate } from './dates.ts';

export type GroundingKind = 'amount' | 'date' | 'percent' | 'ref';

export interface GroundingFinding {
  kind: GroundingKind;
  /** As written in the text. */
  text: string;
  /** Normalised value: cents for amounts, ISO date, percent number, ref. */
  value: string | number;
  message: string;
}

export interface GroundingResult {
  ok: boolean;
  findings: GroundingFinding[];
  /** How many values of each kind were found in the text (and checked). */
  checked: Record<GroundingKind, number>;
}

/** Everything the facts contain, normalised for lookup. */
export interface FactIndex {
  /** Amounts in minor units (cents). */
  amounts: Set<number>;
  /** Every number as it appears (days, scores, rates, ratios). */
  numbers: number[];
  dates: Set<string>;
  /** Every word-like token of every string (refs, names, codes). */
  tokens: Set<string>;
  /** Shapes of the refs found in the facts, e.g. /\bF\d+-\d+\b/: text tokens of these shapes are refs. */
  refShapes: RegExp[];
}

export interface ExtractedValue {
  kind: GroundingKind;
  text: string;
  value: string | number;
  /** Offset in the text, to relate a value to its sentence. */
  index: number;
  /** For an amount written with its currency: the ISO code ("EUR" for "€" or "euros"). */
  currency?: string;
}

// ---------------------------------------------------------------------------------------------
// Formats

const FR_MONTHS: Record<string, number> = {
  janvier: 1,
  fevrier: 2,
  février: 2,
  mars: 3,
  avril: 4,
  mai: 5,
  juin: 6,
  juillet: 7,
  aout: 8,
  août: 8,
  septembre: 9,
  octobre: 10,
  novembre: 11,
  decembre: 12,
  décembre: 12,
};
const EN_MONTHS: Record<string, number> = {
  january: 1,
  february: 2,
  march: 3,
  april: 4,
  may: 5,
  june: 6,
  july: 7,
  august: 8,
  september: 9,
  october: 10,
  november: 11,
  december: 12,
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const FR_MONTH_RE = Object.keys(FR_MONTHS).join('|');
const EN_MONTH_RE = Object.keys(EN_MONTHS)
  .sort((a, b) => b.length - a.length)
  .join('|');

/** Spaces people and formatters put inside numbers: space, no-break space, narrow no-break space. */
const SP = '[ \\u00a0\\u202f]';
/** A number as written: grouped thousands (space, nbsp, comma or dot) and an optional decimal part. */
const NUM = `\\d{1,3}(?:(?:${SP}|[.,'])\\d{3})+(?:[.,]\\d{1,2})?|\\d+(?:[.,]\\d{1,2})?`;
const CUR_BEFORE = '(?:EUR|USD|GBP|CHF|€|\\$|£)';
const CUR_AFTER = '(?:EUR|USD|GBP|CHF|€|\\$|£|euros?\\b|k€)';

const DATE_PATTERNS: { re: RegExp; parse: (m: RegExpExecArray) => string | null }[] = [
  { re: /\b(\d{4})-(\d{2})-(\d{2})\b/g, parse: (m) => iso(m[1], m[2], m[3]) },
  {
    // dd/mm/yyyy (also dd.mm.yyyy); when that is not a date, mm/dd/yyyy.
    re: /\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b/g,
    parse: (m) => iso(m[3], m[2], m[1]) ?? iso(m[3], m[1], m[2]),
  },
  {
    re: new RegExp(`\\b(1er|\\d{1,2})${SP}+(${FR_MONTH_RE})${SP}+(\\d{4})\\b`, 'giu'),
    parse: (m) => iso(m[3], FR_MONTHS[m[2]!.toLowerCase()], m[1] === '1er' ? '1' : m[1]),
  },
  {
    re: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?${SP}+(${EN_MONTH_RE})\\.?,?${SP}+(\\d{4})\\b`, 'gi'),
    parse: (m) => iso(m[3], EN_MONTHS[m[2]!.toLowerCase()], m[1]),
  },
  {
    re: new RegExp(`\\b(${EN_MONTH_RE})\\.?${SP}+(\\d{1,2})(?:st|nd|rd|th)?,?${SP}+(\\d{4})\\b`, 'gi'),
    parse: (m) => iso(m[3], EN_MONTHS[m[1]!.toLowerCase()], m[2]),
  },
];

/** "€", "euros", "k€" -> EUR; "£" -> GBP; "$" -> USD; codes as written. */
function currencyCode(mark: string): string {
  const t = mark.trim().toLowerCase();
  if (t.startsWith('€') || t.startsWith('euro') || t === 'k€') return 'EUR';
  if (t === '£') return 'GBP';
  if (t === '$') return 'USD';
  return t.toUpperCase();
}

function iso(y: string | undefined, m: string | number | undefined, d: string | undefined): string | null {
  if (!y || m === undefined || !d) return null;
  const text = `${y}-${String(m).padStart(2, '0')}-${d.padStart(2, '0')}`;
  return isIsoDate(text) ? text : null;
}

/**
 * "1 234,56" / "1,234.56" / "1.234,56" / "40" -> cents. A separator followed by exactly three digits
 * groups thousands; one followed by one or two digits at the end is the decimal mark.
 */
export function parseAmountText(raw: string): number | null {
  const text = raw.replace(/[ \u00a0\u202f']/g, '');
  const m = /^(\d+(?:[.,]\d{3})*)(?:[.,](\d{1,2}))?$/.exec(text);
  if (!m) return null;
  const whole = Number(m[1]!.replace(/[.,]/g, ''));
  const frac = m[2] ? Number(m[2].padEnd(2, '0')) : 0;
  const cents = whole * 100 + frac;
  return Number.isSafeInteger(cents) ? cents : null;
}

/** "12,15" -> 12.15 */
const parsePercentText = (raw: string): number =>
  Number(raw.replace(/[ \u00a0\u202f]/g, '').replace(',', '.'));

/** Replaces a span by spaces so a value is never read twice (a date's day as an amount...). */
const blank = (text: string, start: number, length: number) =>
  text.slice(0, start) + ' '.repeat(length) + text.slice(start + length);

/**
 * Every amount, date, percentage and (given ref shapes) ref in the text, in this order of
 * precedence: refs, dates, percentages, amounts with a currency, then bare decimal numbers
 * ("1 234,56") which are read as amounts.
 */
export function extractValues(text: string, refShapes: readonly RegExp[] = []): ExtractedValue[] {
  const out: ExtractedValue[] = [];
  let rest = text;
  for (const shape of refShapes) {
    for (const m of rest.matchAll(new RegExp(shape.source, 'gu'))) {
      out.push({ kind: 'ref', text: m[0], value: m[0], index: m.index });
      rest = blank(rest, m.index, m[0].length);
    }
  }
  for (const { re, parse } of DATE_PATTERNS) {
    for (const m of rest.matchAll(re)) {
      const value = parse(m as RegExpExecArray);
      if (!value) continue;
      out.push({ kind: 'date', text: m[0], value, index: m.index });
      rest = blank(rest, m.index, m[0].length);
    }
  }
  const percentRe = new RegExp(
    `(?<![\\d.,])(\\d+(?:[.,]\\d+)?)${SP}?(?:%|pour${SP}?cent\\b|per${SP}?cent\\b)`,
    'gi',
  );
  for (const m of rest.matchAll(percentRe)) {
    out.push({ kind: 'percent', text: m[0], value: parsePercentText(m[1]!), index: m.index });
    rest = blank(rest, m.index, m[0].length);
  }
  const amountRes = [
    new RegExp(`${CUR_BEFORE}${SP}?(${NUM})(?![\\d])`, 'g'),
    // A number right after "1-" or "1/" is the end of a range or a date, not the start of an amount.
    new RegExp(`(?<![\\d.,]|\\d[-/])(${NUM})${SP}?${CUR_AFTER}`, 'gi'),
  ];
  for (const re of amountRes) {
    for (const m of rest.matchAll(re)) {
      const raw = m[1]!;
      let cents = parseAmountText(raw);
      if (cents === null) continue;
      if (/k€$/i.test(m[0])) cents *= 1000;
      out.push({
        kind: 'amount',
        text: m[0].trim(),
        value: cents,
        index: m.index,
        currency: currencyCode(m[0].replace(raw, '')),
      });
      rest = blank(rest, m.index, m[0].length);
    }
  }
  // Bare numbers that look like money (grouped thousands or exactly two decimals), e.g. "1 234,56".
  const bare = new RegExp(
    `(?<![\\d.,\\w])(\\d{1,3}(?:(?:${SP}|[.,])\\d{3})+(?:[.,]\\d{2})?|\\d+[.,]\\d{2})(?![\\d\\w]|[.,]\\d)`,
    'g',
  );
  for (const m of rest.matchAll(bare)) {
    const cents = parseAmountText(m[1]!);
    if (cents === null) continue;
    out.push({ kind: 'amount', text: m[0], value: cents, index: m.index });
  }
  return out.sort((a, b) => a.index - b.index);
}

// ---------------------------------------------------------------------------------------------
// Facts

const REF_KEY = /(^|[a-z_])(refs?|references?)$/i;

/**
 * Collects every value of the facts (tool results JSON): integers as cents (amounts are minor units
 * in results), other numbers as they are, ISO dates, formatted amounts, dates and percentages
 * inside strings, and the shapes of values stored under `ref`-like keys.
 */
export function indexFacts(...sources: unknown[]): FactIndex {
  const index: FactIndex = {
    amounts: new Set(),
    numbers: [],
    dates: new Set(),
    tokens: new Set(),
    refShapes: [],
  };
  const shapes = new Set<string>();
  const visit = (value: unknown, key: string): void => {
    if (value === null || value === undefined) return;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return;
      index.numbers.push(value);
      if (Number.isInteger(value)) index.amounts.add(value);
      // Decimal amounts in major units (1234.56) also count as cents.
      else if (Math.abs(value * 100 - Math.round(value * 100)) < 1e-6)
        index.amounts.add(Math.round(value * 100));
      return;
    }
    if (typeof value === 'string') {
      indexString(index, value);
      if (REF_KEY.test(key)) {
        const shape = refShape(value);
        if (shape) shapes.add(shape);
      }
      return;
    }
    if (Array.isArray(value)) {
      for (const v of value) visit(v, key);
      return;
    }
    if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) visit(v, k);
    }
  };
  for (const s of sources) visit(s, '');
  index.refShapes = [...shapes].map((s) => new RegExp(s, 'gu'));
  return index;
}

function indexString(index: FactIndex, value: string): void {
  for (const token of value.split(/[^\p{L}\p{N}_\-/.]+/u)) {
    const t = token.replace(/[.]+$/, '');
    if (t) index.tokens.add(t);
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(value) && isIsoDate(value.slice(0, 10))) index.dates.add(value.slice(0, 10));
  // Plain decimal strings ("1234.56") are amounts in major units.
  if (/^-?\d+(\.\d{1,2})?$/.test(value.trim())) {
    const cents = parseAmountText(value.trim().replace(/^-/, ''));
    if (cents !== null) index.amounts.add(cents);
    index.numbers.push(Number(value));
  }
  for (const v of extractValues(value)) {
    if (v.kind === 'date') index.dates.add(String(v.value));
    else if (v.kind === 'amount') index.amounts.add(Number(v.value));
    else if (v.kind === 'percent') index.numbers.push(Number(v.value));
  }
}

/**
 * The shape of a ref: "F2026-0042" -> \bF\d+-\d+\b. Only refs with letters AND digits make a shape:
 * a purely numeric shape would match every number in a text.
 */
export function refShape(ref: string): string | null {
  const r = ref.trim();
  if (r.length < 3 || r.length > 40 || /\s/.test(r)) return null;
  if (!/\p{L}/u.test(r) || !/\d/.test(r) || !/^[\p{L}\d_\-/.]+$/u.test(r)) return null;
  const body = r.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\d+/g, '\\d+');
  return `(?<![\\p{L}\\d_\\-/])${body}(?![\\p{L}\\d_]|[-/]\\d)`;
}

// ---------------------------------------------------------------------------------------------
// Check

/** Rounds to the number of decimals shown in the text, so "33 %" matches a ratio of 0.3312. */
function decimalsOf(text: string): number {
  const m = /[.,](\d+)/.exec(text);
  return m ? m[1]!.length : 0;
}
const roundTo = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

function isGrounded(v: ExtractedValue, facts: FactIndex): boolean {
  switch (v.kind) {
    case 'amount':
      return facts.amounts.has(Number(v.value));
    case 'date':
      return facts.dates.has(String(v.value));
    case 'ref':
      return facts.tokens.has(String(v.value));
    case 'percent': {
      const p = Number(v.value);
      const d = decimalsOf(v.text);
      return facts.numbers.some((n) => roundTo(n, d) === p || roundTo(n * 100, d) === p);
    }
  }
}

const LABEL: Record<GroundingKind, string> = {
  amount: 'amount',
  date: 'date',
  percent: 'percentage',
  ref: 'reference',
};

/**
 * Reports every amount, date, percentage and ref of `text` that the facts do not contain.
 * `facts` is the tool results (any JSON) or an index built with `indexFacts`.
 */
export function checkGroundedness(
  text: string,
  facts: unknown,
  opts: { refShapes?: RegExp[] } = {},
): GroundingResult {
  const index = isFactIndex(facts) ? facts : indexFacts(facts);
  const values = extractValues(text, opts.refShapes ?? index.refShapes);
  const checked: Record<GroundingKind, number> = { amount: 0, date: 0, percent: 0, ref: 0 };
  const findings: GroundingFinding[] = [];
  const seen = new Set<string>();
  for (const v of values) {
    checked[v.kind] += 1;
    if (isGrounded(v, index)) continue;
    const key = `${v.kind}:${v.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push({
      kind: v.kind,
      text: v.text,
      value: v.value,
      message: `${LABEL[v.kind]} "${v.text}" does not appear in the facts`,
    });
  }
  return { ok: findings.length === 0, findings, checked };
}

function isFactIndex(x: unknown): x is FactIndex {
  return (
    !!x &&
    typeof x === 'object' &&
    (x as FactIndex).amounts instanceof Set &&
    Array.isArray((x as FactIndex).refShapes)
  );
}
