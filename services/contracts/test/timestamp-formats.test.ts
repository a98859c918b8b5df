import { describe, expect, it } from 'vitest';
import { compileTimestampParser, timestampFormatsMatching, type TimestampFormat, type TimestampValue } from '../src/index.js';

const DAY_MS = 86_400_000;
/** What Date.parse makes of an ISO text with milliseconds, as {days, micros}. */
function expected(isoWithZone: string, extraMicros = 0): TimestampValue {
  const ms = Date.parse(isoWithZone);
  const days = Math.floor(ms / DAY_MS);
  return { days, micros: (ms - days * DAY_MS) * 1000 + extraMicros };
}

function parse(formats: TimestampFormat[], text: string): TimestampValue | null {
  const out = { days: 0, micros: 0 };
  return compileTimestampParser(formats)(text, out) ? out : null;
}

describe('compileTimestampParser: ISO', () => {
  it.each([
    ['2000-02-21T10:20', '2000-02-21T10:20:00.000Z'],
    ['2000-02-21 10:20', '2000-02-21T10:20:00.000Z'],
    ['2000-02-21t10:20:30', '2000-02-21T10:20:30.000Z'],
    ['2000-02-21T10:20:30Z', '2000-02-21T10:20:30.000Z'],
    ['2000-02-21T10:20:30+02:00', '2000-02-21T08:20:30.000Z'],
    ['2000-02-21T10:20:30+0200', '2000-02-21T08:20:30.000Z'],
    ['2000-02-21 10:20:30+02', '2000-02-21T08:20:30.000Z'],
    ['2000-02-21T10:20:30-05:30', '2000-02-21T15:50:30.000Z'],
    ['2000-02-21T10:20:30-00:00', '2000-02-21T10:20:30.000Z'],
  ])('reads %s', (text, utc) => {
    expect(parse(['ISO'], text)).toEqual(expected(utc));
  });

  it('applies a zone that crosses midnight, a month and a year', () => {
    expect(parse(['ISO'], '2000-03-01T01:00:00+02:00')).toEqual(expected('2000-02-29T23:00:00.000Z'));
    expect(parse(['ISO'], '1999-12-31T22:30:00-02:00')).toEqual(expected('2000-01-01T00:30:00.000Z'));
    expect(parse(['ISO'], '1970-01-01T00:00:00+00:01')).toEqual({ days: -1, micros: 86_340_000_000 });
    expect(parse(['ISO'], '2000-01-01T23:59:59.999999-14:00')).toEqual({ ...expected('2000-01-02T13:59:59.999Z'), micros: 50_399_999_999 });
  });

  it.each([
    ['.5', 500_000],
    ['.05', 50_000],
    ['.123', 123_000],
    ['.1234', 123_400],
    ['.12345', 123_450],
    ['.123456', 123_456],
    [',123456', 123_456],
    ['.1234564', 123_456],
    ['.1234565', 123_457],
    ['.999999999', 1_000_000],
  ])('reads the fraction %s as %d µs', (fraction, micros) => {
    const value = parse(['ISO'], `2000-02-21T10:20:30${fraction}Z`);
    expect(value).toEqual({ days: expected('2000-02-21T00:00:00Z').days, micros: (10 * 3600 + 20 * 60 + 30) * 1e6 + micros });
  });

  it('rounds a fraction into the next day', () => {
    expect(parse(['ISO'], '1999-12-31T23:59:59.9999995Z')).toEqual(expected('2000-01-01T00:00:00.000Z'));
  });

  it.each([
    '2000-02-21',
    '2000-02-21T',
    '2000-02-21T1:20',
    '2000-02-21T24:00',
    '2000-02-21T10:60',
    '2000-02-21T10:20:60',
    '2000-02-21T10:20:30.',
    '2000-02-21T10:20:30.1234567890',
    '2000-02-21T10:20.5',
    '2000-02-21T10:20:30+16:00',
    '2000-02-21T10:20:30+02:60',
    '2000-02-21T10:20:30+2',
    '2000-02-21T10:20:30 +02:00',
    '2000-02-21T10:20:30ZZ',
    '2000-02-30T10:20:30',
    '2000-02-21X10:20',
    '21/02/2000 10:20',
  ])('refuses %j', (text) => {
    expect(parse(['ISO'], text)).toBeNull();
  });
});

describe('compileTimestampParser: a date format and a time', () => {
  const utc = expected('2000-02-21T09:05:00.000Z');
  const withSeconds = expected('2000-02-21T09:05:07.000Z');
  it.each([
    ['YYYY/MM/DD HH:mm', '2000/02/21 09:05', utc],
    ['DD/MM/YYYY HH:mm', '21/02/2000 9:05', utc],
    ['MM/DD/YYYY HH:mm', '2/21/2000 09:05', utc],
    ['DD.MM.YYYY HH:mm', '21.02.2000 10:05+01:00', utc],
    ['DD-MM-YYYY HH:mm', '21-02-2000 09:05Z', utc],
    ['MM-DD-YYYY HH:mm', '02-21-2000 09:05', utc],
    ['YYYY/MM/DD HH:mm:ss', '2000/02/21 09:05:07', withSeconds],
    ['DD/MM/YYYY HH:mm:ss', '21/02/2000 09:05:07', withSeconds],
    ['MM/DD/YYYY HH:mm:ss', '02/21/2000 04:05:07-0500', withSeconds],
    ['DD.MM.YYYY HH:mm:ss', '21.2.2000 9:05:07', withSeconds],
    ['DD-MM-YYYY HH:mm:ss', '21-02-2000 09:05:07.000', withSeconds],
    ['MM-DD-YYYY HH:mm:ss', '02-21-2000 09:05:07', withSeconds],
  ] as const)('%s reads %s', (format, text, value) => {
    expect(parse([format], text)).toEqual(value);
    expect(timestampFormatsMatching(text)).toEqual([format]);
  });

  it('takes seconds only where the format names them, and a space before the time', () => {
    expect(parse(['DD/MM/YYYY HH:mm'], '21/02/2000 09:05:07')).toBeNull();
    expect(parse(['DD/MM/YYYY HH:mm:ss'], '21/02/2000 09:05')).toBeNull();
    expect(parse(['DD/MM/YYYY HH:mm'], '21/02/2000T09:05')).toBeNull();
    expect(parse(['DD/MM/YYYY HH:mm'], '21/02/2000')).toBeNull();
  });

  it('tries formats in the order given, and lists every format that reads a text', () => {
    expect(parse(['MM/DD/YYYY HH:mm', 'DD/MM/YYYY HH:mm'], '01/02/2000 00:00')).toEqual(expected('2000-01-02T00:00:00Z'));
    expect(parse(['MM/DD/YYYY HH:mm', 'DD/MM/YYYY HH:mm'], '13/02/2000 00:00')).toEqual(expected('2000-02-13T00:00:00Z'));
    expect(timestampFormatsMatching('01/02/2000 00:00')).toEqual(['DD/MM/YYYY HH:mm', 'MM/DD/YYYY HH:mm']);
    expect(timestampFormatsMatching('2000-02-21 10:00:00')).toEqual(['ISO']);
    expect(timestampFormatsMatching('2000-02-21')).toEqual([]);
  });
});
