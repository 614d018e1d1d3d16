// Starts an entry point from the compiled build in dist/ (bin/build.js), rebuilt first when a source
// changed since; from the TypeScript sources through tsx only when it cannot be rebuilt. A command
// never runs code older than its sources.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DIST = 'dist';
export const STAMP = 'build.json';
/** Entry points: the name of the compiled file in dist/ and its source. */
export const ENTRIES = { cli: 'src/cli/main.ts', 'db-server': 'src/db/server-main.ts' };

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** True when dist/ was built after the last change of every source it was built from. */
export function buildIsCurrent(root = ROOT) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, DIST, STAMP), 'utf8'));
  } catch {
    return false;
  }
  for (const file of stamp.inputs) {
    try {
      if (statSync(join(root, file)).mtimeMs > stamp.builtAt) return false;
    } catch (e) {
      // A source that is gone: changed since the build, unless the package ships without sources.
      if (e.code !== 'ENOENT') throw e;
      return !hasSources(root);
    }
  }
  return true;
}

const hasSources = (root) => {
  try {
    return statSync(join(root, 'src')).isDirectory();
  } catch {
    return false;
  }
};

/**
 * Rebuilds dist/ from the sources (well under a second), so a stale or missing build costs one
 * command, not every command: a checkout, copy or edit that leaves the sources newer than the build
 * would otherwise send each call through tsx. False when it cannot (no esbuild, read-only install).
 */
function rebuild(root = ROOT) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'build.js')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return r.status === 0 && buildIsCurrent(root);
}

export async function launch(name) {
  if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
  if (buildIsCurrent() || rebuild()) return import(new URL(`../${DIST}/${name}.js`, import.meta.url).href);
  if (process.stderr.isTTY)
    process.stderr.write('encours: running from the sources (dist/ could not be rebuilt: `npm run build`)\n');
  const { register } = await import('tsx/esm/api');
  register();
  return import(new URL(`../${ENTRIES[name]}`, import.meta.url).href);
}
