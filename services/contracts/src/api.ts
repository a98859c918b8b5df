import { z } from 'zod';
import { Delimiter, HeaderMappingInput, Job, JobStatus, OnDuplicate, type FileEncoding } from './job.js';
import { ColumnName, MaxErrorRate, MaxErrors, TemplateName } from './templates/template.js';

const ENCODING_NAMES: Record<string, FileEncoding> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  // Latin-1 differs from Windows-1252 only in 0x80-0x9F, which Latin-1 uses for unprintable controls.
  latin1: 'windows-1252',
  'iso-8859-1': 'windows-1252',
};

/** The template name that asks the service to infer a template from the file (with `table`). */
export const AUTO_TEMPLATE = 'auto';

const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

/**
 * The form fields of POST /api/imports besides `file`. A field not listed is refused with its name, so a
 * misspelt option never runs an import the person did not ask for.
 */
export const ImportFormFields = z
  .object({
    template: z.string().min(1).max(64).default('contacts').describe('The template to import with; `auto` infers one from the file.'),
    onDuplicate: OnDuplicate.default('error').describe('A key already seen: `error` (a row error) or `last` (the last occurrence wins).'),
    encoding: z
      .string()
      .transform((name, ctx) => {
        const encoding = ENCODING_NAMES[name.trim().toLowerCase()];
        if (encoding) return encoding;
        ctx.addIssue({ code: 'custom', message: `unknown encoding "${name}"` });
        return z.NEVER;
      })
      .optional()
      .describe('Optional: overrides detection. utf-8, utf-16le, utf-16be, windows-1252 (aliases: utf8, cp1252, latin1, iso-8859-1).'),
    delimiter: z
      .string()
      .transform((raw) => (raw === 'tab' || raw === '\\t' ? '\t' : raw))
      .pipe(Delimiter)
      .optional()
      .describe('Optional: overrides sniffing. One of , ; | or a tab (also written "tab" or "\\t").'),
    mapping: z
      .string()
      .max(100_000)
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be JSON like {"E-mail": "email", "Notes": null}' });
          return z.NEVER;
        }
      })
      .pipe(HeaderMappingInput)
      .optional()
      .describe('JSON `{"<file header>": "<template column>" or null}`: wins over matching by name.'),
    table: TemplateName.optional().describe('With template=auto: the name of the template (and table) to make from the file.'),
    key: ColumnName.optional().describe('With template=auto: the column to key rows by, when the service should not choose it.'),
    dryRun: flag.default(false).describe('Validate everything and write nothing; the job reports its plan.'),
    maxErrors: z.coerce
      .number()
      .pipe(MaxErrors)
      .optional()
      .describe("Past this many failed rows the import stops and fails with too_many_errors (default: the template's, else none)."),
    maxErrorRate: z.coerce.number().pipe(MaxErrorRate).optional().describe('Past this share of processed rows failing (0 to 1), likewise.'),
    atomic: flag
      .default(false)
      .describe("The file's rows become visible in one transaction at the end; a failure, cancel or threshold leaves the table as it was."),
    sheet: z.string().min(1).max(100).optional().describe('Which sheet of a workbook: its name, or its 1-based number.'),
  })
  .strict();
export type ImportFormFields = z.infer<typeof ImportFormFields>;

const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

const Instant = z.string().datetime({ offset: true });

export const ListImportsQuery = z.object({
  status: JobStatus.optional(),
  template: z.string().min(1).max(63).optional().describe('Only jobs of this template.'),
  q: z.string().trim().min(1).max(200).optional().describe('Only jobs whose file name contains this text, ignoring case.'),
  from: Instant.optional().describe('Only jobs created at or after this instant (ISO-8601).'),
  to: Instant.optional().describe('Only jobs created before this instant (ISO-8601).'),
  limit: limit(200, 50),
  cursor: z.string().max(200).optional().describe('`nextCursor` of the previous page, asked with the same filters.'),
});
export type ListImportsQuery = z.infer<typeof ListImportsQuery>;

export const JobList = z.object({ items: z.array(Job), nextCursor: z.string().nullable() });
export type JobList = z.infer<typeof JobList>;

export const RowError = z.object({
  row: z.number().int(),
  column: z.string().nullable(),
  value: z.string().nullable(),
  code: z.string(),
  message: z.string(),
});
export type RowError = z.infer<typeof RowError>;

export const ListErrorsQuery = z.object({
  limit: limit(1000, 100),
  cursor: z.string().max(200).optional(),
  code: z.string().min(1).max(100).optional().describe('Only errors with this code.'),
  column: z.string().min(1).max(200).optional().describe('Only errors in this column.'),
});
export type ListErrorsQuery = z.infer<typeof ListErrorsQuery>;

/** How many stored row errors share a code in a column (column null: the row as a whole). */
export const RowErrorCount = z.object({ code: z.string(), column: z.string().nullable(), count: z.number().int() });
export type RowErrorCount = z.infer<typeof RowErrorCount>;

/** The job's stored row errors counted by code and column, most frequent first: what to fix first. */
export const RowErrorSummary = z.object({
  items: z.array(RowErrorCount),
  /** Every error found, stored or not (past MAX_STORED_ERRORS only the count is kept). */
  total: z.number().int(),
});
export type RowErrorSummary = z.infer<typeof RowErrorSummary>;

export const RowErrorList = z.object({
  items: z.array(RowError),
  total: z.number().int(),
  nextCursor: z.string().nullable(),
});
export type RowErrorList = z.infer<typeof RowErrorList>;

export const JobIdParams = z.object({ id: z.string().min(1).max(100) });

const CheckState = z.object({ ok: z.boolean(), error: z.string().optional() });
export const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  checks: z.object({ database: CheckState, nats: CheckState }),
  /** MAX_UPLOAD_BYTES, so a client (the UI) refuses a larger file before sending it. */
  maxUploadBytes: z.number().int(),
});
export type Health = z.infer<typeof Health>;

export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ErrorBody = z.infer<typeof ErrorBody>;

export const API_KEY_HEADER = 'x-api-key';
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
