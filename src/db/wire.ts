/**
 * The few PostgreSQL wire-protocol messages the embedded database server reads or writes itself
 * (https://www.postgresql.org/docs/current/protocol-message-formats.html); PGlite answers the rest.
 */

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

export const PROTOCOL_3 = 196608;
/** A startup message has no type byte; this stands for its type. */
export const STARTUP = 0;

export const Frontend = {
  query: 0x51, // 'Q'
  sync: 0x53, // 'S'
  terminate: 0x58, // 'X'
  copyData: 0x64, // 'd'
  copyDone: 0x63, // 'c'
  copyFail: 0x66, // 'f'
} as const;

/** The type byte of a frontend message, or STARTUP. */
export function messageType(m: Uint8Array): number {
  if (m.length >= 8 && view(m).getInt32(4) === PROTOCOL_3) return STARTUP;
  return m[0] ?? -1;
}

/** The body of a typed message (after its type byte and length). */
export const body = (m: Uint8Array): Uint8Array => m.subarray(5);

/** The NUL-terminated string at the start of a message body (the SQL of a Query). */
export function cStringAt(b: Uint8Array): string {
  const end = b.indexOf(0);
  return new TextDecoder().decode(b.subarray(0, end < 0 ? b.length : end));
}

/** A message: type byte, length (itself included), body. */
export function message(type: string, ...parts: Uint8Array[]): Uint8Array {
  const payload = concat(...parts);
  return concat(new TextEncoder().encode(type), int32(payload.length + 4), payload);
}

export const cString = (s: string): Uint8Array => new TextEncoder().encode(`${s}\0`);

export function int32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  view(b).setInt32(0, n);
  return b;
}

export function int16(n: number): Uint8Array {
  const b = new Uint8Array(2);
  view(b).setInt16(0, n);
  return b;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const SYNC = message('S');

/** ErrorResponse with the fields clients show: severity, SQLSTATE code, message, detail, hint. */
export function errorResponse(e: {
  code?: string;
  message: string;
  detail?: string;
  hint?: string;
}): Uint8Array {
  const fields: [string, string | undefined][] = [
    ['S', 'ERROR'],
    ['V', 'ERROR'],
    ['C', e.code ?? 'XX000'],
    ['M', e.message],
    ['D', e.detail],
    ['H', e.hint],
  ];
  return message(
    'E',
    ...fields.filter(([, v]) => v).map(([k, v]) => concat(new TextEncoder().encode(k), cString(v!))),
    new Uint8Array([0]),
  );
}

/** CopyInResponse for a text-format COPY (clients stream rows without needing the column count). */
export const copyInResponse = (): Uint8Array => message('G', new Uint8Array([0]), int16(0));

export const commandComplete = (tag: string): Uint8Array => message('C', cString(tag));

/** Status byte of a ReadyForQuery message ending `bytes`, if it ends with one: I idle, T in transaction, E failed. */
export function readyStatus(tail: Uint8Array): number | null {
  const n = tail.length;
  if (n < 6) return null;
  const z = tail.subarray(n - 6);
  return z[0] === 0x5a && z[1] === 0 && z[2] === 0 && z[3] === 0 && z[4] === 5 ? z[5]! : null;
}
