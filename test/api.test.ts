import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate } from '@scalar/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/open.ts';
import { ROUTE_SPECS, type RouteSpec } from '../src/http/api/route.ts';
import { createApp } from '../src/http/app.ts';
import { originPolicy } from '../src/http/origin.ts';
import { outboxMailer } from '../src/mail/mailer.ts';
import { listAudit } from '../src/services/audit.ts';
import type { ServiceContext } from '../src/services/context.ts';
import { addUser } from '../src/services/users.ts';
import { seedPortfolio } from './mcp-fixtures.ts';
import { TEST_ADMIN, testContext, testRuntime } from './support/context.ts';
import { DRIVERS, freshDatabase } from './support/databases.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies of many shapes, checked field by field
type Json = Record<string, any>;

describe.each(DRIVERS)('REST API on %s', (driver) => {
  let database: Database;
  let services: ServiceContext;
  let app: ReturnType<typeof createApp>;
  let outbox: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    database = await freshDatabase(driver);
    await seedPortfolio(database.db);
    services = testContext(database);
    for (const [name, role] of [
      ['vera', 'viewer'],
      ['sam', 'sales'],
      ['fiona', 'finance'],
      ['fred', 'finance'],
      ['ada', 'admin'],
    ] as const)
      tokens[name] = (await addUser(services, { name, role }, TEST_ADMIN)).token;
    outbox = mkdtempSync(join(tmpdir(), 'encours-api-outbox-'));
    app = createApp({
      runtime: await testRuntime(services, outboxMailer(outbox)),
      origins: originPolicy(undefined),
    });
  });
  afterAll(async () => {
    await database.close();
    rmSync(outbox, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, opts: { as?: string; body?: unknown } = {}) => {
    const headers: Record<string, string> = { host: '127.0.0.1' };
    if (opts.as) headers.authorization = `Bearer ${tokens[opts.as]}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await app.request(`/api${path}`, {
      method,
      headers,
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
    return { status: res.status, json: (await res.json()) as Json, headers: res.headers };
  };
  const concrete = (spec: RouteSpec) =>
    spec.path.replace('{ref}', 'C001').replace('{id}', 'rem_missing').replace('{invoiceRef}', 'F003');
  const bodyOf = (spec: RouteSpec) => (spec.body ? {} : undefined);

  it('refuses every route without credentials (401, error shape, challenge)', async () => {
    for (const spec of ROUTE_SPECS) {
      const res = await call(spec.method, concrete(spec), { body: bodyOf(spec) });
      expect(res.status, `${spec.method} ${spec.path}`).toBe(401);
      expect(res.json.error).toMatchObject({ code: 'UNAUTHORIZED', message: expect.any(String) });
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    const wrong = await app.request('/api/me', {
      headers: { host: 'localhost', authorization: 'Bearer enc_nope' },
    });
    expect(wrong.status).toBe(401);
  });

  it('refuses every route above the caller role (403) before looking at the input', async () => {
    const below: Record<string, string> = { sales: 'vera', finance: 'sam', admin: 'fiona' };
    let checked = 0;
    for (const spec of ROUTE_SPECS) {
      if (spec.role === 'viewer') continue;
      const res = await call(spec.method, concrete(spec), { as: below[spec.role]!, body: bodyOf(spec) });
      expect(res.status, `${spec.method} ${spec.path} as ${below[spec.role]}`).toBe(403);
      expect(res.json.error).toMatchObject({ code: 'FORBIDDEN', field: 'role' });
      checked++;
    }
    expect(checked).toBeGreaterThan(15);
  });

  // One bad input per route that takes any: the error names the field at fault.
  const BAD: [string, string, unknown, string][] = [
    ['get', '/clients?asOf=2026-13-45x', undefined, 'asOf'],
    ['get', '/clients/C001?asOf=yesterday', undefined, 'asOf'],
    ['get', '/clients/C001/score?asOf=nope', undefined, 'asOf'],
    ['get', '/clients/C001/score/explanation?asOf=nope', undefined, 'asOf'],
    ['get', '/clients/C001/credit-limit?asOf=nope', undefined, 'asOf'],
    ['get', '/clients/C001/dunning-plan?asOf=nope', undefined, 'asOf'],
    ['put', '/clients/C002/contact', { email: 'not-an-address', cc: [] }, 'email'],
    ['get', '/scores?asOf=31/12/2026', undefined, 'asOf'],
    ['get', '/aging?limit=0', undefined, 'limit'],
    ['get', '/kpis?periodDays=0', undefined, 'periodDays'],
    ['get', '/forecast?limit=-1', undefined, 'limit'],
    ['get', '/dunning-plan?dueNowOnly=maybe', undefined, 'dueNowOnly'],
    ['get', '/overdue-invoices?minDays=-3', undefined, 'minDays'],
    ['get', '/disputes/F003?asOf=x', undefined, 'asOf'],
    ['post', '/promises', { client: 'C001', amount: -5, promisedDate: '2026-12-01' }, 'amount'],
    ['get', '/pauses?active=perhaps', undefined, 'active'],
    ['post', '/pauses', { client: 'C001', reason: '   ' }, 'reason'],
    ['post', '/pauses/pau_x/end', 'not json', '(body)'],
    ['get', '/audit?limit=0', undefined, 'limit'],
    ['get', '/terms-requests?status=open', undefined, 'status'],
    ['post', '/terms-requests', { client: 'C001', days: 'sixty' }, 'days'],
    ['get', '/terms-requests/dec_missing', undefined, 'id'],
    ['post', '/terms-requests/dec_x/request-approval', { note: 7 }, 'note'],
    ['post', '/terms-requests/dec_x/approve', { reason: '' }, 'reason'],
    ['post', '/terms-requests/dec_x/decline', {}, 'reason'],
    ['post', '/terms-requests/dec_x/override', { reason: 'ok', to: 'maybe' }, 'to'],
    ['get', '/reminders?status=lost', undefined, 'status'],
    ['get', '/reminders/rem_missing', undefined, 'id'],
    ['post', '/reminders', { client: 'C002', scenario: 'angry' }, 'scenario'],
    ['put', '/reminders/rem_x', { note: 'nothing else' }, 'body'],
    ['post', '/reminders/rem_x/check', { body: 42 }, 'body'],
    ['post', '/reminders/rem_x/approve', { note: ['x'] }, 'note'],
    ['post', '/reminders/rem_x/reject', { reason: '' }, 'reason'],
    ['post', '/reminders/rem_x/reschedule', { date: 'next week' }, 'date'],
    ['post', '/reminders/rem_x/retry', [], '(body)'],
    ['post', '/reminders/rem_x/bounce', {}, 'reason'],
    ['post', '/reminders/bulk', { action: 'reschedule', ids: ['rem_x'] }, 'date'],
  ];

  it('answers a bad input with 400 (404 for an unknown id) naming the field, for every route with input', async () => {
    for (const [method, path, body, field] of BAD) {
      const res =
        body === 'not json'
          ? await app.request(`/api${path}`, {
              method: 'POST',
              headers: {
                host: 'localhost',
                authorization: `Bearer ${tokens.ada}`,
                'content-type': 'application/json',
              },
              body: '{not json',
            })
          : null;
      const r = res
        ? { status: res.status, json: (await res.json()) as Json }
        : await call(method, path, { as: 'ada', body });
      if (field === 'id') {
        expect(r.status, `${method} ${path}`).toBe(404);
        expect(r.json.error).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
        continue;
      }
      expect(r.status, `${method} ${path}: ${JSON.stringify(r.json)}`).toBe(400);
      expect(r.json.error.code).toBe('INVALID_INPUT');
      if (field !== '(body)') expect(r.json.error.field, `${method} ${path}`).toBe(field);
    }
    const withInput = ROUTE_SPECS.filter((s) => s.body || s.query || s.params).map(
      (s) => `${s.method} ${s.path}`,
    );
    const covered = new Set(
      BAD.map(([m, p]) => {
        const spec = ROUTE_SPECS.find(
          (s) =>
            s.method === m && new RegExp(`^${s.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(p.split('?')[0]!),
        );
        return spec ? `${spec.method} ${spec.path}` : `unmatched ${m} ${p}`;
      }),
    );
    expect(withInput.filter((k) => !covered.has(k))).toEqual([]);
  });

  it('serves every read route to a signed-in user', async () => {
    for (const spec of ROUTE_SPECS.filter((s) => s.method === 'get' && !s.path.includes('{id}'))) {
      const res = await call('get', concrete(spec), { as: 'ada' });
      expect(res.status, `${spec.path}: ${JSON.stringify(res.json).slice(0, 300)}`).toBe(200);
    }
    const score = await call('get', '/clients/C001/score', { as: 'vera' });
    expect(score.json).toMatchObject({
      client: { ref: 'C001' },
      score: expect.any(Number),
      grade: expect.any(String),
    });
  });

  it('terms requests: the requester never decides their own (four eyes); rights come from the policy', async () => {
    const asked = await call('post', '/terms-requests', {
      as: 'fred',
      body: { client: 'C001', days: 45, amount: 1000, requestApproval: true, note: 'new site' },
    });
    expect(asked.status).toBe(201);
    expect(asked.json).toMatchObject({ status: 'pending_approval', requestedBy: 'fred' });
    const id = asked.json.decisionId as string;
    const queue = await call('get', '/terms-requests?status=pending_approval', { as: 'fiona' });
    expect(queue.json.requests.map((r: Json) => r.id)).toContain(id);

    const own = await call('post', `/terms-requests/${id}/approve`, {
      as: 'fred',
      body: { reason: 'I know them' },
    });
    expect(own.status).toBe(403);
    expect(own.json.error.message).toMatch(/four-eyes/);
    const decided = await call('post', `/terms-requests/${id}/approve`, {
      as: 'fiona',
      body: { reason: 'limit ok' },
    });
    expect(decided.status).toBe(200);
    expect(decided.json).toMatchObject({ status: 'decided', decidedBy: 'fiona', overrideReason: 'limit ok' });
    const again = await call('post', `/terms-requests/${id}/decline`, {
      as: 'fred',
      body: { reason: 'changed my mind' },
    });
    expect(again.status).toBe(409);

    const unlawful = await call('post', '/terms-requests', { as: 'sam', body: { client: 'C001', days: 90 } });
    expect(unlawful.json.decision).toBe('decline');
    const grant = await call('post', `/terms-requests/${unlawful.json.decisionId}/override`, {
      as: 'ada',
      body: { to: 'approve', reason: 'big client' },
    });
    expect(grant.status).toBe(403);
    const [audit] = await listAudit(database.db, { subject: id, limit: 1 });
    expect(audit).toMatchObject({
      actor: 'fiona',
      channel: 'web',
      action: 'terms_request.approved',
      subject: id,
    });
  });

  it('reminders: draft, edit re-checked, approve sends once to the outbox, a second approval is 409', async () => {
    const contact = await call('put', '/clients/C002/contact', {
      as: 'fiona',
      body: { email: 'ap@dupont-negoce.example', cc: ['dg@dupont-negoce.example'] },
    });
    expect(contact.status).toBe(200);
    const draft = await call('post', '/reminders', { as: 'sam', body: { client: 'C002' } });
    expect(draft.status).toBe(201);
    expect(draft.json).toMatchObject({ status: 'draft', invoiceRefs: ['F005'] });
    const id = draft.json.id as string;

    const wrong = draft.json.body.replace(/2\u202f000,00/, '2\u202f500,00');
    expect(wrong).not.toBe(draft.json.body);
    const check = await call('post', `/reminders/${id}/check`, { as: 'fiona', body: { body: wrong } });
    expect(check.json).toMatchObject({ approvable: false });
    expect(check.json.findings[0]).toMatchObject({ check: 'grounding', text: expect.stringContaining('2') });
    const blocked = await call('put', `/reminders/${id}`, { as: 'fiona', body: { body: wrong } });
    expect(blocked.json.status).toBe('blocked');
    expect((await call('post', `/reminders/${id}/approve`, { as: 'fiona', body: {} })).status).toBe(409);
    const fixed = await call('put', `/reminders/${id}`, { as: 'fiona', body: { body: draft.json.body } });
    expect(fixed.json.status).toBe('draft');

    const approved = await call('post', `/reminders/${id}/approve`, { as: 'fiona', body: { note: 'ok' } });
    expect(approved.status).toBe(200);
    expect(approved.json).toMatchObject({
      status: 'sent',
      reviewedBy: 'fiona',
      sending: {
        messageId: `<${id}@localhost>`,
        recipients: { to: ['ap@dupont-negoce.example'], cc: ['dg@dupont-negoce.example'] },
        contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        sentDate: '2026-11-23',
      },
    });
    expect(readdirSync(outbox).filter((f) => f.endsWith('.eml'))).toEqual([`${id}_localhost.eml`]);
    const twice = await call('post', `/reminders/${id}/approve`, { as: 'fred', body: {} });
    expect(twice.status).toBe(409);
    expect(twice.json.error.message).toMatch(/already sent/);
    expect((await call('put', `/reminders/${id}`, { as: 'fiona', body: { body: 'x' } })).status).toBe(409);

    const plan = await call('get', '/clients/C002/dunning-plan', { as: 'vera' });
    expect(plan.json.plans[0]).toMatchObject({
      lastReminderDate: '2026-11-23',
      stageReached: draft.json.stage,
    });
  });

  it('pauses reminders for a client until a date, and resumes them', async () => {
    const plan = async () =>
      (await call('get', '/clients/C002/dunning-plan', { as: 'vera' })).json.plans[0] as Json;
    expect((await plan()).excluded).toEqual([]);
    const paused = await call('post', '/pauses', {
      as: 'fiona',
      body: { client: 'C002', reason: 'client in safeguard procedure', resumeDate: '2027-01-15' },
    });
    expect(paused.status).toBe(201);
    expect(paused.json).toMatchObject({ active: true, createdBy: 'fiona', invoiceRef: null });
    const held = await plan();
    expect(held.status).toBe('on_hold');
    expect(held.excluded).toEqual([
      expect.objectContaining({ ref: 'F005', reason: 'paused', followUpDate: '2027-01-15' }),
    ]);
    const refused = await call('post', '/reminders', { as: 'sam', body: { client: 'C002' } });
    expect(refused.status).toBe(409);
    const list = await call('get', '/pauses?active=true', { as: 'sam' });
    expect(list.json.pauses.map((p: Json) => p.id)).toEqual([paused.json.id]);
    const ended = await call('post', `/pauses/${paused.json.id}/end`, { as: 'fiona', body: {} });
    expect(ended.json).toMatchObject({ active: false, endedBy: 'fiona' });
    expect((await plan()).excluded).toEqual([]);
  });

  it('publishes an OpenAPI 3.1 document that validates and lists every route', async () => {
    const res = await app.request('/api/openapi.json', { headers: { host: 'localhost' } });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Json;
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    for (const spec of ROUTE_SPECS)
      expect(doc.paths[spec.path]?.[spec.method], `${spec.method} ${spec.path}`).toBeDefined();
  });
});
