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
