import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { asc } from 'drizzle-orm';
import { clients } from '../src/db/schema.ts';
import { draftReminders } from '../src/services/reminders.ts';
import { addUser } from '../src/services/users.ts';
import { BENCH_CALLER, benchContext, preparePortfolio } from './support.ts';

/**
 * A bounded loopback load test of `encours serve` on the 2,000-client portfolio: 50 concurrent
 * connections for 20 s on each of the score, terms-request and review-queue endpoints, and on
 * /health (the server's own floor) in the same run. Prints p50/p99, throughput and errors, and the
 * ratio of each endpoint to /health. Any error or non-2xx answer fails the bench.
 */
const BIN = join(import.meta.dirname, '..', 'bin', 'encours.js');
const CONNECTIONS = 50;
const SECONDS = 20;

interface Row {
  name: string;
  p50: number;
  p99: number;
  mean: number;
  rps: number;
  requests: number;
  errors: number;
}

function startServer(target: string, asOf: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [BIN, '--db', target, 'serve', '--port', '0', '--no-send'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      ENCOURS_AS_OF: asOf,
      ENCOURS_API_RATE_LIMIT: '100000000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+) /.exec(out);
      if (m) resolve({ url: m[1]!, child });
    });
    child.stderr!.on('data', (d) => process.stderr.write(d));
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
}

async function load(
  name: string,
  url: string,
  request: autocannon.Request,
  headers: Record<string, string>,
): Promise<Row> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers,
    requests: [request],
  });
  return {
    name,
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: result.latency.average,
    rps: result.requests.average,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

export default async function benchHttp(): Promise<void> {
  const portfolio = await preparePortfolio();
  const database = await portfolio.open();
  const ctx = benchContext(database);
  const refs = (await database.db.select({ ref: clients.ref }).from(clients).orderBy(asc(clients.ref))).map(
    (r) => r.ref,
  );
  const { token } = await addUser(ctx, { name: `bench-${Date.now()}`, role: 'finance' }, BENCH_CALLER);
  const drafted = await draftReminders(ctx, { actor: BENCH_CALLER });
  // The spawned server needs the embedded directory to itself.
  await portfolio.release();
  const { url, child } = await startServer(portfolio.target, portfolio.asOf);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  let i = 0;
  const nextRef = () => refs[(i++ * 7919) % refs.length]!;
  try {
    const rows: Row[] = [];
    rows.push(await load('GET /health', url, { method: 'GET', path: '/health' }, {}));
    rows.push(
      await load(
        'GET /api/clients/{ref}/score',
        url,
        { method: 'GET', setupRequest: (r) => ({ ...r, path: `/api/clients/${nextRef()}/score` }) },
        headers,
      ),
    );
    rows.push(
      await load(
        'POST /api/terms-requests',
        url,
        {
          method: 'POST',
          path: '/api/terms-requests',
          setupRequest: (r) => ({
            ...r,
            body: JSON.stringify({
              client: nextRef(),
              days: [30, 45, 60][i % 3],
              amount: 5000 + (i % 10) * 2500,
            }),
          }),
        },
        headers,
      ),
    );
    rows.push(
      await load(
        'GET /api/reminders (queue)',
        url,
        { method: 'GET', path: '/api/reminders?status=draft&limit=50' },
        headers,
      ),
    );
    const health = rows[0]!;
    const ms = (n: number) => `${n.toFixed(1)} ms`.padStart(10);
    process.stdout.write(
      [
        `http load: ${refs.length} clients, ${portfolio.invoices} invoices, ${portfolio.driver}, ${drafted.drafts.length} drafts in the queue; ${CONNECTIONS} connections x ${SECONDS} s per endpoint, spawned \`encours serve\` on loopback`,
        `  ${'endpoint'.padEnd(30)} ${'p50'.padStart(10)} ${'p99'.padStart(10)} ${'req/s'.padStart(8)} ${'requests'.padStart(9)} ${'errors'.padStart(7)}  ratio p50/p99 to /health`,
        ...rows.map(
          (r) =>
            `  ${r.name.padEnd(30)} ${ms(r.p50)} ${ms(r.p99)} ${r.rps.toFixed(0).padStart(8)} ${String(r.requests).padStart(9)} ${String(r.errors).padStart(7)}  ${(r.p50 / Math.max(health.p50, 0.1)).toFixed(1)}x / ${(r.p99 / Math.max(health.p99, 0.1)).toFixed(1)}x`,
        ),
        '',
      ].join('\n'),
    );
    const failed = rows.filter((r) => r.errors > 0);
    if (failed.length)
      throw new Error(`errors under load: ${failed.map((r) => `${r.name} (${r.errors})`).join(', ')}`);
  } finally {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
    await portfolio.cleanup();
  }
}
