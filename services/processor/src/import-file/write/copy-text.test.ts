import { describe, expect, it } from 'vitest';
import { copyField, copyLine } from './copy-text.js';

describe('COPY text format', () => {
  it('escapes backslash, tab, newline and carriage return, and writes NULL as \\N', () => {
    expect(copyField('plain')).toBe('plain');
    expect(copyField('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyField(null)).toBe('\\N');
    expect(copyField('\\N')).toBe('\\\\N');
    expect(copyLine(['1', null, 2])).toBe('1\t\\N\t2\n');
  });
});
