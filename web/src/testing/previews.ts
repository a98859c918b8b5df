import { BUILT_IN_TEMPLATES, proposeMapping, type Template } from '@docprocessor/contracts';
import type { PreviewResult } from '../api/http';

export const contacts = BUILT_IN_TEMPLATES.find((t) => t.name === 'contacts') as Template;
export const products = BUILT_IN_TEMPLATES.find((t) => t.name === 'products') as Template;

/** A preview of a file with these headers and rows; given a template, with the mapping the contract's function proposes. */
export function makePreview(headers: string[], rows: string[][], template?: Pick<Template, 'columns'>): PreviewResult {
  return {
    format: 'csv',
    dialect: { encoding: 'utf-8', delimiter: ',', quote: '"', header: true, lineEnd: '\n' },
    columns: headers.map((header, index) => ({
      index,
      header,
      type: 'string',
      nullable: false,
      examples: rows.map((r) => r[index] ?? ''),
    })),
    rows,
    ...(template ? proposeMapping(template.columns, headers) : {}),
  };
}

/** A file with every column of the template under its own name, and one row. */
export const exactPreview = (template: Template): PreviewResult =>
  makePreview(
    template.columns.map((c) => c.name),
    [template.columns.map((c) => `${c.name}-1`)],
    template,
  );

/** A fake `Api.preview` answering for the built-in template it is asked about. */
export const previewOfBuiltIn = (_file: File, fields: { template?: string | undefined }): Promise<PreviewResult> =>
  Promise.resolve(exactPreview(BUILT_IN_TEMPLATES.find((t) => t.name === fields.template) ?? contacts));
