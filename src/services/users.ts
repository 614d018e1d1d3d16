import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { ROLES, type Role } from '../core/policy.ts';
import { users } from '../db/schema.ts';
import { AppError, foundOr } from '../errors.ts';
import { appendAudit } from './audit.ts';
import type { ServiceContext } from './context.ts';
import { sha256 } from './hash.ts';

export type UserRow = typeof users.$inferSelect;

export interface NewUser {
  name: string;
  role: string;
  slackId?: string | null;
  email?: string | null;
}

/** Creates a user and returns its bearer token, shown once: only its hash is stored. */
export async function addUser(
  ctx: ServiceContext,
  input: NewUser,
  actor: string,
): Promise<{ user: UserRow; token: string }> {
  if (!ROLES.includes(input.role as Role))
    throw new AppError('INVALID_INPUT', `role: expected one of ${ROLES.join(', ')}, got "${input.role}"`);
  if (!input.name.trim()) throw new AppError('INVALID_INPUT', 'name: must not be empty');
  const token = `enc_${randomBytes(24).toString('base64url')}`;
  return ctx.db.transaction(async (tx) => {
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
      actor,
      action: 'user.created',
      subject: input.name,
      data: { role: input.role, slackId: input.slackId ?? null },
    });
    return { user: user!, token };
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
  actor: string,
): Promise<UserRow> {
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
      actor,
      action: slackId ? 'user.slack_linked' : 'user.slack_unlinked',
      subject: user.name,
      data: { slackId, previous: user.slackId },
    });
    return updated!;
  });
}
