import { For, Index, Show } from 'solid-js';
import type { TemplateColumn } from '@docprocessor/contracts';
import { stateOf, type MappingRow, type MappingState } from '../../lib/header-mapping';

const STATE_TEXT: Record<MappingState, (row: MappingRow) => string> = {
  matched: () => 'same name',
  suggested: (row) => `suggested, ${Math.round(row.confidence * 100)}% alike`,
  chosen: () => 'your choice',
  ignored: () => 'not imported',
};

export interface MappingTableProps {
  rows: readonly MappingRow[];
  columns: readonly TemplateColumn[];
  /** The file's first rows, cells in header order. */
  sample: readonly (readonly string[])[];
  onAssign: (at: number, column: string | null) => void;
}

/** The file's first rows under its headers; above each header, the template column it feeds, editable. */
export function MappingTable(props: MappingTableProps) {
  return (
    <div class="table-scroll mapping-scroll">
      <table class="data-table mapping-table" data-testid="mapping-table">
        <caption class="visually-hidden">The file’s first rows, and the template column each of its headers feeds</caption>
        <thead>
          <tr class="mapping-picks">
            <Index each={props.rows}>
              {(row, at) => (
                <th scope="col" class="mapping-pick" data-testid="mapping-header" data-header={row().header} data-state={stateOf(row())}>
                  <select
                    aria-label={`Template column for header “${row().header}”`}
                    data-testid="mapping-select"
                    value={row().column ?? ''}
                    onChange={(e) => props.onAssign(at, e.currentTarget.value === '' ? null : e.currentTarget.value)}
                  >
                    <option value="" selected={row().column === null}>
                      — ignore —
                    </option>
                    <For each={props.columns}>
                      {(column) => (
                        <option value={column.name} selected={row().column === column.name}>
                          {column.name}
                          {column.required ? ' (required)' : ''}
                        </option>
                      )}
                    </For>
                  </select>
                  <span class="mapping-state" data-testid="mapping-confidence">
                    {STATE_TEXT[stateOf(row())](row())}
                  </span>
                </th>
              )}
            </Index>
          </tr>
          <tr>
            <Index each={props.rows}>
              {(row) => (
                <th scope="col" class="mapping-file-header" classList={{ 'cell-ignored': row().column === null }}>
                  <span class="visually-hidden">File header </span>
                  {row().header}
                </th>
              )}
            </Index>
          </tr>
        </thead>
        <tbody>
          <For each={props.sample}>
            {(cells) => (
              <tr>
                <Index each={props.rows}>
                  {(row, at) => (
                    <td classList={{ 'cell-ignored': row().column === null }}>
                      <Show when={cells[at] !== undefined} fallback={<span class="muted">·</span>}>
                        {cells[at]}
                      </Show>
                    </td>
                  )}
                </Index>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
