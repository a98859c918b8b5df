import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import { BUILT_IN_TEMPLATES, type Template } from '@docprocessor/contracts';
import type { Api } from '../api/http';
import { ApiError } from '../api/errors';
import { fakeApi } from '../testing/factories';
import { renderAppAt } from '../testing/render';

const orders: Template = {
  name: 'orders',
  key: ['ref'],
  keyCaseInsensitive: false,
  table: 'tenant_a.orders',
  managed: true,
  builtIn: false,
  columns: [
    { name: 'ref', type: 'string', required: true, maxLength: 20 },
    { name: 'placed', type: 'date', required: true, formats: ['DD/MM/YYYY'], aliases: ['Order date'] },
    { name: 'status', type: 'enum', required: false, values: ['open', 'shipped'] },
  ],
  createdAt: '2025-01-01T10:00:00.000Z',
  updatedAt: null,
};
/** A server holding the built-ins and `orders`; `updateTemplate` changes what it then serves. */
function api(overrides: Partial<Api> = {}): Api {
  const held = new Map([...BUILT_IN_TEMPLATES, orders].map((t) => [t.name, t]));
  const update = overrides.updateTemplate;
  return fakeApi({
    listTemplates: async () => [...held.values()],
    getTemplate: async (name) => held.get(name) ?? Promise.reject(new ApiError(404, 'not_found', `No template ${name}`)),
    ...overrides,
    ...(update && {
      updateTemplate: async (name, change) => {
        const updated = await update(name, change);
        held.set(name, updated);
        return updated;
      },
    }),
  });
}

const rowNames = () => screen.getAllByTestId('template-row').map((r) => r.dataset.template);

describe('Templates screen', () => {
  it('lists the templates, opens one at its own URL and goes back to the list', async () => {
    const { history } = renderAppAt('/templates', api());
    await waitFor(() => expect(rowNames()).toEqual(['contacts', 'products', 'orders']));
    expect(screen.getByTestId('nav-templates').getAttribute('aria-current')).toBe('page');
    const row = screen.getAllByTestId('template-row')[2]!;
    expect([...row.children].map((cell) => cell.textContent)).toEqual([
      'orders',
      'tenant_a.orders',
      'ref',
      '3',
      'yourstable made by the service',
    ]);
    expect(within(screen.getAllByTestId('template-row')[0]!).getByTestId('template-kind').dataset.builtIn).toBe('true');

    fireEvent.click(within(row).getByRole('link', { name: 'orders' }));
    await waitFor(() => expect(history.get()).toBe('/templates/orders'));
    const view = await screen.findByTestId('template-view');
    const placed = within(view).getAllByTestId('template-column')[1]!;
    expect(placed.textContent).toContain('Order date');
    expect(placed.textContent).toContain('DD/MM/YYYY');
    expect(
      within(view)
        .getAllByTestId('template-column-rules')
        .map((c) => c.textContent),
    ).toEqual(['Max length 20', '—', 'Values: open, shipped']);
    expect(screen.getByTestId('template-edit').getAttribute('href')).toBe('/templates/orders/edit');
    expect(screen.getByTestId('nav-templates').classList.contains('active')).toBe(true);
    expect(screen.getByTestId('nav-imports').classList.contains('active')).toBe(false);

    history.back();
    await waitFor(() => expect(screen.getAllByTestId('template-row')).toHaveLength(3));
  });

  it('shows a built-in template without Edit or Delete, and says when a name is unknown', async () => {
    const { history } = renderAppAt('/templates/contacts', api());
    await screen.findByTestId('template-view');
    expect(screen.getByTestId('template-view-key').textContent).toBe('id');
    expect(screen.queryByTestId('template-edit')).toBeNull();
    expect(screen.queryByTestId('template-delete')).toBeNull();
    history.set({ value: '/templates/nope' });
    await screen.findByTestId('template-not-found');
  });

  it('deletes a template after a confirmation, and shows why when the server refuses', async () => {
    const deleteTemplate = vi
      .fn<Api['deleteTemplate']>()
      .mockRejectedValueOnce(new ApiError(409, 'template_in_use', 'An import is running on orders'))
      .mockResolvedValueOnce();
    const { history } = renderAppAt('/templates/orders', api({ deleteTemplate }));
    fireEvent.click(await screen.findByTestId('template-delete'));
    fireEvent.click(screen.getByTestId('template-delete-no'));
    expect(deleteTemplate).not.toHaveBeenCalled();

    fireEvent.click(screen.getByTestId('template-delete'));
    fireEvent.click(screen.getByTestId('template-delete-yes'));
    expect((await screen.findByTestId('template-delete-error')).textContent).toBe('An import is running on orders');
    fireEvent.click(screen.getByTestId('template-delete'));
    fireEvent.click(screen.getByTestId('template-delete-yes'));
    await waitFor(() => expect(history.get()).toBe('/templates'));
    expect(deleteTemplate).toHaveBeenLastCalledWith('orders');
    expect(rowNames()).toEqual(['contacts', 'products']);
  });

  it('makes a template from a sample file: preview without a template, the inferred form, then POST', async () => {
    const preview = vi.fn<Api['preview']>().mockResolvedValue({
      format: 'csv',
      dialect: { encoding: 'utf-8', delimiter: ';', quote: '"', header: true, lineEnd: '\n' },
      columns: [
        { index: 0, header: 'Code', type: 'string', nullable: false, examples: ['A1', 'B2'] },
        { index: 1, header: 'Joined', type: 'date', nullable: true, formats: ['DD.MM.YYYY'], examples: ['21.02.2000'] },
      ],
      rows: [['A1', '21.02.2000']],
    });
    const created: Template = { ...orders, name: 'members', columns: [{ name: 'code', type: 'string', required: true }] };
    const createTemplate = vi.fn<Api['createTemplate']>().mockResolvedValue(created);
    const { history } = renderAppAt('/templates', api({ preview, createTemplate }));
    fireEvent.click(await screen.findByTestId('template-new-sample'));
    const file = new File(['Code;Joined\nA1;21.02.2000\n'], 'Members.csv', { type: 'text/csv' });
    fireEvent.change(await screen.findByTestId('sample-file-input'), { target: { files: [file] } });
    await screen.findByTestId('template-form');
    expect(preview).toHaveBeenCalledWith(file, { sheet: undefined });
    expect(screen.getByTestId('preview-dialect').textContent).toContain('semicolon-separated');
    expect((screen.getByTestId('template-name') as HTMLInputElement).value).toBe('members');
    expect(screen.getAllByTestId('column-examples')[1]?.textContent).toContain('21.02.2000');

    fireEvent.click(within(screen.getAllByTestId('column-editor')[0]!).getByTestId('column-key'));
    fireEvent.click(screen.getByTestId('template-submit'));
    await waitFor(() => expect(history.get()).toBe('/templates/members'));
    expect(createTemplate).toHaveBeenCalledWith({
      name: 'members',
      key: ['code'],
      keyCaseInsensitive: false,
      columns: [
        { name: 'code', type: 'string', required: true },
        { name: 'joined', type: 'date', required: false, formats: ['DD.MM.YYYY'] },
      ],
    });
  });

  it('binds to an existing table without columns, showing the server’s message at the table field', async () => {
    const createTemplate = vi
      .fn<Api['createTemplate']>()
      .mockRejectedValueOnce(new ApiError(400, 'invalid_template', 'table: there is no table crm.people'))
      .mockResolvedValueOnce({ ...orders, name: 'people', managed: false });
    const { history } = renderAppAt('/templates?new=table', api({ createTemplate }));
    fireEvent.click(await screen.findByTestId('bind-submit'));
    await waitFor(() => expect(screen.getAllByTestId('field-error').map((e) => e.dataset.field)).toEqual(['name', 'table']));
    expect(createTemplate).not.toHaveBeenCalled();

    fireEvent.input(screen.getByTestId('bind-name'), { target: { value: 'people' } });
    fireEvent.input(screen.getByTestId('bind-table'), { target: { value: 'crm.people' } });
    fireEvent.click(screen.getByTestId('bind-submit'));
    await waitFor(() => expect(screen.getByTestId('field-error').dataset.field).toBe('table'));
    expect(screen.getByTestId('field-error').textContent).toBe('There is no table crm.people');
    expect(createTemplate).toHaveBeenLastCalledWith({ name: 'people', table: 'crm.people' });

    fireEvent.input(screen.getByTestId('bind-key'), { target: { value: 'email, tenant' } });
    fireEvent.click(screen.getByTestId('bind-submit'));
    await waitFor(() => expect(history.get()).toBe('/templates/people'));
    expect(createTemplate).toHaveBeenLastCalledWith({ name: 'people', table: 'crm.people', key: ['email', 'tenant'] });
  });

  it('edits a template with PUT and returns to it', async () => {
    const updateTemplate = vi
      .fn<Api['updateTemplate']>()
      .mockImplementation(async (_, change) => ({ ...orders, columns: change.columns! }));
    const { history } = renderAppAt('/templates/orders/edit', api({ updateTemplate }));
    const editor = (await screen.findAllByTestId('column-editor'))[0]!;
    fireEvent.input(within(editor).getByTestId('column-aliases'), { target: { value: 'Reference' } });
    fireEvent.click(screen.getByTestId('template-submit'));
    await waitFor(() => expect(history.get()).toBe('/templates/orders'));
    expect(updateTemplate).toHaveBeenCalledWith('orders', {
      key: ['ref'],
      keyCaseInsensitive: false,
      columns: [{ ...orders.columns[0], aliases: ['Reference'] }, orders.columns[1], orders.columns[2]],
    });
    expect(within(await screen.findByTestId('template-view')).getAllByTestId('template-column')[0]?.textContent).toContain('Reference');
  });
});
