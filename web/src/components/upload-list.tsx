import { For, Match, Show, Switch } from 'solid-js';
import { useStore } from '../stores/context';
import type { UploadItem } from '../stores/uploads';
import { formatBytes } from '../lib/format';
import { ProgressBar } from './progress-bar';

/** Uploads in flight and the server's refusals, right under the drop zone. */
export function UploadList() {
  const store = useStore();
  return (
    <Show when={store.uploads.items.length > 0}>
      <ul class="upload-list" aria-label="Uploads">
        <For each={store.uploads.items}>{(item) => <UploadRow item={item} />}</For>
      </ul>
    </Show>
  );
}

function UploadRow(props: { item: UploadItem }) {
  const store = useStore();
  const fraction = () => (props.item.total > 0 ? props.item.loaded / props.item.total : 0);
  return (
    <li class="upload-item" data-testid="upload-item" data-state={props.item.state}>
      <div class="upload-line">
        <span class="upload-name" title={props.item.file.name}>
          {props.item.file.name}
        </span>
        <span class="upload-size">{formatBytes(props.item.file.size)}</span>
      </div>
      <Switch>
        <Match when={props.item.state === 'queued' || props.item.state === 'uploading'}>
          <div class="upload-line">
            <ProgressBar value={fraction()} label={`Uploading ${props.item.file.name}`} indeterminate={props.item.state === 'queued'} />
            <button type="button" class="link-button" onClick={() => store.uploads.cancel(props.item.id)}>
              Cancel
            </button>
          </div>
        </Match>
        <Match when={props.item.state === 'done'}>
          <p class="upload-status upload-done">Uploaded, import queued.</p>
        </Match>
        <Match when={props.item.state === 'failed' && props.item.error}>
          {(error) => (
            <div class="upload-line">
              <p class="upload-status upload-error" role="alert" data-testid="upload-error" data-code={error().code}>
                {error().message}
              </p>
              <Show when={error().retryable}>
                <button type="button" class="link-button" onClick={() => store.uploads.retry(props.item.id)}>
                  Retry
                </button>
              </Show>
              <button
                type="button"
                class="link-button"
                aria-label={`Dismiss ${props.item.file.name}`}
                onClick={() => store.uploads.dismiss(props.item.id)}
              >
                Dismiss
              </button>
            </div>
          )}
        </Match>
      </Switch>
    </li>
  );
}
