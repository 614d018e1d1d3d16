import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { AppError } from '../src/errors.ts';
import { loadPolicy } from '../src/services/policy.ts';
import { runCli } from './support/cli.ts';

describe('configuration', () => {
  it('applies defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config.ENCOURS_DATA_DIR).toBe('.encours');
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('lists every bad variable in one message', () => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', PORT: 'eighty', ENCOURS_AS_OF: '23/11/2026', FOO: 'ignored' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    const message = (error as AppError).message;
    expect((error as AppError).code).toBe('INVALID_CONFIG');
    expect(message).toContain('DATABASE_URL: must start with postgres:// or postgresql://');
    expect(message).toContain('PORT:');
    expect(message).toContain('ENCOURS_AS_OF: must be a date YYYY-MM-DD');
    expect(message).not.toContain('FOO');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('the CLI reports the bad variables and exits 2', async () => {
    const result = await runCli(['policy', 'show'], { env: { PORT: '0', ENCOURS_AS_OF: 'tomorrow' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('invalid environment');
    expect(result.stderr).toContain('PORT:');
    expect(result.stderr).toContain('ENCOURS_AS_OF:');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace without --debug
  });
});

describe('policy file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'encours-policy-'));

  it('overrides sections of the default and gets its own version', () => {
    const path = join(dir, 'policy.yaml');
    writeFileSync(
      path,
      'standardTermsDays: 45\nlegal:\n  maxDaysFromInvoice: 60\n  maxDaysEndOfMonth: 45\n  reference: L441-10\n  latePenalty: { enabled: false, referenceRatePercent: 2, marginPoints: 10 }\n  fixedIndemnity: 4000\n',
    );
    const loaded = loadPolicy(path);
    expect(loaded.policy.standardTermsDays).toBe(45);
    expect(loaded.policy.legal.latePenalty.enabled).toBe(false);
    expect(loaded.policy.grades).toEqual(loadPolicy().policy.grades);
    expect(loaded.version).not.toBe(loadPolicy().version);
    expect(loaded.version).toMatch(/^pol-[0-9a-f]{12}$/);
  });

  it('names the file and every bad field', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ standardTermsDays: -5, bands: { low: 30, moderate: 60 } }));
    expect(() => loadPolicy(path)).toThrow(
      /bad\.json: standardTermsDays: .*\n.*bad\.json: bands: low must be above moderate/s,
    );
  });
});
