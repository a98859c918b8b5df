import { For, Match, Switch } from 'solid-js';
import { A } from '@solidjs/router';
import type { Template } from '@docprocessor/contracts';
import { useStore } from '../../stores/context';
import { TemplateKind } from './template-kind';

/** Every template of this key: built-ins first, as the server lists them. */
export function TemplateList() {
  const store = useStore();
  const templates = () => store.templates.list();
  return (
    <Switch>
      <Match when={store.templates.state() === 'failed' && templates().length === 0}>
        <div class="notice notice-error" role="alert" data-testid="templates-error">
          <p>The templates could not be loaded: {store.templates.error()}</p>
          <button type="button" class="link-button" onClick={() => void store.templates.load().catch(() => undefined)}>
            Try again
          </button>
        </div>
      </Match>
      <Match when={templates().length === 0}>
        <div class="empty" data-testid="templates-empty">
          <p class="empty-title">{store.templates.state() === 'ready' ? 'No templates yet' : 'Loading templates…'}</p>
        </div>
      </Match>
      <Match when={true}>
        <div class="table-scroll">
          <table class="data-table" data-testid="template-list">
            <caption class="visually-hidden">Templates</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Table</th>
                <th scope="col">Key</th>
                <th scope="col" class="num">
                  Columns
                </th>
                <th scope="col">Kind</th>
              </tr>
            </thead>
            <tbody>
              <For each={templates()}>{(template) => <TemplateRow template={template} />}</For>
            </tbody>
          </table>
        </div>
      </Match>
    </Switch>
  );
}

function TemplateRow(props: { template: Template }) {
  return (
    <tr data-testid="template-row" data-template={props.template.name}>
      <th scope="row">
        <A href={`/templates/${encodeURIComponent(props.template.name)}`} class="template-link">
          {props.template.name}
        </A>
      </th>
      <td>
        <code>{props.template.table}</code>
      </td>
      <td>{props.template.key.join(', ')}</td>
      <td class="num">{props.template.columns.length}</td>
      <td>
        <TemplateKind template={props.template} />
      </td>
    </tr>
  );
}
