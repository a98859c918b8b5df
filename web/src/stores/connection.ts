import { createSignal, type Accessor } from 'solid-js';
import type { ConnectionInfo } from '../api/socket';

export interface Connection {
  info: Accessor<ConnectionInfo>;
  /** True once a snapshot arrived for the current key: from then on an empty list really is empty. */
  synced: Accessor<boolean>;
  update(info: ConnectionInfo): void;
  markSynced(): void;
  reset(): void;
}

const IDLE: ConnectionInfo = { state: 'closed', failures: 0, retryInMs: null };

export function createConnection(): Connection {
  const [info, setInfo] = createSignal<ConnectionInfo>(IDLE);
  const [synced, setSynced] = createSignal(false);
  return {
    info,
    synced,
    update: setInfo,
    markSynced: () => setSynced(true),
    reset() {
      setInfo(IDLE);
      setSynced(false);
    },
  };
}
