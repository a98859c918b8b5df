import { createSignal, type Accessor } from 'solid-js';
import { createStore, produce } from 'solid-js/store';
import type { Job } from '@docprocessor/contracts';
import { isApiError, type Api, type UploadFields } from '../api/http';
import { newId } from '../lib/id';
import { checkFile, type FileRefusal } from '../lib/upload-check';

export type UploadState = 'queued' | 'uploading' | 'done' | 'failed';

export interface UploadItem {
  id: string;
  file: File;
  /** Null for a file refused in the browser: it is never sent. */
  fields: UploadFields | null;
  /** Made once per selected file and reused on retry, so a repeated send never makes a second job. */
  idempotencyKey: string;
  state: UploadState;
  loaded: number;
  total: number;
  error: { code: string; message: string; retryable: boolean } | null;
  jobId: string | null;
}

export interface Uploads {
  items: readonly UploadItem[];
  /** The server's MAX_UPLOAD_BYTES once `GET /api/health` said it; null until then (only the server checks). */
  maxBytes: Accessor<number | null>;
  /** Each file becomes its own upload with its own Idempotency-Key. */
  add(files: readonly File[], fields: UploadFields): void;
  /**
   * Checks each file's name and size before anything is sent: a refused one is listed with its reason (never
   * sent), the others are returned to go on.
   */
  screen(files: readonly File[]): File[];
  retry(id: string): void;
  cancel(id: string): void;
  dismiss(id: string): void;
}

export interface UploadsOptions {
  api: Pick<Api, 'upload' | 'health'>;
  onUploaded?: (job: Job) => void;
  concurrency?: number;
}

export function createUploads({ api, onUploaded, concurrency = 3 }: UploadsOptions): Uploads {
  const [items, setItems] = createStore<UploadItem[]>([]);
  const [maxBytes, setMaxBytes] = createSignal<number | null>(null);
  const controllers = new Map<string, AbortController>();
  // Asked once; without an answer the server still refuses a file over its limit (413), only later.
  api.health().then(
    (health) => setMaxBytes(health.maxUploadBytes),
    () => undefined,
  );

  const update = (id: string, fn: (item: UploadItem) => void) =>
    setItems(
      produce((list) => {
        const item = list.find((i) => i.id === id);
        if (item) fn(item);
      }),
    );
  const remove = (id: string) => setItems((list) => list.filter((i) => i.id !== id));

  function pump(): void {
    const running = items.filter((i) => i.state === 'uploading').length;
    items
      .filter((i) => i.state === 'queued')
      .slice(0, Math.max(0, concurrency - running))
      .forEach((i) => void start(i.id));
  }

  async function start(id: string): Promise<void> {
    const item = items.find((i) => i.id === id);
    if (!item?.fields) return;
    const controller = new AbortController();
    controllers.set(id, controller);
    update(id, (i) => {
      i.state = 'uploading';
      i.error = null;
      i.loaded = 0;
    });
    try {
      const job = await api.upload(item.file, item.fields, {
        idempotencyKey: item.idempotencyKey,
        signal: controller.signal,
        onProgress: (loaded, total) =>
          update(id, (i) => {
            i.loaded = loaded;
            i.total = total;
          }),
      });
      update(id, (i) => {
        i.state = 'done';
        i.loaded = i.total;
        i.jobId = job.id;
      });
      onUploaded?.(job); // the row stays, with a link to the job, until dismissed
    } catch (error) {
      if (isApiError(error) && error.code === 'aborted') remove(id);
      else
        update(id, (i) => {
          i.state = 'failed';
          i.error = describe(error);
        });
    } finally {
      controllers.delete(id);
      pump();
    }
  }

  return {
    get items() {
      return items;
    },
    maxBytes,
    screen(files) {
      const refused = files.flatMap((file) => {
        const refusal = checkFile(file, maxBytes());
        return refusal ? [refusedItem(file, refusal)] : [];
      });
      if (refused.length > 0) setItems((list) => [...refused, ...list]);
      return files.filter((file) => !refused.some((item) => item.file === file));
    },
    add(files, fields) {
      const added = files.map<UploadItem>((file) => ({
        id: newId(),
        file,
        fields: { ...fields },
        idempotencyKey: newId(),
        state: 'queued',
        loaded: 0,
        total: file.size,
        error: null,
        jobId: null,
      }));
      setItems((list) => [...added, ...list]);
      pump();
    },
    retry(id) {
      update(id, (i) => {
        if (i.state === 'failed') {
          i.state = 'queued';
          i.error = null;
        }
      });
      pump();
    },
    cancel(id) {
      const controller = controllers.get(id);
      if (controller) controller.abort();
      else remove(id);
    },
    dismiss: remove,
  };
}

const refusedItem = (file: File, refusal: FileRefusal): UploadItem => ({
  id: newId(),
  file,
  fields: null,
  idempotencyKey: '',
  state: 'failed',
  loaded: 0,
  total: file.size,
  error: { ...refusal, retryable: false },
  jobId: null,
});

// Only failures that may pass on a second try get a Retry button; a 4xx about the file will not.
function describe(error: unknown): NonNullable<UploadItem['error']> {
  if (isApiError(error)) {
    const retryable = error.status === 0 || error.status === 429 || error.status >= 500;
    return { code: error.code, message: error.message, retryable };
  }
  return { code: 'unknown', message: error instanceof Error ? error.message : String(error), retryable: true };
}
