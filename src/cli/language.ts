import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import type { Language } from '../wording/index.ts';

/** `--lang` as typed, validated; undefined when not given. */
export function langFlag(cmd: Command): Language | undefined {
  const lang = (cmd.optsWithGlobals() as { lang?: string }).lang;
  if (lang === undefined) return undefined;
  if (lang !== 'fr' && lang !== 'en')
    throw new AppError('INVALID_INPUT', `--lang: expected fr or en, got "${lang}"`);
  return lang;
}

/** The language a command writes in: `--lang`, else ENCOURS_LANG (French unless set). */
export const cliLanguage = (cmd: Command): Language => langFlag(cmd) ?? loadConfig().ENCOURS_LANG;
