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
