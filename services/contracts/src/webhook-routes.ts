import { z } from 'zod';
import { JobIdParams } from './api.js';
import { notFound, refused, type ApiRoute } from './api-route.js';
import { DeliveryList, JobDeliveryList, ListDeliveriesQuery, Webhook, WebhookCreated, WebhookInput, WebhookParams } from './webhooks.js';

/** The tenant's webhooks and what became of each delivery, by webhook or by job. */
export const WEBHOOK_ROUTES: readonly ApiRoute[] = [
  {
    method: 'post',
    path: '/api/webhooks',
    tag: 'webhooks',
    access: 'admin',
    audit: 'webhook.create',
    summary: 'Register a webhook: every chosen job event is POSTed to the URL, signed, retried until a 2xx',
    json: WebhookInput,
    responses: {
      201: { description: 'the webhook and its secret (shown once)', schema: WebhookCreated },
      400: refused('a bad URL or event'),
    },
  },
  {
    method: 'get',
    path: '/api/webhooks',
    tag: 'webhooks',
    access: 'admin',
    summary: "The tenant's webhooks (without their secrets)",
    responses: { 200: { description: 'every webhook', schema: z.array(Webhook) } },
  },
  {
    method: 'delete',
    path: '/api/webhooks/{id}',
    tag: 'webhooks',
    access: 'admin',
    audit: 'webhook.delete',
    summary: 'Delete a webhook and its delivery history',
    params: WebhookParams,
    responses: { 204: { description: 'deleted' }, 404: refused('no such webhook') },
  },
  {
    method: 'get',
    path: '/api/webhooks/{id}/deliveries',
    tag: 'webhooks',
    access: 'admin',
    summary: "The webhook's deliveries, newest first, each with its attempts",
    params: WebhookParams,
    query: ListDeliveriesQuery,
    responses: { 200: { description: 'deliveries', schema: DeliveryList }, 404: refused('no such webhook') },
  },
  {
    method: 'get',
    path: '/api/imports/{id}/webhook-deliveries',
    tag: 'webhooks',
    access: 'viewer',
    summary: "The job's webhook deliveries to every webhook of its tenant, newest first (at most 100), each with its attempts",
    params: JobIdParams,
    responses: { 200: { description: 'deliveries', schema: JobDeliveryList }, 404: notFound },
  },
];
