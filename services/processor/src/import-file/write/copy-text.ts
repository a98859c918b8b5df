import type { CellValue } from '@docprocessor/contracts';

const SPECIAL = /[\\\t\n\r]/;

/** One value in COPY's text format: backslash escapes, \N for NULL. */
export function copyField(value: CellValue | number): string {
  if (value === null) return '\\N';
  const text = typeof value === 'number' ? String(value) : value;
  if (!SPECIAL.test(text)) return text;
  return text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

export const copyLine = (fields: ReadonlyArray<CellValue | number>): string => `${fields.map(copyField).join('\t')}\n`;
