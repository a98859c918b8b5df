import { createSignal, type Accessor } from 'solid-js';
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
  add(files: readonly File[], fields: Omit<StagedFile, 'id' | 'file'>): void;
  /** The file was uploaded or set aside: the next one's step opens. */
  done(id: string): void;
  clear(): void;
}

export function createStaging(): Staging {
  const [queue, setQueue] = createSignal<StagedFile[]>([]);
  return {
    current: () => queue()[0],
    count: () => queue().length,
    add: (files, fields) => setQueue((held) => [...held, ...files.map((file) => ({ id: newId(), file, ...fields }))]),
    done: (id) => setQueue((held) => held.filter((s) => s.id !== id)),
    clear: () => setQueue([]),
  };
}
