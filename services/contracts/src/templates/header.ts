import type { Template } from './template.js';

export interface HeaderMatch {
  /** For each template column, the index of the file column that holds it, or -1. */
  sourceIndex: number[];
  missingRequired: string[];
  /** Columns of the file that the template does not know. */
  ignored: string[];
  /** Template columns named more than once in the file (the first one is used). */
  repeated: string[];
}

const BOM = '\uFEFF';
export const normalizeHeaderName = (name: string): string =>
  (name.startsWith(BOM) ? name.slice(1) : name).trim().toLowerCase();

/**
 * A header name as mapping compares it: normalized as above, and any run of spaces, `_` and `-` one `_`, so
 * `First Name`, `first-name` and `first_name` are the same name. Header matching by name alone stays stricter.
 */
export const comparableHeaderName = (name: string): string => normalizeHeaderName(name).replace(/[\s_-]+/g, '_');

/** Matches a file's header to a template: case-insensitive, trimmed, BOM dropped. */
export function matchHeader(template: Template, header: readonly string[]): HeaderMatch {
  const normalized = header.map(normalizeHeaderName);
  const known = new Set(template.columns.map((c) => c.name));
  const sourceIndex = template.columns.map((c) => normalized.indexOf(c.name));
  const missingRequired = template.columns.filter((c, i) => c.required && sourceIndex[i] === -1).map((c) => c.name);
  const ignored = header.filter((_, i) => !known.has(normalized[i] ?? ''));
  const repeated = template.columns
    .filter((c) => normalized.filter((n) => n === c.name).length > 1)
    .map((c) => c.name);
  return { sourceIndex, missingRequired, ignored, repeated };
}
