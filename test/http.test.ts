import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/db/open.ts';
import { createApp } from '../src/http/app.ts';
import { checkOrigin, originPolicy } from '../src/http/origin.ts';
import { outboxMailer } from '../src/mail/mailer.ts';
import { listAudit } from '../src/services/audit.ts';
import type { ServiceContext } from '../src/services/context.ts';
import { addUser } from '../src/services/users.ts';
import { exerciseAllTools, seedPortfolio } from './mcp-fixtures.ts';
import { spawnServe } from './support/cli.ts';
import { TEST_ADMIN, testContext, testRuntime } from './support/context.ts';
import { DRIVERS, freshDatabase } from './support/databases.ts';

const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

describe.each(DRIVERS)('HTTP app and MCP over Streamable HTTP on %s', (driver) => {
  let database: Database;
  let services: ServiceContext;
  let server: ReturnType<typeof serve>;
  let base: string;
  let token: string;

  beforeAll(async () => {
    database = await freshDatabase(driver);
    await seedPortfolio(database.db);
    services = testContext(database);
    ({ token } = await addUser(services, { name: 'erin', role: 'sales' }, TEST_ADMIN));
    const app = createApp({
      runtime: await testRuntime(services, outboxMailer(mkdtempSync(join(tmpdir(), 'encours-outbox-')))),
      origins: originPolicy('https://encours.example.com'),
    });
    server = await new Promise((ready) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => ready(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((done) => server.close(done));
    await database.close();
  });

  const post = (headers: Record<string, string>, body: unknown = INIT) =>
    fetch(`${base}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...headers,
      },
      body: JSON.stringify(body),
    });

  const connect = async (auth = token) => {
    const client = new Client({ name: 'http-test', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${auth}` } },
      }),
    );
    return client;
  };

  it('answers /health (process only) and /ready (database and migrations)', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', version: expect.any(String) });
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      database: driver,
      policyVersion: services.policy.version,
      migrations: { applied: expect.any(Number), expected: expect.any(Number) },
    });
    const rebound = await rawRequest(base, '/health', 'GET', { host: 'attacker.example' });
    expect(rebound.status).toBe(403);
  });

  it('refuses /mcp without a token or with a wrong one (401)', async () => {
    const none = await post({});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await none.json()) as { error: string }).error).toMatch(/missing bearer token/);
    const wrong = await post({ authorization: 'Bearer enc_not-a-real-token' });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: string }).error).toMatch(/unknown or revoked token/);
    await expect(connect('enc_wrong')).rejects.toThrow();
  });

  it('refuses a foreign Origin or Host (403), accepts local and listed origins', async () => {
    const auth = { authorization: `Bearer ${token}` };
    expect((await post({ ...auth, origin: 'https://evil.example' })).status).toBe(403);
    expect((await post({ ...auth, origin: 'http://localhost:5173' })).status).toBe(200);
    expect((await post({ ...auth, origin: 'https://encours.example.com' })).status).toBe(200);
    // fetch cannot forge Host; a DNS-rebinding page's request arrives with the attacker's host name.
    const rebound = await rawPost(base, { ...auth, host: 'attacker.example:80' });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).error.message).toMatch(/host "attacker.example" is not allowed/);
  });

  it('serves every tool to an authenticated client', async () => {
    const client = await connect();
    try {
      expect(await exerciseAllTools(client)).toEqual({});
      expect((await client.listPrompts()).prompts.length).toBe(3);
    } finally {
      await client.close();
    }
  });

  it("records a side effect made through MCP under the token's user", async () => {
    const client = await connect();
    try {
      const r = (await client.callTool({
        name: 'record-promise-to-pay',
        arguments: { client: 'Dupont-BTP', amount: 1234.56, promisedDate: '2026-12-20' },
      })) as CallToolResult;
      expect(r.isError ?? false, JSON.stringify(r.content)).toBe(false);
      expect(r.structuredContent).toMatchObject({ recordedBy: 'erin', amount: { minor: 123456 } });
    } finally {
      await client.close();
    }
    // From MCP a promise is a proposal for finance to confirm, recorded under the token's user.
    const [last] = await listAudit(database.db, { limit: 1, action: 'promise.proposed' });
    expect(last).toMatchObject({ actor: 'erin', subject: 'C001', channel: 'mcp-http' });
  });

  it("a reminder drafted through MCP is stored for review and audited under the token's user", async () => {
    const client = await connect();
    let id: string;
    try {
      const r = (await client.callTool({
        name: 'draft-reminder',
        arguments: { client: 'Dupont Négoce' },
      })) as CallToolResult;
      expect(r.isError ?? false, JSON.stringify(r.content)).toBe(false);
      expect(r.structuredContent).toMatchObject({
        status: 'draft',
        createdBy: 'erin',
        invoiceRefs: ['F005'],
      });
      id = (r.structuredContent as { id: string }).id;
    } finally {
      await client.close();
    }
    const [audit] = await listAudit(database.db, { limit: 1, action: 'reminder.drafted' });
    expect(audit).toMatchObject({ actor: 'erin', subject: id });
  });

  it('rejects GET /mcp in stateless mode with 405', async () => {
    const res = await fetch(`${base}/mcp`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(405);
  });
});

describe('origin policy', () => {
  const policy = originPolicy('https://a.example, https://b.example/', 'https://public.example:8443');
  it('accepts local hosts and listed origins', () => {
    expect(checkOrigin(policy, 'localhost:3000', undefined)).toBeNull();
    expect(checkOrigin(policy, '127.0.0.1', 'http://127.0.0.1:3000')).toBeNull();
    expect(checkOrigin(policy, '[::1]:3000', 'http://[::1]:3000')).toBeNull();
    expect(checkOrigin(policy, 'b.example', 'https://b.example')).toBeNull();
    expect(checkOrigin(policy, 'public.example:8443', 'https://public.example:8443')).toBeNull();
  });
  it('refuses rebinding hosts and foreign origins', () => {
    expect(checkOrigin(policy, 'evil.example', undefined)).toMatch(/host "evil.example" is not allowed/);
    expect(checkOrigin(policy, 'localhost', 'https://evil.example')).toMatch(
      /origin "https:\/\/evil.example"/,
    );
    expect(checkOrigin(policy, 'localhost', 'http://localhost.evil.example')).toMatch(/not allowed/);
    expect(checkOrigin(policy, undefined, undefined)).toMatch(/missing Host/);
  });
});

const rawPost = (base: string, headers: Record<string, string>) =>
  rawRequest(base, '/mcp', 'POST', { 'content-type': 'application/json', ...headers }, JSON.stringify(INIT));

/** A request with a forged Host header (fetch cannot set one). */
function rawRequest(
  base: string,
  path: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('encours serve (spawned)', () => {
  it('starts on the given port, serves /health and refuses /mcp without a token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'encours-serve-'));
    const database = await openDatabase(join(dir, 'data'));
    const { token } = await addUser(testContext(database), { name: 'frank', role: 'finance' }, TEST_ADMIN);
    await database.close();
    const serve = await spawnServe(['--db', join(dir, 'data')]);
    const url = serve.url;
    try {
      expect((await fetch(`${url}/health`)).status).toBe(200);
      // The compiled build (dist/) serves the pages' files from the package, not from beside the bundle.
      const css = await fetch(`${url}/assets/app.css`);
      expect(css.status).toBe(200);
      expect(await css.text()).toContain('{');
      const refused = await fetch(`${url}/mcp`, { method: 'POST', body: '{}' });
      expect(refused.status).toBe(401);
      const client = new Client({ name: 'spawned', version: '1' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
          requestInit: { headers: { Authorization: `Bearer ${token}` } },
        }),
      );
      const found = (await client.callTool({
        name: 'find-client',
        arguments: { query: 'x' },
      })) as CallToolResult;
      // Nothing imported yet: said, naming the database, not answered as "no such client".
      expect(found.isError).toBe(true);
      expect(JSON.stringify(found.content)).toContain(`no data imported in ${join(dir, 'data')}`);
      await client.close();
    } finally {
      await serve.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
