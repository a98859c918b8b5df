import { z } from 'zod';

export const ColumnType = z.enum(['integer', 'string', 'email', 'country', 'date', 'decimal', 'boolean']);
export type ColumnType = z.infer<typeof ColumnType>;

/** One column of a template: the rules are data, so validators, the UI and the docs all derive from them. */
export const TemplateColumn = z.object({
  name: z.string(),
  type: ColumnType,
  required: z.boolean(),
  minLength: z.number().int().optional(),
  maxLength: z.number().int().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  maxDecimals: z.number().int().optional(),
  pattern: z.string().optional(),
  patternHint: z.string().optional(),
  description: z.string().optional(),
});
export type TemplateColumn = z.infer<typeof TemplateColumn>;

export const Template = z.object({
  name: z.string(),
  /** Column that identifies a row: a repeated key is a duplicate, an existing one is updated. */
  key: z.string(),
  keyCaseInsensitive: z.boolean(),
  columns: z.array(TemplateColumn),
});
export type Template = z.infer<typeof Template>;

/** Row-level problems: stored, counted and served, never thrown. */
export const RowErrorCode = z.enum([
  'required',
  'invalid_integer',
  'invalid_email',
  'invalid_country',
  'invalid_date',
  'invalid_decimal',
  'invalid_boolean',
  'invalid_format',
  'too_short',
  'too_long',
  'out_of_range',
  'too_many_decimals',
  'duplicate_key',
  'column_count',
  'invalid_encoding',
]);
export type RowErrorCode = z.infer<typeof RowErrorCode>;

/** When each row error code is given (`npm run docs` writes docs/errors.md from this); every code needs one. */
export const ROW_ERROR_DESCRIPTIONS: Record<RowErrorCode, string> = {
  required: 'a required column is empty',
  invalid_integer: 'not a whole number',
  invalid_email: 'not a valid email address',
  invalid_country: 'not an ISO 3166-1 alpha-2 country code',
  invalid_date: 'not a date in the form `YYYY-MM-DD`, or not a real calendar date',
  invalid_decimal: 'not a decimal number like `12.50`',
  invalid_boolean: 'not one of `true`, `false`, `1`, `0`, `yes`, `no` (case-insensitive)',
  invalid_format: "text that does not match the column's pattern",
  too_short: "fewer characters than the column's `minLength` (after trimming)",
  too_long: "more characters than the column's `maxLength` (after trimming)",
  out_of_range: "a number below the column's `min` or above its `max`",
  too_many_decimals: "more decimal places than the column's `maxDecimals`",
  duplicate_key: 'the key of an earlier row of the same file, with `onDuplicate=error`',
  column_count: 'a row with more or fewer fields than the header (trailing empty fields are tolerated)',
  invalid_encoding: "bytes invalid in the file's encoding, or a NUL character in a text cell",
};
