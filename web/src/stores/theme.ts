import { createSignal, type Accessor } from 'solid-js';

export type ThemeChoice = 'system' | 'light' | 'dark';
const CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];
const STORAGE_KEY = 'docprocessor.theme';

export interface Theme {
  choice: Accessor<ThemeChoice>;
  /** system → light → dark → system. */
  next(): void;
}

const readChoice = (storage: Storage | null): ThemeChoice => {
  const stored = storage?.getItem(STORAGE_KEY);
  return CHOICES.find((choice) => choice === stored) ?? 'system';
};

/**
 * The colour theme: the system's until the person picks one, kept in localStorage. It is written to
 * `<html data-theme>` (absent for system), which styles.css reads; `color-scheme` follows so form controls match.
 */
export function createTheme(storage: Storage | null = safeLocalStorage(), root: HTMLElement = document.documentElement): Theme {
  const [choice, setChoice] = createSignal<ThemeChoice>(readChoice(storage));
  const apply = (value: ThemeChoice) => {
    if (value === 'system') root.removeAttribute('data-theme');
    else root.setAttribute('data-theme', value);
  };
  apply(choice());
  return {
    choice,
    next() {
      const value = CHOICES[(CHOICES.indexOf(choice()) + 1) % CHOICES.length] ?? 'system';
      setChoice(value);
      apply(value);
      if (value === 'system') storage?.removeItem(STORAGE_KEY);
      else storage?.setItem(STORAGE_KEY, value);
    },
  };
}

function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage blocked: the choice lasts while the page is open
  }
}
