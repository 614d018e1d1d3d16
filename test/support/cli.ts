import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/encours.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `encours` binary as a child process. The embedded database server a command starts
 * stays up 15 s after its last client (not the default minute), so servers of finished tests go soon.
 */
export function runCli(
  args: string[],
  opts: { env?: Record<string, string>; input?: string; cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        ENCOURS_DB_IDLE_SECONDS: '15',
        ...opts.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

export interface ServedProcess {
  url: string;
  /** Everything the process printed on stdout until it said it was listening. */
  out: string;
  stop: () => Promise<void>;
}

/**
 * Starts `encours serve --port 0` (plus `args`) and resolves once it prints its address. A process
 * that exits first rejects with what it wrote on stderr, so a start-up failure reads as one.
 */
export function spawnServe(args: string[], env: Record<string, string> = {}): Promise<ServedProcess> {
  const child = spawn(process.execPath, [BIN, ...args, 'serve', '--port', '0'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      ENCOURS_DB_IDLE_SECONDS: '15',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.stdout.on('data', (d) => {
      out += d;
      // The Slack line is the last one serve prints at start-up.
      const m = /listening on (http:\/\/\S+) [\s\S]*encours: Slack .*\n/.exec(out);
      if (m) resolve({ url: m[1]!, out, stop });
    });
    child.once('exit', (code) => reject(new Error(`encours serve exited with ${code}: ${err || out}`)));
  });
}
