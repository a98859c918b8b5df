import { createEffect, createMemo, createSignal, For, on, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { isTerminal, type Job, type RowError, type RowErrorCount } from '@docprocessor/contracts';
import type { ErrorFilter } from '../api/http';
import { useStore } from '../stores/context';
import { messageOf } from '../stores/app';
import { settledFixes } from '../lib/repair';
import { LoadMoreButton } from './load-more-button';

export const ERRORS_PAGE_SIZE = 50;

interface Page {
  items: RowError[];
  total: number;
  nextCursor: string | null;
}

/**
 * The job's row errors, a page at a time. Loads when the summary opens and again when the job
 * finishes (or is retried) or a fix finishes, since those change which rows failed.
 */
export function ErrorsTable(props: { job: Job }) {
  const store = useStore();
  const [page, setPage] = createStore<Page>({ items: [], total: 0, nextCursor: null });
  const [loading, setLoading] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [filter, setFilter] = createSignal<ErrorFilter>({});
  const [counts, setCounts] = createSignal<RowErrorCount[]>([]);
  let generation = 0;

  async function load(cursor: string | null): Promise<void> {
    const mine = ++generation;
    setLoading(true);
    setError(null);
    try {
      const next = await store.api.listErrors(props.job.id, cursor, ERRORS_PAGE_SIZE, filter());
      if (mine !== generation) return;
      setPage({ items: cursor ? [...page.items, ...next.items] : next.items, total: next.total, nextCursor: next.nextCursor });
    } catch (e) {
      if (mine === generation) setError(messageOf(e));
    } finally {
      if (mine === generation) setLoading(false);
    }
  }

  const hasErrors = () => props.job.failedRows > 0;
  // Reload only when one of these changes, not on every count that moves. A fix that finished changed which
  // rows failed, though the job's status did not move.
  const loadKey = createMemo(() => [hasErrors(), isTerminal(props.job.status), props.job.attempt, settledFixes(props.job)].join('|'));
  createEffect(
    on([loadKey, filter], () => {
      if (hasErrors()) void load(null);
      else setPage({ items: [], total: 0, nextCursor: null });
    }),
  );
  // The counts per code change only with the set of failed rows, not with the filter.
  createEffect(
    on(loadKey, () => {
      if (!hasErrors()) return setCounts([]);
      const id = props.job.id;
      store.api.errorSummary(id).then(
        (summary) => id === props.job.id && setCounts(summary.items),
        (e: unknown) => setError(messageOf(e)),
      );
    }),
  );
  const filtered = () => !!(filter().code || filter().column);
  const isChosen = (count: RowErrorCount) => filter().code === count.code && (filter().column ?? null) === count.column;

  return (
    <section class="errors" aria-label="Row errors">
      <div class="errors-head">
        <h3>Row errors</h3>
        <Show when={page.total > 0}>
          <span class="muted">
            showing {page.items.length} of {page.total}
          </span>
        </Show>
      </div>
      <Show when={hasErrors()} fallback={<p class="muted">No row errors.</p>}>
        <Show when={counts().length > 0}>
          <ul class="error-counts" aria-label="Row errors by code and column" data-testid="error-counts">
            <For each={counts()}>
              {(count) => (
                <li>
                  <button
                    type="button"
                    class="chip-button"
                    aria-pressed={isChosen(count)}
                    data-testid="error-count"
                    data-code={count.code}
                    data-column={count.column ?? ''}
                    onClick={() => setFilter(isChosen(count) ? {} : { code: count.code, column: count.column ?? undefined })}
                  >
                    <span class="num">{count.count}</span> × <code>{count.code}</code>
                    {count.column ? ` in ${count.column}` : ' (whole row)'}
                  </button>
                </li>
              )}
            </For>
          </ul>
          <div class="error-filters">
            <label>
              Column{' '}
              <select
                data-testid="errors-column-filter"
                value={filter().column ?? ''}
                onChange={(e) => setFilter({ ...filter(), column: e.currentTarget.value || undefined })}
              >
                <option value="">Any</option>
                <For each={distinct(counts().flatMap((c) => (c.column ? [c.column] : [])))}>
                  {(name) => <option value={name}>{name}</option>}
                </For>
              </select>
            </label>
            <label>
              Code{' '}
              <select
                data-testid="errors-code-filter"
                value={filter().code ?? ''}
                onChange={(e) => setFilter({ ...filter(), code: e.currentTarget.value || undefined })}
              >
                <option value="">Any</option>
                <For each={distinct(counts().map((c) => c.code))}>{(code) => <option value={code}>{code}</option>}</For>
              </select>
            </label>
            <Show when={filtered()}>
              <button type="button" class="link-button" data-testid="errors-filter-clear" onClick={() => setFilter({})}>
                Show all
              </button>
            </Show>
          </div>
        </Show>
        <Show when={page.items.length > 0}>
          <div class="table-scroll">
            <table class="errors-table" data-testid="errors-table">
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  <th scope="col">Column</th>
                  <th scope="col">Value</th>
                  <th scope="col">Code</th>
                  <th scope="col">Message</th>
                </tr>
              </thead>
              <tbody>
                <For each={page.items}>
                  {(e) => (
                    <tr>
                      <td class="num">{e.row}</td>
                      <td>{e.column ?? '—'}</td>
                      <td class="value" title={e.value ?? ''}>
                        {e.value ?? <span class="muted">empty</span>}
                      </td>
                      <td>
                        <code>{e.code}</code>
                      </td>
                      <td>{e.message}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
        <Show when={error()}>
          <p class="action-error" role="alert">
            Could not load the errors: {error()}{' '}
            <button type="button" class="link-button" onClick={() => void load(null)}>
              Try again
            </button>
          </p>
        </Show>
        <Show when={loading() && !page.nextCursor}>
          <p class="muted">Loading errors…</p>
        </Show>
        <Show when={page.nextCursor}>
          <LoadMoreButton
            label="Load more errors"
            testId="errors-load-more"
            loading={loading()}
            onLoad={() => void load(page.nextCursor)}
          />
        </Show>
      </Show>
    </section>
  );
}

const distinct = (values: string[]): string[] => [...new Set(values)].sort();
