import { z } from 'zod';
import { Delimiter, FileEncoding, FileFormat } from './job.js';
import { DateFormat, TimestampFormat } from './templates/date-formats.js';
import { ColumnType } from './templates/template.js';

/** The column types a preview infers from values alone (enum and country need a person's say). */
export const InferredType = ColumnType.extract(['string', 'integer', 'decimal', 'boolean', 'date', 'timestamp', 'email', 'uuid']);
export type InferredType = z.infer<typeof InferredType>;

export const LineEnd = z.enum(['\n', '\r\n', '\r']);
export type LineEnd = z.infer<typeof LineEnd>;

/** How a CSV file is written: what the sniffer found, and what an import of it should be told. */
export const Dialect = z.object({
  encoding: FileEncoding,
  delimiter: Delimiter,
  /** The quote character, or null when the file is read without quoting (a `"` is then an ordinary character). */
  quote: z.literal('"').nullable(),
  /** Whether the first row names the columns. */
  header: z.boolean(),
  lineEnd: LineEnd,
});
export type Dialect = z.infer<typeof Dialect>;

export const PreviewColumn = z.object({
  /** 0-based position in the file. */
  index: z.number().int().nonnegative(),
  /** The header's cell as written, or `column1`, `column2`… when the file has no header (or the cell is empty). */
  header: z.string(),
  type: InferredType,
  /** Whether a sampled row leaves the cell empty or writes a null token (NULL, NA, N/A, \N). */
  nullable: z.boolean(),
  /** For dates and timestamps: every format that read every sampled value, the likeliest first. */
  formats: z.array(z.union([DateFormat, TimestampFormat])).optional(),
  /** A few distinct sampled values. */
  examples: z.array(z.string()),
});
export type PreviewColumn = z.infer<typeof PreviewColumn>;

/** A sheet of a workbook, in tab order. */
export const PreviewSheet = z.object({ name: z.string(), number: z.number().int(), hidden: z.boolean(), worksheet: z.boolean() });
export type PreviewSheet = z.infer<typeof PreviewSheet>;

export const Preview = z.object({
  /** csv, or xlsx: a workbook's dialect is what an import of its rows as CSV would be told. */
  format: FileFormat,
  /** For a workbook: the sheet previewed, and every sheet to choose another. */
  sheet: PreviewSheet.optional(),
  sheets: z.array(PreviewSheet).optional(),
  dialect: Dialect,
  columns: z.array(PreviewColumn),
  /** The first data rows (20 at most), their cells as the file writes them. */
  rows: z.array(z.array(z.string())),
});
export type Preview = z.infer<typeof Preview>;
