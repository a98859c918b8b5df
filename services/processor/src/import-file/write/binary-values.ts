import { digitsAt } from '../validate/ascii-digits.js';
import type { CopyRowsBuilder } from './copy-rows.js';
import type { SqlType } from './target-table.js';

/**
 * One value at a time in PostgreSQL's binary COPY format, by the column's encoding. The values come from the
 * validator (canonical digits, YYYY-MM-DD dates, 't'/'f'), so these writers only convert; anything else is a bug
 * upstream and throws. copy-binary.ts puts them together into rows.
 */

export const TEXT = 0;
export const INT8 = 1;
const NUMERIC = 2;
const DATE = 3;
const BOOL = 4;
const INT4 = 5;
const INT2 = 6;
const FLOAT8 = 7;
const FLOAT4 = 8;
const TIMESTAMP = 9;
const UUID = 10;

/** The binary form each catalog type takes; an enum type's binary form is its label's text. */
const ENCODING: Readonly<Record<string, number>> = {
  text: TEXT,
  varchar: TEXT,
  bpchar: TEXT,
  citext: TEXT,
  int8: INT8,
  int4: INT4,
  int2: INT2,
  numeric: NUMERIC,
  float8: FLOAT8,
  float4: FLOAT4,
  date: DATE,
  bool: BOOL,
  timestamptz: TIMESTAMP,
  timestamp: TIMESTAMP,
  uuid: UUID,
};

/** The encoding of a column's type; a type the service does not write is a bug upstream (binding refuses it). */
export function encodingOf(type: SqlType): number {
  const encoding = type.kind === 'e' ? TEXT : ENCODING[type.name];
  if (encoding === undefined) throw new TypeError(`no binary encoder for the PostgreSQL type ${type.name}`);
  return encoding;
}

const PLUS = 0x2b;
const MINUS = 0x2d;
const TWO_32 = 4294967296;
/** 2000-01-01, PostgreSQL's day zero, counted from 1970-01-01. */
const PG_EPOCH_DAYS = 10957;
const NUMERIC_NEG = 0x4000;
const NUMERIC_MAX_SCALE = 0x3fff;
const NUMERIC_MAX_WEIGHT = 0x7fff;

function int16At(bytes: Buffer, at: number, n: number): void {
  // Typed-array stores keep the low 8 bits, so no masks are needed.
  bytes[at] = n >>> 8;
  bytes[at + 1] = n;
}

function int32At(bytes: Buffer, at: number, n: number): void {
  bytes[at] = n >>> 24;
  bytes[at + 1] = n >>> 16;
  bytes[at + 2] = n >>> 8;
  bytes[at + 3] = n;
}

export function writeNull(rows: CopyRowsBuilder): void {
  int32At(rows.room(4), rows.end, -1);
  rows.end += 4;
}

/** UTF-8 with a length in front; ASCII (most cells) is copied char by char, which beats a call into the encoder for short strings. */
export function writeText(rows: CopyRowsBuilder, value: string): void {
  const length = value.length;
  const bytes = rows.room(4 + length * 3);
  const start = rows.end + 4;
  let at = start;
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0x7f) {
      at = start + bytes.write(value, start, 'utf8');
      break;
    }
    bytes[at++] = c;
  }
  int32At(bytes, rows.end, at - start);
  rows.end = at;
}

export function writeInt8(rows: CopyRowsBuilder, n: number): void {
  const bytes = rows.room(12);
  const at = rows.end;
  int32At(bytes, at, 8);
  int32At(bytes, at + 4, Math.floor(n / TWO_32));
  int32At(bytes, at + 8, n >>> 0);
  rows.end = at + 12;
}

/** The validator's canonical integer text (what String(Number(text)) gives, or longer digits). */
export function writeInt8Text(rows: CopyRowsBuilder, value: string): void {
  const n = Number(value);
  if (Number.isSafeInteger(n)) return writeInt8(rows, n);
  const big = BigInt(value); // a SyntaxError for anything but an integer
  if (BigInt.asIntN(64, big) !== big) throw new RangeError(`${value} does not fit a bigint column`);
  const bytes = rows.room(12);
  int32At(bytes, rows.end, 8);
  bytes.writeBigInt64BE(big, rows.end + 4);
  rows.end += 12;
}

/** `count` digits at `from` as a number; anything but digits is a bug upstream. */
function digitsOf(value: string, from: number, count: number): number {
  const n = digitsAt(value, from, count);
  if (n < 0) throw new TypeError(`${JSON.stringify(value).slice(0, 40)} is not a validated number or date`);
  return n;
}

/** `[+-]digits[.digits]` as base-10000 digit groups: PostgreSQL strips the zero groups at either end itself. */
function writeNumeric(rows: CopyRowsBuilder, value: string): void {
  const length = value.length;
  const first = value.charCodeAt(0);
  const from = first === MINUS || first === PLUS ? 1 : 0;
  const point = value.indexOf('.', from);
  const intEnd = point === -1 ? length : point;
  const intDigits = intEnd - from;
  const scale = point === -1 ? 0 : length - point - 1;
  const intGroups = Math.ceil(intDigits / 4);
  const groups = intGroups + Math.ceil(scale / 4);
  if (intDigits === 0 || intGroups - 1 > NUMERIC_MAX_WEIGHT || scale > NUMERIC_MAX_SCALE || groups > 0xffff)
    throw new RangeError(`${JSON.stringify(value).slice(0, 40)} cannot be a numeric value`);
  const bytes = rows.room(16 + 2 * groups);
  let at = rows.end;
  int32At(bytes, at, 8 + 2 * groups);
  int16At(bytes, at + 4, groups);
  int16At(bytes, at + 6, intGroups - 1);
  int16At(bytes, at + 8, first === MINUS ? NUMERIC_NEG : 0);
  int16At(bytes, at + 10, scale);
  at += 12;
  // The first integer group takes what is left over from groups of four; the last fraction group is padded with zeros.
  for (let pos = from, take = intDigits % 4 || 4; pos < intEnd; pos += take, take = 4, at += 2)
    int16At(bytes, at, digitsOf(value, pos, take));
  for (let pos = intEnd + 1; pos < length; pos += 4, at += 2) {
    const take = Math.min(4, length - pos);
    int16At(bytes, at, digitsOf(value, pos, take) * 10 ** (4 - take));
  }
  rows.end = at;
}

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
function daysFromUnixEpoch(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** YYYY-MM-DD as days since 2000-01-01. */
function writeDate(rows: CopyRowsBuilder, value: string): void {
  if (value.length !== 10 || value.charCodeAt(4) !== MINUS || value.charCodeAt(7) !== MINUS)
    throw new TypeError(`${JSON.stringify(value)} is not a validated date`);
  const year = digitsOf(value, 0, 4);
  const month = digitsOf(value, 5, 2);
  const day = digitsOf(value, 8, 2);
  const bytes = rows.room(8);
  int32At(bytes, rows.end, 4);
  int32At(bytes, rows.end + 4, daysFromUnixEpoch(year, month, day) - PG_EPOCH_DAYS);
  rows.end += 8;
}

function writeBool(rows: CopyRowsBuilder, value: string): void {
  if (value !== 't' && value !== 'f') throw new TypeError(`${JSON.stringify(value)} is not a validated boolean`);
  const bytes = rows.room(5);
  int32At(bytes, rows.end, 1);
  bytes[rows.end + 4] = value === 't' ? 1 : 0;
  rows.end += 5;
}

function writeInt4(rows: CopyRowsBuilder, value: string, size: 2 | 4): void {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new TypeError(`${JSON.stringify(value)} is not a validated integer`);
  const bytes = rows.room(4 + size);
  int32At(bytes, rows.end, size);
  if (size === 4) int32At(bytes, rows.end + 4, n);
  else int16At(bytes, rows.end + 4, n);
  rows.end += 4 + size;
}

function writeFloat(rows: CopyRowsBuilder, value: string, size: 4 | 8): void {
  const bytes = rows.room(4 + size);
  int32At(bytes, rows.end, size);
  if (size === 8) bytes.writeDoubleBE(Number(value), rows.end + 4);
  else bytes.writeFloatBE(Number(value), rows.end + 4);
  rows.end += 4 + size;
}

const MICROS_PER_DAY = 86_400_000_000;

/**
 * The validator's canonical timestamp, `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC), as microseconds since 2000-01-01:
 * a day count times a day's microseconds can pass 2^53, so the 64 bits are written as two 32-bit halves.
 */
function writeTimestamp(rows: CopyRowsBuilder, value: string): void {
  if (value.length !== 27 || value.charCodeAt(10) !== 0x54 || value.charCodeAt(26) !== 0x5a)
    throw new TypeError(`${JSON.stringify(value)} is not a validated timestamp`);
  const days = daysFromUnixEpoch(digitsOf(value, 0, 4), digitsOf(value, 5, 2), digitsOf(value, 8, 2)) - PG_EPOCH_DAYS;
  const micros =
    ((digitsOf(value, 11, 2) * 60 + digitsOf(value, 14, 2)) * 60 + digitsOf(value, 17, 2)) * 1_000_000 + digitsOf(value, 20, 6);
  const big = BigInt(days) * BigInt(MICROS_PER_DAY) + BigInt(micros);
  const bytes = rows.room(12);
  int32At(bytes, rows.end, 8);
  bytes.writeBigInt64BE(big, rows.end + 4);
  rows.end += 12;
}

function writeUuid(rows: CopyRowsBuilder, value: string): void {
  const hex = value.replaceAll('-', '');
  if (hex.length !== 32) throw new TypeError(`${JSON.stringify(value)} is not a validated UUID`);
  const bytes = rows.room(20);
  int32At(bytes, rows.end, 16);
  if (bytes.write(hex, rows.end + 4, 'hex') !== 16) throw new TypeError(`${JSON.stringify(value)} is not a validated UUID`);
  rows.end += 20;
}

export function uuidField(uuid: string): Buffer {
  const hex = uuid.replaceAll('-', '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new TypeError(`${uuid} is not a UUID`);
  const field = Buffer.alloc(20);
  int32At(field, 0, 16);
  field.write(hex, 4, 'hex');
  return field;
}

/** One value of a column of the given encoding (never null). */
export function writeValue(rows: CopyRowsBuilder, encoding: number, value: string): void {
  switch (encoding) {
    case TEXT:
      return writeText(rows, value);
    case NUMERIC:
      return writeNumeric(rows, value);
    case DATE:
      return writeDate(rows, value);
    case BOOL:
      return writeBool(rows, value);
    case INT4:
      return writeInt4(rows, value, 4);
    case INT2:
      return writeInt4(rows, value, 2);
    case FLOAT8:
      return writeFloat(rows, value, 8);
    case FLOAT4:
      return writeFloat(rows, value, 4);
    case TIMESTAMP:
      return writeTimestamp(rows, value);
    case UUID:
      return writeUuid(rows, value);
    default:
      return writeInt8Text(rows, value);
  }
}
