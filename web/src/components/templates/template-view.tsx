import { For, Show } from 'solid-js';
import { RULES_BY_TYPE, type Template, type TemplateColumn } from '@docprocessor/contracts';
import { RULE_FIELDS } from '../../lib/rule-fields';
import { formatTime } from '../../lib/format';
import { TemplateKind } from './template-kind';

/** One template as the server serves it: where its rows go, its key, and every column with its rules. */
export function TemplateView(props: { template: Template }) {
  const t = () => props.template;
  return (
    <div class="template-view" data-testid="template-view" data-template={t().name}>
      <dl class="details">
        <div class="detail">
          <dt>Table</dt>
          <dd>
            <code>{t().table}</code>
          </dd>
        </div>
        <div class="detail">
          <dt>Key</dt>
          <dd data-testid="template-view-key">
            {t().key.join(', ')}
            <Show when={t().keyCaseInsensitive}>
              <span class="muted"> (case-insensitive)</span>
            </Show>
          </dd>
        </div>
        <div class="detail">
          <dt>Kind</dt>
          <dd>
            <TemplateKind template={t()} />
          </dd>
        </div>
        <div class="detail">
          <dt>Updated</dt>
          <dd>{formatTime(t().updatedAt ?? t().createdAt)}</dd>
        </div>
      </dl>
      <div class="table-scroll">
        <table class="data-table" data-testid="template-columns">
          <caption class="visually-hidden">Columns of {t().name}</caption>
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Type</th>
              <th scope="col">Required</th>
              <th scope="col">Rules</th>
              <th scope="col">Other header names</th>
              <th scope="col">Input formats</th>
            </tr>
          </thead>
          <tbody>
            <For each={t().columns}>{(column) => <ColumnRow column={column} inKey={t().key.includes(column.name)} />}</For>
          </tbody>
        </table>
      </div>
    </div>
  );
}

function ColumnRow(props: { column: TemplateColumn; inKey: boolean }) {
  const c = () => props.column;
  return (
    <tr data-testid="template-column" data-column={c().name}>
      <th scope="row">
        <code>{c().name}</code>
        <Show when={props.inKey}>
          <span class="note note-info">key</span>
        </Show>
        <Show when={c().description}>
          <p class="hint">{c().description}</p>
        </Show>
      </th>
      <td>{c().type}</td>
      <td>{c().required ? 'yes' : 'no'}</td>
      <td data-testid="template-column-rules">
        <For each={rulesOf(c())} fallback={<span class="muted">—</span>}>
          {(rule) => <span class="rule">{rule}</span>}
        </For>
      </td>
      <td>{c().aliases?.join(', ') || <span class="muted">—</span>}</td>
      <td>
        <For each={c().formats ?? []} fallback={<span class="muted">{c().type === 'date' || c().type === 'timestamp' ? 'ISO' : '—'}</span>}>
          {(format) => <code class="chip">{format}</code>}
        </For>
      </td>
    </tr>
  );
}

/** Each rule the column sets, with its label: "Max length 254", "Values: a, b". */
function rulesOf(column: TemplateColumn): string[] {
  return RULES_BY_TYPE[column.type]
    .filter((rule) => rule !== 'formats' && column[rule] !== undefined)
    .map((rule) => {
      const value = column[rule];
      return Array.isArray(value) ? `${RULE_FIELDS[rule].label}: ${value.join(', ')}` : `${RULE_FIELDS[rule].label} ${String(value)}`;
    });
}
