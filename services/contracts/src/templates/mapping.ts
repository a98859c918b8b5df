import { z } from 'zod';
import { comparableHeaderName } from './header.js';

/** One header of a file and the template column proposed for it (null: the column is ignored). */
export const HeaderMapping = z.object({
  header: z.string(),
  column: z.string().nullable(),
  confidence: z.number().min(0).max(1),
});
export type HeaderMapping = z.infer<typeof HeaderMapping>;

/** A required template column no header maps to, with the unmapped header most like it (a hint for a person). */
export const MissingColumn = z.object({ column: z.string(), closestHeader: z.string().nullable() });
export type MissingColumn = z.infer<typeof MissingColumn>;

export const MappingProposal = z.object({ mapping: z.array(HeaderMapping), missing: z.array(MissingColumn) });
export type MappingProposal = z.infer<typeof MappingProposal>;

/** What mapping needs of a template column. */
export interface MappableColumn {
  name: string;
  required: boolean;
  aliases?: readonly string[];
}

/** Confidence of a match by one of the column's aliases: sure, but a person named the column otherwise. */
export const ALIAS_CONFIDENCE = 0.95;
/**
 * Jaro-Winkler similarity a suggestion needs: `e-mail`/`email` (0.95) and `signup`/`signup_date` (0.91) pass,
 * `notes`/`name` (0.67) and `active`/`inactive` (0.81) do not.
 */
export const SUGGESTION_THRESHOLD = 0.85;
/** Below this, no header is offered as the closest to a missing column: it would be noise. */
export const CLOSEST_THRESHOLD = 0.7;

/** Jaro similarity: matching characters within a window, less half the transpositions among them. */
function jaro(a: string, b: string): number {
  if (a === b) return 1;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const matchedB = new Array<boolean>(b.length).fill(false);
  const matchedA: number[] = [];
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - window); j < Math.min(b.length, i + window + 1); j++) {
      if (matchedB[j] || a[i] !== b[j]) continue;
      matchedB[j] = true;
      matchedA.push(i);
      break;
    }
  }
  const m = matchedA.length;
  if (m === 0) return 0;
  let transposed = 0;
  let k = 0;
  for (const i of matchedA) {
    while (!matchedB[k]) k++;
    if (a[i] !== b[k++]) transposed++;
  }
  return (m / a.length + m / b.length + (m - transposed / 2) / m) / 3;
}

/** Jaro-Winkler similarity (0..1), which favours names sharing their first characters, as column names do. */
export function nameSimilarity(a: string, b: string): number {
  const similarity = jaro(a, b);
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && a[prefix] === b[prefix]) prefix++;
  return similarity + prefix * 0.1 * (1 - similarity);
}

/** How a header matched a column: by its name, an alias, or similarity. Lower ranks win whatever the confidence. */
const Rank = { Name: 0, Alias: 1, Suggestion: 2 } as const;
type Rank = (typeof Rank)[keyof typeof Rank];

interface Candidate {
  header: number;
  column: number;
  rank: Rank;
  confidence: number;
}

/** Each column's comparable name and aliases, and each header's comparable name ('' never matches). */
function comparableNames(columns: readonly MappableColumn[], headers: readonly string[]) {
  return {
    names: columns.map((c) => comparableHeaderName(c.name)),
    aliases: columns.map((c) => (c.aliases ?? []).map(comparableHeaderName).filter((a) => a !== '')),
    headerNames: headers.map(comparableHeaderName),
  };
}

/** Every (header, column) pair a rule matches, best first; equal ones in header order, then column order. */
function candidates(columns: readonly MappableColumn[], headers: readonly string[]): Candidate[] {
  const { names, aliases, headerNames } = comparableNames(columns, headers);
  const found: Candidate[] = [];
  headerNames.forEach((name, header) => {
    if (name === '') return;
    columns.forEach((_, column) => {
      if (name === names[column]) found.push({ header, column, rank: Rank.Name, confidence: 1 });
      else if (aliases[column]!.includes(name)) found.push({ header, column, rank: Rank.Alias, confidence: ALIAS_CONFIDENCE });
      else {
        const similarity = Math.max(...[names[column]!, ...aliases[column]!].map((n) => nameSimilarity(name, n)));
        if (similarity >= SUGGESTION_THRESHOLD) found.push({ header, column, rank: Rank.Suggestion, confidence: similarity });
      }
    });
  });
  return found.sort((x, y) => x.rank - y.rank || y.confidence - x.confidence || x.header - y.header || x.column - y.column);
}

/**
 * Proposes a template column for each header of a file: a mapping remembered for this header list first, then
 * equal names (case, spaces, BOM, `_`/`-` aside), the columns' aliases, and names alike enough. A column goes
 * to one header at most, the best; required columns left over are `missing`, with the closest free header.
 */
export function proposeMapping(
  columns: readonly MappableColumn[],
  headers: readonly string[],
  remembered: Readonly<Record<string, string | null>> = {},
): MappingProposal {
  const mapping: HeaderMapping[] = headers.map((header) => ({ header, column: null, confidence: 0 }));
  const decided = new Set<number>();
  const used = new Set<number>();
  headers.forEach((header, index) => {
    if (!Object.hasOwn(remembered, header) || decided.has(index)) return;
    const name = remembered[header];
    const column = columns.findIndex((c) => c.name === name);
    if (name !== null && (column < 0 || used.has(column))) return; // the template changed since: match afresh
    if (column >= 0) used.add(column);
    decided.add(index);
    mapping[index] = { header, column: name ?? null, confidence: 1 };
  });
  for (const { header, column, confidence } of candidates(columns, headers)) {
    if (decided.has(header) || used.has(column)) continue;
    decided.add(header);
    used.add(column);
    mapping[header] = { header: headers[header]!, column: columns[column]!.name, confidence };
  }
  return { mapping, missing: missingColumns(columns, headers, mapping, used) };
}

/** Required columns nothing maps to; each free header is offered as the closest to one of them at most, the best pair first. */
function missingColumns(
  columns: readonly MappableColumn[],
  headers: readonly string[],
  mapping: HeaderMapping[],
  used: Set<number>,
): MissingColumn[] {
  const { names, aliases, headerNames } = comparableNames(columns, headers);
  const missing = columns.map((_, c) => c).filter((c) => columns[c]!.required && !used.has(c));
  const pairs: Array<{ column: number; header: number; similarity: number }> = [];
  headers.forEach((_, header) => {
    if (mapping[header]!.column !== null || headerNames[header] === '') return;
    for (const column of missing) {
      const similarity = Math.max(...[names[column]!, ...aliases[column]!].map((n) => nameSimilarity(headerNames[header]!, n)));
      if (similarity >= CLOSEST_THRESHOLD) pairs.push({ column, header, similarity });
    }
  });
  pairs.sort((x, y) => y.similarity - x.similarity || x.header - y.header || x.column - y.column);
  const closest = new Map<number, string>();
  const offered = new Set<number>();
  for (const { column, header } of pairs) {
    if (closest.has(column) || offered.has(header)) continue;
    closest.set(column, headers[header]!);
    offered.add(header);
  }
  return missing.map((c) => ({ column: columns[c]!.name, closestHeader: closest.get(c) ?? null }));
}
