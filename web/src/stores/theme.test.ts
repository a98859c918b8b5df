import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { createTheme } from './theme';

const memoryStorage = (): Storage => {
  const items = new Map<string, string>();
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
};

describe('theme', () => {
  it('follows the system until chosen, cycles light → dark → system, and remembers the choice', () => {
    const storage = memoryStorage();
    const root = document.createElement('html');
    createRoot(() => {
      const theme = createTheme(storage, root);
      expect(theme.choice()).toBe('system');
      expect(root.hasAttribute('data-theme')).toBe(false);
      theme.next();
      expect(root.getAttribute('data-theme')).toBe('light');
      theme.next();
      expect(root.getAttribute('data-theme')).toBe('dark');
      expect(storage.getItem('docprocessor.theme')).toBe('dark');
    });
    // A new page starts with the remembered choice.
    createRoot(() => {
      const again = createTheme(storage, document.createElement('html'));
      expect(again.choice()).toBe('dark');
      again.next();
      expect(again.choice()).toBe('system');
      expect(storage.getItem('docprocessor.theme')).toBeNull();
    });
  });
});
