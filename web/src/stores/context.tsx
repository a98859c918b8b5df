import { createContext, useContext, type ParentProps } from 'solid-js';
import { createAppStore, type AppDeps, type AppStore } from './app';

const StoreContext = createContext<AppStore>();

/** Creates the app store (or takes one made by a test) and hands it to every component below. */
export function StoreProvider(props: ParentProps<{ store?: AppStore; deps?: AppDeps }>) {
  // Read once on purpose: one store per provider for its whole life.
  const store = props.store ?? createAppStore(props.deps);
  return <StoreContext.Provider value={store}>{props.children}</StoreContext.Provider>;
}

export function useStore(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStore() outside <StoreProvider>');
  return store;
}
