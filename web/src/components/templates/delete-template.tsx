import { createSignal, Show } from 'solid-js';
import { messageOf } from '../../stores/app';
import { useStore } from '../../stores/context';

/** Delete, after a second click on a confirmation that says what goes; the server may still refuse (in use). */
export function DeleteTemplate(props: { name: string; onDeleted: () => void }) {
  const store = useStore();
  const [confirming, setConfirming] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  let confirmButton: HTMLButtonElement | undefined;

  const ask = () => {
    setError(null);
    setConfirming(true);
    queueMicrotask(() => confirmButton?.focus());
  };

  async function remove(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await store.templates.remove(props.name);
      props.onDeleted();
    } catch (e) {
      setError(messageOf(e));
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="delete-template">
      <Show
        when={confirming()}
        fallback={
          <button type="button" class="button-danger" data-testid="template-delete" onClick={ask}>
            Delete…
          </button>
        }
      >
        {/* biome-ignore lint/a11y/useSemanticElements: a question and two buttons, not a form, so no fieldset. */}
        <div class="confirm" role="group" aria-labelledby="delete-question" data-testid="template-delete-confirm">
          <p id="delete-question">
            Delete the template <strong>{props.name}</strong>? Files can no longer be imported with it.
          </p>
          <button
            type="button"
            class="button-danger"
            ref={(el) => (confirmButton = el)}
            data-testid="template-delete-yes"
            disabled={busy()}
            onClick={remove}
          >
            {busy() ? 'Deleting…' : 'Delete'}
          </button>
          <button
            type="button"
            class="button-secondary"
            data-testid="template-delete-no"
            disabled={busy()}
            onClick={() => setConfirming(false)}
          >
            Keep it
          </button>
        </div>
      </Show>
      <Show when={error()}>
        <p class="action-error" role="alert" data-testid="template-delete-error">
          {error()}
        </p>
      </Show>
    </div>
  );
}
