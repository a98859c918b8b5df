import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import { BUILT_IN_TEMPLATES } from '@docprocessor/contracts';
import type { Api } from '../api/http';
import { ApiError } from '../api/errors';
import { fakeApi, makeJob } from '../testing/factories';
import { previewOfBuiltIn } from '../testing/previews';
import { renderAppAt } from '../testing/render';

const csv = (name: string, body = 'id,email\n1,a@b.c\n') => new File([body], name, { type: 'text/csv' });

/** The imports page with the built-in templates listed and every file holding exactly the chosen template's columns. */
function renderPage(overrides: Partial<Api> = {}) {
  const api = fakeApi({
    listTemplates: () => Promise.resolve([...BUILT_IN_TEMPLATES]),
    preview: previewOfBuiltIn,
    ...overrides,
  });
  return renderAppAt('/', api);
}

async function chooseAndImport(...files: File[]) {
  fireEvent.change(screen.getByTestId('file-input'), { target: { files } });
  for (const file of files) {
    const step = await screen.findByTestId('mapping-step');
    expect(step.dataset.file).toBe(file.name);
    const button = screen.getByTestId('mapping-import') as HTMLButtonElement;
    await waitFor(() => expect(button.disabled).toBe(false));
    fireEvent.click(button);
  }
}

describe('UploadPanel', () => {
  it('lists the server’s templates, then “New template from this file”', async () => {
    renderPage();
    const select = screen.getByTestId('template-select') as HTMLSelectElement;
    await waitFor(() => expect([...select.options].map((o) => o.value)).toEqual(['contacts', 'products', 'auto']));
    expect(select.value).toBe('contacts');
    expect(screen.getByTestId('template-columns').textContent).toContain('Rows are matched on id');
  });

  it('checks a chosen file’s columns, then uploads it with the template, policy, mapping and a fresh Idempotency-Key', async () => {
    const upload = vi.fn<Api['upload']>().mockResolvedValue(makeJob());
    renderPage({ upload });
    await within(screen.getByTestId('template-select')).findByRole('option', { name: 'products' });
    fireEvent.change(screen.getByTestId('template-select'), { target: { value: 'products' } });
    fireEvent.change(screen.getByTestId('on-duplicate-select'), { target: { value: 'last' } });
    await chooseAndImport(csv('a.csv'));
    await chooseAndImport(csv('a.csv'));

    await waitFor(() => expect(upload).toHaveBeenCalledTimes(2));
    const [file, fields, options] = upload.mock.calls[0] ?? [];
    expect(file?.name).toBe('a.csv');
    expect(fields).toEqual({
      template: 'products',
      onDuplicate: 'last',
      mapping: { sku: 'sku', name: 'name', description: 'description', price: 'price', quantity: 'quantity', active: 'active' },
    });
    expect(options?.idempotencyKey).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(upload.mock.calls[1]?.[2].idempotencyKey).not.toBe(options?.idempotencyKey);
    expect(screen.queryByTestId('mapping-step')).toBeNull();
  });

  it('gives each dropped file its own mapping step and upload', async () => {
    const upload = vi.fn<Api['upload']>().mockResolvedValue(makeJob());
    renderPage({ upload });
    await within(screen.getByTestId('template-select')).findByRole('option', { name: 'products' });
    fireEvent.drop(screen.getByTestId('drop-zone'), { dataTransfer: { files: [csv('one.csv'), csv('two.csv')] } });
    expect((await screen.findByTestId('mapping-step')).textContent).toContain('1 more file(s) waiting');
    for (const name of ['one.csv', 'two.csv']) {
      await waitFor(() => expect(screen.getByTestId('mapping-step').dataset.file).toBe(name));
      await waitFor(() => expect((screen.getByTestId('mapping-import') as HTMLButtonElement).disabled).toBe(false));
      fireEvent.click(screen.getByTestId('mapping-import'));
    }
    await waitFor(() => expect(upload).toHaveBeenCalledTimes(2));
    expect(upload.mock.calls.map(([f]) => f.name)).toEqual(['one.csv', 'two.csv']);
  });

  it('opens the file picker from the keyboard', () => {
    renderPage();
    const input = screen.getByTestId('file-input') as HTMLInputElement;
    const click = vi.spyOn(input, 'click');
    fireEvent.keyDown(screen.getByTestId('drop-zone'), { key: 'Enter' });
    expect(click).toHaveBeenCalledOnce();
  });

  it('shows the server’s refusal next to the drop zone, without a retry for a 4xx', async () => {
    const upload = vi.fn<Api['upload']>().mockRejectedValue(new ApiError(415, 'unsupported_media_type', 'That file is not a CSV'));
    renderPage({ upload });
    await within(screen.getByTestId('template-select')).findByRole('option', { name: 'products' });
    await chooseAndImport(csv('photo.csv'));
    const message = await screen.findByTestId('upload-error');
    expect(message.textContent).toBe('That file is not a CSV');
    expect(message.getAttribute('data-code')).toBe('unsupported_media_type');
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('retries a dropped upload with the same Idempotency-Key', async () => {
    const upload = vi
      .fn<Api['upload']>()
      .mockRejectedValueOnce(new ApiError(0, 'network_error', 'Connection lost'))
      .mockResolvedValueOnce(makeJob());
    renderPage({ upload });
    await within(screen.getByTestId('template-select')).findByRole('option', { name: 'products' });
    await chooseAndImport(csv('a.csv'));
    fireEvent.click(await screen.findByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(upload).toHaveBeenCalledTimes(2));
    expect(upload.mock.calls[1]?.[2].idempotencyKey).toBe(upload.mock.calls[0]?.[2].idempotencyKey);
    await screen.findByText('Uploaded, import queued.');
  });

  it('shows upload progress', async () => {
    let report: ((loaded: number, total: number) => void) | undefined;
    const upload = vi.fn<Api['upload']>((_file, _fields, options) => {
      report = options.onProgress;
      return new Promise(() => undefined);
    });
    renderPage({ upload });
    await within(screen.getByTestId('template-select')).findByRole('option', { name: 'products' });
    await chooseAndImport(csv('big.csv'));
    await waitFor(() => expect(report).toBeDefined());
    report?.(25, 100);
    const bar = await screen.findByRole('progressbar', { name: 'Uploading big.csv' });
    await waitFor(() => expect(bar.getAttribute('aria-valuenow')).toBe('25'));
  });

  it('uploads with template=auto and the table name at once, after checking the name', async () => {
    const upload = vi.fn<Api['upload']>().mockResolvedValue(makeJob({ template: 'customers' }));
    const preview = vi.fn<Api['preview']>();
    renderPage({ upload, preview });
    await within(screen.getByTestId('template-select')).findByRole('option', { name: 'products' });
    fireEvent.change(screen.getByTestId('template-select'), { target: { value: 'auto' } });
    const table = screen.getByTestId('auto-table-input');
    for (const [name, message] of [
      ['Customers', 'must be 1 to 63 characters'],
      ['contacts', 'A template named contacts exists'],
    ] as const) {
      fireEvent.input(table, { target: { value: name } });
      fireEvent.change(screen.getByTestId('file-input'), { target: { files: [csv('customers.csv')] } });
      expect((await screen.findByTestId('field-error')).textContent).toContain(message);
      expect(table.getAttribute('aria-invalid')).toBe('true');
    }
    fireEvent.input(table, { target: { value: 'customers' } });
    fireEvent.change(screen.getByTestId('file-input'), { target: { files: [csv('customers.csv')] } });
    await waitFor(() => expect(upload).toHaveBeenCalledOnce());
    expect(upload.mock.calls[0]?.[1]).toEqual({ template: 'auto', table: 'customers', onDuplicate: 'error' });
    expect(preview).not.toHaveBeenCalled();
    expect(screen.queryByTestId('mapping-step')).toBeNull();
  });

  it('sends the “If rows fail” options with the upload: a count, a percent as a fraction, all or nothing', async () => {
    const upload = vi.fn<Api['upload']>().mockResolvedValue(makeJob());
    renderPage({ upload });
    await within(screen.getByTestId('template-select')).findByRole('option', { name: 'products' });
    const options = screen.getByRole('group', { name: 'If rows fail' });
    fireEvent.input(within(options).getByLabelText('Stop after'), { target: { value: '10' } });
    fireEvent.input(within(options).getByLabelText('Stop above'), { target: { value: '2.5' } });
    const atomic = within(options).getByRole('checkbox', { name: 'All or nothing' });
    expect(atomic.getAttribute('aria-describedby')).toBe('atomic-help');
    fireEvent.click(atomic);
    await chooseAndImport(csv('a.csv'));
    await waitFor(() => expect(upload).toHaveBeenCalledOnce());
    expect(upload.mock.calls[0]?.[1]).toMatchObject({ template: 'contacts', maxErrors: 10, maxErrorRate: 0.025, atomic: true });
  });

  it('sends no failure fields when none are set', async () => {
    const upload = vi.fn<Api['upload']>().mockResolvedValue(makeJob());
    renderPage({ upload });
    await within(screen.getByTestId('template-select')).findByRole('option', { name: 'products' });
    await chooseAndImport(csv('a.csv'));
    await waitFor(() => expect(upload).toHaveBeenCalledOnce());
    expect(Object.keys(upload.mock.calls[0]?.[1] ?? {}).sort()).toEqual(['mapping', 'onDuplicate', 'template']);
  });

  it('refuses a limit out of bounds at its field, and takes no file until it is fixed', async () => {
    const upload = vi.fn<Api['upload']>().mockResolvedValue(makeJob({ template: 'customers' }));
    renderPage({ upload });
    await within(screen.getByTestId('template-select')).findByRole('option', { name: 'products' });
    const rate = screen.getByTestId('max-error-rate-input');
    fireEvent.input(rate, { target: { value: '150' } });
    fireEvent.change(screen.getByTestId('file-input'), { target: { files: [csv('a.csv')] } });
    const error = await screen.findByTestId('field-error');
    expect(error.dataset.field).toBe('maxErrorRate');
    expect(error.textContent).toContain('from 0 to 100');
    expect(rate.getAttribute('aria-invalid')).toBe('true');
    expect(rate.getAttribute('aria-describedby')).toBe('max-error-rate-error max-error-rate-help');
    expect(screen.queryByTestId('mapping-step')).toBeNull();

    // Fixed, a new template from the file carries the policy too.
    fireEvent.input(rate, { target: { value: '0' } });
    expect(screen.queryByTestId('field-error')).toBeNull();
    fireEvent.change(screen.getByTestId('template-select'), { target: { value: 'auto' } });
    fireEvent.input(screen.getByTestId('auto-table-input'), { target: { value: 'customers' } });
    fireEvent.change(screen.getByTestId('file-input'), { target: { files: [csv('customers.csv')] } });
    await waitFor(() => expect(upload).toHaveBeenCalledOnce());
    expect(upload.mock.calls[0]?.[1]).toEqual({ template: 'auto', table: 'customers', onDuplicate: 'error', maxErrorRate: 0 });
  });
});
