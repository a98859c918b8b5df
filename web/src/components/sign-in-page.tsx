import { createSignal, onMount, Show } from 'solid-js';
import { useStore } from '../stores/context';
import { usePageTitle } from '../lib/page-title';
import { KeyForm } from './key-form';

export const SSO_FAILED_NOTICE = 'Single sign-on did not sign you in';

/** Whether the single sign-on callback sent the person back here refused (`/?signin=failed`); read once, then
 * dropped from the address, so a later sign-out does not show it again. */
function takeSsoFailure(): boolean {
  const url = new URL(window.location.href);
  if (url.searchParams.get('signin') !== 'failed') return false;
  url.searchParams.delete('signin');
  window.history.replaceState(window.history.state, '', url);
  return true;
}

/**
 * Shown instead of any page until someone is signed in: email and password (the server sets an HttpOnly cookie),
 * "Sign in with …" when single sign-on is configured, and an API key only where the server allows one.
 * A refusal never says whether the account exists: the server does not tell, and neither does this page.
 */
export function SignInPage() {
  const store = useStore();
  const [email, setEmail] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const options = () => store.session.options();
  const ssoFailed = takeSsoFailure();
  const notice = () => store.session.notice() ?? (ssoFailed ? SSO_FAILED_NOTICE : null);
  let emailInput: HTMLInputElement | undefined;
  let passwordInput: HTMLInputElement | undefined;
  usePageTitle(() => 'Sign in');
  // autofocus is ignored for elements inserted after load (e.g. after a session ended).
  onMount(() => emailInput?.focus());

  async function submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    setBusy(true);
    const signedIn = await store.session.signInWithPassword(email(), password());
    setBusy(false);
    if (signedIn) return;
    setPassword('');
    passwordInput?.focus();
  }

  return (
    <div class="sign-in" data-testid="sign-in-page">
      <section class="card sign-in-card" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title" tabindex="-1">
          Sign in
        </h1>
        <p class="muted">Upload CSV files and follow their imports live.</p>
        {/* Always in the page, so a screen reader announces each new message as it arrives. */}
        <div role="alert" aria-live="assertive" data-testid="sign-in-notice">
          <Show when={notice()}>{(text) => <p class="notice notice-error">{text()}</p>}</Show>
        </div>
        <form class="sign-in-form" onSubmit={(event) => void submit(event)} aria-labelledby="sign-in-title">
          <label class="field-label" for="sign-in-email">
            Email
          </label>
          <input
            ref={emailInput}
            id="sign-in-email"
            name="email"
            type="email"
            autocomplete="username"
            spellcheck={false}
            required
            data-testid="sign-in-email"
            value={email()}
            onInput={(event) => setEmail(event.currentTarget.value)}
          />
          <label class="field-label" for="sign-in-password">
            Password
          </label>
          <input
            ref={passwordInput}
            id="sign-in-password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            data-testid="sign-in-password"
            value={password()}
            onInput={(event) => setPassword(event.currentTarget.value)}
          />
          <button type="submit" class="button-primary" data-testid="sign-in-submit" disabled={busy()}>
            {busy() ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <Show when={options()?.sso}>
          {(sso) => (
            <a class="button-secondary sign-in-sso" href={sso().url} data-testid="sign-in-sso">
              Sign in with {sso().label}
            </a>
          )}
        </Show>
        <p class="hint">No account yet? An administrator creates one for you.</p>
      </section>
      <Show when={options()?.apiKey}>
        <section class="card sign-in-card">
          <KeyForm />
        </section>
      </Show>
    </div>
  );
}
