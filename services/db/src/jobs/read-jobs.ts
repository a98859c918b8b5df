import { and, desc, eq, gte, ilike, lt, or, type SQL } from 'drizzle-orm';
import type { Job, JobStatus } from '@docprocessor/contracts';
import type { Database } from '../client.js';
import { importJobs, type ImportJobRow } from '../schema/import-jobs.js';
import { toJob } from './to-job.js';

export interface JobScope {
  /** null: every tenant (internal callers such as the gateway's fan-out). */
  tenantId: string | null;
}

const tenantFilter = (scope: JobScope): SQL | undefined => (scope.tenantId === null ? undefined : eq(importJobs.tenantId, scope.tenantId));

export async function findJobRow(db: Database, id: string, scope: JobScope): Promise<ImportJobRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .select()
    .from(importJobs)
    .where(and(eq(importJobs.id, id), tenantFilter(scope)));
  return row;
}

export async function findJob(db: Database, id: string, scope: JobScope): Promise<Job | undefined> {
  const row = await findJobRow(db, id, scope);
  return row && toJob(row);
}

export interface ListJobsInput {
  status?: JobStatus | undefined;
  template?: string | undefined;
  /** Part of the file name, any case. */
  q?: string | undefined;
  /** Created at or after (ISO-8601). */
  from?: string | undefined;
  /** Created before (ISO-8601). */
  to?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Newest first; the cursor is the (createdAt, id) of the last item, so pages never skip or repeat. */
export async function listJobs(db: Database, scope: JobScope, input: ListJobsInput): Promise<{ items: Job[]; nextCursor: string | null }> {
  const after = input.cursor ? decodeCursor(input.cursor) : undefined;
  const rows = await db
    .select()
    .from(importJobs)
    .where(
      and(
        tenantFilter(scope),
        input.status ? eq(importJobs.status, input.status) : undefined,
        input.template ? eq(importJobs.template, input.template) : undefined,
        input.q ? ilike(importJobs.filename, `%${escapeLike(input.q)}%`) : undefined,
        input.from ? gte(importJobs.createdAt, new Date(input.from)) : undefined,
        input.to ? lt(importJobs.createdAt, new Date(input.to)) : undefined,
        after
          ? or(lt(importJobs.createdAt, after.createdAt), and(eq(importJobs.createdAt, after.createdAt), lt(importJobs.id, after.id)))
          : undefined,
      ),
    )
    .orderBy(desc(importJobs.createdAt), desc(importJobs.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => toJob(row)),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}

// A person's `%` or `_` is a character of the name, not a wildcard.
const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export const encodeCursor = (createdAt: Date, id: string): string => Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');

/** Returns undefined for a cursor we did not make; callers answer 400. */
export function decodeCursor(cursor: string): { createdAt: Date; id: string } | undefined {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || !isUuid(id) || Number.isNaN(createdAt.getTime())) return undefined;
  return { createdAt, id };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);
