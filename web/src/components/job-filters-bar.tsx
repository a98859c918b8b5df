import { For, Show } from 'solid-js';
import { useSearchParams } from '@solidjs/router';
import { JobStatus } from '@docprocessor/contracts';
import { useStore } from '../stores/context';
import { statusLabel } from '../lib/format';
import { FILTER_NAMES, hasFilters, type JobFilters } from '../lib/job-filters';

const SEARCH_DELAY_MS = 250;

/**
 * Status, template, creation days and a file name search. They live in the URL's query (Back undoes a filter, a
 * filtered view can be shared); the page reads them from there and asks the API.
 */
export function JobFiltersBar() {
  const store = useStore();
  const [, setSearchParams] = useSearchParams();
  const filters = () => store.history.filters();
  let typing: ReturnType<typeof setTimeout> | undefined;

  const set = (change: Partial<JobFilters>, replace = false) => {
    const next = { ...filters(), ...change };
    setSearchParams(Object.fromEntries(FILTER_NAMES.map((name) => [name, next[name] || undefined])), { replace });
  };
  const search = (q: string) => {
    clearTimeout(typing);
    // Typing replaces the history entry: Back leaves the search, not each letter of it.
    typing = setTimeout(() => set({ q: q.trim() }, true), SEARCH_DELAY_MS);
  };

  return (
    <form class="job-filters" aria-label="Find imports" onSubmit={(e) => e.preventDefault()}>
      <label class="filter filter-search">
        <span>File name</span>
        <input
          type="search"
          placeholder="Search file names"
          value={filters().q}
          data-testid="filter-search"
          onInput={(e) => search(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            clearTimeout(typing);
            set({ q: e.currentTarget.value.trim() });
          }}
        />
      </label>
      <label class="filter">
        <span>Status</span>
        <select value={filters().status} data-testid="filter-status" onChange={(e) => set({ status: e.currentTarget.value })}>
          <option value="">Any</option>
          <For each={JobStatus.options}>{(status) => <option value={status}>{statusLabel(status)}</option>}</For>
        </select>
      </label>
      <label class="filter">
        <span>Template</span>
        <select value={filters().template} data-testid="filter-template" onChange={(e) => set({ template: e.currentTarget.value })}>
          <option value="">Any</option>
          <For each={store.templates.list().map((t) => t.name)}>{(name) => <option value={name}>{name}</option>}</For>
          <Show when={filters().template && !store.templates.get(filters().template)}>
            <option value={filters().template}>{filters().template}</option>
          </Show>
        </select>
      </label>
      <label class="filter">
        <span>From</span>
        <input
          type="date"
          value={filters().from}
          max={filters().to || undefined}
          data-testid="filter-from"
          onChange={(e) => set({ from: e.currentTarget.value })}
        />
      </label>
      <label class="filter">
        <span>To</span>
        <input
          type="date"
          value={filters().to}
          min={filters().from || undefined}
          data-testid="filter-to"
          onChange={(e) => set({ to: e.currentTarget.value })}
        />
      </label>
      <Show when={hasFilters(filters())}>
        <button
          type="button"
          class="link-button filter-clear"
          data-testid="filter-clear"
          onClick={() => set({ status: '', template: '', q: '', from: '', to: '' })}
        >
          Clear filters
        </button>
      </Show>
    </form>
  );
}
