import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/cli.ts';

/**
 * src/core must stay pure: no I/O, no clock, no environment, no database. Everything it needs
 * (as-of date, policy, facts) arrives as arguments, which is what makes scores reproducible.
 */
const CORE = join(REPO_ROOT, 'src/core');
const FORBIDDEN: [RegExp, string][] = [
  [/from\s+['"](node:|fs|path|os|child_process|http|https|net|crypto)['"/]/, 'a Node built-in import'],
  [
    /from\s+['"](postgres|drizzle-orm|@electric-sql\/pglite|hono|@slack|@anthropic-ai|@modelcontextprotocol)/,
    'an I/O library import',
  ],
  [/from\s+['"]\.\.\/(?!core\/)/, 'an import from outside src/core'],
  [/process\.(env|argv|cwd|exit|stdout|stderr)/, 'process access'],
  [/Date\.now\(\)/, 'the clock (Date.now)'],
  [/new Date\(\s*\)/, 'the clock (new Date())'],
  [/\b(fetch|setTimeout|setInterval)\(/, 'I/O or timers'],
  [/Math\.random\(/, 'randomness'],
];

describe('src/core purity', () => {
  const files = readdirSync(CORE, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'));

  it('has modules to check', () => {
    expect(files.length).toBeGreaterThan(3);
  });

  it.each(files)('%s uses no I/O, clock, env or randomness', (file) => {
    const source = readFileSync(join(CORE, file), 'utf8');
    const problems = FORBIDDEN.filter(([re]) => re.test(source)).map(([, what]) => what);
    expect(problems, `${file} contains ${problems.join(', ')}`).toEqual([]);
  });
});
