import { createSignal } from 'solid-js';
import { useStore } from '../stores/context';
import { KEY_REFUSED } from '../stores/session';

/** Pasting an API key instead of signing in: offered only when the server allows it (development, `API_KEYS`). */
export function KeyForm() {
  const store = useStore();
  const [value, setValue] = createSignal('');
  const [visible, setVisible] = createSignal(false);

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    store.session.signInWithKey(value());
  };

  return (
    <form class="key-form" onSubmit={submit} aria-labelledby="key-title" data-testid="key-form">
      <h2 id="key-title">Use an API key</h2>
      <p class="hint">For development: the key is kept only for this browser session.</p>
      <label class="field-label" for="api-key">
        API key
      </label>
      <div class="key-input-row">
        <input
          id="api-key"
          name="apiKey"
          data-testid="api-key-input"
          type={visible() ? 'text' : 'password'}
          autocomplete="off"
          spellcheck={false}
          required
          value={value()}
          onInput={(event) => setValue(event.currentTarget.value)}
          aria-invalid={store.session.notice() === KEY_REFUSED ? true : undefined}
        />
        <button type="button" class="button-secondary" aria-pressed={visible()} onClick={() => setVisible(!visible())}>
          {visible() ? 'Hide' : 'Show'}
        </button>
      </div>
      <button type="submit" class="button-secondary" data-testid="api-key-submit">
        Continue with the key
      </button>
      <p class="hint">
        No key yet? An administrator creates one with <code>npm run keys -- create --tenant T --name N</code>.
      </p>
    </form>
  );
}
