import { describe, expect, it } from 'vitest';
import { cellText, dateParts, dateText, decimalText } from '../src/index.js';

describe('decimalText', () => {
  it.each([
    [12.5, '12.5'],
    [0, '0'],
    [-0, '0'],
    [42, '42'],
    [-1.25, '-1.25'],
    [1e21, '1000000000000000000000'],
    [1.5e22, '15000000000000000000000'],
    [1e-7, '0.0000001'],
    [-2.5e-10, '-0.00000000025'],
    [0.1 + 0.2, '0.3'],
    [1.1 * 1.1, '1.21'],
    [123456789.123, '123456789.123'],
    [9007199254740991, '9007199254740991'],
    [2 ** 53 + 2, '9007199254740990'],
    [Number.NaN, ''],
    [Number.POSITIVE_INFINITY, ''],
  ])('%s gives %s', (n, text) => {
    expect(decimalText(n)).toBe(text);
  });
});

describe('dateParts: what a number format shows', () => {
  it.each([
    ['yyyy-mm-dd', { date: true, time: false }],
    ['YYYY-MM-DD', { date: true, time: false }],
    ['mm-dd-yy', { date: true, time: false }],
    ['d/m/yyyy h:mm', { date: true, time: true }],
    ['[$-409]mmmm d, yyyy;@', { date: true, time: false }],
    ['h:mm:ss AM/PM', { date: false, time: true }],
    ['[h]:mm', { date: false, time: true }],
    ['mm:ss', { date: false, time: true }],
    ['General', { date: false, time: false }],
    ['0.00', { date: false, time: false }],
    ['#,##0.00 "days"', { date: false, time: false }],
    ['0.00E+00', { date: false, time: false }],
    ['[Red]-#,##0', { date: false, time: false }],
    [undefined, { date: false, time: false }],
  ])('%s', (format, parts) => {
    expect(dateParts(format)).toEqual(parts);
  });
});

describe('dateText', () => {
  const at = (iso: string) => new Date(iso);
  it('gives a whole day in a date format as YYYY-MM-DD, any other moment as a full ISO timestamp', () => {
    expect(dateText(at('2024-01-31T00:00:00Z'), 'yyyy-mm-dd')).toBe('2024-01-31');
    expect(dateText(at('1969-07-20T00:00:00Z'), 'dd/mm/yyyy')).toBe('1969-07-20');
    expect(dateText(at('2024-01-31T10:30:00Z'), 'yyyy-mm-dd')).toBe('2024-01-31T10:30:00.000Z');
  });

  it('gives every value of a format that shows a time as a timestamp, midnight too', () => {
    expect(dateText(at('2024-01-31T00:00:00Z'), 'yyyy-mm-dd hh:mm')).toBe('2024-01-31T00:00:00.000Z');
    expect(dateText(at('2024-01-31T23:59:59.250Z'), 'm/d/yy h:mm')).toBe('2024-01-31T23:59:59.250Z');
  });

  it('gives a time-only format the time of day', () => {
    expect(dateText(at('1899-12-30T13:05:07Z'), 'h:mm:ss')).toBe('13:05:07');
    expect(dateText(at('1899-12-30T13:05:07.5Z'), 'h:mm:ss')).toBe('13:05:07.500');
  });

  it('gives an invalid date as empty text', () => {
    expect(dateText(new Date(Number.NaN), 'yyyy-mm-dd')).toBe('');
  });
});

describe('cellText', () => {
  it('reads each kind of value exceljs gives', () => {
    expect(cellText(null, undefined, false)).toBe('');
    expect(cellText('Ada', undefined, false)).toBe('Ada');
    expect(cellText(true, undefined, false)).toBe('true');
    expect(cellText(false, undefined, false)).toBe('false');
    expect(cellText(12.5, '0.00', false)).toBe('12.5');
    expect(cellText({ richText: [{ text: 'Ada ' }, { font: { bold: true }, text: 'Lovelace' }] }, undefined, false)).toBe('Ada Lovelace');
    expect(cellText({ error: '#N/A' }, undefined, false)).toBe('');
    expect(cellText({ result: 0 }, undefined, false)).toBe('0');
    expect(cellText({ result: 'total' }, undefined, false)).toBe('total');
    expect(cellText({ result: Number.NaN }, undefined, false)).toBe('');
    expect(cellText({ result: { error: '#DIV/0!' } }, undefined, false)).toBe('');
    expect(cellText({ formula: 'A1*2' }, undefined, false)).toBe('');
  });

  it('reads a number in a date format as the date it stands for, in either date system', () => {
    expect(cellText(45322, 'yyyy-mm-dd', false)).toBe('2024-01-31');
    expect(cellText(45322.4375, 'yyyy-mm-dd hh:mm', false)).toBe('2024-01-31T10:30:00.000Z');
    expect(cellText(43860, 'yyyy-mm-dd', true)).toBe('2024-01-31');
    expect(cellText({ result: 45322 }, 'd/m/yyyy', false)).toBe('2024-01-31');
  });

  it('unescapes the characters OOXML writes as _xHHHH_', () => {
    expect(cellText('line one_x000D_\nline two', undefined, false)).toBe('line one\r\nline two');
    expect(cellText('keep _x005F_x0041_ as written', undefined, false)).toBe('keep _x0041_ as written');
  });
});
