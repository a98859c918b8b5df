import { z } from 'zod';
import { DateFormat, TimestampFormat } from './date-formats.js';

export const ColumnType = z.enum(['string', 'integer', 'decimal', 'boolean', 'date', 'timestamp', 'email', 'uuid', 'enum', 'country']);
export type ColumnType = z.infer<typeof ColumnType>;

/** A template's name, which is also the name of the table the service makes for it. */
export const TemplateName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be 1 to 63 characters: a lowercase letter, then lowercase letters, digits or _');

/** A column's name as the table has it; tables the service makes use TemplateName's spelling (see template-rules.ts). */
export const ColumnName = z
  .string()
  .min(1)
  .max(63)
  .refine((name) => !/[\u0000-\u001f]/.test(name), 'must not contain control characters');

/**
 * One column of a template: the rules are data, so the validators, the UI and the docs all derive from them.
 * Which rules a type takes is in template-rules.ts (RULES_BY_TYPE); every rule given is checked on every row.
 */
export const TemplateColumn = z
  .object({
    name: ColumnName,
    type: ColumnType,
    required: z.boolean().default(false),
    /** Other header names that mean this column (matched like the name: case, spaces, _ and - do not matter). */
    aliases: z.array(z.string().min(1).max(200)).max(20).optional(),
    description: z.string().max(500).optional(),
    minLength: z.number().int().min(0).optional(),
    maxLength: z.number().int().min(1).max(10_485_760).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    /** Digits after the point; a `decimal` column stores them exactly (numeric). */
    maxDecimals: z.number().int().min(0).max(1000).optional(),
    /** A regular expression (JavaScript syntax) the whole text must match. */
    pattern: z.string().min(1).max(1000).optional(),
    /** How the pattern reads to a person, for row error messages. */
    patternHint: z.string().max(200).optional(),
    /** The accepted values of an `enum` column, compared exactly after trimming. */
    values: z.array(z.string().min(1).max(1000)).min(1).max(10_000).optional(),
    /** Accepted input formats of a `date` or `timestamp` column, tried in order (default: ISO). */
    formats: z
      .array(z.union([DateFormat, TimestampFormat]))
      .min(1)
      .max(20)
      .optional(),
  })
  .strict();
export type TemplateColumn = z.infer<typeof TemplateColumn>;
export type TemplateColumnInput = z.input<typeof TemplateColumn>;

/** Error thresholds: an upload's own, or its template's default. */
export const MaxErrors = z.number().int().min(0);
export const MaxErrorRate = z.number().min(0).max(1);

/** A template as stored and served: what a file's rows must be, and where they go. */
export const Template = z.object({
  name: TemplateName,
  /** Columns that identify a row: a repeated key is a duplicate, an existing one is updated. */
  key: z.array(ColumnName).min(1),
  /** Text key columns compare case-insensitively ("AB-1" and "ab-1" are the same row). */
  keyCaseInsensitive: z.boolean(),
  /** The PostgreSQL table the rows go to, as `schema.table`. */
  table: z.string(),
  /** True when the service made the table for the template; false when the template is bound to a table that was there. */
  managed: z.boolean(),
  /** The built-in templates, visible to every tenant; they cannot be changed or deleted. */
  builtIn: z.boolean(),
  columns: z.array(TemplateColumn).min(1),
  /** Defaults for uploads that give none: past these the import stops with too_many_errors. */
  maxErrors: MaxErrors.optional(),
  maxErrorRate: MaxErrorRate.optional(),
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type Template = z.infer<typeof Template>;

/** Row-level problems: stored, counted and served, never thrown. */
export const RowErrorCode = z.enum([
  'required',
  'invalid_integer',
  'invalid_email',
  'invalid_country',
  'invalid_date',
  'invalid_timestamp',
  'invalid_uuid',
  'invalid_value',
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
  invalid_date: "not a real calendar date in one of the column's `formats` (`YYYY-MM-DD` when it lists none)",
  invalid_timestamp: "not a date and time in one of the column's `formats` (ISO 8601 when it lists none)",
  invalid_uuid: 'not a UUID (32 hexadecimal digits, with or without the dashes)',
  invalid_value: "not one of an enum column's `values`",
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
