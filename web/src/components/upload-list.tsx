import { For, Match, Show, Switch } from 'solid-js';
import { A } from '@solidjs/router';
import { useStore } from '../stores/context';
import type { StagedFile } from '../stores/staging';
import type { UploadItem } from '../stores/uploads';
import { formatBytes } from '../lib/format';
import { jobPath } from '../lib/paths';
import { ProgressBar } from './progress-bar';
import { TemplateSelect } from './template-select';

/**
 * Every chosen file has a row right under the drop zone: waiting for its column check (with its own template),
 * uploading (bytes sent), then a link to its import, or the reason it was refused (by the browser or the server).
 */
export function UploadList() {
  const store = useStore();
  const finished = () => store.uploads.items.filter((i) => i.state === 'done' || (i.state === 'failed' && !i.error?.retryable));
  return (
    <Show when={store.uploads.items.length > 0 || store.staging.count() > 0}>
      <ul class="upload-list" aria-label="Files">
        <For each={store.staging.files()}>{(staged, at) => <StagedRow staged={staged} current={at() === 0} />}</For>
        <For each={store.uploads.items}>{(item) => <UploadRow item={item} />}</For>
      </ul>
      <Show when={finished().length > 1}>
        <button
          type="button"
          class="link-button uploads-clear"
          data-testid="uploads-clear"
          onClick={() => {
            for (const item of finished()) store.uploads.dismiss(item.id);
          }}
        >
          Clear finished
        </button>
      </Show>
    </Show>
  );
}

function StagedRow(props: { staged: StagedFile; current: boolean }) {
  const store = useStore();
  const selectId = () => `staged-template-${props.staged.id}`;
  return (
    <li class="upload-item" data-testid="staged-item" data-file={props.staged.file.name} data-state="staged">
      <div class="upload-line">
        <span class="upload-name" title={props.staged.file.name}>
          {props.staged.file.name}
        </span>
        <span class="upload-size">{formatBytes(props.staged.file.size)}</span>
      </div>
      <Show when={!props.current} fallback={<p class="upload-status">Checking its columns (above), template {props.staged.template}.</p>}>
        <div class="upload-line">
          <label class="upload-status" for={selectId()}>
            Template
          </label>
          <TemplateSelect staged={props.staged} id={selectId()} testId="staged-template" class="select-compact" />
          <span class="upload-status">waits for its column check</span>
          <button
            type="button"
            class="link-button"
            aria-label={`Remove ${props.staged.file.name}`}
            onClick={() => store.staging.done(props.staged.id)}
          >
            Remove
          </button>
        </div>
      </Show>
    </li>
  );
}

function UploadRow(props: { item: UploadItem }) {
  const store = useStore();
  const fraction = () => (props.item.total > 0 ? props.item.loaded / props.item.total : 0);
  const dismiss = (
    <button
      type="button"
      class="link-button"
      aria-label={`Dismiss ${props.item.file.name}`}
      onClick={() => store.uploads.dismiss(props.item.id)}
    >
      Dismiss
    </button>
  );
  return (
    <li class="upload-item" data-testid="upload-item" data-file={props.item.file.name} data-state={props.item.state}>
      <div class="upload-line">
        <span class="upload-name" title={props.item.file.name}>
          {props.item.file.name}
        </span>
        <Show when={props.item.fields}>{(fields) => <span class="upload-template">{fields().template}</span>}</Show>
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
        <Match when={props.item.state === 'done' && props.item.jobId}>
          {(jobId) => (
            <div class="upload-line">
              <p class="upload-status upload-done">
                Uploaded, import queued.{' '}
                <A href={jobPath(jobId())} data-testid="upload-job-link">
                  Open the import
                </A>
              </p>
              {dismiss}
            </div>
          )}
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
              {dismiss}
            </div>
          )}
        </Match>
      </Switch>
    </li>
  );
}
