#!/usr/bin/env node
// Compiles the TypeScript sources into dist/ (run by `npm ci` through `prepare`, and by the tests' set-up).
// esbuild bundles our own code per entry point and splits what command modules share into chunks, so
// a command loads only its own code; npm packages stay external and load from node_modules.
// Type checking is `npm run typecheck` (tsc); this only strips types, in well under a second.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { DIST, ENTRIES, STAMP } from './launch.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const next = `${DIST}.next-${process.pid}`;
const builtAt = Date.now();
rmSync(join(root, next), { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: ENTRIES,
  outdir: next,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
});
// What the build was made from, and when: bin/launch.js runs the sources instead when one changed since.
const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/'));
writeFileSync(join(root, next, STAMP), `${JSON.stringify({ builtAt, inputs })}\n`);
// The module graph, for the test that keeps heavy packages out of start-up.
writeFileSync(join(root, next, 'meta.json'), JSON.stringify(result.metafile));

// Swap in the new build whole, so a command starting meanwhile sees the old build or the new one.
const old = `${DIST}.old-${process.pid}`;
try {
  renameSync(join(root, DIST), join(root, old));
} catch (e) {
  if (e.code !== 'ENOENT') throw e;
}
try {
  renameSync(join(root, next), join(root, DIST));
} catch (e) {
  // Another build finished first and its dist/ is as current as ours.
  if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
  rmSync(join(root, next), { recursive: true, force: true });
}
rmSync(join(root, old), { recursive: true, force: true });
