import type { CellValue, Template, TemplateColumn } from '@docprocessor/contracts';

const SPECIAL = /[\\\t\n\r]/;

/** One value in COPY's text format: backslash escapes, \N for NULL. */
export function copyField(value: CellValue | number): string {
  if (value === null) return '\\N';
  const text = typeof value === 'number' ? String(value) : value;
  if (!SPECIAL.test(text)) return text;
  return text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

export const copyLine = (fields: ReadonlyArray<CellValue | number>): string => fields.map(copyField).join('\t') + '\n';

/**
 * Column types whose validated values are digits, signs, codes, dates or addresses matching the email rule:
 * never a tab, newline, carriage return or backslash, so they go into COPY text as they are
 * (compile-validator.test.ts checks it on hostile input).
 */
export const NEVER_ESCAPED: ReadonlySet<TemplateColumn['type']> = new Set(['integer', 'decimal', 'boolean', 'country', 'date', 'email']);

/** A validated row's line of COPY text: its values, then the run's lineage and the row's number. */
export type RowText = (values: readonly CellValue[], row: number) => string;

/**
 * Compiled once per run. The line is built by concatenation, not by joining an array: it measured about
 * twice as fast, and only text columns are checked for characters to escape.
 */
export function compileRowText(template: Template, lineage: string): RowText {
  const escaped = template.columns.map((column) => !NEVER_ESCAPED.has(column.type));
  const width = escaped.length;
  const tail = `${lineage}\t`;
  return (values, row) => {
    let line = '';
    for (let i = 0; i < width; i++) {
      const value = values[i] ?? null;
      line += (value === null ? '\\N' : escaped[i] ? copyField(value) : value) + '\t';
    }
    return line + tail + row + '\n';
  };
}
