import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError, type ErrorCode } from '../errors.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import { lockHolder, lockOwner } from './lock.ts';
import { concat, int32 } from './wire.ts';

/**
 * Connecting to the embedded database server of a directory (embedded-server.ts), starting it when
 * nobody serves the directory yet. Every process that uses an embedded directory (CLI commands,
 * `encours mcp`, `encours serve`) is such a client, through postgres.js, so they all work at the
 * same time on the same data.
 */

/** What a starting server says to the client that started it. */
export type ServerReport =
  | { type: 'ready' }
  | { type: 'busy' }
  | { type: 'error'; code: Extract<ErrorCode, 'DB_ERROR' | 'DB_LOCKED'>; message: string };

export const SERVER_LOG = 'encours-server.log';
const SERVER_BIN = join(PACKAGE_ROOT, 'bin', 'encours-db.js');
/** Servers started in a row without one answering: something is broken, say so. */
const MAX_STARTS = 10;
const LOG_LIMIT = 1_000_000;

/** Where the server of a directory listens: a socket in the directory when its path is short enough. */
export function socketPathFor(dir: string): string {
  const id = createHash('sha256').update(dir).digest('hex').slice(0, 16);
  if (process.platform === 'win32') return `\\\\.\\pipe\\encours-${id}`;
  const inDir = join(dir, 'encours.sock');
  // Unix socket paths are limited to about 104 bytes (macOS) or 108 (Linux).
  return Buffer.byteLength(inDir) <= 100 ? inDir : join(tmpdir(), `encours-${id}.sock`);
}

/** An SSLRequest; the server answers "N" (no TLS) as soon as it has taken the connection in. */
const SSL_REQUEST = concat(int32(8), int32(80877103));

/** Connects to the server of `dir`, resolving once the server has accepted the connection. */
function probe(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    const fail = (e: Error) => {
      socket.removeAllListeners();
      socket.destroy();
      reject(e);
    };
    socket.once('error', fail);
    socket.once('close', () => fail(Object.assign(new Error('connection closed'), { code: 'ECONNRESET' })));
    socket.once('connect', () => socket.write(SSL_REQUEST));
    socket.once('data', (answer) => {
      if (answer.length !== 1 || answer[0] !== 0x4e) return fail(new Error('not an encours database server'));
      socket.removeAllListeners();
      resolve(socket);
    });
  });
}

/** True when a server answers for `dir`. */
export async function probeServer(dir: string): Promise<boolean> {
  try {
    (await probe(socketPathFor(dir))).destroy();
    return true;
  } catch {
    return false;
  }
}

const noServer = (e: unknown) =>
  ['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE'].includes((e as NodeJS.ErrnoException).code ?? '');

/**
 * The socket factory of a client's postgres.js pool: a connection to the server of `dir`, which it
 * starts when none answers. A server that was killed is replaced the same way on the next connection,
 * so clients outlive the server they started with.
 */
export function serverConnector(dir: string, idleSeconds: number): () => Promise<Socket> {
  const path = socketPathFor(dir);
  let starting: Promise<ServerReport> | null = null;
  return async () => {
    // No time limit: creating a directory on a busy machine, or another client's long transaction,
    // can take long; a server that fails says so, and a process that keeps the lock is named.
    for (let attempt = 0; ; attempt++) {
      try {
        return await probe(path);
      } catch (e) {
        if (!noServer(e)) throw e;
      }
      if (attempt >= MAX_STARTS)
        throw new AppError(
          'DB_ERROR',
          `the embedded database server for ${dir} keeps starting without answering on ${path}`,
          undefined,
          `see ${join(dir, SERVER_LOG)}`,
        );
      starting ??= startServer(dir, idleSeconds).finally(() => {
        starting = null;
      });
      const outcome = await starting;
      if (outcome.type === 'error')
        throw new AppError(
          outcome.code,
          outcome.message,
          { dir },
          outcome.code === 'DB_LOCKED'
            ? 'stop that process: an encours older than this one keeps the directory to itself'
            : `check that ${dir} is a writable directory; details in ${join(dir, SERVER_LOG)}`,
        );
      // "busy": another process started a server meanwhile; give it a moment, then connect to it.
      if (outcome.type === 'busy') await new Promise((r) => setTimeout(r, Math.min(20 * 2 ** attempt, 250)));
    }
  };
}

/** Starts a detached server for `dir` and waits for its first report. */
function startServer(dir: string, idleSeconds: number): Promise<ServerReport> {
  mkdirSync(dir, { recursive: true });
  const logPath = join(dir, SERVER_LOG);
  const log = openSync(logPath, logTooLong(logPath) ? 'w' : 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [SERVER_BIN, dir, String(idleSeconds)], {
      detached: true,
      stdio: ['ignore', log, log, 'ipc'],
      windowsHide: true,
    });
  } finally {
    closeSync(log);
  }
  return new Promise((resolve) => {
    const done = (r: ServerReport) => {
      child.removeAllListeners();
      if (child.connected) child.disconnect();
      child.unref();
      resolve(r);
    };
    child.once('message', (m) => done(m as ServerReport));
    child.once('error', (e) => done({ type: 'error', code: 'DB_ERROR', message: e.message }));
    child.once('exit', (code) =>
      done({
        type: 'error',
        code: 'DB_ERROR',
        message: `the embedded database server for ${dir} exited (code ${code}) before serving`,
      }),
    );
  });
}

function logTooLong(path: string): boolean {
  try {
    return statSync(path).size > LOG_LIMIT;
  } catch {
    return false;
  }
}

/** Asks the server of `dir`, if one runs, to stop, and waits until it has released the directory. */
export async function stopEmbeddedServer(dir: string, timeoutMs = 60_000): Promise<number | null> {
  const owner = lockOwner(dir);
  if (!owner?.server) return null;
  const pid = owner.heldBy;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (lockHolder(dir) === pid) {
    if (Date.now() > deadline) throw new Error(`the database server of ${dir} (pid ${pid}) did not stop`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return pid;
}
