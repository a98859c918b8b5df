import { z } from 'zod';
import { Health, ImportFormFields, JobIdParams, JobList, ListErrorsQuery, ListImportsQuery, RowErrorList, RowErrorSummary } from './api.js';
import { type ApiRoute, job, notFound, refused } from './api-route.js';
import { PEOPLE_ROUTES } from './people-routes.js';
import { Preview } from './previews.js';
import { RevertPlan } from './revert.js';
import { TEMPLATE_ROUTES } from './template-routes.js';
import { MappingProposal } from './templates/mapping.js';
import { WEBHOOK_ROUTES } from './webhook-routes.js';

export type { ApiRoute, RouteResponse } from './api-route.js';
export { TemplateParams } from './template-routes.js';

/** The API's version in the OpenAPI document: the minor moves when routes or fields are added. */
export const API_VERSION = '0.4.0';

export const PreviewFormFields = z.object({
  template: z.string().optional().describe('A template to match the header against (adds the mapping proposal).'),
  sheet: ImportFormFields.shape.sheet,
  encoding: ImportFormFields.shape.encoding,
  delimiter: ImportFormFields.shape.delimiter,
});
export const PreviewAnswer = Preview.extend(MappingProposal.partial().shape);
export type PreviewAnswer = z.infer<typeof PreviewAnswer>;

export const FixFormFields = z.object({});

const conflict = refused('the job is not in a state that allows it (`invalid_state`)');
const full = refused('the work queue or the file store is past its limit (`service_unavailable`, with `Retry-After`)');

export const API_ROUTES: readonly ApiRoute[] = [
  {
    method: 'post',
    path: '/api/imports',
    tag: 'imports',
    access: 'importer',
    audit: 'import.create',
    summary: 'Upload a file (CSV or .xlsx) to import; fields first, then `file`',
    multipart: ImportFormFields,
    responses: {
      202: job('the job, `pending`'),
      200: job('the job an earlier upload with the same Idempotency-Key created'),
      400: refused('a bad field or file (see docs/errors.md)'),
      413: refused('the file is over MAX_UPLOAD_BYTES'),
      415: refused('not multipart, or not a CSV or workbook'),
      429: refused('too many uploads this minute'),
      503: full,
    },
  },
  {
    method: 'get',
    path: '/api/imports',
    tag: 'imports',
    access: 'viewer',
    summary: "The tenant's jobs, newest first, filtered by status, template, creation time and file name",
    query: ListImportsQuery,
    responses: { 200: { description: 'a page of jobs', schema: JobList } },
  },
  {
    method: 'get',
    path: '/api/imports/{id}',
    tag: 'imports',
    access: 'viewer',
    summary: 'One job',
    params: JobIdParams,
    responses: { 200: job('the job'), 404: notFound },
  },
  {
    method: 'get',
    path: '/api/imports/{id}/errors',
    tag: 'imports',
    access: 'viewer',
    summary: "The job's row errors, in file order",
    params: JobIdParams,
    query: ListErrorsQuery,
    responses: { 200: { description: 'a page of row errors', schema: RowErrorList }, 404: notFound },
  },
  {
    method: 'get',
    path: '/api/imports/{id}/errors/summary',
    tag: 'imports',
    access: 'viewer',
    summary: "The job's row errors counted by code and column, most frequent first",
    params: JobIdParams,
    responses: { 200: { description: 'counts per code and column', schema: RowErrorSummary }, 404: notFound },
  },
  {
    method: 'get',
    path: '/api/imports/{id}/errors.csv',
    tag: 'imports',
    access: 'viewer',
    summary: "The failed rows under the file's own header, with `_row` and `_errors`, to fix in a spreadsheet",
    params: JobIdParams,
    responses: { 200: { description: 'a CSV download, formula-safe', mediaType: 'text/csv' }, 404: notFound },
  },
  {
    method: 'post',
    path: '/api/imports/{id}/cancel',
    tag: 'imports',
    access: 'importer',
    audit: 'import.cancel',
    summary: 'Cancel a pending job, or stop a processing one at its next batch',
    params: JobIdParams,
    responses: { 200: job('cancelled'), 202: job('stopping at the next batch'), 404: notFound, 409: conflict },
  },
  {
    method: 'post',
    path: '/api/imports/{id}/retry',
    tag: 'imports',
    access: 'importer',
    audit: 'import.retry',
    summary: 'Run a failed or cancelled job again',
    params: JobIdParams,
    responses: { 202: job('pending again'), 404: notFound, 409: conflict, 503: full },
  },
  {
    method: 'post',
    path: '/api/imports/{id}/commit',
    tag: 'imports',
    access: 'importer',
    audit: 'import.commit',
    summary: "Import a completed dry run's stored file for real",
    params: JobIdParams,
    responses: { 202: job('the new job'), 200: job('the job an earlier commit created'), 404: notFound, 409: conflict, 503: full },
  },
  {
    method: 'get',
    path: '/api/imports/{id}/revert',
    tag: 'imports',
    access: 'admin',
    summary: 'What a revert would do, changing nothing',
    params: JobIdParams,
    responses: { 200: { description: 'the plan', schema: RevertPlan }, 404: notFound, 409: conflict },
  },
  {
    method: 'post',
    path: '/api/imports/{id}/revert',
    tag: 'imports',
    access: 'admin',
    audit: 'import.revert',
    summary: 'Take the import back: delete the rows it inserted, restore the rows it updated',
    params: JobIdParams,
    responses: {
      202: job('the revert is under way; the job ends `reverted`'),
      404: notFound,
      409: refused('`revert_conflict`, `revert_expired` or `invalid_state`; nothing changed'),
    },
  },
  {
    method: 'post',
    path: '/api/imports/{id}/fixes',
    tag: 'imports',
    access: 'importer',
    audit: 'import.fix',
    summary: 'Upload the corrected errors.csv (multipart `file`) into the same job',
    params: JobIdParams,
    multipart: FixFormFields,
    responses: {
      202: job('the job, with the fix in `fixes`'),
      400: refused('another header, or a row the job never failed'),
      404: notFound,
      409: conflict,
      503: full,
    },
  },
  {
    method: 'post',
    path: '/api/previews',
    tag: 'previews',
    access: 'importer',
    summary: "Read a file's head: dialect, columns with inferred types, rows, and (with a template) the mapping",
    multipart: PreviewFormFields,
    responses: { 200: { description: 'the preview', schema: PreviewAnswer }, 400: refused('a file that cannot be read') },
  },
  ...TEMPLATE_ROUTES,
  ...WEBHOOK_ROUTES,
  ...PEOPLE_ROUTES,
  {
    method: 'get',
    path: '/api/health',
    tag: 'service',
    access: 'open',
    summary: 'Whether the database and NATS answer',
    responses: { 200: { description: 'ok', schema: Health }, 503: { description: 'degraded', schema: Health } },
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    tag: 'service',
    access: 'open',
    summary: 'This document',
    responses: { 200: { description: 'OpenAPI 3.1', mediaType: 'application/json' } },
  },
  {
    method: 'get',
    path: '/metrics',
    tag: 'service',
    access: 'open',
    summary: 'Prometheus metrics (docs/operations.md lists them)',
    responses: { 200: { description: 'the text exposition format', mediaType: 'text/plain' } },
  },
];
