import { resolve } from 'node:path';
import { probeServer, type ServerReport } from './embedded-client.ts';
import { startEmbeddedServer } from './embedded-server.ts';

/**
 * Entry point of the embedded database server process (bin/encours-db.js <dir> <idle-seconds>), which
 * a client starts, detached, when nobody serves the directory yet. It tells that client over the IPC
 * channel whether it serves ("ready"), another server does ("busy"), or why it cannot ("error"),
 * then lives on its own. Its output goes to the directory's encours-server.log.
 */
const dir = resolve(process.argv[2] ?? '.encours');
const idleMs = Number(process.argv[3] ?? 60) * 1000;

const log = (line: string) => process.stderr.write(`${new Date().toISOString()} [${process.pid}] ${line}\n`);
const report = (r: ServerReport) => {
  process.send?.(r);
  if (process.connected) process.disconnect();
};

try {
  for (;;) {
    const started = await startEmbeddedServer(dir, { idleMs, log });
    if ('stopped' in started) {
      report({ type: 'ready' });
      const stop = () => void started.stop();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      await started.stopped;
      process.exit(0);
    }
    if (!started.server) {
      report({
        type: 'error',
        code: 'DB_LOCKED',
        message: `the database in ${dir} is in use by another encours process (pid ${started.heldBy}) that does not share it`,
      });
      process.exit(1);
    }
    // Another server holds the directory: it is starting (it will answer) or stopping (it will let go).
    if (await probeServer(dir)) {
      report({ type: 'busy' });
      process.exit(0);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
} catch (e) {
  log(`cannot serve ${dir}: ${(e as Error).stack ?? e}`);
  report({ type: 'error', code: 'DB_ERROR', message: (e as Error).message });
  process.exit(1);
}
