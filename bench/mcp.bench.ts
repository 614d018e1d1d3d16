import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { asc } from 'drizzle-orm';
import { clients } from '../src/db/schema.ts';
import { preparePortfolio } from './support.ts';

/**
 * Latency of `evaluate-terms-request` over STDIO on the 2,000-client portfolio, as a user of Claude
 * Desktop feels it: a spawned `encours mcp`, the SDK's own client, one request at a time. A no-op
 * `ping` measured in the same run and interleaved with the tool calls gives the transport's own cost,
 * so the ratio shows what the tool adds.
 */
const BIN = join(import.meta.dirname, '..', 'bin', 'encours.js');
const WARMUP = 20;
const CALLS = 300;

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const ms = (n: number) => `${n.toFixed(2)} ms`;

export default async function benchMcp(): Promise<void> {
  // The shared benchmark portfolio: 2,000 clients, about 100,000 invoices.
  const portfolio = await preparePortfolio();
  const target = portfolio.target;
  const database = await portfolio.open();
  const refs = (await database.db.select({ ref: clients.ref }).from(clients).orderBy(asc(clients.ref))).map(
    (r) => r.ref,
  );
  // The spawned server needs the embedded directory to itself.
  await portfolio.release();

  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, '--db', target, '--as', 'bench', 'mcp'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      ENCOURS_AS_OF: portfolio.asOf,
    },
    stderr: 'ignore',
  });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  try {
    const evaluate = async (i: number) => {
      const result = (await client.callTool({
        name: 'evaluate-terms-request',
        arguments: {
          client: refs[(i * 7) % refs.length],
          days: [30, 45, 60][i % 3],
          amount: 5000 + (i % 10) * 2500,
        },
      })) as CallToolResult;
      if (result.isError) throw new Error(`evaluate-terms-request failed: ${JSON.stringify(result.content)}`);
    };
    for (let i = 0; i < WARMUP; i++) {
      await evaluate(i);
      await client.ping();
    }
    const tool: number[] = [];
    const ping: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      let t = performance.now();
      await evaluate(WARMUP + i);
      tool.push(performance.now() - t);
      t = performance.now();
      await client.ping();
      ping.push(performance.now() - t);
    }
    tool.sort((a, b) => a - b);
    ping.sort((a, b) => a - b);
    const [toolMedian, toolP95] = [quantile(tool, 0.5), quantile(tool, 0.95)];
    const [pingMedian, pingP95] = [quantile(ping, 0.5), quantile(ping, 0.95)];
    process.stdout.write(
      [
        `mcp over stdio: ${refs.length} clients, ${portfolio.invoices} invoices, ${portfolio.driver}; ${CALLS} calls after ${WARMUP} warm-up`,
        `  evaluate-terms-request  median ${ms(toolMedian)}  p95 ${ms(toolP95)}`,
        `  ping (no-op)            median ${ms(pingMedian)}  p95 ${ms(pingP95)}`,
        `  ratio evaluate/ping     median ${(toolMedian / pingMedian).toFixed(1)}x  p95 ${(toolP95 / pingP95).toFixed(1)}x`,
        '',
      ].join('\n'),
    );
  } finally {
    await client.close();
    await portfolio.cleanup();
  }
}
