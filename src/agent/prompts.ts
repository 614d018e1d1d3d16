import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.ts';
import { sha256 } from '../services/hash.ts';

/** Where the versioned prompt files live (markdown, reviewed like code). */
export const PROMPTS_DIR = join(PACKAGE_ROOT, 'prompts');

export type ToneGuide = 'courteous' | 'firm' | 'formal';

export interface LoadedPrompts {
  system: string;
  tones: Record<string, string>;
  /** Short hash of the system prompt and tone guides: logged with every turn and draft. */
  version: string;
}

/**
 * Reads `system.md` and every `tone-*.md`. The version changes whenever any of them changes, so each
 * logged answer and draft can be traced to the exact wording the model was given.
 */
export function loadPrompts(dir: string = PROMPTS_DIR): LoadedPrompts {
  const system = readFileSync(join(dir, 'system.md'), 'utf8');
  const tones: Record<string, string> = {};
  const files = readdirSync(dir)
    .filter((f) => /^tone-[a-z0-9-]+\.md$/.test(f))
    .sort();
  for (const f of files) tones[f.slice(5, -3)] = readFileSync(join(dir, f), 'utf8');
  const material = [`system.md\n${system}`, ...files.map((f) => `${f}\n${tones[f.slice(5, -3)]}`)].join(
    '\n\0\n',
  );
  return { system, tones, version: `p-${sha256(material).slice(0, 12)}` };
}

/** The tone guide for a reminder scenario. */
export function toneFor(scenario: string): ToneGuide {
  if (scenario === 'formal_notice') return 'formal';
  if (scenario === 'clear' || scenario === 'firm' || scenario === 'final_notice') return 'firm';
  return 'courteous';
}
