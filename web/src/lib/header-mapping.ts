import { proposeMapping, type HeaderMappingInput, type MissingColumn, type Template } from '@docprocessor/contracts';
import type { PreviewResult } from '../api/http';

/** One header of a file and the template column it feeds (null: not imported). */
export interface MappingRow {
  header: string;
  column: string | null;
  /** How sure the proposal was (1: same name); meaningless once a person chose. */
  confidence: number;
  /** A person chose this column. */
  chosen: boolean;
}

export type MappingState = 'matched' | 'suggested' | 'chosen' | 'ignored';

export function stateOf(row: MappingRow): MappingState {
  if (row.column === null) return 'ignored';
  if (row.chosen) return 'chosen';
  return row.confidence >= 1 ? 'matched' : 'suggested';
}

/** The server's proposal, or the same function's answer here when the server sent none. */
export function proposalOf(preview: PreviewResult, template: Pick<Template, 'columns'>): { rows: MappingRow[]; missing: MissingColumn[] } {
  const proposal =
    preview.mapping && preview.missing
      ? { mapping: preview.mapping, missing: preview.missing }
      : proposeMapping(
          template.columns,
          preview.columns.map((c) => c.header),
        );
  return { rows: proposal.mapping.map((m) => ({ ...m, chosen: false })), missing: proposal.missing };
}

/** Maps one header to a column; a column feeds one header at most, so another header that had it lets it go. */
export function assign(rows: readonly MappingRow[], at: number, column: string | null): MappingRow[] {
  return rows.map((row, i) => {
    if (i === at) return { ...row, column, chosen: true };
    if (column !== null && row.column === column) return { ...row, column: null, chosen: true };
    return row;
  });
}

/** Required columns no header feeds now, each with the proposal's closest header while that header is free. */
export function missingOf(
  rows: readonly MappingRow[],
  template: Pick<Template, 'columns'>,
  proposed: readonly MissingColumn[],
): MissingColumn[] {
  const fed = new Set(rows.map((r) => r.column));
  const free = new Set(rows.filter((r) => r.column === null).map((r) => r.header));
  return template.columns
    .filter((c) => c.required && !fed.has(c.name))
    .map((c) => {
      const closest = proposed.find((m) => m.column === c.name)?.closestHeader ?? null;
      return { column: c.name, closestHeader: closest !== null && free.has(closest) ? closest : null };
    });
}

/** The upload's `mapping` field: every header, so the import does exactly what the person saw. */
export const mappingInputOf = (rows: readonly MappingRow[]): HeaderMappingInput =>
  Object.fromEntries(rows.map((row) => [row.header, row.column]));

/** Nothing for a person to look at: every header matched by name or ignored, and no required column missing. */
export const isClean = (rows: readonly MappingRow[], missing: readonly MissingColumn[]): boolean =>
  missing.length === 0 && rows.every((row) => stateOf(row) === 'matched' || stateOf(row) === 'ignored');
