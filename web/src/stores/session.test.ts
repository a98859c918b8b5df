import { createRoot } from 'solid-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/errors';
import type { PeopleApi } from '../api/people';
import { fakeApi, makeMe, personMe } from '../testing/factories';
import { signedInStorage } from '../testing/render';
import { createSession, KEY_REFUSED, SESSION_ENDED, TOO_MANY, UNREACHABLE, WRONG_PAIR } from './session';

const unauthorized = () => new ApiError(401, 'unauthorized', 'Sign in or give an API key');
let dispose: (() => void) | undefined;
afterEach(() => dispose?.());

function session(overrides: Partial<PeopleApi> = {}, storage: Storage | null = null) {
  const api = fakeApi(overrides);
  return createRoot((done) => {
    dispose = done;
    return { session: createSession(api, storage), api };
  });
}

describe('the session store', () => {
  it('finds a cookie session at start-up: signed in without a key, with the person’s role', async () => {
    const { session: s } = session({ me: async () => personMe('viewer', 'vic@example.com') });
    expect(s.state()).toBe('checking');
    await s.start();
    expect(s.state()).toBe('signed-in');
    expect(s.credential()).toEqual({ kind: 'cookie' });
    expect(s.key()).toBeNull();
    expect(s.me()?.email).toBe('vic@example.com');
    expect(s.can('cancel')).toEqual({ allowed: false, reason: 'Needs the importer role (you are a viewer)' });
  });

  it('shows the sign-in page, without a message, when no one is signed in', async () => {
    const { session: s } = session({ me: () => Promise.reject(unauthorized()) });
    await s.start();
    expect([s.state(), s.notice(), s.credential()]).toEqual(['signed-out', null, null]);
  });

  it('says so when the server cannot be reached at start-up', async () => {
    const { session: s } = session({ me: () => Promise.reject(new ApiError(0, 'network_error', 'down')) });
    await s.start();
    expect([s.state(), s.notice()]).toEqual(['signed-out', UNREACHABLE]);
  });

  it('reads the sign-in options (no key pasting in production)', async () => {
    const { session: s } = session({ sessionOptions: async () => ({ password: true, apiKey: false, sso: null }) });
    await s.start();
    await vi.waitFor(() => expect(s.options()).toEqual({ password: true, apiKey: false, sso: null }));
  });

  it('signs in with email and password, then asks who it is', async () => {
    const signIn = vi.fn<PeopleApi['signIn']>().mockResolvedValue();
    const me = vi.fn<PeopleApi['me']>().mockRejectedValueOnce(unauthorized()).mockResolvedValue(personMe('importer', 'ann@example.com'));
    const { session: s } = session({ signIn, me });
    await s.start();
    await expect(s.signInWithPassword(' ann@example.com ', 'pw')).resolves.toBe(true);
    expect(signIn).toHaveBeenCalledWith('ann@example.com', 'pw');
    expect(s.state()).toBe('signed-in');
    expect(s.me()?.role).toBe('importer');
    expect(s.can('cancel').allowed).toBe(true);
    expect(s.can('revert')).toEqual({ allowed: false, reason: 'Needs the admin role (you are an importer)' });
  });

  it('says the same for a wrong password and an unknown email, and its own words when rate-limited', async () => {
    const signIn = vi
      .fn<PeopleApi['signIn']>()
      .mockRejectedValueOnce(new ApiError(401, 'unauthorized', 'Wrong email or password'))
      .mockRejectedValueOnce(new ApiError(429, 'rate_limited', 'Too many'));
    const { session: s } = session({ signIn, me: () => Promise.reject(unauthorized()) });
    await s.start();
    await expect(s.signInWithPassword('nobody@example.com', 'x')).resolves.toBe(false);
    expect([s.state(), s.notice()]).toEqual(['signed-out', WRONG_PAIR]);
    await s.signInWithPassword('nobody@example.com', 'x');
    expect(s.notice()).toBe(TOO_MANY);
  });

  it('signs out here first, then tells the server, and forgets who it was', async () => {
    const signOut = vi.fn<PeopleApi['signOut']>().mockResolvedValue();
    const storage = signedInStorage();
    storage.clear();
    const { session: s } = session({ signOut, me: async () => personMe('admin') }, storage);
    await s.start();
    expect(storage.getItem('docprocessor.me')).toContain('admin@example.com');
    const done = s.signOut();
    expect(s.state()).toBe('signed-out');
    await done;
    expect(signOut).toHaveBeenCalledOnce();
    expect([s.notice(), storage.getItem('docprocessor.me')]).toEqual([null, null]);
  });

  it('starts at once, with the role it had, after a reload; ends with a message when the server no longer knows it', async () => {
    const storage = signedInStorage();
    storage.removeItem('docprocessor.apiKey');
    storage.setItem('docprocessor.me', JSON.stringify(personMe('viewer')));
    const { session: s } = session({ me: () => Promise.reject(unauthorized()) }, storage);
    expect([s.state(), s.me()?.role, s.credential()?.kind]).toEqual(['signed-in', 'viewer', 'cookie']);
    await s.start();
    expect([s.state(), s.notice()]).toEqual(['signed-out', SESSION_ENDED]);
  });

  it('keeps a pasted key for the tab and forgets it when the server refuses it', async () => {
    const me = vi.fn<PeopleApi['me']>().mockRejectedValueOnce(unauthorized()).mockResolvedValueOnce(makeMe('importer'));
    const storage = signedInStorage();
    storage.clear();
    const { session: s } = session({ me }, storage);
    await s.start();
    s.signInWithKey('  k1 ');
    expect([s.key(), storage.getItem('docprocessor.apiKey')]).toEqual(['k1', 'k1']);
    await vi.waitFor(() => expect(s.me()?.role).toBe('importer'));
    s.ended();
    expect([s.state(), s.notice(), storage.getItem('docprocessor.apiKey')]).toEqual(['signed-out', KEY_REFUSED, null]);
  });

  it('ignores an answer about a credential that is gone', async () => {
    const answers: Array<(value: ReturnType<typeof makeMe>) => void> = [];
    const { session: s } = session({ me: () => new Promise((resolve) => answers.push(resolve)) });
    const started = s.start();
    s.signInWithKey('k2');
    answers[0]?.(personMe('admin')); // the cookie's answer, asked before the key was given
    await started;
    expect([s.credential(), s.me()]).toEqual([{ kind: 'key', key: 'k2' }, null]);
    answers[1]?.(makeMe('viewer'));
    await vi.waitFor(() => expect(s.me()?.role).toBe('viewer'));
  });
});
