import type { Delimiter, LineEnd } from '@docprocessor/contracts';
import { recordBounds, type RecordBounds, type RecordLayout } from './read-records.js';

/** Candidates in order of preference: an order breaks ties between layouts that read the sample equally well. */
const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];
const QUOTES: ReadonlyArray<'"' | null> = ['"', null];
/** The sample the candidates are scored on: enough rows for a fair count, few enough to try eight layouts fast. */
export const DIALECT_SAMPLE_CHARS = 64 * 1024;
const DIALECT_SAMPLE_ROWS = 500;

export interface SniffedLayout extends RecordLayout {
  lineEnd: LineEnd;
  /** The number of fields most records have. */
  columns: number;
}

interface Score {
  layout: SniffedLayout;
  /** Records with the most common number of fields. */
  consistent: number;
  records: number;
}

/** The most common field count (the larger of equally common ones) and how many records have it. */
function commonWidth(fieldCounts: readonly number[]): { columns: number; consistent: number } {
  const counts = new Map<number, number>();
  for (const width of fieldCounts) counts.set(width, (counts.get(width) ?? 0) + 1);
  let columns = 0;
  let consistent = 0;
  for (const [width, count] of counts) {
    if (count > consistent || (count === consistent && width > columns)) [columns, consistent] = [width, count];
  }
  return { columns, consistent };
}

/** A layout's score on the sample; `cut`: the sample's last record may be partial, and is left out. */
function score(sample: string, cut: boolean, layout: RecordLayout): Score {
  const bounds = recordBounds(sample, layout, DIALECT_SAMPLE_ROWS);
  const counts = cut ? bounds.fieldCounts : [...bounds.fieldCounts, ...lastRecord(sample, bounds, layout)];
  const { columns, consistent } = commonWidth(counts);
  return { layout: { ...layout, lineEnd: bounds.lineEnd ?? '\n', columns }, consistent, records: counts.length };
}

/** The field count of a whole text's last record when no line end closes it. */
function lastRecord(text: string, bounds: RecordBounds, layout: RecordLayout): number[] {
  if (bounds.fieldCounts.length >= DIALECT_SAMPLE_ROWS || bounds.wholeRecordsEnd === text.length) return [];
  return recordBounds(`${text.slice(bounds.wholeRecordsEnd)}\n`, layout, 1).fieldCounts;
}

/** A layout that splits rows into several fields, for most of them (else a layout without a delimiter ties it). */
const splits = (s: Score) => s.layout.columns > 1 && s.consistent * 2 >= s.records;

/**
 * Better first: splitting rows into fields, then more records with the common field count (a quote that swallows
 * lines, or a delimiter found in text, makes fewer), then more fields; ties keep the candidates' order.
 */
const better = (a: Score, b: Score) =>
  Number(splits(b)) - Number(splits(a)) || b.consistent - a.consistent || b.layout.columns - a.layout.columns;

/**
 * The delimiter, quote and line end of a CSV text, scored as DuckDB's sniffer does: each candidate layout parses
 * the sample, and the one whose records most consistently have the same number of fields (the more the better) wins.
 * `cut`: the text is the head of a longer file, so its last line may be partial.
 */
export function sniffDialect(text: string, cut: boolean): SniffedLayout {
  const sample = text.slice(0, DIALECT_SAMPLE_CHARS);
  const sampleCut = cut || sample.length < text.length;
  const scores: Score[] = [];
  for (const quote of QUOTES) {
    for (const delimiter of DELIMITERS) {
      scores.push(score(sample, sampleCut, { delimiter, quote }));
    }
  }
  const best = scores.sort(better)[0];
  return best?.layout ?? { delimiter: ',', quote: '"', lineEnd: '\n', columns: 0 };
}
