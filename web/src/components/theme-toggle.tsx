import type { Theme, ThemeChoice } from '../stores/theme';

const LABELS: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };
const ICONS: Record<ThemeChoice, string> = { system: '◐', light: '☀', dark: '☾' };

/** One button cycling system → light → dark; it says what is in use and what a press does. */
export function ThemeToggle(props: { theme: Theme }) {
  return (
    <button
      type="button"
      class="button-secondary button-small theme-toggle"
      data-testid="theme-toggle"
      data-theme-choice={props.theme.choice()}
      title="Colour theme: system, light or dark"
      onClick={() => props.theme.next()}
    >
      <span aria-hidden="true">{ICONS[props.theme.choice()]}</span>
      <span class="theme-label">Theme: {LABELS[props.theme.choice()]}</span>
    </button>
  );
}
