import type { HeaderMappingInput, OnDuplicate } from '@docprocessor/contracts';

/** What an upload tells `POST /api/imports` besides the file (CONTRACT.md, "More upload fields"). */
export interface UploadFields {
  /** A template's name, or `auto` with `table`: infer a template from the file and create it. */
  template: string;
  onDuplicate: OnDuplicate;
  /** With `template: 'auto'`: the name of the template and table to create. */
  table?: string;
  /** The sheet of an .xlsx workbook, by name or 1-based number. */
  sheet?: string;
  /** File header → template column (null ignores the header); overrides matching by name. */
  mapping?: HeaderMappingInput;
  dryRun?: boolean;
  /** Past this many failed rows the import stops and fails with too_many_errors. */
  maxErrors?: number;
  /** Past this share (0 to 1) of processed rows failing, likewise. */
  maxErrorRate?: number;
  /** All or nothing: the rows become visible together at the end, or not at all. */
  atomic?: boolean;
}

/** What an upload does when rows fail: the part of UploadFields the "If rows fail" options set. */
export type FailurePolicy = Pick<UploadFields, 'maxErrors' | 'maxErrorRate' | 'atomic'>;

export interface PreviewFields {
  template?: string;
  sheet?: string;
}

export const AUTO_TEMPLATE = 'auto';

/**
 * A preview reads only the head of a file, so a CSV sends at most this much of it: more than the server
 * reads, so it still sees that the file goes on. A workbook is a ZIP whose index is at its end: sent whole.
 */
export const PREVIEW_HEAD_BYTES = 4 * 1024 * 1024;

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const isWorkbook = (file: File): boolean => /\.xlsx$/i.test(file.name) || file.type === XLSX_TYPE;

// Windows labels .csv files application/vnd.ms-excel and some browsers send none; say what it is.
export function withContentType(file: File): Blob {
  if (/\.csv$/i.test(file.name) && file.type !== 'text/csv') return new File([file], file.name, { type: 'text/csv' });
  if (/\.xlsx$/i.test(file.name) && file.type !== XLSX_TYPE) return new File([file], file.name, { type: XLSX_TYPE });
  return file;
}

/** Fields first, so a streaming server knows what to do before the file arrives. */
export function importForm(file: File, fields: UploadFields): FormData {
  const form = new FormData();
  form.append('template', fields.template);
  form.append('onDuplicate', fields.onDuplicate);
  if (fields.table !== undefined) form.append('table', fields.table);
  if (fields.sheet) form.append('sheet', fields.sheet);
  if (fields.mapping) form.append('mapping', JSON.stringify(fields.mapping));
  if (fields.dryRun) form.append('dryRun', 'true');
  if (fields.maxErrors !== undefined) form.append('maxErrors', String(fields.maxErrors));
  if (fields.maxErrorRate !== undefined) form.append('maxErrorRate', String(fields.maxErrorRate));
  if (fields.atomic) form.append('atomic', 'true');
  form.append('file', withContentType(file), file.name);
  return form;
}

export function previewForm(file: File, fields: PreviewFields): FormData {
  const form = new FormData();
  if (fields.template) form.append('template', fields.template);
  if (fields.sheet) form.append('sheet', fields.sheet);
  const whole = isWorkbook(file) || file.size <= PREVIEW_HEAD_BYTES;
  const body = whole ? withContentType(file) : new File([file.slice(0, PREVIEW_HEAD_BYTES)], file.name, { type: 'text/csv' });
  form.append('file', body, file.name);
  return form;
}

/** A corrected errors.csv for POST /api/imports/:id/fixes: the file is the only field. */
export function fixesForm(file: File): FormData {
  const form = new FormData();
  form.append('file', withContentType(file), file.name);
  return form;
}
