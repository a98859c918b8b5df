import { randomBytes } from 'node:crypto';
import {
  JOB_DELIVERIES_SHOWN,
  type DeliveryList,
  type JobDeliveryList,
  type ListDeliveriesQuery,
  type Webhook,
  type WebhookCreated,
  type WebhookDelivery,
  type WebhookInput,
} from '@docprocessor/contracts';
import type { Queries } from '../client.js';
import { isUuid } from '../jobs/read-jobs.js';

interface WebhookSqlRow {
  id: string;
  url: string;
  events: Webhook['events'];
  createdAt: Date | string;
}

/** Timestamps as this client returns them (strings or dates), as the API writes them. */
const iso = (value: Date | string) => new Date(value).toISOString();

const toWebhook = (row: WebhookSqlRow): Webhook => ({
  id: row.id,
  url: row.url,
  events: row.events,
  createdAt: iso(row.createdAt),
});

/** A new webhook of the tenant, with the secret that signs its deliveries (returned this once). */
export async function createWebhook(sql: Queries, tenantId: string, input: WebhookInput): Promise<WebhookCreated> {
  const secret = `whsec_${randomBytes(24).toString('hex')}`;
  const events = [...new Set(input.events)];
  const [row] = await sql<WebhookSqlRow[]>`
    insert into webhooks (tenant_id, url, events, secret) values (${tenantId}, ${input.url}, ${JSON.stringify(events)}::jsonb, ${secret})
    returning id, url, events, created_at as "createdAt"`;
  return { ...toWebhook(row!), secret };
}

export async function listWebhooks(sql: Queries, tenantId: string): Promise<Webhook[]> {
  const rows = await sql<WebhookSqlRow[]>`
    select id, url, events, created_at as "createdAt" from webhooks where tenant_id = ${tenantId} order by created_at, id`;
  return rows.map(toWebhook);
}

/** Deletes the webhook and its deliveries; false when the tenant has no such webhook. */
export async function deleteWebhook(sql: Queries, tenantId: string, id: string): Promise<boolean> {
  const rows = await sql`delete from webhooks where id = ${id} and tenant_id = ${tenantId} returning id`;
  return rows.length > 0;
}

interface DeliverySqlRow {
  id: string;
  jobId: string;
  event: WebhookDelivery['event'];
  status: WebhookDelivery['status'];
  createdAt: Date;
  deliveredAt: Date | string | null;
  nextAttemptAt: Date | string;
  attempts: WebhookDelivery['attempts'];
}

/** The webhook's deliveries, newest first, each with its attempts; null when the tenant has no such webhook. */
export async function listDeliveries(
  sql: Queries,
  tenantId: string,
  webhookId: string,
  query: ListDeliveriesQuery,
): Promise<DeliveryList | null> {
  const [owner] = await sql`select 1 from webhooks where id = ${webhookId} and tenant_id = ${tenantId}`;
  if (!owner) return null;
  const rows = await sql<DeliverySqlRow[]>`
    select id::text, job_id as "jobId", event, status, created_at as "createdAt", delivered_at as "deliveredAt",
           next_attempt_at as "nextAttemptAt", attempts
    from webhook_deliveries
    where webhook_id = ${webhookId} ${query.jobId ? sql`and job_id = ${query.jobId}` : sql``}
    order by id desc limit ${query.limit}`;
  return { items: rows.map(toDelivery) };
}

const toDelivery = (row: DeliverySqlRow): WebhookDelivery => ({
  id: row.id,
  jobId: row.jobId,
  event: row.event,
  status: row.status,
  createdAt: iso(row.createdAt),
  deliveredAt: row.deliveredAt === null ? null : iso(row.deliveredAt),
  nextAttemptAt: row.status === 'pending' ? iso(row.nextAttemptAt) : null,
  attempts: row.attempts,
});

/** One job's deliveries to every webhook of the tenant, newest first; null when the tenant has no such job. */
export async function listJobDeliveries(sql: Queries, tenantId: string, jobId: string): Promise<JobDeliveryList | null> {
  if (!isUuid(jobId)) return null;
  const [owner] = await sql`select 1 from import_jobs where id = ${jobId} and tenant_id = ${tenantId}`;
  if (!owner) return null;
  const rows = await sql<(DeliverySqlRow & { webhookId: string; url: string; attemptCount: number })[]>`
    select d.id::text, d.job_id as "jobId", d.event, d.status, d.created_at as "createdAt", d.delivered_at as "deliveredAt",
           d.next_attempt_at as "nextAttemptAt", d.attempts, d.webhook_id as "webhookId", w.url, d.attempt_count as "attemptCount"
    from webhook_deliveries d join webhooks w on w.id = d.webhook_id
    where d.job_id = ${jobId} and w.tenant_id = ${tenantId}
    order by d.id desc limit ${JOB_DELIVERIES_SHOWN}`;
  return { items: rows.map((row) => ({ ...toDelivery(row), webhookId: row.webhookId, url: row.url, attemptCount: row.attemptCount })) };
}
