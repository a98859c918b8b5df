import { decimalText } from './decimal-text.js';

const MS_PER_DAY = 86_400_000;
/** Excel's day 0 in the 1900 date system, as days before 1970-01-01; the 1904 system starts 1462 days later. */
const EXCEL_EPOCH_DAYS = 25_569;
const DATE_1904_OFFSET_DAYS = 1_462;

/** What a number format shows of a date: nothing (not a date format), the day, the time of day, or both. */
export interface DateParts {
  date: boolean;
  time: boolean;
}

const NOT_A_DATE: DateParts = { date: false, time: false };
const formatParts = new Map<string, DateParts>();

/**
 * Reads a number format's codes, case-insensitively, past quoted text, `\x` escapes, `_x` and `*x` spacing and
 * `[...]` colours and locales (`[h]` elapsed hours still count as time). `m` is minutes next to `h` or `s`, and
 * the month otherwise, as Excel reads it.
 */
export function dateParts(format: string | undefined): DateParts {
  if (!format) return NOT_A_DATE;
  let parts = formatParts.get(format);
  if (parts) return parts;
  const codes = format
    .replace(/"[^"]*"/g, '')
    .replace(/[\\_*]./g, '')
    .replace(/\[(h+|m+|s+)\]/gi, '$1')
    .replace(/\[[^\]]*\]/g, '')
    .toLowerCase();
  const time = /[hs]|am\/pm|a\/p/.test(codes);
  const date = /[ydb]/.test(codes) || (/m/.test(codes) && !time);
  parts = { date, time };
  if (formatParts.size < 1000) formatParts.set(format, parts);
  return parts;
}

const twoDigits = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * A date cell as ISO text: `YYYY-MM-DD` for a whole day shown as a date, `HH:MM:SS` (with `.sss` when it has
 * milliseconds) for a format that shows only the time, and `YYYY-MM-DDTHH:MM:SS.sssZ` for the rest, including
 * every value of a format that shows a time, midnight too, so a column of timestamps stays one type.
 * Excel's dates have no zone: they are read as UTC.
 */
export function dateText(date: Date, format: string | undefined): string {
  const ms = date.getTime();
  if (Number.isNaN(ms)) return '';
  const parts = dateParts(format);
  const iso = date.toISOString();
  if (parts.time && !parts.date) {
    const time = `${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}:${twoDigits(date.getUTCSeconds())}`;
    return date.getUTCMilliseconds() === 0 ? time : `${time}${iso.slice(19, 23)}`;
  }
  const wholeDay = ((ms % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY === 0;
  return wholeDay && !parts.time ? iso.slice(0, 10) : iso;
}

/** A date serial number (days since Excel's epoch, the time as its fraction) as a Date, to the millisecond. */
export const excelSerialDate = (serial: number, date1904: boolean): Date =>
  new Date(Math.round((serial - EXCEL_EPOCH_DAYS + (date1904 ? DATE_1904_OFFSET_DAYS : 0)) * MS_PER_DAY));

/** OOXML writes characters XML cannot hold (a CR in a cell, say) as `_xHHHH_`, and a literal `_x` as `_x005F_x`. */
const ESCAPED = /_x([0-9A-Fa-f]{4})_/g;
const unescapeText = (text: string) =>
  text.includes('_x') ? text.replace(ESCAPED, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * The text of a cell value as exceljs reads it, in the forms the validators accept: numbers as plain decimals,
 * booleans `true`/`false`, dates as ISO (a number in a date format is a date, as Excel stores them), strings and
 * rich text as their plain text, a formula as its cached result, error values (#N/A…) and empty cells as ''.
 */
export function cellText(value: unknown, format: string | undefined, date1904: boolean): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return unescapeText(value);
  if (typeof value === 'number') {
    const parts = dateParts(format);
    return parts.date || parts.time ? dateText(excelSerialDate(value, date1904), format) : decimalText(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return dateText(value, format);
  if (!isObject(value) || 'error' in value) return '';
  if (Array.isArray(value.richText)) return unescapeText(value.richText.map((run: { text?: string }) => run.text ?? '').join(''));
  if ('result' in value) return cellText(value.result, format, date1904);
  if ('text' in value) return cellText(value.text, format, date1904); // a hyperlink's shown text
  return ''; // a formula without a cached result: nothing was computed to read
}
