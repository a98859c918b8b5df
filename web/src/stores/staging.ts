import type { Accessor } from 'solid-js';
import { createStore } from 'solid-js/store';
import type { OnDuplicate } from '@docprocessor/contracts';
import type { FailurePolicy } from '../api/upload-form';
import { newId } from '../lib/id';

/** A chosen file waiting for its mapping step: checked against its template before it is uploaded. */
export interface StagedFile {
  id: string;
  file: File;
  template: string;
  onDuplicate: OnDuplicate;
  /** What the import does when rows fail (thresholds, all or nothing); only what was set. */
  onFailure?: FailurePolicy;
}

export interface Staging {
  /** The file whose mapping step is open, the first chosen. */
  current: Accessor<StagedFile | undefined>;
  /** How many files wait, the current one included. */
  count: Accessor<number>;
  /** Every file waiting, the current one first. */
  files: Accessor<readonly StagedFile[]>;
  add(files: readonly File[], fields: Omit<StagedFile, 'id' | 'file'>): void;
  /** Each file has its own template; changing it keeps the file in its place (its step re-reads its head). */
  setTemplate(id: string, template: string): void;
  /** The file was uploaded or set aside: the next one's step opens. */
  done(id: string): void;
  clear(): void;
}

// A store, not a signal of objects: a changed template updates the file in place, so its open step stays mounted.
export function createStaging(): Staging {
  const [queue, setQueue] = createStore<StagedFile[]>([]);
  return {
    current: () => queue[0],
    count: () => queue.length,
    files: () => queue,
    add: (files, fields) => setQueue((held) => [...held, ...files.map((file) => ({ id: newId(), file, ...fields }))]),
    setTemplate: (id, template) => setQueue((s) => s.id === id, 'template', template),
    done: (id) => setQueue((held) => held.filter((s) => s.id !== id)),
    clear: () => setQueue([]),
  };
}
