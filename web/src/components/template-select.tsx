import { For } from 'solid-js';
import { useStore } from '../stores/context';
import type { StagedFile } from '../stores/staging';

/**
 * The template a staged file will be imported with, changeable until it is sent. The caller places the label
 * (`for` = `id`), since the mapping step and the upload list lay it out differently.
 */
export function TemplateSelect(props: { staged: StagedFile; id: string; testId: string; class?: string }) {
  const store = useStore();
  return (
    <select
      id={props.id}
      class={props.class}
      data-testid={props.testId}
      value={props.staged.template}
      onChange={(e) => store.staging.setTemplate(props.staged.id, e.currentTarget.value)}
    >
      <For each={store.templates.list()}>
        {(t) => (
          <option value={t.name} selected={t.name === props.staged.template}>
            {t.name}
          </option>
        )}
      </For>
    </select>
  );
}
