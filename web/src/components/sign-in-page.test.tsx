import { fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { createMemoryHistory } from '@solidjs/router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SignInOptions } from '@docprocessor/contracts';
import { ApiError } from '../api/errors';
import type { Api } from '../api/http';
import { App } from '../app';
import { StoreProvider } from '../stores/context';
import { SESSION_ENDED, WRONG_PAIR } from '../stores/session';
import { FakeSocket } from '../testing/fake-socket';
import { SSO_FAILED_NOTICE } from './sign-in-page';
import { fakeApi, makeJob, personMe } from '../testing/factories';

const unauthorized = () => new ApiError(401, 'unauthorized', 'Sign in or give an API key');
const DEV: SignInOptions = { password: true, apiKey: true, sso: null };

/** The app on a fresh tab with nobody signed in; `me` answers as the server would once the cookie is set. */
function renderSignedOut(overrides: Partial<Api> = {}, path = '/') {
  window.scrollTo = () => undefined;
  let cookie = false;
  const api = fakeApi({
    me: async () => {
      if (cookie) return personMe('importer', 'ann@example.com');
      throw unauthorized();
    },
    signIn: vi.fn<Api['signIn']>(async (email, password) => {
      if (email !== 'ann@example.com' || password !== 'right') throw new ApiError(401, 'unauthorized', 'Wrong email or password');
      cookie = true;
    }),
    ...overrides,
  });
  const history = createMemoryHistory();
  history.set({ value: path, replace: true, scroll: false });
  render(() => (
    <StoreProvider deps={{ api, storage: sessionStorage, WebSocket: FakeSocket }}>
      <App history={history} />
    </StoreProvider>
  ));
  return api;
}

async function signIn(email: string, password: string) {
  fireEvent.input(await screen.findByLabelText('Email'), { target: { value: email } });
  fireEvent.input(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

beforeEach(() => {
  sessionStorage.clear();
  FakeSocket.reset();
});

describe('the sign-in page', () => {
  it('asks for email and password before any page, then opens the page asked for, live by cookie', async () => {
    const api = renderSignedOut({}, '/jobs/j1');
    await screen.findByTestId('sign-in-page');
    expect(screen.queryByTestId('nav-imports')).toBeNull();
    expect(FakeSocket.instances).toHaveLength(0);
    await waitFor(() => expect(document.activeElement?.id).toBe('sign-in-email'));
    await signIn('ann@example.com', 'right');
    expect(api.signIn).toHaveBeenCalledWith('ann@example.com', 'right');
    await screen.findByTestId('job-loading');
    expect(FakeSocket.last.url).toMatch(/\/ws$/); // no key in the address: the browser sends the cookie
    expect(sessionStorage.getItem('docprocessor.apiKey')).toBeNull();
    expect((await screen.findByTestId('account-who')).textContent).toBe('ann@example.com');
    expect(screen.getByTestId('account-role').textContent).toBe('importer');
  });

  it('says a wrong pair in a live region without telling whether the account exists, and empties the password', async () => {
    renderSignedOut();
    await signIn('nobody@example.com', 'guess');
    const notice = screen.getByTestId('sign-in-notice');
    await waitFor(() => expect(notice.textContent).toBe(WRONG_PAIR));
    expect(notice.getAttribute('role')).toBe('alert');
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('');
    await waitFor(() => expect(document.activeElement?.id).toBe('sign-in-password'));
    await signIn('ann@example.com', 'wrong');
    await waitFor(() => expect(notice.textContent).toBe(WRONG_PAIR)); // the same words for a known email
  });

  it('offers an API key only where the server allows one, and single sign-on when configured', async () => {
    renderSignedOut({
      sessionOptions: async () => ({ password: true, apiKey: false, sso: { label: 'Acme SSO', url: '/api/session/sso' } }),
    });
    const sso = await screen.findByRole('link', { name: 'Sign in with Acme SSO' });
    expect(sso.getAttribute('href')).toBe('/api/session/sso');
    expect(screen.queryByTestId('api-key-input')).toBeNull();
  });

  it('says so when single sign-on sent the person back refused, once: the address loses ?signin=failed', async () => {
    window.history.replaceState(null, '', '/?signin=failed');
    renderSignedOut();
    await waitFor(() => expect(screen.getByTestId('sign-in-notice').textContent).toBe(SSO_FAILED_NOTICE));
    expect(window.location.search).toBe('');
  });

  it('still takes a pasted key in development, as a second choice', async () => {
    renderSignedOut({ sessionOptions: async () => DEV });
    expect((await screen.findByRole('heading', { name: 'Use an API key' })).tagName).toBe('H2');
    fireEvent.input(screen.getByTestId('api-key-input'), { target: { value: 'dev-key' } });
    fireEvent.click(screen.getByTestId('api-key-submit'));
    await screen.findByTestId('nav-imports');
    expect(FakeSocket.last.url).toMatch(/\/ws\?apiKey=dev-key$/);
  });

  it('returns to the sign-in page, saying why, when the server ends the session', async () => {
    renderSignedOut();
    await signIn('ann@example.com', 'right');
    await screen.findByTestId('account-who');
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: 'snapshot', jobs: [makeJob()] });
    await screen.findByTestId('job-row');
    FakeSocket.last.receive({ type: 'error', error: { code: 'unauthorized', message: 'The session ended' } });
    expect((await screen.findByTestId('sign-in-notice')).textContent).toBe(SESSION_ENDED);
    expect(FakeSocket.last.closedByClient).not.toBeNull();
    expect(screen.queryByTestId('job-row')).toBeNull();
  });

  it('signs out with DELETE /api/session and shows the sign-in page', async () => {
    const signOut = vi.fn<Api['signOut']>().mockResolvedValue();
    renderSignedOut({ signOut });
    await signIn('ann@example.com', 'right');
    fireEvent.click(await screen.findByTestId('sign-out'));
    await screen.findByTestId('sign-in-page');
    expect(signOut).toHaveBeenCalledOnce();
    expect(screen.getByTestId('sign-in-notice').textContent).toBe('');
  });
});
