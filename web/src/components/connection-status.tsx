import { Show } from 'solid-js';
import { useStore } from '../stores/context';
import type { ConnectionState } from '../api/socket';

const LABELS: Record<ConnectionState, [state: string, label: string]> = {
  open: ['connected', 'Live'],
  connecting: ['connecting', 'Connecting…'],
  reconnecting: ['reconnecting', 'Reconnecting…'],
  closed: ['offline', 'Offline'],
};

/** The live feed's health: imports update by themselves only while this says Live. */
export function ConnectionStatus() {
  const store = useStore();
  const info = () => store.connection.info();
  const entry = () => LABELS[info().state];
  const title = () =>
    info().state === 'reconnecting'
      ? `Live updates interrupted; attempt ${info().failures + 1}. Retrying automatically.`
      : info().state === 'open'
        ? 'Receiving live updates'
        : 'Not receiving live updates';
  return (
    <div class="connection" data-testid="connection-status" data-state={entry()[0]} role="status" title={title()}>
      <span class="connection-dot" aria-hidden="true" />
      <span class="connection-label">{entry()[1]}</span>
      <Show when={info().state === 'reconnecting'}>
        <button type="button" class="link-button" onClick={() => store.reconnectNow()}>
          Retry now
        </button>
      </Show>
    </div>
  );
}
