import { describe, expect, it } from 'vitest';
import { cellSchema, contactsTemplate, productsTemplate, type CellValue, type Template } from '@docprocessor/contracts';
import { compileValidator } from './compile-validator.js';

/** Values near every rule's edges; the fast path must agree with zod on each (zod is the source of the rules). */
const SAMPLES = [
  '',
  ' ',
  '0',
  '1',
  '-1',
  '+1',
  '007',
  '1.5',
  '1.55',
  '1.555',
  '.5',
  '5.',
  '1e3',
  'NaN',
  'Infinity',
  '9007199254740991',
  '9007199254740992',
  '99999999999999999999',
  '12345678901234567',
  'a@b.co',
  'a@b',
  'x@y.z',
  'first.last+tag@sub.example.org',
  'josé@bücher.de',
  '用户@例子.广告',
  'ada@example.xn--p1ai',
  'josé@bücher',
  'josé.@bücher.de',
  'no spaces@x.com',
  ' padded@x.com ',
  'gb',
  'GB',
  'Gb',
  'gB',
  'XK',
  'XX',
  'GBR',
  'G',
  'aa',
  'ZW',
  'zw',
  '@B',
  'A[',
  '`b',
  'a{',
  // Letters that toUpperCase() turns into A–Z (ı to I, ſ to S), and spaces at the ends that are not ASCII.
  'ıt',
  'ſe',
  '\u00a0GB',
  'GB\u00a0',
  '\ufeffGB',
  'GB\u2028',
  '\u00a05\u00a0',
  '\u3000x',
  '2024-02-29',
  '2023-02-29',
  '1900-02-29',
  '2000-02-29',
  '2024-04-31',
  '2024-13-01',
  '0000-01-01',
  '2024-1-1',
  '24-01-01',
  'true',
  'FALSE',
  'Yes',
  'no',
  'y',
  'on',
  '2',
  'AB-1',
  'ab_1',
  'a b',
  'x'.repeat(64),
  'x'.repeat(65),
  'x'.repeat(100),
  'x'.repeat(101),
  'x'.repeat(200),
  'x'.repeat(201),
  'é'.repeat(100),
  '😀'.repeat(100),
  '😀'.repeat(101),
  // Whitespace, control characters and digits that are not ASCII.
  ' 5',
  '5\t',
  '\t5',
  '1\n',
  '-0',
  '-007',
  '000000000000001',
  '123456789012345',
  '1234567890123456',
  '-123456789012345',
  'a\\b@x.com',
  'a\tb@x.com',
  'a@x.com\n',
  ' gb\t',
  'G\tB',
  '2024-01-01\n',
  ' 2024-01-01',
  '2024-01\t01',
  '２０２４-01-01',
  '٢٠٢٤-01-01',
  'yes\r',
  '1.5\n',
  'tab\there',
  'back\\slash',
  'line\nbreak',
  'cr\rhere',
  // Signs, points and digits where the hand-written checks must agree with the rules' patterns.
  '+',
  '-',
  '+-1',
  '1-',
  '1.',
  '+.5',
  '+1.5',
  '+12.34',
  '1.2.3',
  '1..5',
  '12.3a',
  '١٢',
  '1٢',
  // Any case of a boolean spelling, and names an object inherits (a lookup table would find them).
  'True',
  'tRuE',
  'nO',
  'YeS',
  'FaLsE',
  'constructor',
  'toString',
  '__proto__',
  'hasOwnProperty',
];

function agree(template: Template): void {
  const validator = compileValidator(template);
  template.columns.forEach((column, i) => {
    const schema = cellSchema(column);
    for (const sample of SAMPLES) {
      const record = template.columns.map(() => '');
      record[i] = sample;
      const out: CellValue[] = [];
      const numbers = new Float64Array(record.length).fill(-12345); // a stale value from an earlier row
      const errors = validator
        .validate(
          record,
          template.columns.map((_, j) => j),
          out,
          numbers,
        )
        .filter((e) => e.column === column.name);
      const expected = schema.safeParse(sample);
      if (column.type === 'integer') {
        // The number handed out is the value written, and only for a value this row has; short integers always get one.
        const written = expected.success && expected.data !== null ? Number(expected.data) : NaN;
        const short = /^[+-]?\d{1,15}$/.test(sample.trim());
        expect(numbers[i], `${column.name} ${JSON.stringify(sample)}`).toBe(short && !Number.isNaN(written) ? written : NaN);
      }
      if (expected.success) {
        expect(errors, `${column.name} ${JSON.stringify(sample)}`).toEqual([]);
        expect(out[i], `${column.name} ${JSON.stringify(sample)}`).toBe(expected.data);
      } else {
        const issue = expected.error.issues[0] as { params?: { code?: string } };
        expect(
          errors.map((e) => e.code),
          `${column.name} ${JSON.stringify(sample)}`,
        ).toEqual([issue.params?.code]);
      }
    }
  });
}

describe('compiled validator', () => {
  it('agrees with the zod rules of contacts on edge values', () => agree(contactsTemplate));
  it('agrees with the zod rules of products on edge values', () => agree(productsTemplate));

  it('reads columns through the header mapping and treats a missing optional column as empty', () => {
    const validator = compileValidator(contactsTemplate);
    const out: CellValue[] = [];
    // File order: email, id, then the rest without company and notes (index -1).
    const record = ['a@b.co', '5', 'Ada', 'Lovelace', 'fr', '2024-01-01', '3', 'no'];
    const numbers = new Float64Array(10).fill(NaN);
    const errors = validator.validate(record, [1, 0, 2, 3, -1, 4, 5, 6, 7, -1], out, numbers);
    expect(errors).toEqual([]);
    expect(out).toEqual(['5', 'a@b.co', 'Ada', 'Lovelace', null, 'FR', '2024-01-01', '3', 'f', null]);
    expect(numbers[0]).toBe(5);
  });
});
