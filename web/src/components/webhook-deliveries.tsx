import { createEffect, createResource, createSignal, For, on, onCleanup, Show } from 'solid-js';
import type { Job } from '@docprocessor/contracts';
import { formatTime } from '../lib/format';
import { AFTER_PROGRESS_MS, AFTER_STATUS_CHANGE_MS, DELIVERY_STATUS_LABELS, lastResponse, nextLookAt } from '../lib/webhook-deliveries';
import { messageOf } from '../stores/app';
import { useStore } from '../stores/context';

/**
 * What the job's events became at the tenant's webhooks. Loaded when the job's view opens, looked at again shortly
 * after the job changes (its events are what gets delivered) and when a pending delivery's next attempt falls due;
 * no polling. Hidden while the job has no deliveries.
 */
export function WebhookDeliveries(props: { job: Job }) {
  const store = useStore();
  const [version, setVersion] = createSignal(0);
  const [list] = createResource(
    () => ({ id: props.job.id, version: version() }),
    ({ id }) => store.api.listWebhookDeliveries(id),
  );

  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerAt = Number.POSITIVE_INFINITY;
  /** One look at `at` at the latest: an earlier look already planned covers a later one. */
  const lookAt = (at: number) => {
    if (timer !== undefined && timerAt <= at) return;
    clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(
      () => {
        timer = undefined;
        timerAt = Number.POSITIVE_INFINITY;
        setVersion((v) => v + 1);
      },
      Math.max(0, at - Date.now()),
    );
  };
  onCleanup(() => clearTimeout(timer));

  const statusKey = () => `${props.job.status}|${props.job.attempt}`;
  createEffect(on(statusKey, () => lookAt(Date.now() + AFTER_STATUS_CHANGE_MS), { defer: true }));
  createEffect(
    on(
      () => props.job.updatedAt,
      () => lookAt(Date.now() + AFTER_PROGRESS_MS),
      { defer: true },
    ),
  );
  createEffect(() => {
    if (list.state !== 'ready') return;
    const at = nextLookAt(list(), Date.now());
    if (at !== null) lookAt(at);
  });

  const items = () => (list.state === 'ready' || list.state === 'refreshing' ? list.latest.items : []);

  return (
    <>
      <Show when={items().length > 0}>
        <section class="errors deliveries" aria-label="Webhook deliveries" data-testid="webhook-deliveries">
          <h3 class="errors-head">Webhook deliveries</h3>
          <div class="table-scroll">
            <table class="errors-table">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Receiver</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Last response</th>
                  <th scope="col">Next attempt</th>
                </tr>
              </thead>
              <tbody>
                <For each={items()}>
                  {(delivery) => (
                    <tr data-testid="webhook-delivery" data-delivery-id={delivery.id} data-status={delivery.status}>
                      <td>
                        <code>{delivery.event}</code>
                      </td>
                      <td class="break" title={delivery.url}>
                        {delivery.url}
                      </td>
                      <td data-testid="delivery-status" class={`delivery-${delivery.status}`}>
                        {DELIVERY_STATUS_LABELS[delivery.status]}
                      </td>
                      <td data-testid="delivery-attempts">{delivery.attemptCount}</td>
                      <td data-testid="delivery-response" data-code={lastResponse(delivery).code ?? ''}>
                        {lastResponse(delivery).text}
                      </td>
                      <td data-testid="delivery-next">{delivery.status === 'pending' ? formatTime(delivery.nextAttemptAt) : '—'}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </section>
      </Show>
      <Show when={list.state === 'errored'}>
        <p class="action-error" role="alert" data-testid="webhook-deliveries-error">
          Webhook deliveries could not be loaded: {messageOf(list.error)}
        </p>
      </Show>
    </>
  );
}
