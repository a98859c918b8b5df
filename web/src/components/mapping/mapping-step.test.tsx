import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import { BUILT_IN_TEMPLATES } from '@docprocessor/contracts';
import type { Api, PreviewResult } from '../../api/http';
import { ApiError } from '../../api/errors';
import { fakeApi, makeJob } from '../../testing/factories';
import { exactPreview, contacts, makePreview } from '../../testing/previews';
import { renderAppAt } from '../../testing/render';

const headers = ['ID', 'Courriel', 'first_name', 'last_name', 'country', 'signup', 'amount', 'active', 'nickname'];
const row = ['1', 'ada@example.com', 'Ada', 'Lovelace', 'GB', '2024-01-31', '12.50', 'true', 'Countess'];

/** What the server proposes for that header: `signup` suggested, `email` missing with `Courriel` closest, `nickname` unmatched. */
const proposed: PreviewResult = {
  ...makePreview(headers, [row]),
  mapping: headers.map((header) => {
    const column = { ID: 'id', Courriel: null, signup: 'signup_date', nickname: null }[header];
    return { header, column: column === undefined ? header : column, confidence: header === 'signup' ? 0.91 : column === null ? 0 : 1 };
  }),
  missing: [{ column: 'email', closestHeader: 'Courriel' }],
};

function setup(preview: Api['preview'], file = new File(['x'], 'people.csv', { type: 'text/csv' })) {
  const upload = vi.fn<Api['upload']>().mockResolvedValue(makeJob());
  const api = fakeApi({ listTemplates: async () => [...BUILT_IN_TEMPLATES], preview: vi.fn(preview), upload });
  renderAppAt('/', api);
  return { upload, api, file };
}

async function open(file: File) {
  await within(screen.getByTestId('template-select')).findByRole('option', { name: 'contacts' });
  fireEvent.change(screen.getByTestId('file-input'), { target: { files: [file] } });
  return screen.findByTestId('mapping-table');
}

const header = (name: string) => screen.getAllByTestId('mapping-header').find((h) => h.dataset.header === name)!;
const button = (id: string) => screen.getByTestId(id) as HTMLButtonElement;

describe('MappingStep', () => {
  it('shows the rows under the headers, marks suggested, unmatched and missing columns, and blocks the import until fixed', async () => {
    const { upload, api, file } = setup(async () => proposed);
    const table = await open(file);
    expect(api.preview).toHaveBeenCalledWith(file, { template: 'contacts', sheet: undefined });
    expect(within(table).getByText('ada@example.com')).toBeTruthy();
    expect(header('ID').dataset.state).toBe('matched');
    const picked = screen.getAllByTestId('mapping-select').map((select) => (select as HTMLSelectElement).value);
    expect(picked).toEqual(proposed.mapping!.map((m) => m.column ?? ''));
    expect(header('signup').dataset.state).toBe('suggested');
    expect(within(header('signup')).getByTestId('mapping-confidence').textContent).toBe('suggested, 91% alike');
    expect(header('nickname').dataset.state).toBe('ignored');
    expect(screen.getByTestId('mapping-unmatched').textContent).toContain('Courriel');
    expect(screen.getAllByTestId('mapping-missing-column').map((m) => m.dataset.column)).toEqual(['email']);
    expect(button('mapping-import').disabled).toBe(true);
    expect(button('mapping-dry-run').disabled).toBe(true);

    fireEvent.click(screen.getByTestId('mapping-use-closest'));
    expect(screen.queryByTestId('mapping-missing')).toBeNull();
    expect(header('Courriel').dataset.state).toBe('chosen');
    expect((within(header('Courriel')).getByTestId('mapping-select') as HTMLSelectElement).value).toBe('email');
    fireEvent.click(button('mapping-import'));
    await waitFor(() => expect(upload).toHaveBeenCalledOnce());
    expect(upload.mock.calls[0]?.[1]).toEqual({
      template: 'contacts',
      onDuplicate: 'error',
      mapping: {
        ID: 'id',
        Courriel: 'email',
        first_name: 'first_name',
        last_name: 'last_name',
        country: 'country',
        signup: 'signup_date',
        amount: 'amount',
        active: 'active',
        nickname: null,
      },
    });
  });

  it('posts the mapping as edited, with dryRun for “Check first”', async () => {
    const { upload, file } = setup(async () => exactPreview(contacts));
    await open(file);
    const notes = within(header('notes')).getByTestId('mapping-select');
    fireEvent.change(notes, { target: { value: '' } });
    expect(header('notes').dataset.state).toBe('ignored');
    fireEvent.change(within(header('company')).getByTestId('mapping-select'), { target: { value: 'last_name' } });
    expect(header('last_name').dataset.state).toBe('ignored'); // a column feeds one header: the other let it go
    fireEvent.change(within(header('last_name')).getByTestId('mapping-select'), { target: { value: 'company' } });
    fireEvent.change(within(header('email')).getByTestId('mapping-select'), { target: { value: '' } });
    expect(screen.getByTestId('mapping-missing-column').textContent).toBe('email — no header looks like it');
    expect(button('mapping-dry-run').disabled).toBe(true);
    fireEvent.change(within(header('email')).getByTestId('mapping-select'), { target: { value: 'email' } });
    fireEvent.click(button('mapping-dry-run'));
    await waitFor(() => expect(upload).toHaveBeenCalledOnce());
    const fields = upload.mock.calls[0]?.[1];
    expect(fields?.dryRun).toBe(true);
    expect(fields?.mapping).toMatchObject({ notes: null, company: 'last_name', last_name: 'company', id: 'id' });
    expect(screen.queryByTestId('mapping-step')).toBeNull();
  });

  it('puts the focus on Import when everything matched, so Enter imports', async () => {
    const { upload, file } = setup(async () => exactPreview(contacts));
    await open(file);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('mapping-import')));
    fireEvent.submit(button('mapping-import').form!);
    await waitFor(() => expect(upload).toHaveBeenCalledOnce());
    expect(upload.mock.calls[0]?.[1].dryRun).toBeUndefined();
  });

  it('offers to import unchecked when the preview fails, and to set the file aside', async () => {
    const { upload, file } = setup(async () => Promise.reject(new ApiError(400, 'malformed_csv', 'The CSV cannot be read near line 3')));
    await within(screen.getByTestId('template-select')).findByRole('option', { name: 'contacts' });
    fireEvent.change(screen.getByTestId('file-input'), { target: { files: [file, new File(['y'], 'other.csv')] } });
    expect((await screen.findByTestId('mapping-error')).textContent).toContain('The CSV cannot be read near line 3');
    fireEvent.click(screen.getByTestId('mapping-cancel'));
    await waitFor(() => expect(screen.getByTestId('mapping-step').dataset.file).toBe('other.csv'));
    fireEvent.click(await screen.findByTestId('mapping-import-unchecked'));
    await waitFor(() => expect(upload).toHaveBeenCalledOnce());
    expect(upload.mock.calls[0]?.[0].name).toBe('other.csv');
    expect(upload.mock.calls[0]?.[1]).toEqual({ template: 'contacts', onDuplicate: 'error' });
  });

  it('asks a workbook’s sheet, previews it and imports from it', async () => {
    const xlsx = new File(['PK'], 'book.xlsx');
    const { upload, api } = setup(async () => exactPreview(contacts), xlsx);
    await open(xlsx);
    fireEvent.change(screen.getByTestId('mapping-sheet'), { target: { value: 'People' } });
    await waitFor(() => expect(api.preview).toHaveBeenLastCalledWith(xlsx, { template: 'contacts', sheet: 'People' }));
    await waitFor(() => expect(button('mapping-import').disabled).toBe(false));
    fireEvent.click(button('mapping-import'));
    await waitFor(() => expect(upload).toHaveBeenCalledOnce());
    expect(upload.mock.calls[0]?.[1].sheet).toBe('People');
  });
});
