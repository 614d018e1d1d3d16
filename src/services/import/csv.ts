import { parse } from 'csv-parse/sync';
import { sha256 } from '../hash.ts';
import { decodeCsvBytes, type EncodingChoice } from './encoding.ts';

/** One data row of a CSV file, with the physical line it starts on (the header is line 1). */
export interface CsvRow {
  line: number;
  /** Cell text by lower-case column name, trimmed; absent cells are ''. */
  cells: Record<string, string>;
}

export interface CsvFile {
  name: string;
  sha256: string;
  /** How the bytes were read (see encoding.ts). */
  encoding: string;
  delimiter: ',' | ';';
  /** True for the Excel (French) variant: `;` delimiter means decimal comma in amounts. */
  decimalComma: boolean;
  /** Lower-case column names, in file order. */
  columns: string[];
  rows: CsvRow[];
  /** Syntax problems (`file:line: column: reason`), found while reading. */
  problems: string[];
}

/**
 * Parses one CSV file. Accepts the plain format (comma, decimal point) and what Excel produces in a
 * French locale: UTF-8 BOM or Windows-1252, `;` delimiter (detected on the header line) with decimal
 * comma, CRLF.
 */
export function readCsv(name: string, content: Buffer | string, encoding: EncodingChoice = 'auto'): CsvFile {
  const decoded =
    typeof content === 'string'
      ? ({ ok: true, text: content, encoding: 'utf-8' } as const)
      : decodeCsvBytes(name, content, encoding);
  if (!decoded.ok)
    return {
      name,
      sha256: sha256(content.toString('latin1')),
      encoding,
      delimiter: ',',
      decimalComma: false,
      columns: [],
      rows: [],
      problems: [decoded.problem],
    };
  const raw = decoded.text;
  const hash = sha256(raw);
  // CRLF -> LF first: the parser's line counter is only reliable with one-byte line breaks.
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const headerLine = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
  const delimiter = detectDelimiter(headerLine);
  const problems: string[] = [];
  const records = parse(text, {
    delimiter,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      if (err) problems.push(`${name}:${Number(err.lines) || '?'}: csv: ${err.message}`);
      return undefined;
    },
  }) as unknown as { record: string[]; info: { lines: number } }[];

  const file: CsvFile = {
    name,
    sha256: hash,
    encoding: decoded.encoding,
    delimiter,
    decimalComma: delimiter === ';',
    columns: [],
    rows: [],
    problems,
  };
  const [header, ...body] = records;
  if (!header) {
    problems.push(`${name}:1: header: the file is empty (expected a header row)`);
    return file;
  }
  file.columns = header.record.map((c) => c.trim().toLowerCase());
  const seen = new Set<string>();
  for (const c of file.columns) {
    if (c && seen.has(c)) problems.push(`${name}:1: ${c}: column appears twice in the header`);
    seen.add(c);
  }
  for (const { record, info } of body) {
    // Excel pads blank rows with delimiters (";;;;"): they are empty lines too.
    if (record.every((c) => c.trim() === '')) continue;
    const newlines = record.reduce((n, c) => n + countNewlines(c), 0);
    const line = info.lines - newlines;
    if (record.length !== file.columns.length) {
      problems.push(
        `${name}:${line}: row: has ${record.length} fields, the header has ${file.columns.length}` +
          (delimiter === ';' ? '' : ' (a decimal comma or an unquoted comma in a text?)'),
      );
      continue;
    }
    const cells: Record<string, string> = {};
    file.columns.forEach((c, i) => {
      cells[c] = (record[i] ?? '').trim();
    });
    file.rows.push({ line, cells });
  }
  return file;
}

/** `;` when the header has more semicolons than commas (outside quotes), else `,`. */
function detectDelimiter(headerLine: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
