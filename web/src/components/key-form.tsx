import { createSignal, onMount, Show } from 'solid-js';
import { useStore } from '../stores/context';

/** Asks for the API key once per browser session, and again (with the reason) when it is refused. */
export function KeyForm() {
  const store = useStore();
  const [value, setValue] = createSignal('');
  const [visible, setVisible] = createSignal(false);
  let input: HTMLInputElement | undefined;
  // autofocus is ignored for elements inserted after load (e.g. after a refused key).
  onMount(() => input?.focus());

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    store.session.signIn(value());
  };

  return (
    <form class="card key-form" onSubmit={submit} aria-labelledby="key-title">
      <h1 id="key-title">Sign in</h1>
      <p class="muted">Enter your API key to upload CSV files and follow their imports live. It is kept only for this browser session.</p>
      <Show when={store.session.notice()}>
        {(notice) => (
          <p class="notice notice-error" role="alert">
            {notice()}
          </p>
        )}
      </Show>
      <label class="field-label" for="api-key">
        API key
      </label>
      <div class="key-input-row">
        <input
          ref={input}
          id="api-key"
          name="apiKey"
          data-testid="api-key-input"
          type={visible() ? 'text' : 'password'}
          autocomplete="off"
          spellcheck={false}
          required
          value={value()}
          onInput={(event) => setValue(event.currentTarget.value)}
          aria-invalid={store.session.notice() ? true : undefined}
        />
        <button type="button" class="button-secondary" aria-pressed={visible()} onClick={() => setVisible(!visible())}>
          {visible() ? 'Hide' : 'Show'}
        </button>
      </div>
      <button type="submit" class="button-primary" data-testid="api-key-submit">
        Continue
      </button>
      <p class="hint">
        No key yet? An administrator creates one with <code>npm run keys -- create --tenant T --name N</code>.
      </p>
    </form>
  );
}
