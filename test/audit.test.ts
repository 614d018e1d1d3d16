import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/open.ts';
import { appendAudit, listAudit, verifyAudit } from '../src/services/audit.ts';
import { asUser } from './support/context.ts';
import { DRIVERS, freshDatabase } from './support/databases.ts';

describe.each(DRIVERS)('audit log on %s', (driver) => {
  let database: Database;
  beforeEach(async () => {
    database = await freshDatabase(driver);
    const now = new Date('2026-11-23T10:00:00Z');
    await database.db.transaction(async (tx) => {
      for (let i = 1; i <= 5; i++) {
        await appendAudit(tx, now, {
          actor: asUser('alice'),
          action: 'test.entry',
          subject: `S${i}`,
          data: { i, nested: { b: 2, a: 1 } },
        });
      }
    });
  });
  afterEach(() => database.close());

  it('chains entries and verifies an intact log', async () => {
    const rows = await listAudit(database.db, { limit: 10 });
    expect(rows.map((r) => r.seq)).toEqual([5, 4, 3, 2, 1]);
    expect(rows[0]!.prevHash).toBe(rows[1]!.hash);
    expect(await verifyAudit(database.db)).toEqual({ ok: true, checked: 5 });
  });

  it('names the first altered row', async () => {
    await database.db.execute(sql`update audit_log set data = '{"i": 99}'::jsonb where seq = 3`);
    const result = await verifyAudit(database.db);
    expect(result.ok).toBe(false);
    expect(result.firstBad).toEqual({ seq: 3, reason: 'content does not match its hash (altered)' });
  });

  it('names a deleted row', async () => {
    await database.db.execute(sql`delete from audit_log where seq = 2`);
    const result = await verifyAudit(database.db);
    expect(result).toMatchObject({ ok: false, checked: 1, firstBad: { seq: 2 } });
    expect(result.firstBad!.reason).toMatch(/deleted/);
  });
});
