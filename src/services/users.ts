import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { ROLES, type Role } from '../core/policy.ts';
import { users } from '../db/schema.ts';
import { AppError, foundOr } from '../errors.ts';
import { appendAudit } from './audit.ts';
import { assertMayDecide, type Caller } from './callers.ts';
import type { ServiceContext } from './context.ts';
import { sha256 } from './hash.ts';

export type UserRow = typeof users.$inferSelect;

export interface NewUser {
  name: string;
  role: string;
  slackId?: string | null;
  email?: string | null;
}

/**
 * Creates a user and returns its bearer token, shown once: only its hash is stored. Only an admin
 * adds users, except to bootstrap: while no admin exists, anyone may add the first admin.
 */
export async function addUser(
  ctx: ServiceContext,
  input: NewUser,
  by: Caller,
): Promise<{ user: UserRow; token: string; bootstrap: boolean }> {
  if (!ROLES.includes(input.role as Role))
    throw new AppError('INVALID_INPUT', `role: expected one of ${ROLES.join(', ')}, got "${input.role}"`, {
      field: 'role',
    });
  if (!input.name.trim()) throw new AppError('INVALID_INPUT', 'name: must not be empty', { field: 'name' });
  const token = `enc_${randomBytes(24).toString('base64url')}`;
  return ctx.db.transaction(async (tx) => {
    // Two first admins added at once: one waits for the other, then sees it.
    await tx.execute(sql`select pg_advisory_xact_lock(724013)`);
    const [admin] = await tx.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).limit(1);
    const bootstrap = !admin && !(by.verified && by.role === 'admin');
    if (bootstrap && input.role !== 'admin')
      throw new AppError(
        'FORBIDDEN',
        `no admin exists yet: the first user must be an admin, not ${input.role}`,
        { field: 'role', reason: 'bootstrap' },
        'add the first admin with `encours users add --name N --role admin`, then other users with its token',
      );
    if (!bootstrap) assertMayDecide(by, 'admin', 'adding users');
    const [existing] = await tx.select().from(users).where(eq(users.name, input.name)).limit(1);
    if (existing) throw new AppError('CONFLICT', `a user named "${input.name}" already exists`);
    const [user] = await tx
      .insert(users)
      .values({
        name: input.name,
        role: input.role,
        slackId: input.slackId ?? null,
        email: input.email ?? null,
        tokenHash: sha256(token),
      })
      .returning();
    await appendAudit(tx, ctx.now(), {
      actor: by,
      action: 'user.created',
      subject: input.name,
      data: { role: input.role, slackId: input.slackId ?? null, bootstrap },
    });
    return { user: user!, token, bootstrap };
  });
}

/** The user holding this bearer token, or UNAUTHORIZED. */
export async function authenticate(ctx: ServiceContext, token: string | undefined): Promise<UserRow> {
  if (!token)
    throw new AppError(
      'UNAUTHORIZED',
      'missing bearer token',
      undefined,
      'create one with `encours users add`',
    );
  const [user] = await ctx.db
    .select()
    .from(users)
    .where(eq(users.tokenHash, sha256(token)))
    .limit(1);
  if (!user) throw new AppError('UNAUTHORIZED', 'unknown or revoked token');
  return user;
}

export async function getUserByName(ctx: ServiceContext, name: string): Promise<UserRow> {
  const [user] = await ctx.db.select().from(users).where(eq(users.name, name)).limit(1);
  return foundOr(
    user,
    `no user named "${name}"`,
    undefined,
    'add one with `encours users add --name N --role R`',
  );
}

export async function getUserBySlackId(ctx: ServiceContext, slackId: string): Promise<UserRow | null> {
  const [user] = await ctx.db.select().from(users).where(eq(users.slackId, slackId)).limit(1);
  return user ?? null;
}

/**
 * Links a user to their Slack member id (or unlinks with null), so Slack recognises them. A Slack
 * id belongs to one user at most.
 */
export async function linkSlackUser(
  ctx: ServiceContext,
  input: { name: string; slackId: string | null },
  by: Caller,
): Promise<UserRow> {
  assertMayDecide(by, 'admin', 'linking users to Slack');
  const slackId = input.slackId?.trim() || null;
  if (slackId !== null && !/^[UW][A-Z0-9]{2,}$/.test(slackId))
    throw new AppError(
      'INVALID_INPUT',
      `slackId: expected a Slack member id like U012AB3CD, got "${slackId}"`,
      { field: 'slackId' },
      'in Slack: the person\'s profile, "..." menu, "Copy member ID"',
    );
  return ctx.db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.name, input.name)).limit(1);
    if (!user) throw new AppError('NOT_FOUND', `no user named "${input.name}"`, { field: 'name' });
    if (slackId) {
      const [holder] = await tx.select().from(users).where(eq(users.slackId, slackId)).limit(1);
      if (holder && holder.id !== user.id)
        throw new AppError('CONFLICT', `Slack member ${slackId} is already linked to ${holder.name}`, {
          field: 'slackId',
        });
    }
    if (user.slackId === slackId) return user;
    const [updated] = await tx.update(users).set({ slackId }).where(eq(users.id, user.id)).returning();
    await appendAudit(tx, ctx.now(), {
      actor: by,
      action: slackId ? 'user.slack_linked' : 'user.slack_unlinked',
      subject: user.name,
      data: { slackId, previous: user.slackId },
    });
    return updated!;
  });
}
