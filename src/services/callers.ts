import { userInfo } from 'node:os';
import { ROLES, type Role } from '../core/policy.ts';
import { AppError } from '../errors.ts';
import type { ServiceContext } from './context.ts';
import { authenticate, getUserBySlackId, type UserRow } from './users.ts';

/** The surfaces a request can come through; every audit entry records one. */
export const CHANNELS = ['cli', 'mcp-stdio', 'mcp-http', 'web', 'slack', 'agent', 'system'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Who did something, as the audit log records it. */
export interface Actor {
  /** The encours user name, or a label for an unverified caller (`cli:<os user>`, `slack:U123`). */
  user: string;
  channel: Channel;
}

/** Who is calling, on every surface: the only caller shape services, tools and edges use. */
export interface Caller extends Actor {
  role: Role;
  /** True when the identity was proven (token, session, mapped Slack member), so it may decide. */
  verified: boolean;
}

/** A proof of identity, as each edge receives it. */
export type Identity =
  /** A bearer token: ENCOURS_TOKEN or --token (CLI, stdio MCP), Authorization header (API, HTTP MCP). */
  | { kind: 'token'; token: string; channel: 'cli' | 'mcp-stdio' | 'mcp-http' | 'web' }
  /** A web session the sessions table vouches for. */
  | { kind: 'session'; user: UserRow }
  /** A Slack member id, proven by Slack's request signature. */
  | { kind: 'slack'; slackId: string }
  /** A local process started without a token: it may read, never decide. */
  | { kind: 'local'; channel: 'cli' | 'mcp-stdio' }
  /** The agent working for a person: their rights, its channel. */
  | { kind: 'agent'; for: Caller };

/** Background work of the server itself (the reminder sender). */
export const SYSTEM: Actor = { user: 'system', channel: 'system' };

const roleOf = (user: UserRow): Role =>
  (ROLES as readonly string[]).includes(user.role) ? (user.role as Role) : 'viewer';

/** The caller a verified user row makes on a channel (its role, unknown roles read as viewer). */
export const callerOf = (user: UserRow, channel: Channel): Caller => ({
  user: user.name,
  role: roleOf(user),
  channel,
  verified: true,
});

/**
 * Turns a verified identity into a caller. A token that names nobody is refused (a mistyped token
 * must not silently read as someone else); no identity, or a Slack member linked to no user, is a
 * viewer.
 */
export async function callerFor(ctx: ServiceContext, identity: Identity): Promise<Caller> {
  switch (identity.kind) {
    case 'token':
      return callerOf(await authenticate(ctx, identity.token), identity.channel);
    case 'session':
      return callerOf(identity.user, 'web');
    case 'slack': {
      const user = await getUserBySlackId(ctx, identity.slackId);
      if (user) return callerOf(user, 'slack');
      return { user: `slack:${identity.slackId}`, role: 'viewer', channel: 'slack', verified: false };
    }
    case 'local':
      return {
        user: `${identity.channel}:${osUserName()}`,
        role: 'viewer',
        channel: identity.channel,
        verified: false,
      };
    case 'agent':
      return asAgent(identity.for);
  }
}

/** The agent working for a caller: their name and rights, recorded on the agent channel. */
export const asAgent = (caller: Caller): Caller => ({ ...caller, channel: 'agent' });

function osUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

const RANK: Record<Role, number> = { viewer: 0, sales: 1, finance: 2, admin: 3 };

export const hasRole = (caller: Caller, least: Role): boolean => RANK[caller.role] >= RANK[least];

/**
 * Refuses a caller who may not take a decision: an unverified caller (no token, a name that is not
 * a user) with UNAUTHORIZED, a verified one with too low a role with FORBIDDEN. `what` says what is
 * being decided; each edge adds its own hint on how to identify (details.reason).
 */
export function assertMayDecide(caller: Caller, least: Role, what: string): void {
  if (!caller.verified)
    throw new AppError(
      'UNAUTHORIZED',
      `${what} needs a verified user with the ${least} role or above; ${caller.user} is not identified (acting as viewer)`,
      { field: 'caller', reason: 'unverified', needed: least },
    );
  if (!hasRole(caller, least))
    throw new AppError(
      'FORBIDDEN',
      `${what} needs the ${least} role or above; ${caller.user} has the ${caller.role} role`,
      { field: 'role', reason: 'rights', needed: least },
      `ask a user with the ${least} role, or an admin to change your role`,
    );
}
