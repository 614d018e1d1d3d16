import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROMPTS_DIR } from '../agent/prompts.ts';

const cache = new Map<string, string>();

/**
 * Fills a markdown template from `prompts/<name>.md`: `{{key}}` placeholders are replaced, the
 * leading HTML comment (which documents the placeholders) is dropped. Templates are versioned with
 * the code, so an MCP client always gets the wording this install was tested with.
 */
export function renderPrompt(name: string, values: Record<string, string>): string {
  let template = cache.get(name);
  if (template === undefined) {
    template = readFileSync(join(PROMPTS_DIR, `${name}.md`), 'utf8').replace(/^<!--[\s\S]*?-->\s*/, '');
    cache.set(name, template);
  }
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '').trim();
}
