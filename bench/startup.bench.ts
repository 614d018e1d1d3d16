import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { socketPathFor, stopEmbeddedServer } from '../src/db/embedded-client.ts';
import { postgresAnswers } from '../test/support/databases.ts';
import { BENCH_AS_OF, freshDir, freshPostgresDatabase } from './support.ts';

/**
 * What a user waits for before a command does anything. Every figure is the median wall time of a
 * spawned process over interleaved rounds, and its ratio to a floor measured in the same rounds:
 * - `encours --help` against `node -e 0` (target: within 4x);
 * - one-client commands (`terms`, `clients show`) against a bare node process that opens the same
 *   database and runs one query (target: within 2x). On the embedded database that floor opens the
 *   PGlite directory itself; a command runs either with the directory's server already up (warm:
 *   the usual case, e.g. next to Claude Desktop or after another command) or with none (cold: it
 *   starts the server). A second floor, a bare process querying through the running server, is the
 *   warm command's own reference.
 * Run alone with `npm run bench -- startup`.
 */
const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'encours.js');
const ROUNDS = 9;

interface Case {
  name: string;
  args: string[];
  /** Untimed set-up before each run. */
  before?: () => Promise<void>;
}

function wallMs(args: string[], env: Record<string, string>): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const elapsed = performance.now() - started;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return elapsed;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs every case in turn, ROUNDS times; prints each median and its ratio to the first case. */
async function compare(title: string, cases: Case[], target: number, env: Record<string, string>) {
  const times = cases.map(() => [] as number[]);
  for (let round = -1; round < ROUNDS; round++) {
    for (const [i, c] of cases.entries()) {
      await c.before?.();
      const ms = wallMs(c.args, env);
      if (round >= 0) times[i]!.push(ms); // round -1 warms the file system cache
    }
  }
  const base = median(times[0]!);
  process.stdout.write(`\n${title} (median of ${ROUNDS} runs, target within ${target}x)\n`);
  for (const [i, c] of cases.entries()) {
    const m = median(times[i]!);
    const ratio = m / base;
    const verdict = i === 0 ? '(floor)' : ratio <= target ? 'ok' : 'MISSED';
    process.stdout.write(
      `  ${c.name.padEnd(56)} ${m.toFixed(0).padStart(6)} ms  ${ratio.toFixed(2)}x ${verdict}\n`,
    );
  }
}

const ONE_QUERY = "select ref, name from clients where ref = 'C0001'";

/** A node process that opens the database and reads one client. */
function bareQuery(name: string, target: string | { socket: string }): Case {
  const script =
    typeof target === 'object'
      ? `import postgres from 'postgres';
         const sql = postgres({ path: ${JSON.stringify(target.socket)}, max: 1, prepare: false });
         await sql.unsafe(${JSON.stringify(ONE_QUERY)}); await sql.end();`
      : /^postgres(ql)?:/.test(target)
        ? `import postgres from 'postgres';
           const sql = postgres(${JSON.stringify(target)}, { max: 1, onnotice: () => {} });
           await sql.unsafe(${JSON.stringify(ONE_QUERY)}); await sql.end();`
        : `import { PGlite } from '@electric-sql/pglite';
           const db = await PGlite.create(${JSON.stringify(target)});
           await db.query(${JSON.stringify(ONE_QUERY)}); await db.close();`;
  return { name, args: ['--input-type=module', '-e', script] };
}

const terms = (target: string) => [BIN, '--db', target, 'terms', 'C0001', '--days', '30', '--json'];
const clientsShow = (target: string) => [BIN, '--db', target, 'clients', 'show', 'C0001', '--json'];

export default async function benchStartup(): Promise<void> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ENCOURS_AS_OF: BENCH_AS_OF };
  await compare(
    'CLI start-up',
    [
      { name: 'node -e 0', args: ['-e', '0'] },
      { name: 'encours --help', args: [BIN, '--help'] },
    ],
    4,
    env,
  );

  const dir = freshDir('startup');
  const db = join(dir, 'db');
  try {
    wallMs([BIN, '--db', db, 'demo', '--as-of', BENCH_AS_OF], env);
    const stopped = async () => {
      await stopEmbeddedServer(db);
    };
    // Any command starts the server when it is not running.
    const serving = async () => {
      wallMs([BIN, '--db', db, 'db', 'migrate'], env);
    };
    await compare(
      'One-client command, embedded database (PGlite)',
      [
        { ...bareQuery('bare process: open the PGlite directory + one query', db), before: stopped },
        {
          name: 'encours terms C0001 --days 30 --json (cold: starts the server)',
          args: terms(db),
          before: stopped,
        },
        { name: 'encours terms C0001 --days 30 --json (warm)', args: terms(db) },
        { name: 'encours clients show C0001 --json (warm)', args: clientsShow(db) },
      ],
      2,
      env,
    );
    await compare(
      'One-client command, embedded database, against a query through the running server',
      [
        {
          ...bareQuery('bare process: one query through the running server', { socket: socketPathFor(db) }),
          before: serving,
        },
        { name: 'encours terms C0001 --days 30 --json (warm)', args: terms(db) },
        { name: 'encours clients show C0001 --json (warm)', args: clientsShow(db) },
      ],
      2,
      env,
    );
  } finally {
    await stopEmbeddedServer(db);
    rmSync(dir, { recursive: true, force: true });
  }

  if (!(await postgresAnswers())) {
    process.stdout.write('\nPostgreSQL: not reachable, skipped\n');
    return;
  }
  const pg = await freshPostgresDatabase();
  try {
    wallMs([BIN, '--db', pg.url, 'demo', '--as-of', BENCH_AS_OF], env);
    await compare(
      'One-client command, PostgreSQL',
      [
        bareQuery('bare process: connect + one query', pg.url),
        { name: 'encours terms C0001 --days 30 --json', args: terms(pg.url) },
        { name: 'encours clients show C0001 --json', args: clientsShow(pg.url) },
      ],
      2,
      env,
    );
  } finally {
    await pg.drop();
  }
}
