import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** An error message sent to a client never carries megabytes of its own input back. */
const MAX_MESSAGE = 2_000;

/**
 * Error responses as the protocol says, on every connection. The SDK answers a request that fails
 * its schema (null `arguments`, no `params`) with -32603 and a raw zod dump, and McpError puts
 * "MCP error -32602: " in front of the message it sends, so clients (which add it again) show it
 * twice. Rewriting what goes out, in one place, fixes both for every method.
 */
export function sendProtocolErrors(transport: Transport): void {
  const send = transport.send.bind(transport);
  transport.send = (message, options) => send(normaliseError(message), options);
}

export function normaliseError(message: JSONRPCMessage): JSONRPCMessage {
  if (!('error' in message) || !message.error) return message;
  const error = message.error;
  let code = error.code;
  let text = error.message.replace(/^(MCP error -?\d+: )+/, '');
  const issues = zodIssues(text);
  if (issues) {
    // The request did not have the shape the method requires: the caller's fault, not ours.
    code = ErrorCode.InvalidParams;
    text = `invalid request: ${issues.join('; ')}`;
  }
  if (text.length > MAX_MESSAGE) text = `${text.slice(0, MAX_MESSAGE)}... (cut)`;
  return { ...message, error: { ...error, code, message: text } };
}

/** The readable issues of a zod error dump ("params.arguments: expected an object, got null"), or null. */
function zodIssues(text: string): string[] | null {
  const start = text.indexOf('[');
  if (start < 0) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(start));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || !parsed.length) return null;
  const lines: string[] = [];
  for (const issue of parsed as { path?: unknown; message?: unknown; expected?: unknown; code?: unknown }[]) {
    if (!issue || typeof issue.message !== 'string' || !Array.isArray(issue.path)) return null;
    const path = issue.path.length ? issue.path.join('.') : '(request)';
    const got = /received (\w+)/.exec(issue.message)?.[1];
    const expected =
      issue.expected === 'record' || issue.expected === 'object' ? 'an object' : issue.expected;
    const what =
      issue.code !== 'invalid_type' || typeof expected !== 'string'
        ? issue.message
        : got === 'undefined'
          ? `required (${expected})`
          : `expected ${expected}${got ? `, got ${got}` : ''}`;
    lines.push(`${path}: ${what}`);
  }
  return lines;
}
