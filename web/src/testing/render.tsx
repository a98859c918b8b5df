import { render } from '@solidjs/testing-library';
import { createMemoryHistory } from '@solidjs/router';
import type { JSX } from 'solid-js';
import type { Api } from '../api/http';
import { App } from '../app';
import { StoreProvider } from '../stores/context';
import { FakeSocket } from './fake-socket';

/** A Storage holding only an API key, so the store starts signed in and loads the templates. */
function signedInStorage(key = 'dev-key'): Storage {
  const items = new Map<string, string>([['docprocessor.apiKey', key]]);
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

/** Renders `ui` under a store signed in with a key, whose socket is a FakeSocket and whose HTTP is `api`. */
export function renderSignedIn(ui: () => JSX.Element, api: Api) {
  FakeSocket.reset();
  return render(() => <StoreProvider deps={{ api, storage: signedInStorage(), WebSocket: FakeSocket }}>{ui()}</StoreProvider>);
}

/** The whole app at `path`, signed in, with a memory history the test can move back through. */
export function renderAppAt(path: string, api: Api) {
  window.scrollTo = () => undefined; // the router scrolls to the top on each navigation; jsdom has no scrolling
  const history = createMemoryHistory();
  history.set({ value: path, replace: true, scroll: false });
  const result = renderSignedIn(() => <App history={history} />, api);
  return { ...result, history };
}
