import { readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { disposeTemplates } from './support.ts';

/**
 * Runs every `bench/*.bench.ts` in name order (or only those whose name contains an argument:
 * `npm run bench -- import`). Each exports `default async function (): Promise<void>` that prints
 * its own results. Speed targets are checked here, never in tests.
 */
const filters = process.argv.slice(2);
const dir = import.meta.dirname;
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !filters.length || filters.some((x) => f.includes(x)))
  .sort();

let failed = 0;
try {
  for (const file of files) {
    process.stdout.write(`\n== ${file} ==\n`);
    const started = performance.now();
    try {
      const mod = (await import(pathToFileURL(`${dir}/${file}`).href)) as { default: () => Promise<void> };
      await mod.default();
      process.stdout.write(`(${file}: ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
    } catch (e) {
      failed++;
      process.stdout.write(`${file} FAILED: ${(e as Error).stack ?? String(e)}\n`);
    }
  }
} finally {
  await disposeTemplates();
}
if (failed) process.exitCode = 1;
