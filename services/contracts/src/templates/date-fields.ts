/**
 * The fields of dates, times and zones read from text by character codes: these run once per cell of an import,
 * where a regex match with groups costs more than the characters it reads. Every reader takes the index to start
 * at and returns the index after what it read, or -1; the values go into a parts object the caller owns.
 */

const ZERO = 0x30;
const COLON = 0x3a;
const DOT = 0x2e;
const COMMA = 0x2c;
const PLUS = 0x2b;
const MINUS = 0x2d;
export const SPACE = 0x20;
export const NO_SEPARATOR = -1;

export const MICROS_PER_DAY = 86_400_000_000;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

export interface TimeParts {
  /** Microseconds since midnight as written (a rounded fraction may make it reach the next second). */
  micros: number;
  /** Minutes east of UTC; 0 when the text names no zone. */
  offsetMinutes: number;
}

/** How a date is laid out: the order of its fields and the character between them. */
export interface DateLayout {
  readonly order: 'ymd' | 'dmy' | 'mdy';
  readonly separator: number;
}

const isDigit = (c: number) => c >= ZERO && c <= ZERO + 9;

/** `count` ASCII digits from `from` as a number, or -1 if any is not one (past the end of the text included). */
export function digitsAt(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - ZERO; // NaN past the end, which fails the test below
    if (!(d >= 0 && d <= 9)) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Digits in a field of one or two (3 or 03): how many there are from `at`, 0 when there is none. */
const shortFieldLength = (text: string, at: number) => (!isDigit(text.charCodeAt(at)) ? 0 : isDigit(text.charCodeAt(at + 1)) ? 2 : 1);

/**
 * Reads a date laid out as `layout` from `at`. Year-first layouts take two-digit months and days (ISO 8601);
 * day- or month-first ones also take one digit, as spreadsheets write them (3/7/2021).
 */
export function readDate(text: string, at: number, layout: DateLayout, out: DateParts): number {
  const sep = layout.separator;
  const gap = sep === NO_SEPARATOR ? 0 : 1;
  if (layout.order === 'ymd') {
    out.year = digitsAt(text, at, 4);
    if (gap && text.charCodeAt(at + 4) !== sep) return -1;
    out.month = digitsAt(text, at + 4 + gap, 2);
    if (gap && text.charCodeAt(at + 6 + gap) !== sep) return -1;
    out.day = digitsAt(text, at + 6 + 2 * gap, 2);
    return out.year < 0 || out.month < 0 || out.day < 0 ? -1 : at + 8 + 2 * gap;
  }
  const firstLength = shortFieldLength(text, at);
  if (firstLength === 0 || text.charCodeAt(at + firstLength) !== sep) return -1;
  const second = at + firstLength + 1;
  const secondLength = shortFieldLength(text, second);
  if (secondLength === 0 || text.charCodeAt(second + secondLength) !== sep) return -1;
  const first = digitsAt(text, at, firstLength);
  const next = digitsAt(text, second, secondLength);
  out.day = layout.order === 'dmy' ? first : next;
  out.month = layout.order === 'dmy' ? next : first;
  out.year = digitsAt(text, second + secondLength + 1, 4);
  return out.year < 0 ? -1 : second + secondLength + 5;
}

const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

/** Days from 1970-01-01 to a real calendar date of years 1 to 9999, or NaN for anything else. */
export function dayNumber({ year, month, day }: DateParts): number {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return NaN;
  if (day > DAYS_IN_MONTH[month - 1]! && !(month === 2 && day === 29 && isLeapYear(year))) return NaN;
  // Days from civil (H. Hinnant): years counted from March, so the leap day ends a year.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * Reads `H:mm`, with `:ss` when `seconds` says so, and after seconds an optional fraction of 1 to 9 digits
 * (`.` or `,`, rounded to microseconds). Hours have two digits when `twoDigitHour`, else one or two.
 */
export function readTime(
  text: string,
  at: number,
  twoDigitHour: boolean,
  seconds: 'absent' | 'optional' | 'required',
  out: TimeParts,
): number {
  const hourLength = twoDigitHour ? 2 : shortFieldLength(text, at);
  const hour = hourLength === 0 ? -1 : digitsAt(text, at, hourLength);
  let i = at + hourLength;
  if (hour < 0 || hour > 23 || text.charCodeAt(i) !== COLON) return -1;
  const minute = digitsAt(text, i + 1, 2);
  if (minute < 0 || minute > 59) return -1;
  i += 3;
  out.micros = (hour * 3600 + minute * 60) * 1_000_000;
  if (seconds === 'absent' || (seconds === 'optional' && text.charCodeAt(i) !== COLON)) return i;
  if (text.charCodeAt(i) !== COLON) return -1;
  const second = digitsAt(text, i + 1, 2);
  if (second < 0 || second > 59) return -1;
  i += 3;
  out.micros += second * 1_000_000;
  const mark = text.charCodeAt(i);
  if (mark !== DOT && mark !== COMMA) return i;
  let digits = 0;
  let fraction = 0;
  while (isDigit(text.charCodeAt(i + 1 + digits))) fraction = fraction * 10 + (text.charCodeAt(i + 1 + digits++) - ZERO);
  if (digits < 1 || digits > 9) return -1;
  out.micros += digits <= 6 ? fraction * 10 ** (6 - digits) : Math.round(fraction / 10 ** (digits - 6));
  return i + 1 + digits;
}

/** Reads an optional zone: `Z`, or `±HH`, `±HHMM`, `±HH:MM` (hours up to 15). Sets the offset, 0 without one. */
export function readZone(text: string, at: number, out: TimeParts): number {
  out.offsetMinutes = 0;
  if (at === text.length) return at;
  const sign = text.charCodeAt(at);
  if (sign === 0x5a || sign === 0x7a) return at + 1; // Z, z
  if (sign !== PLUS && sign !== MINUS) return -1;
  const hours = digitsAt(text, at + 1, 2);
  if (hours < 0 || hours > 15) return -1;
  let i = at + 3;
  if (i === text.length) {
    out.offsetMinutes = sign === MINUS ? -hours * 60 : hours * 60;
    return i;
  }
  if (text.charCodeAt(i) === COLON) i++;
  const minutes = digitsAt(text, i, 2);
  if (minutes < 0 || minutes > 59) return -1;
  const offset = hours * 60 + minutes;
  out.offsetMinutes = sign === MINUS ? -offset : offset;
  return i + 2;
}
