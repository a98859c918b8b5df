import { describe, expect, it } from 'vitest';
import { contactsTemplate } from '@docprocessor/contracts';
import { compileRowText, copyField, copyLine } from './copy-text.js';

describe('COPY text format', () => {
  it('escapes backslash, tab, newline and carriage return, and writes NULL as \\N', () => {
    expect(copyField('plain')).toBe('plain');
    expect(copyField('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyField(null)).toBe('\\N');
    expect(copyField('\\N')).toBe('\\\\N');
    expect(copyLine(['1', null, 2])).toBe('1\t\\N\t2\n');
  });

  it('writes a validated row as copyLine does: values, lineage, row number', () => {
    const rowText = compileRowText(contactsTemplate, 'job\trun');
    const values = ['7', 'a@b.co', 'Zoë\t"Z"', 'back\\slash', null, 'GB', '2024-02-29', '12.50', 't', 'two\r\nlines'];
    expect(rowText(values, 42)).toBe(copyLine([...values, 'job', 'run', 42]));
  });
});
