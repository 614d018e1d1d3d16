import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { postgresAnswers } from '../test/support/databases.ts';
import { BENCH_AS_OF, freshDir, freshPostgresDatabase } from './support.ts';

/**
 * What a user waits for before a command does anything. Every figure is the median wall time of a
 * spawned process over interleaved rounds, and its ratio to a floor measured in the same rounds:
 * - `encours --help` against `node -e 0` (target: within 4x);
 * - one-client commands (`terms`, `clients show`) against a bare node process that opens the same
 *   database and runs one query (target: within 2x), on the embedded database and on PostgreSQL.
 * Run alone with `npm run bench -- startup`.
 */
const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'encours.js');
const ROUNDS = 9;

interface Case {
  name: string;
  args: string[];
}

function wallMs(args: string[], env: Record<string, string>): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const elapsed = performance.now() - started;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return elapsed;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs the floor and the cases in turn, ROUNDS times, and prints each median and its ratio to the floor. */
function compare(title: string, floor: Case, cases: Case[], target: number, env: Record<string, string>) {
  const times = new Map<string, number[]>([floor, ...cases].map((c) => [c.name, []]));
  wallMs(floor.args, env); // warm the file system cache
  for (let round = 0; round < ROUNDS; round++)
    for (const c of [floor, ...cases]) times.get(c.name)!.push(wallMs(c.args, env));
  const base = median(times.get(floor.name)!);
  process.stdout.write(`\n${title} (median of ${ROUNDS} runs, target within ${target}x)\n`);
  process.stdout.write(`  ${floor.name.padEnd(44)} ${base.toFixed(0).padStart(6)} ms   1.00x (floor)\n`);
  for (const c of cases) {
    const m = median(times.get(c.name)!);
    const ratio = m / base;
    const verdict = ratio <= target ? 'ok' : 'MISSED';
    process.stdout.write(
      `  ${c.name.padEnd(44)} ${m.toFixed(0).padStart(6)} ms  ${ratio.toFixed(2).padStart(5)}x ${verdict}\n`,
    );
  }
}

/** A node process that opens the database the way encours does and reads one client. */
function bareQuery(target: string): Case {
  const script = /^postgres(ql)?:/.test(target)
    ? `import postgres from 'postgres';
       const sql = postgres(${JSON.stringify(target)}, { max: 1, onnotice: () => {} });
       await sql\`select ref, name from clients where ref = 'C0001'\`;
       await sql.end();`
    : `import { PGlite } from '@electric-sql/pglite';
       const db = await PGlite.create(${JSON.stringify(target)});
       await db.query("select ref, name from clients where ref = 'C0001'");
       await db.close();`;
  return { name: 'bare process: open + one query', args: ['--input-type=module', '-e', script] };
}

const oneClient = (target: string): Case[] => [
  {
    name: 'encours terms C0001 --days 30 --json',
    args: [BIN, '--db', target, 'terms', 'C0001', '--days', '30', '--json'],
  },
  {
    name: 'encours clients show C0001 --json',
    args: [BIN, '--db', target, 'clients', 'show', 'C0001', '--json'],
  },
];

export default async function benchStartup(): Promise<void> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ENCOURS_AS_OF: BENCH_AS_OF };
  compare(
    'CLI start-up',
    { name: 'node -e 0', args: ['-e', '0'] },
    [{ name: 'encours --help', args: [BIN, '--help'] }],
    4,
    env,
  );

  const dir = freshDir('startup');
  try {
    const db = join(dir, 'db');
    wallMs([BIN, '--db', db, 'demo', '--as-of', BENCH_AS_OF], env);
    compare('One-client command, embedded database (PGlite)', bareQuery(db), oneClient(db), 2, env);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  if (!(await postgresAnswers())) {
    process.stdout.write('\nPostgreSQL: not reachable, skipped\n');
    return;
  }
  const pg = await freshPostgresDatabase();
  try {
    wallMs([BIN, '--db', pg.url, 'demo', '--as-of', BENCH_AS_OF], env);
    compare('One-client command, PostgreSQL', bareQuery(pg.url), oneClient(pg.url), 2, env);
  } finally {
    await pg.drop();
  }
}
