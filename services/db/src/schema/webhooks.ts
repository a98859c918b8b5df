import { bigint, bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { type DeliveryAttempt, DeliveryStatus, type EventType } from '@docprocessor/contracts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/** A tenant's webhook. The secret is kept as is: it signs every delivery, so it must be readable. */
export const webhooks = pgTable(
  'webhooks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: text('tenant_id').notNull(),
    url: text('url').notNull(),
    events: jsonb('events').$type<EventType[]>().notNull(),
    secret: text('secret').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('webhooks_tenant_idx').on(t.tenantId, t.createdAt)],
);

/**
 * One event to send to one webhook, recorded from the events stream before the stream message is acknowledged,
 * so a delivery outlives restarts of the service and of the receiver. `streamSeq` orders a job's events and makes
 * recording a redelivered message harmless. The body is the event as published: the bytes that are signed.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    webhookId: uuid('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    jobId: uuid('job_id').notNull(),
    event: text('event').$type<EventType>().notNull(),
    streamSeq: bigint('stream_seq', { mode: 'number' }).notNull(),
    body: text('body').notNull(),
    status: text('status', { enum: DeliveryStatus.options as [DeliveryStatus, ...DeliveryStatus[]] })
      .notNull()
      .default('pending'),
    attemptCount: integer('attempt_count').notNull().default(0),
    attempts: jsonb('attempts').$type<DeliveryAttempt[]>().notNull().default([]),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    createdAt: ts('created_at').notNull().defaultNow(),
    deliveredAt: ts('delivered_at'),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_seq_idx').on(t.webhookId, t.streamSeq),
    // What the sender looks for: the due pending deliveries, and a job's earlier ones still pending.
    index('webhook_deliveries_pending_idx').on(t.webhookId, t.jobId, t.streamSeq).where(sql`status = 'pending'`),
    index('webhook_deliveries_list_idx').on(t.webhookId, t.id),
    // A job's page lists its deliveries to every webhook.
    index('webhook_deliveries_job_idx').on(t.jobId, t.id),
  ],
);

export type WebhookRow = typeof webhooks.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
