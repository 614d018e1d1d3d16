import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/db/open.ts';
import { clients, reminders } from '../src/db/schema.ts';
import { listAudit, verifyAudit } from '../src/services/audit.ts';
import { draftReminder } from '../src/services/reminders.ts';
import { addUser } from '../src/services/users.ts';
import { seedPortfolio } from './mcp-fixtures.ts';
import { runCli } from './support/cli.ts';
import { asUser, TEST_ADMIN, testContext } from './support/context.ts';

/**
 * Least privilege on the command line, with the real binary: reads and suggestions are open, every
 * decision needs the token of a user whose role allows it, and the audit log says who and how.
 */
let dir: string;
const tokens: Record<string, string> = {};
let draftId: string;

const cli = (args: string[], token?: string) =>
  runCli(['--db', join(dir, 'data'), ...args], {
    env: { ENCOURS_AS_OF: '2026-11-23', ...(token ? { ENCOURS_TOKEN: token } : {}) },
  });

/** Opens the shared directory (through its embedded server) for a look, and closes it. */
async function withDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(join(dir, 'data'));
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

const auditCount = () => withDatabase(async (d) => (await listAudit(d.db, { limit: 10_000 })).length);
const draftStatus = () =>
  withDatabase(async (d) => {
    const [row] = await d.db.select().from(reminders).where(eq(reminders.id, draftId));
    return row!.status;
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'encours-cli-identity-'));
  await withDatabase(async (database) => {
    await seedPortfolio(database.db);
    const ctx = testContext(database);
    for (const [name, role] of [
      ['sam', 'sales'],
      ['fiona', 'finance'],
      ['frank', 'finance'],
    ] as const)
      tokens[name] = (await addUser(ctx, { name, role }, TEST_ADMIN)).token;
    // C002 has an overdue invoice nothing excludes; an approval needs the client's address.
    await database.db
      .update(clients)
      .set({ email: 'ap@dupont-negoce.example' })
      .where(eq(clients.ref, 'C002'));
    draftId = (await draftReminder(ctx, { client: 'C002', actor: asUser('sam', 'sales') })).id;
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('decisions on the command line need a verified user (spawned CLI)', () => {
  it('reads without a token, as a viewer', async () => {
    const r = await cli(['reminders', 'show', draftId, '--json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ id: draftId, status: 'draft' });
  });

  it('refuses an approval with no token, an unknown token, a removed --by or a sales token, changing nothing', async () => {
    const before = await auditCount();
    const none = await cli(['reminders', 'approve', draftId]);
    expect(none.code).toBe(5);
    expect(none.stderr).toMatch(/reviewing reminders needs a verified user with the finance role or above/);
    expect(none.stderr).toContain('hint: set ENCOURS_TOKEN or pass --token <token> of a finance user');

    const unknown = await cli(['reminders', 'approve', draftId], `enc_${'n'.repeat(32)}`);
    expect(unknown.code).toBe(5);
    expect(unknown.stderr).toMatch(/unknown or revoked token\n {2}hint: check ENCOURS_TOKEN or --token/);

    const named = await cli(['reminders', 'approve', draftId, '--by', 'fiona']);
    expect(named.code).toBe(2);
    expect(named.stderr).toMatch(/--by: no longer says who you are/);
    expect(named.stderr).toContain('set ENCOURS_TOKEN or pass --token <token> of a finance user');

    const sales = await cli(['reminders', 'approve', draftId, '--token', tokens.sam!]);
    expect(sales.code).toBe(5);
    expect(sales.stderr).toMatch(/needs the finance role or above; sam has the sales role/);
    expect(sales.stderr).toContain('hint: set ENCOURS_TOKEN or pass --token <token> of a finance user');

    expect(await draftStatus()).toBe('draft');
    expect(await auditCount()).toBe(before);
  });

  it('records an approval with a finance token under that user and the cli channel', async () => {
    const ok = await cli(['reminders', 'approve', draftId, '--note', 'checked', '--json'], tokens.fiona);
    expect(ok.stderr).toBe('');
    expect(JSON.parse(ok.stdout)).toMatchObject({ status: 'approved', reviewedBy: 'fiona' });
    await withDatabase(async (d) => {
      const [entry] = await listAudit(d.db, { action: 'reminder.approved', limit: 1 });
      expect(entry).toMatchObject({ actor: 'fiona', channel: 'cli', subject: draftId });
      expect((await verifyAudit(d.db)).ok).toBe(true);
    });
  });

  it('never lets the requester of terms decide them (four eyes)', async () => {
    const asked = await cli(['terms', 'C003', '--days', '45', '--json'], tokens.fiona);
    expect(asked.code, asked.stderr).toBe(0);
    const { id } = JSON.parse(asked.stdout) as { id: string };
    const own = await cli(
      ['terms', 'override', id, '--to', 'approve', '--reason', 'I know them'],
      tokens.fiona,
    );
    expect(own.code).toBe(5);
    expect(own.stderr).toMatch(/fiona asked for these terms and may not decide them too \(four-eyes rule\)/);
    const other = await cli(['terms', 'override', id, '--to', 'approve', '--reason', 'ok'], tokens.frank);
    expect(other.stderr).toBe('');
    expect(other.stdout).toContain(`Decision ${id} for Électricité Martin (C003): approve by frank`);
    await withDatabase(async (d) => {
      const [entry] = await listAudit(d.db, { subject: id, limit: 1 });
      expect(entry).toMatchObject({
        actor: 'frank',
        channel: 'cli',
        action: expect.stringMatching(/^terms_request\./),
      });
    });
  });
});

describe('bootstrap: the first admin needs no token, every later user an admin token (spawned CLI)', () => {
  let fresh: string;
  beforeAll(() => {
    fresh = mkdtempSync(join(tmpdir(), 'encours-cli-bootstrap-'));
  });
  afterAll(() => rmSync(fresh, { recursive: true, force: true }));
  const users = (args: string[], token?: string) =>
    runCli(['--db', fresh, 'users', 'add', ...args], { env: token ? { ENCOURS_TOKEN: token } : {} });

  it('adds the first admin without a token once, then only with an admin token', async () => {
    const first = await users(['--name', 'ada', '--role', 'admin']);
    expect(first.stderr).toBe('');
    const token = /Access token \(shown once, keep it safe\): (enc_\S+)/.exec(first.stdout)?.[1];
    expect(token).toBeDefined();
    expect(first.stdout).toContain('This is the first admin');

    const second = await users(['--name', 'eve', '--role', 'admin']);
    expect(second.code).toBe(5);
    expect(second.stderr).toMatch(/adding users needs a verified user with the admin role/);
    expect(second.stderr).toContain('--token <token> of an admin user');

    const added = await users(['--name', 'fiona', '--role', 'finance', '--json'], token);
    expect(added.stderr).toBe('');
    expect(JSON.parse(added.stdout)).toMatchObject({ name: 'fiona', role: 'finance' });
    const byFinance = await users(['--name', 'sam', '--role', 'sales'], JSON.parse(added.stdout).token);
    expect(byFinance.code).toBe(5);
    expect(byFinance.stderr).toMatch(/needs the admin role or above; fiona has the finance role/);
  });
});
