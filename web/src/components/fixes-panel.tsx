import { createSignal, For, Show } from 'solid-js';
import type { Job, JobFix } from '@docprocessor/contracts';
import { saveBlob } from '../lib/download';
import { formatTime } from '../lib/format';
import { canFix, runningFix } from '../lib/repair';
import { messageOf } from '../stores/app';
import { useStore } from '../stores/context';
import { GatedButton } from './role-reason';

const FIX_STATUS: Record<JobFix['status'], string> = {
  pending: 'Waiting',
  processing: 'Importing',
  completed: 'Done',
  failed: 'Failed',
};

/**
 * Repairing an import in place: download its failed rows as they were in the file (errors.csv), correct them, and
 * upload the file into the same job; its counts then move live and the history below says what each fix did.
 */
export function FixesPanel(props: { job: Job }) {
  const store = useStore();
  const [busy, setBusy] = createSignal<'download' | 'upload' | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  let input: HTMLInputElement | undefined;

  const run = async (name: 'download' | 'upload', action: () => Promise<void>) => {
    setBusy(name);
    setError(null);
    try {
      await action();
    } catch (e) {
      // 400 (another header, rows the job never failed) and 409 say what to do in their message.
      setError(messageOf(e));
    } finally {
      setBusy(null);
    }
  };

  const download = () =>
    run('download', async () => {
      const { blob, filename } = await store.api.downloadErrorsCsv(props.job.id);
      saveBlob(blob, filename);
    });
  const upload = (file: File | undefined) => file && run('upload', () => store.uploadFixes(props.job.id, file));
  const running = () => runningFix(props.job);

  return (
    <Show when={canFix(props.job) || props.job.fixes.length > 0}>
      <section class="repair" aria-labelledby={`fixes-title-${props.job.id}`} data-testid="fixes-panel">
        <p class="repair-title" id={`fixes-title-${props.job.id}`}>
          {canFix(props.job) ? 'Fix the failed rows' : 'Fixes uploaded'}
        </p>
        <Show when={canFix(props.job)}>
          <p class="hint">
            The download holds the failed rows as they were in your file, with why each failed in <code>_errors</code>. Correct them (in a
            spreadsheet, say) and upload the file here: the fixed rows go into this import.
          </p>
          <div class="actions">
            <button
              type="button"
              class="button-secondary"
              data-testid="download-errors"
              disabled={!!busy()}
              onClick={() => void download()}
            >
              {busy() === 'download' ? 'Preparing…' : 'Download errors to fix'}
            </button>
            <GatedButton
              action="fix"
              class="button-primary"
              testId="fixes-upload"
              disabled={!!busy() || !!running()}
              onClick={() => input?.click()}
            >
              {busy() === 'upload' ? 'Uploading…' : 'Upload fixes…'}
            </GatedButton>
            <input
              ref={input}
              class="visually-hidden"
              type="file"
              accept=".csv,text/csv"
              tabindex="-1"
              aria-label="Choose the corrected errors file"
              data-testid="fixes-file-input"
              onChange={(e) => {
                void upload(e.currentTarget.files?.[0]);
                e.currentTarget.value = ''; // the same file may be chosen again after an edit
              }}
            />
          </div>
        </Show>
        <Show when={running()}>
          {(fix) => (
            <p role="status" data-testid="fix-running">
              Importing the fixes from {fix().filename}…
            </p>
          )}
        </Show>
        <Show when={error()}>
          <p class="action-error" role="alert" data-testid="fixes-error">
            {error()}
          </p>
        </Show>
        <Show when={props.job.fixes.length > 0}>
          <FixesHistory fixes={props.job.fixes} />
        </Show>
      </section>
    </Show>
  );
}

function FixesHistory(props: { fixes: readonly JobFix[] }) {
  return (
    <div class="table-scroll">
      <table data-testid="fixes-history">
        <caption class="visually-hidden">Fixes uploaded into this import</caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Uploaded</th>
            <th scope="col">Rows</th>
            <th scope="col">Fixed</th>
            <th scope="col">Still failing</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.fixes}>
            {(fix) => (
              <tr data-testid="fix-row" data-fix-id={fix.id} data-status={fix.status}>
                <td class="break">{fix.filename}</td>
                <td>{formatTime(fix.at)}</td>
                <td class="num">{fix.rows}</td>
                <td class="num" data-testid="fix-fixed">
                  {fix.fixed}
                </td>
                <td class="num" data-testid="fix-still-failing">
                  {fix.stillFailing}
                </td>
                <td>
                  {FIX_STATUS[fix.status]}
                  <Show when={fix.error}>{(message) => <span class="action-error"> — {message()}</span>}</Show>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
