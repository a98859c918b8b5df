import type { z } from 'zod';
import { ErrorBody } from './api.js';
import { Job } from './job.js';
import type { AuditAction, Role } from './people.js';

/** A response of a route: its schema (JSON), or another media type it sends as is. */
export interface RouteResponse {
  description: string;
  schema?: z.ZodType;
  /** For a body that is not JSON (errors.csv, metrics). */
  mediaType?: string;
}

/**
 * One HTTP route as the API documents it. The handlers parse with these same schemas; services/ingest/test
 * checks every registered route is here and that real answers validate against the document built from them.
 */
export interface ApiRoute {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI style: `/api/imports/{id}`. */
  path: string;
  summary: string;
  tag: 'imports' | 'templates' | 'previews' | 'webhooks' | 'people' | 'service';
  /** The least role that may call it; `open`: no session or key needed. */
  access: Role | 'open';
  /** The audit log's name for what it changes; read-only routes have none. */
  audit?: AuditAction;
  params?: z.ZodObject;
  query?: z.ZodObject;
  json?: z.ZodType;
  /** multipart/form-data: these fields, then `file`. */
  multipart?: z.ZodObject;
  responses: Record<number, RouteResponse>;
}

export const job = (description: string): RouteResponse => ({ description, schema: Job });
export const refused = (description: string): RouteResponse => ({ description, schema: ErrorBody });
export const notFound = refused('no such job of this tenant (`not_found`)');
