import iconv from 'iconv-lite';

/** What `--encoding` accepts; `auto` reads UTF-8 when the bytes are valid UTF-8, else Windows-1252. */
export const ENCODINGS = ['auto', 'utf-8', 'windows-1252', 'latin1'] as const;
export type EncodingChoice = (typeof ENCODINGS)[number];

export type Decoded =
  | { ok: true; text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'latin1' }
  | { ok: false; problem: string };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Turns a file's bytes into text, never silently: a French Excel export ("CSV (séparateur:
 * point-virgule)") is Windows-1252, and reading it as UTF-8 would store "Lef\uFFFDvre". A byte the
 * chosen encoding cannot read is a problem naming the file, line and byte, not a replacement
 * character in the database.
 */
export function decodeCsvBytes(name: string, bytes: Buffer, choice: EncodingChoice = 'auto'): Decoded {
  // A byte-order mark says what the file is, whatever was asked.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return utf8(name, bytes.subarray(3), choice === 'auto' ? 'auto-bom' : choice);
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { ok: true, text: iconv.decode(bytes.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { ok: true, text: iconv.decode(bytes.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  if (choice === 'windows-1252' || choice === 'latin1') return singleByte(name, bytes, choice);
  return utf8(name, bytes, choice);
}

function utf8(name: string, bytes: Buffer, choice: EncodingChoice | 'auto-bom'): Decoded {
  try {
    return { ok: true, text: strictUtf8.decode(bytes), encoding: 'utf-8' };
  } catch {
    // Not UTF-8: in auto mode (and no BOM claiming UTF-8) this is the usual Windows export.
    if (choice === 'auto') return singleByte(name, bytes, 'windows-1252');
    const at = firstInvalidUtf8(bytes);
    return {
      ok: false,
      problem: `${name}:${lineAt(bytes, at)}: encoding: byte 0x${bytes[at]!.toString(16).toUpperCase()} at offset ${at} is not valid UTF-8 (save the file as UTF-8, or pass --encoding windows-1252 for an Excel export)`,
    };
  }
}

/** Bytes Windows-1252 leaves undefined: a file holding them is not a Windows-1252 text. */
const UNDEFINED_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

function singleByte(name: string, bytes: Buffer, encoding: 'windows-1252' | 'latin1'): Decoded {
  const at = encoding === 'windows-1252' ? bytes.findIndex((b) => UNDEFINED_1252.has(b)) : -1;
  if (at >= 0)
    return {
      ok: false,
      problem: `${name}:${lineAt(bytes, at)}: encoding: byte 0x${bytes[at]!.toString(16).toUpperCase()} at offset ${at} is not a character in Windows-1252 (save the file as UTF-8, or pass the right --encoding)`,
    };
  return { ok: true, text: iconv.decode(bytes, encoding === 'latin1' ? 'latin1' : 'win1252'), encoding };
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Buffer): number {
  // Decoding ever-longer prefixes is quadratic; instead, halve the range that fails to decode.
  let lo = 0;
  let hi = bytes.length;
  while (hi - lo > 4) {
    const mid = (lo + hi) >> 1;
    if (decodesUpTo(bytes, mid)) lo = mid;
    else hi = mid;
  }
  for (let i = lo; i < hi; i++) if (!decodesUpTo(bytes, i + 1)) return i;
  return lo;
}

/** True when the first `end` bytes are valid UTF-8, allowing a sequence cut at `end`. */
function decodesUpTo(bytes: Buffer, end: number): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end), { stream: true });
    return true;
  } catch {
    return false;
  }
}

const lineAt = (bytes: Buffer, offset: number): number => {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
};
