import { and, asc, desc, eq, gt, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/open.ts';
import { auditLog } from '../db/schema.ts';
import type { Actor } from './callers.ts';
import { hashValue } from './hash.ts';

export interface AuditEntry {
  /** Who (a user name, or the label of an unverified caller) and through which channel. */
  actor: Actor;
  /** What, dotted: `import.run`, `client.updated`, `decision.override`, `reminder.approved`... */
  action: string;
  /** The thing acted on: a client ref, a decision id... */
  subject?: string | null;
  data: unknown;
}

export type AuditRow = typeof auditLog.$inferSelect;

const GENESIS = '0'.repeat(64);
// Rows written before channels were recorded have none; hashing it only when present keeps their
// hashes, and so the chain, valid.
const rowHash = (r: Omit<AuditRow, 'hash'>) =>
  hashValue({
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    ...(r.channel === null ? {} : { channel: r.channel }),
    action: r.action,
    subject: r.subject,
    data: r.data,
    prevHash: r.prevHash,
  });

/**
 * Appends entries to the hash chain. Call it inside the transaction that makes the change it
 * records, so the change and its audit entry commit or roll back together.
 */
export async function appendAudit(tx: DbOrTx, now: Date, ...entries: AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  // One writer at a time extends the chain; the lock is released at transaction end.
  await tx.execute(sql`select pg_advisory_xact_lock(724012)`);
  const [last] = await tx.select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  let prevHash = last?.hash ?? GENESIS;
  let seq = last?.seq ?? 0;
  const at = now.toISOString();
  const rows: AuditRow[] = entries.map((e) => {
    seq += 1;
    // jsonb normalises values (e.g. drops undefined): hash what will be read back.
    const data = JSON.parse(JSON.stringify(e.data ?? null));
    const base = {
      seq,
      at,
      actor: e.actor.user,
      channel: e.actor.channel,
      action: e.action,
      subject: e.subject ?? null,
      data,
      prevHash,
    };
    const hash = rowHash(base);
    prevHash = hash;
    return { ...base, hash };
  });
  for (let i = 0; i < rows.length; i += 500) await tx.insert(auditLog).values(rows.slice(i, i + 500));
}

export async function listAudit(
  db: DbOrTx,
  opts: { limit?: number; action?: string; actor?: string; subject?: string; beforeSeq?: number } = {},
): Promise<AuditRow[]> {
  const conditions = [
    ...(opts.action ? [eq(auditLog.action, opts.action)] : []),
    ...(opts.actor ? [eq(auditLog.actor, opts.actor)] : []),
    ...(opts.subject ? [eq(auditLog.subject, opts.subject)] : []),
    ...(opts.beforeSeq ? [lt(auditLog.seq, opts.beforeSeq)] : []),
  ];
  return db
    .select()
    .from(auditLog)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.seq))
    .limit(opts.limit ?? 50);
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** The first row where the chain breaks, and why. */
  firstBad?: { seq: number; reason: string };
}

/** Recomputes the chain in pages; reports the first altered, inserted or deleted row. */
export async function verifyAudit(db: DbOrTx): Promise<VerifyResult> {
  let prevHash = GENESIS;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const page = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, expectedSeq - 1))
      .orderBy(asc(auditLog.seq))
      .limit(5000);
    for (const row of page) {
      if (row.seq !== expectedSeq)
        return {
          ok: false,
          checked,
          firstBad: { seq: expectedSeq, reason: `row ${expectedSeq} is missing (deleted)` },
        };
      if (row.prevHash !== prevHash)
        return { ok: false, checked, firstBad: { seq: row.seq, reason: 'previous-hash link broken' } };
      if (rowHash(row) !== row.hash)
        return {
          ok: false,
          checked,
          firstBad: { seq: row.seq, reason: 'content does not match its hash (altered)' },
        };
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (page.length < 5000) return { ok: true, checked };
  }
}
