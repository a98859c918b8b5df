import { parse } from 'csv-parse/sync';
import type { Delimiter, LineEnd } from '@docprocessor/contracts';

export interface RecordLayout {
  delimiter: Delimiter;
  quote: '"' | null;
}

export interface RecordBounds {
  /** The first line end outside quotes, or null when the text has none. */
  lineEnd: LineEnd | null;
  /** Where the text's last whole record ends: just after its line end (0 when no line end closes one). */
  wholeRecordsEnd: number;
  /** The number of fields of each whole record (empty lines skipped), the first `maxRecords` of them. */
  fieldCounts: number[];
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Finds the records of a text without building them, reading quotes as csv-parse does: a quote opens a field only
 * at its start, and `""` inside is one quote. Tells the first line end's kind, where the last whole record ends and
 * how many fields each has: enough to score a layout at a fraction of what parsing the text costs.
 */
export function recordBounds(text: string, { delimiter, quote }: RecordLayout, maxRecords = 0): RecordBounds {
  const separator = delimiter.charCodeAt(0);
  const bounds: RecordBounds = { lineEnd: null, wholeRecordsEnd: 0, fieldCounts: [] };
  let quoted = false;
  let fieldStart = true;
  let fields = 1;
  let empty = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === QUOTE) {
        if (text.charCodeAt(i + 1) === QUOTE) i++;
        else quoted = false;
      }
      continue;
    }
    if (c === LF || c === CR) {
      const crlf = c === CR && text.charCodeAt(i + 1) === LF;
      bounds.lineEnd ??= crlf ? '\r\n' : c === CR ? '\r' : '\n';
      if (crlf) i++;
      bounds.wholeRecordsEnd = i + 1;
      if (!empty && bounds.fieldCounts.length < maxRecords) bounds.fieldCounts.push(fields);
      [fieldStart, fields, empty] = [true, 1, true];
      continue;
    }
    empty = false;
    if (c === separator) {
      fieldStart = true;
      fields++;
    } else {
      quoted = fieldStart && quote !== null && c === QUOTE;
      fieldStart = false;
    }
  }
  return bounds;
}

/**
 * The records of a text as an import reads them (the processor's csv-parse options: ragged rows and stray quotes
 * allowed, empty lines skipped), at most `limit` of them. Throws csv-parse's error for text it cannot read.
 */
export function readRecords(text: string, layout: RecordLayout, lineEnd: LineEnd, limit: number): string[][] {
  return parse(text, {
    delimiter: layout.delimiter,
    quote: layout.quote ?? false,
    record_delimiter: lineEnd,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    to: limit,
  }) as string[][];
}

/** The text up to its last whole record when it was cut from a longer file (all of it if no record is whole). */
export function wholeRecords(text: string, bounds: RecordBounds, cut: boolean): string {
  return cut && bounds.wholeRecordsEnd > 0 ? text.slice(0, bounds.wholeRecordsEnd) : text;
}
