import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_POLICY, type Policy, policySchema } from '../core/policy.ts';
import { AppError } from '../errors.ts';
import { hashValue } from './hash.ts';

export interface LoadedPolicy {
  policy: Policy;
  /** Short content hash recorded with every stored result. */
  version: string;
  source: string;
}

/**
 * Loads the policy file (YAML or JSON). Top-level sections given in the file replace the default's
 * sections whole, so a file may hold only what it changes.
 */
export function loadPolicy(path?: string): LoadedPolicy {
  if (!path) return withVersion(DEFAULT_POLICY, 'built-in default');
  let raw: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    raw = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new AppError(
      'INVALID_CONFIG',
      `cannot read policy file ${path}: ${(e as Error).message}`,
      undefined,
      'ENCOURS_POLICY must name a readable YAML or JSON file',
    );
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new AppError('INVALID_CONFIG', `policy file ${path}: expected a mapping of policy sections`);
  const parsed = policySchema.safeParse({ ...DEFAULT_POLICY, ...(raw as object) });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${path}: ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new AppError(
      'INVALID_CONFIG',
      `invalid policy:\n${lines.join('\n')}`,
      parsed.error.issues,
      'fix the fields above; `encours policy show` prints the default policy as a starting point',
    );
  }
  return withVersion(parsed.data, path);
}

const withVersion = (policy: Policy, source: string): LoadedPolicy => ({
  policy,
  version: `pol-${hashValue(policy).slice(0, 12)}`,
  source,
});
