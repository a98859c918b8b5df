import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryList, Job, JobDeliveryList, WebhookCreated } from '@docprocessor/contracts';
import { call, finalJob, uploadJob } from './support/http.js';
import { killProcessors, startProcessors } from './support/processors.js';
import { useStack } from './support/use-stack.js';
import { eventually, sleep } from './support/wait.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

/** Webhooks through the whole product: registered over the API, fed by the events stream, sent by the processors. */
const t = useStack({ label: 'webhooks', env: { WEBHOOK_RETRY_MAX_MS: '1000' } });
let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await WebhookReceiver.start();
});
afterAll(() => receiver.close());

const HEADER = 'id,email,first_name,last_name,company,country,signup_date,amount,active,notes';
const csv = (from: number, rows: number) =>
  `${HEADER}\n${Array.from({ length: rows }, (_, i) => `${from + i},u${from + i}@example.com,A,B,,GB,2024-01-02,1,true,`).join('\n')}\n`;

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The job's events as the stream holds them, in order: what the receiver must get, one for one. */
async function streamedEvents(jobId: string): Promise<string[]> {
  return (await t.bus.replay(jobId)).map((event) => event.type);
}

describe('webhooks', () => {
  let hook: WebhookCreated;

  it('registers a webhook over the API; its secret is shown once', async () => {
    const refused = await call(t.stack, '/api/webhooks', json({ url: 'ftp://example.com', events: ['completed'] }));
    expect(refused.status).toBe(400);
    const created = await call<WebhookCreated>(
      t.stack,
      '/api/webhooks',
      json({ url: receiver.url, events: ['created', 'started', 'progress', 'completed', 'failed', 'cancelled'] }),
    );
    expect(created.status).toBe(201);
    hook = created.body;
    expect(hook.secret).toMatch(/^whsec_[0-9a-f]{48}$/);
    receiver.secret = hook.secret;
    const listed = await call<unknown[]>(t.stack, '/api/webhooks');
    expect(listed.body).toEqual([{ id: hook.id, url: receiver.url, events: hook.events, createdAt: hook.createdAt }]);
  });

  it('sends every event of a job, signed, in the order the stream holds them', async () => {
    const job = await uploadJob(t.stack, csv(1, 5), { filename: 'hooked.csv' });
    await finalJob(t.stack, job.id);
    const got = await eventually(() => receiver.eventsOf(job.id).includes('completed') && receiver.eventsOf(job.id), 'completed delivered');
    expect(got[0]).toBe('created');
    expect(got.at(-1)).toBe('completed');
    expect(got).toEqual(await streamedEvents(job.id));
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
  });

  it('a receiver down through a restart of every processor gets every event afterwards, in order per job', async () => {
    await receiver.close();
    const jobs: Job[] = [];
    for (const [i, file] of [csv(100, 50), csv(200, 50)].entries())
      jobs.push(await uploadJob(t.stack, file, { filename: `down-${i}.csv` }));
    for (const job of jobs) await finalJob(t.stack, job.id);
    // Attempts are failing while it is down; the service restarts meanwhile (a power cut, not a graceful stop).
    await eventually(async () => {
      const list = await call<DeliveryList>(t.stack, `/api/webhooks/${hook.id}/deliveries?jobId=${jobs[0]!.id}`);
      return list.body.items.some((d) => d.attempts.some((a) => a.error?.startsWith('not reached')));
    }, 'a failed attempt recorded');
    await killProcessors(t.stack);
    await sleep(500);
    await startProcessors(t.stack, 1, { WEBHOOK_RETRY_MAX_MS: '1000' });
    receiver.failing = true;
    await receiver.listen();
    await eventually(() => receiver.refused > 0, 'the receiver refused a delivery while failing');
    receiver.failing = false;
    for (const job of jobs) {
      const got = await eventually(() => receiver.eventsOf(job.id).includes('completed') && receiver.eventsOf(job.id), 'all delivered');
      expect(got).toEqual(await streamedEvents(job.id));
    }
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    const history = await call<DeliveryList>(t.stack, `/api/webhooks/${hook.id}/deliveries?jobId=${jobs[0]!.id}`);
    const created = history.body.items.find((d) => d.event === 'created')!;
    expect(created.status).toBe('delivered');
    expect(created.attempts.length).toBeGreaterThan(1);
    expect(created.attempts.at(-1)).toMatchObject({ responseStatus: 204, error: null });

    // The job's page reads the same history by job: each event to each webhook, with every attempt counted.
    const byJob = await call<JobDeliveryList>(t.stack, `/api/imports/${jobs[0]!.id}/webhook-deliveries`);
    expect(byJob.status).toBe(200);
    expect(byJob.body.items.map((d) => d.id).sort()).toEqual(history.body.items.map((d) => d.id).sort());
    const createdByJob = byJob.body.items.find((d) => d.event === 'created')!;
    expect(createdByJob).toMatchObject({ webhookId: hook.id, url: receiver.url, status: 'delivered', nextAttemptAt: null });
    expect(createdByJob.attemptCount).toBeGreaterThanOrEqual(created.attempts.length);
    expect(createdByJob.attempts.at(-1)).toMatchObject({ responseStatus: 204 });
    expect((await call(t.stack, '/api/imports/00000000-0000-4000-8000-000000000000/webhook-deliveries')).status).toBe(404);
    expect((await call(t.stack, '/api/imports/not-a-job/webhook-deliveries')).status).toBe(404);
  });

  it('deletes a webhook: nothing more is sent to it, and its history is gone', async () => {
    expect((await call(t.stack, `/api/webhooks/${hook.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(t.stack, `/api/webhooks/${hook.id}/deliveries`)).status).toBe(404);
    const before = receiver.received.length;
    const job = await uploadJob(t.stack, csv(300, 2), { filename: 'after-delete.csv' });
    await finalJob(t.stack, job.id);
    await sleep(1000);
    expect(receiver.received.length).toBe(before);
  });
});
