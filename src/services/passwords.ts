import { hash, verify } from '@node-rs/argon2';
import { eq } from 'drizzle-orm';
import { users } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { appendAudit } from './audit.ts';
import { assertMayDecide, type Caller } from './callers.ts';
import type { ServiceContext } from './context.ts';
import { getUserByName, type UserRow } from './users.ts';

/**
 * Web passwords, hashed with Argon2id (OWASP's first choice) by @node-rs/argon2 with its defaults
 * (19 MiB, 2 passes, 1 lane: OWASP's minimum profile), stored as a PHC string that carries its own
 * salt and parameters, so stronger settings later still verify older hashes.
 */
export const MIN_PASSWORD_LENGTH = 12;

/** A hash that no password matches, verified when the user is unknown so timing does not tell. */
let decoy: Promise<string> | undefined;

/** Sets a user's web password: an admin for anyone, a verified user for themselves. */
export async function setPassword(
  ctx: ServiceContext,
  name: string,
  password: string,
  by: Caller,
): Promise<UserRow> {
  if (!(by.verified && by.user === name)) assertMayDecide(by, 'admin', "setting another user's password");
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new AppError(
      'INVALID_INPUT',
      `password: at least ${MIN_PASSWORD_LENGTH} characters, got ${password.length}`,
      { field: 'password' },
      'a passphrase of three or four words is long enough and easy to type',
    );
  if (password.length > 1024)
    throw new AppError('INVALID_INPUT', 'password: at most 1024 characters', { field: 'password' });
  const user = await getUserByName(ctx, name);
  const passwordHash = await hash(password);
  return ctx.db.transaction(async (tx) => {
    const [updated] = await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id)).returning();
    await appendAudit(tx, ctx.now(), {
      actor: by,
      action: 'user.password_set',
      subject: user.name,
      data: { hadPassword: user.passwordHash !== null },
    });
    return updated!;
  });
}

/** The user when the name and password match, else UNAUTHORIZED with the same message either way. */
export async function checkPassword(ctx: ServiceContext, name: string, password: string): Promise<UserRow> {
  const [user] = await ctx.db.select().from(users).where(eq(users.name, name)).limit(1);
  decoy ??= hash('decoy password that nobody has');
  const ok = await verify(user?.passwordHash ?? (await decoy), password).catch(() => false);
  if (!user?.passwordHash || !ok)
    throw new AppError('UNAUTHORIZED', 'wrong user name or password', { field: 'password' });
  return user;
}
