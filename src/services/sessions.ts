import { randomBytes } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import { sessions, users } from '../db/schema.ts';
import { appendAudit } from './audit.ts';
import type { ServiceContext } from './context.ts';
import { sha256 } from './hash.ts';
import type { UserRow } from './users.ts';

/**
 * Web sessions. The cookie carries a random id; the database keeps only its SHA-256 (a leaked table
 * opens no session), with the session's CSRF token and expiry. Stored in the database so every
 * `encours serve` process on it knows every session.
 */
export interface Session {
  user: UserRow;
  csrfToken: string;
  expiresAt: Date;
}

export async function openSession(
  ctx: ServiceContext,
  user: UserRow,
  meta: { address: string },
): Promise<{ cookie: string; session: Session }> {
  const cookie = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + ctx.config.ENCOURS_SESSION_HOURS * 3_600_000);
  await ctx.db.transaction(async (tx) => {
    // Expired sessions are cleaned up as new ones open.
    await tx.delete(sessions).where(lt(sessions.expiresAt, now));
    await tx.insert(sessions).values({ idHash: sha256(cookie), userId: user.id, csrfToken, expiresAt });
    await appendAudit(tx, now, {
      actor: { user: user.name, channel: 'web' },
      action: 'user.login',
      subject: user.name,
      data: { address: meta.address },
    });
  });
  return { cookie, session: { user, csrfToken, expiresAt } };
}

export async function findSession(ctx: ServiceContext, cookie: string | undefined): Promise<Session | null> {
  if (!cookie) return null;
  const [row] = await ctx.db
    .select({ user: users, csrfToken: sessions.csrfToken, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, sha256(cookie)), gt(sessions.expiresAt, ctx.now())))
    .limit(1);
  return row ?? null;
}

export async function closeSession(ctx: ServiceContext, cookie: string | undefined): Promise<void> {
  if (!cookie) return;
  await ctx.db.delete(sessions).where(eq(sessions.idHash, sha256(cookie)));
}

/** Saves the page language a user chose. */
export async function setUserLanguage(
  ctx: ServiceContext,
  userId: number,
  language: 'fr' | 'en',
): Promise<void> {
  await ctx.db.update(users).set({ language }).where(eq(users.id, userId));
}
