import { eq } from 'drizzle-orm';
import { clients } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { appendAudit } from './audit.ts';
import type { Actor } from './callers.ts';
import { findClient } from './clients.ts';
import type { ServiceContext } from './context.ts';

/** The accounts-payable contact reminders go to (`email`) and the addresses copied (`cc`). */
export interface ClientContact {
  ref: string;
  email: string | null;
  cc: string[];
}

const EMAIL = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;

export async function setClientContact(
  ctx: ServiceContext,
  actor: Actor,
  clientQuery: string,
  input: { email: string | null; cc: string[] },
): Promise<ClientContact> {
  const email = input.email?.trim() || null;
  if (email && !EMAIL.test(email))
    throw new AppError('INVALID_INPUT', `email: "${email}" is not an e-mail address`, { field: 'email' });
  const cc = [...new Set(input.cc.map((e) => e.trim()).filter(Boolean))];
  const bad = cc.find((e) => !EMAIL.test(e));
  if (bad) throw new AppError('INVALID_INPUT', `cc: "${bad}" is not an e-mail address`, { field: 'cc' });
  if (cc.length > 10) throw new AppError('INVALID_INPUT', 'cc: at most 10 addresses', { field: 'cc' });
  const client = await findClient(ctx.db, clientQuery);
  await ctx.db.transaction(async (tx) => {
    await tx.update(clients).set({ email, ccEmails: cc }).where(eq(clients.id, client.id));
    await appendAudit(tx, ctx.now(), {
      actor,
      action: 'client.contact_updated',
      subject: client.ref,
      data: { before: { email: client.email, cc: client.ccEmails }, after: { email, cc } },
    });
  });
  return { ref: client.ref, email, cc };
}
