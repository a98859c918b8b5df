import { z } from 'zod';
import {
  dayNumber,
  MICROS_PER_DAY,
  NO_SEPARATOR,
  readDate,
  readTime,
  readZone,
  SPACE,
  type DateLayout,
  type DateParts,
  type TimeParts,
} from './date-fields.js';

/**
 * The input formats a `date` column's `formats` rule may list. Years have four digits; in the day- or
 * month-first formats day and month may have one digit (3/7/2021), in the year-first ones they have two.
 * When a text fits several listed formats (01/02/2000), the first listed wins.
 */
export const DateFormat = z.enum([
  'YYYY-MM-DD',
  'YYYY/MM/DD',
  'YYYYMMDD',
  'DD/MM/YYYY',
  'MM/DD/YYYY',
  'DD.MM.YYYY',
  'DD-MM-YYYY',
  'MM-DD-YYYY',
]);
export type DateFormat = z.infer<typeof DateFormat>;

/**
 * The input formats of a `timestamp` column. `ISO` is ISO 8601 / RFC 3339 as exports write it:
 * `YYYY-MM-DD`, `T` or a space, `HH:mm`, optional `:ss`, optional fraction. Every other is a date format
 * (but `YYYYMMDD`), a space and `H:mm` or `H:mm:ss` (hour of one or two digits), the seconds optionally
 * with a fraction. All take an optional zone after the time: `Z`, `±HH`, `±HHMM` or `±HH:MM`; none means UTC.
 * Fractions have 1 to 9 digits (`.` or `,`) and are rounded to microseconds.
 */
export const TimestampFormat = z.enum([
  'ISO',
  'YYYY/MM/DD HH:mm',
  'YYYY/MM/DD HH:mm:ss',
  'DD/MM/YYYY HH:mm',
  'DD/MM/YYYY HH:mm:ss',
  'MM/DD/YYYY HH:mm',
  'MM/DD/YYYY HH:mm:ss',
  'DD.MM.YYYY HH:mm',
  'DD.MM.YYYY HH:mm:ss',
  'DD-MM-YYYY HH:mm',
  'DD-MM-YYYY HH:mm:ss',
  'MM-DD-YYYY HH:mm',
  'MM-DD-YYYY HH:mm:ss',
]);
export type TimestampFormat = z.infer<typeof TimestampFormat>;

/** A point in time as PostgreSQL's binary format wants it: a UTC day and the microseconds into it. */
export interface TimestampValue {
  /** Days since 1970-01-01 (UTC). */
  days: number;
  /** Microseconds into that UTC day, 0 to 86_399_999_999. */
  micros: number;
}

/** The layout of each date format, read from its name: the order of Y, M and D and the character between them. */
function layoutOf(format: DateFormat): DateLayout {
  const order = format
    .replace(/[^YMD]/g, '')
    .replace(/(.)\1+/g, '$1')
    .toLowerCase() as DateLayout['order'];
  const separator = format.replace(/[YMD]/g, '');
  return { order, separator: separator === '' ? NO_SEPARATOR : separator.charCodeAt(0) };
}

const DATE_LAYOUTS = new Map(DateFormat.options.map((format) => [format, layoutOf(format)]));
const dateLayout = (format: DateFormat) => DATE_LAYOUTS.get(format)!;

type DateReader = (text: string) => number;

function dateReader(layout: DateLayout): DateReader {
  const parts: DateParts = { year: 0, month: 0, day: 0 };
  return (text) => (readDate(text, 0, layout, parts) === text.length ? dayNumber(parts) : NaN);
}

/**
 * A parser of texts written in any of `formats` (tried in the order given): days since 1970-01-01, or NaN when
 * no format reads the text as a real calendar date of years 1 to 9999. Compiled once per column, run per cell.
 */
export function compileDateParser(formats: readonly DateFormat[]): (text: string) => number {
  const readers = formats.map((format) => dateReader(dateLayout(format)));
  if (readers.length === 1) return readers[0]!;
  return (text) => {
    for (let i = 0; i < readers.length; i++) {
      const days = readers[i]!(text);
      if (days === days) return days; // not NaN
    }
    return NaN;
  };
}

type TimestampReader = (text: string, out: TimestampValue) => boolean;

/** Each timestamp format's date layout and the time it takes after it. */
function timestampReader(format: TimestampFormat): TimestampReader {
  const iso = format === 'ISO';
  const [date, time] = iso ? (['YYYY-MM-DD', 'ISO'] as const) : (format.split(' ') as [DateFormat, string]);
  const layout = dateLayout(date);
  const seconds = iso ? 'optional' : time === 'HH:mm:ss' ? 'required' : 'absent';
  const parts: DateParts = { year: 0, month: 0, day: 0 };
  const clock: TimeParts = { micros: 0, offsetMinutes: 0 };
  return (text, out) => {
    let i = readDate(text, 0, layout, parts);
    if (i < 0) return false;
    const between = text.charCodeAt(i);
    if (!(between === SPACE || (iso && (between === 0x54 || between === 0x74)))) return false; // T, t
    i = readTime(text, i + 1, iso, seconds, clock);
    if (i < 0 || readZone(text, i, clock) !== text.length) return false;
    let days = dayNumber(parts);
    if (days !== days) return false;
    let micros = clock.micros - clock.offsetMinutes * 60_000_000;
    if (micros < 0) {
      micros += MICROS_PER_DAY;
      days--;
    } else if (micros >= MICROS_PER_DAY) {
      micros -= MICROS_PER_DAY;
      days++;
    }
    out.days = days;
    out.micros = micros;
    return true;
  };
}

const TIMESTAMP_READERS = new Map(TimestampFormat.options.map((format) => [format, timestampReader(format)]));

/**
 * A parser of texts written in any of `formats` (tried in the order given): fills `out` with the UTC day and
 * microseconds (the zone's offset applied; no zone is UTC) and returns true, or returns false.
 */
export function compileTimestampParser(formats: readonly TimestampFormat[]): (text: string, out: TimestampValue) => boolean {
  const readers = formats.map((format) => TIMESTAMP_READERS.get(format)!);
  if (readers.length === 1) return readers[0]!;
  return (text, out) => {
    for (let i = 0; i < readers.length; i++) if (readers[i]!(text, out)) return true;
    return false;
  };
}

const DATE_READERS = new Map(DateFormat.options.map((format) => [format, dateReader(dateLayout(format))]));
const scratch: TimestampValue = { days: 0, micros: 0 };

/** The date formats that read `text` as a real date, in the enum's order (for inference, not the hot path). */
export const dateFormatsMatching = (text: string): DateFormat[] =>
  DateFormat.options.filter((format) => !Number.isNaN(DATE_READERS.get(format)!(text)));

/** The timestamp formats that read `text`, in the enum's order. */
export const timestampFormatsMatching = (text: string): TimestampFormat[] =>
  TimestampFormat.options.filter((format) => TIMESTAMP_READERS.get(format)!(text, scratch));

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** The civil date of a day number (days since 1970-01-01), by Howard Hinnant's days_from_civil inverse. */
function civilOf(days: number): DateParts {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day: doy - Math.floor((153 * mp + 2) / 5) + 1 };
}

/** `YYYY-MM-DD` of a day number: the one spelling a date has once validated, whatever format it came in. */
export function isoDateOf(days: number): string {
  const { year, month, day } = civilOf(days);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC) of a parsed timestamp: the one spelling a timestamp has once validated. */
export function isoTimestampOf({ days, micros }: TimestampValue): string {
  const seconds = Math.floor(micros / 1_000_000);
  const time = `${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}`;
  return `${isoDateOf(days)}T${time}.${pad(micros % 1_000_000, 6)}Z`;
}
