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
export const normalizeHeaderName = (name: string): string => (name.startsWith(BOM) ? name.slice(1) : name).trim().toLowerCase();

/**
 * A header name as matching compares it: normalized as above, and any run of spaces, `_` and `-` one `_`, so
 * `First Name`, `first-name` and `first_name` are the same name.
 */
export const comparableHeaderName = (name: string): string => normalizeHeaderName(name).replace(/[\s_-]+/g, '_');

/** What an upload says about its header: explicit picks that win over names (null ignores the header). */
export interface HeaderMatchOptions {
  mapping?: Readonly<Record<string, string | null>> | null;
}

/**
 * Matches a file's header to a template for an import: an explicit mapping first (its keys compared like
 * headers, case and surrounding spaces aside), then each column's name and then its aliases, with case,
 * spaces, BOM, `_` and `-` aside. Names alike but not equal are only proposed (proposeMapping), never applied.
 */
export function matchHeader(template: Pick<Template, 'columns'>, header: readonly string[], options: HeaderMatchOptions = {}): HeaderMatch {
  const columns = template.columns;
  const explicit = new Map(Object.entries(options.mapping ?? {}).map(([h, column]) => [normalizeHeaderName(h), column]));
  const byName = new Map<string, number>();
  for (const [i, c] of columns.entries()) byName.set(comparableHeaderName(c.name), i);
  for (const [i, c] of columns.entries()) {
    for (const alias of c.aliases ?? []) {
      if (!byName.has(comparableHeaderName(alias))) byName.set(comparableHeaderName(alias), i);
    }
  }
  const sourceIndex = columns.map(() => -1);
  const ignored: string[] = [];
  const repeated = new Set<string>();
  header.forEach((name, index) => {
    const picked = explicit.get(normalizeHeaderName(name));
    const comparable = comparableHeaderName(name);
    const column =
      picked !== undefined
        ? picked === null
          ? undefined
          : columns.findIndex((c) => c.name === picked)
        : comparable === ''
          ? undefined
          : byName.get(comparable);
    if (column === undefined || column < 0) ignored.push(name);
    else if (sourceIndex[column] !== -1) repeated.add(columns[column]!.name);
    else sourceIndex[column] = index;
  });
  const missingRequired = columns.filter((c, i) => c.required && sourceIndex[i] === -1).map((c) => c.name);
  return { sourceIndex, missingRequired, ignored, repeated: [...repeated] };
}
