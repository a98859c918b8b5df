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
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Finds the line ends that close records, reading quotes as csv-parse does: a quote opens a field only at its
 * start, and `""` inside is one quote. Tells the first line end's kind and where the last whole record ends.
 */
export function recordBounds(text: string, { delimiter, quote }: RecordLayout): RecordBounds {
  const separator = delimiter.charCodeAt(0);
  let lineEnd: LineEnd | null = null;
  let wholeRecordsEnd = 0;
  let quoted = false;
  let fieldStart = true;
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
      lineEnd ??= crlf ? '\r\n' : c === CR ? '\r' : '\n';
      if (crlf) i++;
      wholeRecordsEnd = i + 1;
      fieldStart = true;
    } else if (c === separator) fieldStart = true;
    else {
      quoted = fieldStart && quote !== null && c === QUOTE;
      fieldStart = false;
    }
  }
  return { lineEnd, wholeRecordsEnd };
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
