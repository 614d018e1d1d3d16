import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { Context } from 'hono';
import { AppError } from '../errors.ts';
import { createMcpServer } from '../mcp/server.ts';
import type { Runtime } from '../runtime.ts';
import { type Caller, callerFor } from '../services/callers.ts';

/**
 * Streamable HTTP MCP, stateless: each POST gets its own server and transport, bound to the user
 * whose bearer token came with it, so every tool call and audit entry carries that user.
 */
export async function handleMcpRequest(
  c: Context,
  runtime: Runtime,
  log: (line: string) => void,
): Promise<Response> {
  const header = c.req.header('authorization') ?? '';
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? '';
  let caller: Caller;
  try {
    caller = await callerFor(runtime.services, { kind: 'token', token, channel: 'mcp-http' });
  } catch (e) {
    if (e instanceof AppError && e.code === 'UNAUTHORIZED')
      return c.json(
        { error: e.message, hint: 'send Authorization: Bearer <token>; `encours users add` prints a token' },
        401,
        { 'WWW-Authenticate': 'Bearer realm="encours"' },
      );
    throw e;
  }
  if (c.req.method !== 'POST')
    // Stateless mode: no standalone SSE stream and no session to delete.
    return c.json({ error: `${c.req.method} /mcp is not supported; send JSON-RPC with POST` }, 405, {
      Allow: 'POST',
    });

  const server = createMcpServer({ runtime, caller, log });
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  try {
    return await transport.handleRequest(c.req.raw);
  } finally {
    // With JSON responses the body is complete once handleRequest resolves.
    void server.close().catch(() => {});
  }
}
