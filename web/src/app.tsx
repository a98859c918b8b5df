import { onCleanup, onMount, Show } from 'solid-js';
import { useStore } from './stores/context';
import { ConnectionStatus } from './components/connection-status';
import { KeyForm } from './components/key-form';
import { UploadPanel } from './components/upload-panel';
import { JobList } from './components/job-list';

export function App() {
  const store = useStore();
  // Back online: skip whatever backoff wait is left.
  onMount(() => {
    const online = () => store.reconnectNow();
    window.addEventListener('online', online);
    onCleanup(() => window.removeEventListener('online', online));
  });

  return (
    <div class="app">
      <header class="topbar">
        <div class="brand">
          <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
            <rect width="32" height="32" rx="7" />
            <path d="M9 8h9l5 5v11H9z" />
          </svg>
          <span class="brand-name">DocProcessor</span>
          <span class="brand-tag">CSV imports</span>
        </div>
        <Show when={store.session.key()}>
          {(key) => (
            <div class="topbar-actions">
              <ConnectionStatus />
              <span class="key-hint" title="The API key in use">
                key …{key().slice(-4)}
              </span>
              <button type="button" class="button-secondary button-small" data-testid="sign-out" onClick={() => store.session.signOut()}>
                Change key
              </button>
            </div>
          )}
        </Show>
      </header>
      <main class="main">
        <Show when={store.session.key()} fallback={<KeyForm />}>
          <div class="layout">
            <UploadPanel />
            <JobList />
          </div>
        </Show>
      </main>
      <div class="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {store.announcement()}
      </div>
    </div>
  );
}
