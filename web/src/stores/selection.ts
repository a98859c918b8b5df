import { createSignal, type Accessor } from 'solid-js';

export interface Selection {
  /** The job whose summary is open. */
  id: Accessor<string | null>;
  toggle(id: string): void;
  /** Opens a job the user did not click (the newest job finished), unless they opened another one themselves. */
  follow(id: string): void;
  /** The user started something new: the next finished job may open by itself again. */
  release(): void;
  clear(): void;
}

export function createSelection(): Selection {
  const [id, setId] = createSignal<string | null>(null);
  const [pinned, setPinned] = createSignal(false);
  return {
    id,
    toggle(next) {
      const closing = id() === next;
      setId(closing ? null : next);
      setPinned(!closing);
    },
    follow(next) {
      if (pinned() && id() !== null && id() !== next) return;
      setId(next);
    },
    release: () => setPinned(false),
    clear() {
      setId(null);
      setPinned(false);
    },
  };
}
