import { Show } from 'solid-js';
import { useStore } from '../stores/context';

/** The top bar's "who am I": the person's email (or the key in use) and role, and Sign out. */
export function Account() {
  const store = useStore();
  const session = store.session;
  // A person is their email; a key is its name as the audit log writes it, or its last characters until /api/me answers.
  const who = () => session.me()?.email ?? session.me()?.actor ?? `key …${session.key()?.slice(-4) ?? ''}`;

  return (
    <div class="account" data-testid="account">
      <span class="account-who break" data-testid="account-who" title={session.me()?.tenant ? `Tenant ${session.me()?.tenant}` : undefined}>
        {who()}
      </span>
      <Show when={session.me()}>
        {(me) => (
          <span class="badge account-role" data-testid="account-role" data-role={me().role}>
            {me().role}
          </span>
        )}
      </Show>
      <button type="button" class="button-secondary button-small" data-testid="sign-out" onClick={() => void session.signOut()}>
        Sign out
      </button>
    </div>
  );
}
