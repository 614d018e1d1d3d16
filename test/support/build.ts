import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Vitest global set-up: spawned commands run the compiled build, so build it from the current sources. */
export default function setup(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../bin/build.js', import.meta.url))], {
    stdio: 'inherit',
  });
}
