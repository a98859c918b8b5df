import { Show } from 'solid-js';
import type { Dialect } from '@docprocessor/contracts';

const DELIMITER_NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

/** How the preview read the file, in one line a person can check against what they know of it. */
export function DialectLine(props: { dialect: Dialect; rows: number }) {
  const d = () => props.dialect;
  return (
    <p class="hint dialect" data-testid="preview-dialect">
      Read as {d().encoding}, {DELIMITER_NAMES[d().delimiter] ?? d().delimiter}-separated
      {d().quote ? '' : ', without quoting'}; the first {props.rows} rows are shown.
      <Show when={!d().header}> The file seems to have no header row: its columns are numbered.</Show>
    </p>
  );
}
