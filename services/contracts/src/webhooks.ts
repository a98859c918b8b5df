import { z } from 'zod';
import { EventType } from './events.js';

/** POST /api/webhooks: where to send which job events. */
export const WebhookInput = z
  .object({
    url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .describe('Receives a POST of each event JSON, signed in the X-DocProcessor-Signature header.'),
    events: z
      .array(EventType)
      .min(1)
      .describe('Which job events to send: created, started, progress, completed, failed, cancelled, reverted.'),
  })
  .strict();
export type WebhookInput = z.infer<typeof WebhookInput>;

export const Webhook = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(EventType),
  createdAt: z.string(),
});
export type Webhook = z.infer<typeof Webhook>;

/** The answer to POST /api/webhooks: the only time the secret is shown. */
export const WebhookCreated = Webhook.extend({
  secret: z.string().describe('The HMAC-SHA256 key of the signatures; shown once.'),
});
export type WebhookCreated = z.infer<typeof WebhookCreated>;

export const WebhookParams = z.object({ id: z.uuid() });

/** pending: not sent yet, or waiting for its next attempt; dead: given up after WEBHOOK_GIVE_UP_AFTER_MS. */
export const DeliveryStatus = z.enum(['pending', 'delivered', 'dead']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const DeliveryAttempt = z.object({
  at: z.string(),
  /** The receiver's HTTP status; null when it could not be reached (error says why). */
  responseStatus: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int(),
});
export type DeliveryAttempt = z.infer<typeof DeliveryAttempt>;

export const WebhookDelivery = z.object({
  id: z.string(),
  jobId: z.string(),
  event: EventType,
  status: DeliveryStatus,
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  /** Every attempt, oldest first (the last WEBHOOK_ATTEMPTS_KEPT of them). */
  attempts: z.array(DeliveryAttempt),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const ListDeliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  jobId: z.uuid().optional(),
});
export type ListDeliveriesQuery = z.infer<typeof ListDeliveriesQuery>;

export const DeliveryList = z.object({ items: z.array(WebhookDelivery) });
export type DeliveryList = z.infer<typeof DeliveryList>;

/** A delivery of one job's event, as the job's page shows it: which webhook, and how many attempts in all. */
export const JobWebhookDelivery = WebhookDelivery.extend({
  webhookId: z.string(),
  url: z.string(),
  /** Every attempt made, while `attempts` keeps the last WEBHOOK_ATTEMPTS_KEPT. */
  attemptCount: z.number().int(),
});
export type JobWebhookDelivery = z.infer<typeof JobWebhookDelivery>;

/** GET /api/imports/:id/webhook-deliveries: the job's deliveries to every webhook of its tenant, newest first. */
export const JobDeliveryList = z.object({ items: z.array(JobWebhookDelivery) });
export type JobDeliveryList = z.infer<typeof JobDeliveryList>;

/** The most deliveries GET /api/imports/:id/webhook-deliveries answers with (a job with progress webhooks has many). */
export const JOB_DELIVERIES_SHOWN = 100;

export const SIGNATURE_HEADER = 'x-docprocessor-signature';
export const WEBHOOK_EVENT_HEADER = 'x-docprocessor-event';
export const WEBHOOK_DELIVERY_HEADER = 'x-docprocessor-delivery';

/** Attempts kept per delivery, newest last: enough to see a pattern, bounded for a receiver down for days. */
export const WEBHOOK_ATTEMPTS_KEPT = 20;

/** Durable consumer of the job events that records webhook deliveries. */
export const webhookConsumer = (names: { consumer: string }): string => `${names.consumer}_webhooks`;
