import { z } from 'zod';
import { COUNTRY_CODES } from './countries.js';
import {
  compileDateParser,
  compileTimestampParser,
  DateFormat,
  isoDateOf,
  isoTimestampOf,
  TimestampFormat,
  type TimestampValue,
} from './date-formats.js';
import type { RowErrorCode, Template, TemplateColumn } from './template.js';

/**
 * A cell's value after validation, as PostgreSQL's text input accepts it
 * (canonical number, upper-case country, 't'/'f'), or null for an empty optional cell.
 */
export type CellValue = string | null;

type Ctx = z.core.$RefinementCtx<string>;
const fail = (ctx: Ctx, input: string, code: RowErrorCode, message: string): never => {
  ctx.issues.push({ code: 'custom', input, message, params: { code } });
  return z.NEVER;
};

const INTEGER = /^[+-]?\d+$/;
const BIGINT_MIN = -(2n ** 63n);
const BIGINT_MAX = 2n ** 63n - 1n;
const DECIMAL = /^[+-]?(\d+)(?:\.(\d+))?$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const BOOLEANS: Record<string, 't' | 'f'> = { true: 't', false: 'f', '1': 't', '0': 'f', yes: 't', no: 'f' };
// zod's z.email() rule: what nearly every address in a file passes, so it is tried first.
const ASCII_EMAIL: RegExp = z.regexes.email;
// The same shape for internationalized addresses (RFC 6531, as mail servers with SMTPUTF8 accept them): letters,
// marks and digits of any script in the local part and the domain's labels, and a top-level domain of letters or in
// punycode (xn--p1ai is .рф). zod's rule refuses both, so `josé@bücher.de` and `user@example.xn--p1ai` would fail.
const LOCAL_PART = String.raw`(?:[\p{L}\p{M}\p{Nd}_'+-]+\.)*[\p{L}\p{M}\p{Nd}_'+-]*[\p{L}\p{M}\p{Nd}_+-]`;
const DOMAIN = String.raw`(?:[\p{L}\p{M}\p{Nd}][\p{L}\p{M}\p{Nd}-]*\.)+(?:[\p{L}\p{M}]{2,}|xn--[A-Za-z0-9-]+)`;
const INTERNATIONAL_EMAIL = new RegExp(`^${LOCAL_PART}@${DOMAIN}$`, 'u');

/** Whether a cell is an email address: the rule of every `email` column, in validation, previews and inference. */
export const isEmailAddress = (value: string): boolean => ASCII_EMAIL.test(value) || INTERNATIONAL_EMAIL.test(value);

/** A date column's accepted formats, as listed (ISO when none is). */
export const dateFormatsOf = (column: TemplateColumn): DateFormat[] =>
  (column.formats ?? []).filter((f): f is DateFormat => DateFormat.safeParse(f).success).concat(column.formats ? [] : ['YYYY-MM-DD']);

/** A timestamp column's accepted formats, as listed (ISO when none is). */
export const timestampFormatsOf = (column: TemplateColumn): TimestampFormat[] =>
  (column.formats ?? []).filter((f): f is TimestampFormat => TimestampFormat.safeParse(f).success).concat(column.formats ? [] : ['ISO']);

function checkLength(ctx: Ctx, column: TemplateColumn, value: string): void {
  const length = [...value].length;
  if (column.minLength !== undefined && length < column.minLength)
    fail(ctx, value, 'too_short', `must have at least ${column.minLength} characters`);
  if (column.maxLength !== undefined && length > column.maxLength)
    fail(ctx, value, 'too_long', `must have at most ${column.maxLength} characters (has ${length})`);
}

function checkRange(ctx: Ctx, column: TemplateColumn, value: number): void {
  if (column.min !== undefined && value < column.min) fail(ctx, String(value), 'out_of_range', `must be ${column.min} or more`);
  if (column.max !== undefined && value > column.max) fail(ctx, String(value), 'out_of_range', `must be at most ${column.max}`);
}

type CellCheck = (value: string, ctx: Ctx) => string;

const formatUuid = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

/** Each type's check, made once per column: its pattern, formats and values are compiled then, not per cell. */
const byType: Record<TemplateColumn['type'], (column: TemplateColumn) => CellCheck> = {
  string(column) {
    const pattern = column.pattern ? new RegExp(column.pattern) : null;
    return (value, ctx) => {
      // PostgreSQL text cannot hold NUL; every other type's own format already refuses it.
      if (value.includes('\u0000')) return fail(ctx, value, 'invalid_encoding', 'contains a NUL character, which text cannot hold');
      checkLength(ctx, column, value);
      if (pattern && !pattern.test(value))
        fail(ctx, value, 'invalid_format', `may contain only ${column.patternHint ?? `text matching ${column.pattern}`}`);
      return value;
    };
  },
  email: (column) => (value, ctx) => {
    if (!isEmailAddress(value)) return fail(ctx, value, 'invalid_email', 'is not a valid email address');
    checkLength(ctx, column, value);
    return value;
  },
  integer: (column) => (value, ctx) => {
    if (!INTEGER.test(value)) return fail(ctx, value, 'invalid_integer', 'is not a whole number');
    const n = Number(value);
    checkRange(ctx, column, n);
    if (Number.isSafeInteger(n)) return String(n);
    // Past 2^53 a Number rounds (9007199254740993 would be stored as …992): BigInt keeps every digit, and says exactly
    // whether the value fits the bigint the column is stored as.
    const big = BigInt(value);
    if (big < BIGINT_MIN || big > BIGINT_MAX) return fail(ctx, value, 'out_of_range', `must be between ${BIGINT_MIN} and ${BIGINT_MAX}`);
    return big.toString();
  },
  decimal: (column) => (value, ctx) => {
    const match = DECIMAL.exec(value);
    if (!match) return fail(ctx, value, 'invalid_decimal', 'is not a decimal number like 12.50');
    const places = match[2]?.length ?? 0;
    if (column.maxDecimals !== undefined && places > column.maxDecimals)
      fail(ctx, value, 'too_many_decimals', `must have at most ${column.maxDecimals} decimal places`);
    const n = Number(value);
    checkRange(ctx, column, n);
    return value.startsWith('+') ? value.slice(1) : value;
  },
  country: () => (value, ctx) => {
    const code = value.toUpperCase();
    if (!COUNTRY_CODES.has(code)) return fail(ctx, value, 'invalid_country', 'is not an ISO 3166-1 alpha-2 country code');
    return code;
  },
  date(column) {
    const formats = dateFormatsOf(column);
    const parse = compileDateParser(formats);
    return (value, ctx) => {
      const days = parse(value);
      if (Number.isNaN(days)) return fail(ctx, value, 'invalid_date', `is not a real calendar date in the form ${formats.join(' or ')}`);
      return isoDateOf(days);
    };
  },
  timestamp(column) {
    const formats = timestampFormatsOf(column);
    const parse = compileTimestampParser(formats);
    const parsed: TimestampValue = { days: 0, micros: 0 };
    return (value, ctx) => {
      if (!parse(value, parsed)) return fail(ctx, value, 'invalid_timestamp', `is not a date and time in the form ${formats.join(' or ')}`);
      return isoTimestampOf(parsed);
    };
  },
  uuid: () => (value, ctx) => {
    if (!UUID.test(value)) return fail(ctx, value, 'invalid_uuid', 'is not a UUID like 0b5f0c1e-2f7d-4c4b-9a51-3c2d6f1e8a90');
    return formatUuid(value.replaceAll('-', '').toLowerCase());
  },
  enum(column) {
    const values = new Set(column.values ?? []);
    const listed = column.values ?? [];
    const shown = listed.length > 10 ? `${listed.slice(0, 10).join(', ')}, … (${listed.length} in all)` : listed.join(', ');
    return (value, ctx) => (values.has(value) ? value : fail(ctx, value, 'invalid_value', `must be one of ${shown}`));
  },
  boolean: () => (value, ctx) => {
    const lower = value.toLowerCase();
    const flag = Object.hasOwn(BOOLEANS, lower) ? BOOLEANS[lower] : undefined;
    if (!flag) return fail(ctx, value, 'invalid_boolean', 'must be one of true, false, 1, 0, yes, no');
    return flag;
  },
};

/** The zod schema of one column: raw cell text in, CellValue out; each issue carries a RowErrorCode in `params.code`. */
export function cellSchema(column: TemplateColumn): z.ZodType<CellValue, string> {
  const check = byType[column.type](column);
  return z.string().transform((raw, ctx): CellValue => {
    const value = raw.trim();
    if (value === '') {
      if (column.required) fail(ctx, raw, 'required', 'is required');
      return null;
    }
    return check(value, ctx);
  });
}

/** Schemas of every column of a template, in template order; built once per template. */
export const templateCellSchemas = (template: Template): ReadonlyArray<z.ZodType<CellValue, string>> => template.columns.map(cellSchema);
