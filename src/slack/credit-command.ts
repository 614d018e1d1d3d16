import { parseDecimal } from '../core/money.ts';

/**
 * `/credit <client> [days] [amount]` as people type it: "Dupont BTP 60 25000", "C0042 45 fdm 12 500,50",
 * "acme 60j 25k public". The client is every word before the first number; `public` (or `--public`,
 * `canal`) answers in the channel instead of privately; `fdm`/`eom` asks for end-of-month terms.
 */
export interface CreditCommand {
  client: string;
  days?: number;
  amountCents?: number;
  endOfMonth: boolean;
  public: boolean;
}

export type ParsedCreditCommand =
  | { ok: true; command: CreditCommand }
  | { ok: false; reason: 'empty' | 'no_client' | 'bad_days' | 'bad_amount'; detail?: string };

const PUBLIC_WORDS = /^(--?public|public|publique|canal|channel|--channel|--canal)$/i;
const EOM_WORDS = /^(fdm|eom|fin-de-mois|end-of-month|--eom|--end-of-month)$/i;
const DAYS = /^(\d{1,4})(j|jours?|d|days?)?$/i;

export function parseCreditCommand(text: string): ParsedCreditCommand {
  const tokens = text
    .replace(/\b(fin de mois|end of month)\b/gi, ' fdm ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  if (!tokens.length) return { ok: false, reason: 'empty' };
  let isPublic = false;
  let endOfMonth = false;
  const words: string[] = [];
  const figures: string[] = [];
  for (const token of tokens) {
    if (PUBLIC_WORDS.test(token)) isPublic = true;
    else if (EOM_WORDS.test(token)) endOfMonth = true;
    else if (!figures.length && !/^\d/.test(token)) words.push(token);
    else figures.push(token);
  }
  if (!words.length) return { ok: false, reason: 'no_client' };
  const command: CreditCommand = { client: words.join(' '), endOfMonth, public: isPublic };
  if (!figures.length) return { ok: true, command };
  const days = DAYS.exec(figures[0]!);
  if (!days) return { ok: false, reason: 'bad_days', detail: figures[0] };
  command.days = Number(days[1]);
  if (figures.length > 1) {
    const amount = parseAmountCents(figures.slice(1).join(' '));
    if (amount === null) return { ok: false, reason: 'bad_amount', detail: figures.slice(1).join(' ') };
    command.amountCents = amount;
  }
  return { ok: true, command };
}

/**
 * "25000", "25 000", "25000,50", "25,000.50", "25.000,50", "25k", "25 k€", "1.5M": an amount in
 * cents, or null when it is not one.
 */
export function parseAmountCents(input: string): number | null {
  let s = input
    .trim()
    .replace(/\s*(€|eur|euros?)$/i, '')
    .trim();
  let factor = 1;
  const suffix = /^(.*?)\s*([kKmM])$/.exec(s);
  if (suffix) {
    s = suffix[1]!;
    factor = /k/i.test(suffix[2]!) ? 1_000 : 1_000_000;
  }
  s = s.replace(/[\s\u00a0\u202f]/g, '');
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  else if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) s = s.replace(/\./g, '').replace(',', '.');
  else s = s.replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(s)) return null;
  const cents = factor === 1 ? parseDecimal(s) : parseDecimal((Number(s) * factor).toFixed(2));
  return cents !== null && cents <= 1e14 ? cents : null;
}
