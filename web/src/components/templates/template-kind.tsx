import { Show } from 'solid-js';
import type { Template } from '@docprocessor/contracts';

/** Built-in or the tenant's own, and whether the service made its table or the template binds to one that was there. */
export function TemplateKind(props: { template: Pick<Template, 'builtIn' | 'managed'> }) {
  return (
    <span class="template-kind" data-testid="template-kind" data-built-in={String(props.template.builtIn)}>
      <Show when={props.template.builtIn} fallback={<span class="badge badge-own">yours</span>}>
        <span class="badge">built-in</span>
      </Show>
      <span class="muted">{props.template.managed ? 'table made by the service' : 'bound to an existing table'}</span>
    </span>
  );
}
