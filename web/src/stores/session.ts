import { createSignal, type Accessor } from 'solid-js';

const STORAGE_KEY = 'docprocessor.apiKey';

export interface Session {
  key: Accessor<string | null>;
  /** Why the key was asked for again (refused, signed out); null on first visit. */
  notice: Accessor<string | null>;
  signIn(key: string): void;
  signOut(notice?: string): void;
}

/** The API key, kept in sessionStorage so it lasts for the browser session and no longer. */
export function createSession(storage: Storage | null = safeSessionStorage()): Session {
  const [key, setKey] = createSignal<string | null>(read(storage));
  const [notice, setNotice] = createSignal<string | null>(null);
  return {
    key,
    notice,
    signIn(value) {
      const trimmed = value.trim();
      if (!trimmed) return;
      write(storage, trimmed);
      setNotice(null);
      setKey(trimmed);
    },
    signOut(message) {
      write(storage, null);
      setNotice(message ?? null);
      setKey(null);
    },
  };
}

// Storage throws in some privacy modes; the key then lives only in memory.
function safeSessionStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

function read(storage: Storage | null): string | null {
  try {
    return storage?.getItem(STORAGE_KEY) || null;
  } catch {
    return null;
  }
}

function write(storage: Storage | null, value: string | null): void {
  try {
    if (value === null) storage?.removeItem(STORAGE_KEY);
    else storage?.setItem(STORAGE_KEY, value);
  } catch {
    /* memory only */
  }
}
