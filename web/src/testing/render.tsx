import { render } from '@solidjs/testing-library';
import { createMemoryHistory } from '@solidjs/router';
import type { JSX } from 'solid-js';
import type { Me } from '@docprocessor/contracts';
import type { Api } from '../api/http';
import { App } from '../app';
import { StoreProvider } from '../stores/context';
import { FakeSocket } from './fake-socket';
import { makeMe } from './factories';

/**
 * A Storage holding an API key and who /api/me said it is (an admin by default), as a tab that signed in before a
 * reload: the store starts signed in with its role known and loads the templates.
 */
export function signedInStorage(key = 'dev-key', me: Me = makeMe()): Storage {
  const items = new Map<string, string>([
    ['docprocessor.apiKey', key],
    ['docprocessor.me', JSON.stringify(me)],
  ]);
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (name) => items.get(name) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (name) => void items.delete(name),
    setItem: (name, value) => void items.set(name, value),
  };
}

/** Renders `ui` under a store signed in with a key (as `me`), whose socket is a FakeSocket and whose HTTP is `api`. */
export function renderSignedIn(ui: () => JSX.Element, api: Api, me?: Me) {
  FakeSocket.reset();
  const storage = signedInStorage('dev-key', me);
  // The server keeps saying the same about the key.
  const asked = me ? { ...api, me: async () => me } : api;
  return render(() => <StoreProvider deps={{ api: asked, storage, WebSocket: FakeSocket }}>{ui()}</StoreProvider>);
}

/** The whole app at `path`, signed in (as `me`), with a memory history the test can move back through. */
export function renderAppAt(path: string, api: Api, me?: Me) {
  window.scrollTo = () => undefined; // the router scrolls to the top on each navigation; jsdom has no scrolling
  const history = createMemoryHistory();
  history.set({ value: path, replace: true, scroll: false });
  const result = renderSignedIn(() => <App history={history} />, api, me);
  return { ...result, history };
}
