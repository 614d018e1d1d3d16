import { chmodSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';
import { PACKAGE_ROOT } from '../package-root.ts';
import { socketPathFor } from './embedded-client.ts';
import { type DirLock, type LockHolder, tryLockDir } from './lock.ts';
import { SharedSession } from './shared-session.ts';

/**
 * The embedded database server: the one process that opens a PGlite data directory, and serves it
 * to every encours process on that machine (CLI commands, `encours mcp`, `encours serve`) over a
 * local socket, speaking the PostgreSQL protocol. Clients start it on demand (embedded-client.ts);
 * it stops by itself once no client has been connected for a while.
 */
export interface EmbeddedServer {
  socketPath: string;
  /** Stops accepting, lets the session finish what it is doing, closes the database, releases the lock. */
  stop(): Promise<void>;
  /** Resolves when the server has stopped (idle, stop(), or PGlite failing). */
  stopped: Promise<void>;
}

/** How long a stopping server waits for the transaction in progress. */
const DRAIN_MS = 30_000;

export interface EmbeddedServerOptions {
  /** Stop after this long without any connection. */
  idleMs: number;
  log: (line: string) => void;
}

/** Opens `dir` and serves it, or says which live process holds its lock. */
export async function startEmbeddedServer(
  dir: string,
  opts: EmbeddedServerOptions,
): Promise<EmbeddedServer | LockHolder> {
  const lock = tryLockDir(dir);
  if ('heldBy' in lock) return lock;
  const socketPath = socketPathFor(dir);
  let db: PGlite | undefined;
  try {
    // We hold the lock: a socket file left there belongs to a server that was killed.
    if (process.platform !== 'win32') rmSync(socketPath, { force: true });
    const { PGlite } = await import('@electric-sql/pglite');
    db = await PGlite.create(dir);
    await migrate(db);
    return await listen(dir, db, lock, socketPath, opts);
  } catch (e) {
    await db?.close().catch(() => {});
    lock.release();
    throw e;
  }
}

async function migrate(db: PGlite): Promise<void> {
  const [{ drizzle }, { migrate }] = await Promise.all([
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  await migrate(drizzle({ client: db }), { migrationsFolder: join(PACKAGE_ROOT, 'migrations') });
}

function listen(
  dir: string,
  db: PGlite,
  lock: DirLock,
  socketPath: string,
  opts: EmbeddedServerOptions,
): Promise<EmbeddedServer> {
  const sockets = new Set<Socket>();
  let closing = false;
  let idleTimer: NodeJS.Timeout | undefined;
  let markStopped!: () => void;
  const stopped = new Promise<void>((resolve) => {
    markStopped = resolve;
  });

  const session = new SharedSession(db, (error) => {
    opts.log(`PGlite failed: ${(error as Error).message}; stopping`);
    // The WebAssembly instance is gone: nothing to flush or roll back.
    void shutdown(false);
  });

  const armIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (!sockets.size && session.idle) void shutdown(true);
    }, opts.idleMs);
    idleTimer.unref?.();
  };

  const server = createServer((socket) => {
    if (closing) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    clearTimeout(idleTimer);
    socket.once('close', () => {
      sockets.delete(socket);
      if (!sockets.size) armIdle();
    });
    const handler = new PGLiteSocketHandler({
      queryQueue: session as unknown as PGLiteSocketHandlerOptions['queryQueue'],
      closeOnDetach: true,
    });
    handler.attach(socket).catch(() => socket.destroy());
  });

  async function shutdown(clean: boolean): Promise<void> {
    if (closing) return stopped;
    closing = true;
    clearTimeout(idleTimer);
    server.close();
    if (clean) {
      // Let a transaction in progress finish (bounded, so a client that hangs cannot keep us up).
      await Promise.race([session.whenIdle(), new Promise((r) => setTimeout(r, DRAIN_MS).unref?.())]);
    }
    for (const socket of sockets) socket.destroy();
    if (clean) await db.close().catch((e) => opts.log(`closing PGlite: ${(e as Error).message}`));
    if (process.platform !== 'win32') rmSync(socketPath, { force: true });
    lock.release();
    opts.log(`stopped serving ${dir}`);
    markStopped();
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      server.on('error', (e) => opts.log(`socket server: ${e.message}`));
      if (process.platform !== 'win32') chmodSync(socketPath, 0o600);
      opts.log(`serving ${dir} on ${socketPath}`);
      armIdle();
      resolve({ socketPath, stop: () => shutdown(true), stopped });
    });
  });
}
