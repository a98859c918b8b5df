import { z } from 'zod';
import { COUNTRY_CODES } from './countries.js';
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
const DECIMAL = /^[+-]?(\d+)(?:\.(\d+))?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const BOOLEANS: Record<string, 't' | 'f'> = { true: 't', false: 'f', '1': 't', '0': 'f', yes: 't', no: 'f' };
// The same address rule zod's z.email() applies, kept as one compiled regex.
export const EMAIL_PATTERN: RegExp = z.regexes.email;
const EMAIL = EMAIL_PATTERN;

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

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

const byType: Record<TemplateColumn['type'], (column: TemplateColumn, value: string, ctx: Ctx) => string> = {
  string(column, value, ctx) {
    // PostgreSQL text cannot hold NUL; every other type's own format already refuses it.
    if (value.includes('\u0000')) return fail(ctx, value, 'invalid_encoding', 'contains a NUL character, which text cannot hold');
    checkLength(ctx, column, value);
    if (column.pattern && !new RegExp(column.pattern).test(value))
      fail(ctx, value, 'invalid_format', `may contain only ${column.patternHint ?? `text matching ${column.pattern}`}`);
    return value;
  },
  email(column, value, ctx) {
    if (!EMAIL.test(value)) return fail(ctx, value, 'invalid_email', 'is not a valid email address');
    checkLength(ctx, column, value);
    return value;
  },
  integer(column, value, ctx) {
    if (!INTEGER.test(value)) return fail(ctx, value, 'invalid_integer', 'is not a whole number');
    const n = Number(value);
    checkRange(ctx, column, n);
    return String(n);
  },
  decimal(column, value, ctx) {
    const match = DECIMAL.exec(value);
    if (!match) return fail(ctx, value, 'invalid_decimal', 'is not a decimal number like 12.50');
    const places = match[2]?.length ?? 0;
    if (column.maxDecimals !== undefined && places > column.maxDecimals)
      fail(ctx, value, 'too_many_decimals', `must have at most ${column.maxDecimals} decimal places`);
    const n = Number(value);
    checkRange(ctx, column, n);
    return value.startsWith('+') ? value.slice(1) : value;
  },
  country(_column, value, ctx) {
    const code = value.toUpperCase();
    if (!COUNTRY_CODES.has(code)) return fail(ctx, value, 'invalid_country', 'is not an ISO 3166-1 alpha-2 country code');
    return code;
  },
  date(_column, value, ctx) {
    const match = DATE.exec(value);
    if (!match) return fail(ctx, value, 'invalid_date', 'is not a date in the form YYYY-MM-DD');
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
      return fail(ctx, value, 'invalid_date', 'is not a real calendar date');
    return value;
  },
  boolean(_column, value, ctx) {
    const flag = BOOLEANS[value.toLowerCase()];
    if (!flag) return fail(ctx, value, 'invalid_boolean', 'must be one of true, false, 1, 0, yes, no');
    return flag;
  },
};

/** The zod schema of one column: raw cell text in, CellValue out; each issue carries a RowErrorCode in `params.code`. */
export function cellSchema(column: TemplateColumn): z.ZodType<CellValue, string> {
  const check = byType[column.type];
  return z.string().transform((raw, ctx): CellValue => {
    const value = raw.trim();
    if (value === '') {
      if (column.required) fail(ctx, raw, 'required', 'is required');
      return null;
    }
    return check(column, value, ctx);
  });
}

/** Schemas of every column of a template, in template order; built once per template. */
export const templateCellSchemas = (template: Template): ReadonlyArray<z.ZodType<CellValue, string>> =>
  template.columns.map(cellSchema);
