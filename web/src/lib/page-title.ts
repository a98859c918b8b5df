import { createEffect } from 'solid-js';

/** The browser tab (and history menu) says which page this is. */
export function usePageTitle(title: () => string): void {
  createEffect(() => {
    document.title = `${title()} · DocProcessor`;
  });
}
