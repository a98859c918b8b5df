import { createEffect, createResource, createSignal, For, on, onCleanup, Show } from 'solid-js';
import type { Job } from '@docprocessor/contracts';
import { formatTime } from '../lib/format';
import { AFTER_PROGRESS_MS, DELIVERY_STATUS_LABELS, lastResponse, looksAfterChange, nextLookAt } from '../lib/webhook-deliveries';
import { messageOf } from '../stores/app';
import { useStore } from '../stores/context';

/** Looks planned closer than this to one being made are served by it. */
const COALESCE_MS = 500;
/** setTimeout's ceiling; a look further ahead is reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * What the job's events became at the tenant's webhooks. Loaded when the job's view opens; looked at again a few
 * times shortly after each status change (its events are what gets delivered, and a view opened just after a change
 * still gets the looks left), once after progress, and when a pending delivery's next attempt falls due; no polling.
 * Hidden while the job has no deliveries.
 */
export function WebhookDeliveries(props: { job: Job }) {
  const store = useStore();
  const [version, setVersion] = createSignal(0);
  const [list] = createResource(
    () => ({ id: props.job.id, version: version() }),
    ({ id }) => store.api.listWebhookDeliveries(id),
  );

  // The looks planned, earliest first; one timer, set for the first of them.
  let planned: number[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = undefined;
    const first = planned[0];
    if (first === undefined) return;
    timer = setTimeout(
      () => {
        // Looks within a moment of this one are this one.
        planned = planned.filter((at) => at > Date.now() + COALESCE_MS);
        setVersion((v) => v + 1);
        arm();
      },
      Math.min(MAX_TIMER_MS, Math.max(0, first - Date.now())),
    );
  };
  const plan = (...at: number[]) => {
    planned = [...planned, ...at].sort((a, b) => a - b);
    arm();
  };
  /** One look at `at` at the latest: an earlier look already planned covers it. */
  const planBy = (at: number) => {
    if (planned.length === 0 || planned[0]! > at) plan(at);
  };
  onCleanup(() => clearTimeout(timer));

  const statusKey = () => `${props.job.status}|${props.job.attempt}`;
  plan(...looksAfterChange(Date.parse(props.job.updatedAt), Date.now()));
  createEffect(on(statusKey, () => plan(...looksAfterChange(Date.now(), Date.now())), { defer: true }));
  createEffect(
    on(
      () => props.job.updatedAt,
      () => planBy(Date.now() + AFTER_PROGRESS_MS),
      { defer: true },
    ),
  );
  createEffect(() => {
    if (list.state !== 'ready') return;
    const at = nextLookAt(list(), Date.now());
    if (at !== null) planBy(at);
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
