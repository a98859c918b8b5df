import { describe, expect, it } from 'vitest';
import { compileDateParser, dateFormatsMatching, DateFormat } from '../src/index.js';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const iso = compileDateParser(['YYYY-MM-DD']);

describe('compileDateParser: calendar', () => {
  it.each([
    ['1970-01-01', 0],
    ['1969-12-31', -1],
    ['2000-02-29', day('2000-02-29')],
    ['2024-02-29', day('2024-02-29')],
    ['0001-01-01', -719_162],
    ['9999-12-31', 2_932_896],
  ])('reads %s as day %d', (text, expected) => {
    expect(iso(text)).toBe(expected);
  });

  it.each([
    ['1900-02-29', 'not a leap year (century)'],
    ['2023-02-29', 'not a leap year'],
    ['2024-02-30', 'no 30 February'],
    ['2024-04-31', 'April has 30 days'],
    ['2024-13-01', 'month 13'],
    ['2024-00-10', 'month 0'],
    ['2024-01-00', 'day 0'],
    ['0000-01-01', 'year 0'],
    ['2024-1-01', 'one-digit month in a year-first format'],
    ['2024-01-01 ', 'a trailing space'],
    [' 2024-01-01', 'a leading space'],
    ['2024/01/01', 'another separator'],
    ['２０２４-01-01', 'digits beyond ASCII'],
    ['', 'empty'],
    ['2024-01-0', 'cut short'],
  ])('refuses %j (%s)', (text) => {
    expect(iso(text)).toBeNaN();
  });
});

describe('compileDateParser: each format', () => {
  const expected = day('2000-02-21');
  it.each([
    ['YYYY-MM-DD', '2000-02-21'],
    ['YYYY/MM/DD', '2000/02/21'],
    ['YYYYMMDD', '20000221'],
    ['DD/MM/YYYY', '21/02/2000'],
    ['DD/MM/YYYY', '21/2/2000'],
    ['MM/DD/YYYY', '02/21/2000'],
    ['MM/DD/YYYY', '2/21/2000'],
    ['DD.MM.YYYY', '21.02.2000'],
    ['DD.MM.YYYY', '21.2.2000'],
    ['DD-MM-YYYY', '21-02-2000'],
    ['MM-DD-YYYY', '02-21-2000'],
  ] as const)('%s reads %s', (format, text) => {
    expect(compileDateParser([format])(text)).toBe(expected);
    expect(dateFormatsMatching(text)).toEqual([format]);
  });

  it('tries the formats in the order given when a text fits several', () => {
    expect(compileDateParser(['DD/MM/YYYY', 'MM/DD/YYYY'])('01/02/2000')).toBe(day('2000-02-01'));
    expect(compileDateParser(['MM/DD/YYYY', 'DD/MM/YYYY'])('01/02/2000')).toBe(day('2000-01-02'));
    expect(compileDateParser(['MM/DD/YYYY', 'DD/MM/YYYY'])('21/02/2000')).toBe(day('2000-02-21'));
    expect(compileDateParser(['DD.MM.YYYY', 'YYYY-MM-DD'])('2000-02-21')).toBe(day('2000-02-21'));
  });

  it('refuses what no listed format reads', () => {
    const parse = compileDateParser(['DD/MM/YYYY', 'YYYY-MM-DD']);
    for (const text of ['21.02.2000', '02/21/2000', '21/02/00', '121/02/2000', '21//2000', '21/02/20000', '2000-02-21T00:00'])
      expect(parse(text), text).toBeNaN();
    expect(compileDateParser([])('2000-02-21')).toBeNaN();
  });

  it('lists every format that reads a text, and only real dates', () => {
    expect(dateFormatsMatching('01/02/2000')).toEqual(['DD/MM/YYYY', 'MM/DD/YYYY']);
    expect(dateFormatsMatching('12-11-2000')).toEqual(['DD-MM-YYYY', 'MM-DD-YYYY']);
    expect(dateFormatsMatching('29/02/2001')).toEqual([]);
    expect(dateFormatsMatching('hello')).toEqual([]);
    expect(DateFormat.options).toHaveLength(8);
  });
});
