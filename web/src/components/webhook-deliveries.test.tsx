import { screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JobDeliveryList, JobWebhookDelivery } from '@docprocessor/contracts';
import type { Api } from '../api/http';
import { AFTER_STATUS_CHANGE_MS, looksAfterChange, nextLookAt } from '../lib/webhook-deliveries';
import { fakeApi, makeJob } from '../testing/factories';
import { renderLiveJob } from '../testing/live-jobs';

const running = makeJob({ id: 'j1', status: 'processing', startedAt: '2025-01-01T10:00:00.000Z' });
const hook = 'https://hooks.example.com/imports';
const delivery = (overrides: Partial<JobWebhookDelivery>): JobWebhookDelivery => ({
  id: '1',
  jobId: 'j1',
  webhookId: 'w1',
  url: hook,
  event: 'started',
  status: 'delivered',
  createdAt: '2025-01-01T10:00:00.100Z',
  deliveredAt: '2025-01-01T10:00:00.200Z',
  nextAttemptAt: null,
  attemptCount: 1,
  attempts: [{ at: '2025-01-01T10:00:00.150Z', responseStatus: 200, error: null, durationMs: 12 }],
  ...overrides,
});
const list = (...items: JobWebhookDelivery[]): JobDeliveryList => ({ items });
const rows = () => screen.getAllByTestId('webhook-delivery');
const cell = (row: HTMLElement, id: string) => within(row).getByTestId(id);

afterEach(() => vi.useRealTimers());

describe('WebhookDeliveries', () => {
  it('shows each delivery of the job with its status, attempts, last response and next attempt', async () => {
    const failing = delivery({
      id: '2',
      event: 'progress',
      status: 'pending',
      deliveredAt: null,
      // Far ahead: the look at the next attempt is not what this test is about.
      nextAttemptAt: '2099-01-01T10:00:30.000Z',
      attemptCount: 3,
      attempts: [{ at: '2025-01-01T10:00:20.000Z', responseStatus: 503, error: null, durationMs: 40 }],
    });
    const dead = delivery({ id: '3', event: 'created', status: 'dead', attemptCount: 25, deliveredAt: null, attempts: [] });
    const unreachable = delivery({
      id: '4',
      attempts: [{ at: '2025-01-01T10:00:20.000Z', responseStatus: null, error: 'connect ECONNREFUSED', durationMs: 3 }],
      status: 'pending',
      nextAttemptAt: '2099-01-01T10:00:30.000Z',
    });
    const listWebhookDeliveries = vi.fn<Api['listWebhookDeliveries']>().mockResolvedValue(list(failing, delivery({}), dead, unreachable));
    await renderLiveJob(running, fakeApi({ listWebhookDeliveries }));

    await screen.findByTestId('webhook-deliveries');
    expect(listWebhookDeliveries).toHaveBeenCalledWith('j1');
    const [first, second, third, fourth] = rows();
    expect(cell(first!, 'delivery-status').textContent).toBe('Pending');
    expect(cell(first!, 'delivery-attempts').textContent).toBe('3');
    expect(cell(first!, 'delivery-response').dataset.code).toBe('503');
    expect(cell(first!, 'delivery-next').textContent).not.toBe('—');
    expect(first!.textContent).toContain(hook);
    expect(cell(second!, 'delivery-status').textContent).toBe('Delivered');
    expect(cell(second!, 'delivery-response').textContent).toBe('200');
    expect(cell(second!, 'delivery-next').textContent).toBe('—');
    expect(cell(third!, 'delivery-status').textContent).toBe('Given up');
    expect(cell(third!, 'delivery-attempts').textContent).toBe('25');
    expect(cell(third!, 'delivery-response').textContent).toBe('not sent yet');
    expect(cell(fourth!, 'delivery-response').textContent).toBe('connect ECONNREFUSED');
  });

  it('is hidden while the job has no deliveries', async () => {
    const listWebhookDeliveries = vi.fn<Api['listWebhookDeliveries']>().mockResolvedValue(list());
    await renderLiveJob(running, fakeApi({ listWebhookDeliveries }));
    await waitFor(() => expect(listWebhookDeliveries).toHaveBeenCalledTimes(1));
    expect(screen.queryByTestId('webhook-deliveries')).toBeNull();
  });

  it('looks again shortly after the job’s events arrive, without polling in between', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const listWebhookDeliveries = vi
      .fn<Api['listWebhookDeliveries']>()
      .mockResolvedValueOnce(list(delivery({})))
      .mockResolvedValue(list(delivery({ id: '5', event: 'completed' }), delivery({})));
    const { push } = await renderLiveJob(running, fakeApi({ listWebhookDeliveries }));
    await screen.findByTestId('webhook-deliveries');
    expect(rows()).toHaveLength(1);

    // Nothing is pending and the job did not change: no request however long the view stays open.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(listWebhookDeliveries).toHaveBeenCalledTimes(1);

    push('completed', { ...running, status: 'completed', finishedAt: '2025-01-01T10:00:03.000Z', updatedAt: '2025-01-01T10:00:03.000Z' });
    await vi.advanceTimersByTimeAsync(AFTER_STATUS_CHANGE_MS[0] + 10);
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(listWebhookDeliveries).toHaveBeenCalledTimes(2);
    expect(cell(rows()[0]!, 'delivery-status').textContent).toBe('Delivered');
  });

  it('opened just after its job completed, looks again until the delivery recorded after its first look shows, then stops', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const now = Date.now();
    const completed = makeJob({
      id: 'j1',
      status: 'completed',
      startedAt: new Date(now - 2000).toISOString(),
      finishedAt: new Date(now - 100).toISOString(),
      updatedAt: new Date(now - 100).toISOString(),
    });
    // The recorder is slower than the view: the completed event's delivery shows only from the third look on.
    const listWebhookDeliveries = vi
      .fn<Api['listWebhookDeliveries']>()
      .mockResolvedValueOnce(list(delivery({})))
      .mockResolvedValueOnce(list(delivery({})))
      .mockResolvedValue(list(delivery({ id: '5', event: 'completed' }), delivery({})));
    await renderLiveJob(completed, fakeApi({ listWebhookDeliveries }));
    await screen.findByTestId('webhook-deliveries');
    expect(rows()).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(AFTER_STATUS_CHANGE_MS[1]);
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(listWebhookDeliveries).toHaveBeenCalledTimes(3);

    // The last planned look, then nothing more however long the view stays open.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(listWebhookDeliveries).toHaveBeenCalledTimes(4);
  });
});

describe('looksAfterChange', () => {
  const now = Date.parse('2025-01-01T10:00:00.000Z');
  it('plans every look after a change seen now, the rest after one seen late, none long after it', () => {
    expect(looksAfterChange(now, now)).toEqual(AFTER_STATUS_CHANGE_MS.map((ms) => now + ms));
    expect(looksAfterChange(now - 2000, now)).toEqual(AFTER_STATUS_CHANGE_MS.filter((ms) => ms > 2000).map((ms) => now - 2000 + ms));
    expect(looksAfterChange(now - 60_000, now)).toEqual([]);
    // A server clock ahead of the browser's: the change counts as now.
    expect(looksAfterChange(now + 30_000, now)).toEqual(looksAfterChange(now, now));
  });
});

describe('nextLookAt', () => {
  const now = Date.parse('2025-01-01T10:00:00.000Z');
  it('is the earliest next attempt of a pending delivery, a little after it, and never within two seconds', () => {
    const later = delivery({ status: 'pending', nextAttemptAt: '2025-01-01T10:01:00.000Z' });
    const sooner = delivery({ status: 'pending', nextAttemptAt: '2025-01-01T10:00:30.000Z' });
    expect(nextLookAt(list(later, sooner, delivery({})), now)).toBe(Date.parse('2025-01-01T10:00:30.500Z'));
    const due = delivery({ status: 'pending', nextAttemptAt: '2025-01-01T09:59:00.000Z' });
    expect(nextLookAt(list(due), now)).toBe(now + 2000);
  });

  it('is null when nothing is pending', () => {
    expect(nextLookAt(list(delivery({}), delivery({ status: 'dead' })), now)).toBeNull();
  });
});
