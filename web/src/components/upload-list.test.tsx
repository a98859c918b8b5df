import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import { BUILT_IN_TEMPLATES } from '@docprocessor/contracts';
import type { Api, UploadOptions } from '../api/http';
import { fakeApi, makeJob } from '../testing/factories';
import { previewOfBuiltIn } from '../testing/previews';
import { renderAppAt } from '../testing/render';

const csv = (name: string, body = 'id,email\n1,a@b.c\n') => new File([body], name, { type: 'text/csv' });
const health = (maxUploadBytes: number) => () =>
  Promise.resolve({ status: 'ok' as const, checks: { database: { ok: true }, nats: { ok: true } }, maxUploadBytes });

function renderPage(overrides: Partial<Api> = {}) {
  const preview = vi.fn<Api['preview']>(previewOfBuiltIn);
  const api = fakeApi({ listTemplates: () => Promise.resolve([...BUILT_IN_TEMPLATES]), preview, ...overrides });
  renderAppAt('/', api);
  return { preview };
}

const ready = () => within(screen.getByTestId('template-select')).findByRole('option', { name: 'products' });
const row = (testId: string, name: string) => screen.getAllByTestId(testId).find((r) => r.dataset.file === name)!;

async function importCurrent(name: string) {
  await waitFor(() => expect(screen.getByTestId('mapping-step').dataset.file).toBe(name));
  const button = screen.getByTestId('mapping-import') as HTMLButtonElement;
  await waitFor(() => expect(button.disabled).toBe(false));
  fireEvent.click(button);
}

describe('several files at once', () => {
  it('gives each file its own row and template, its own byte progress, then a link to its import', async () => {
    const progress = new Map<string, UploadOptions['onProgress']>();
    const answers = new Map<string, (job: ReturnType<typeof makeJob>) => void>();
    const upload = vi.fn<Api['upload']>(
      (file, _fields, options) =>
        new Promise((resolve) => {
          progress.set(file.name, options.onProgress);
          answers.set(file.name, resolve);
        }),
    );
    const { preview } = renderPage({ upload });
    await ready();
    fireEvent.drop(screen.getByTestId('drop-zone'), { dataTransfer: { files: [csv('people.csv'), csv('stock.csv')] } });

    // The first file's columns are checked above; the second waits in its row, where its template is chosen.
    await screen.findByTestId('mapping-step');
    expect(row('staged-item', 'people.csv').textContent).toContain('Checking its columns (above), template contacts');
    fireEvent.change(within(row('staged-item', 'stock.csv')).getByTestId('staged-template'), { target: { value: 'products' } });
    await importCurrent('people.csv');
    await waitFor(() => expect(screen.getByTestId('mapping-step').dataset.file).toBe('stock.csv'));
    expect((screen.getByTestId('mapping-template') as HTMLSelectElement).value).toBe('products');
    await importCurrent('stock.csv');
    expect(preview.mock.calls.map(([file, fields]) => [file.name, fields.template])).toEqual([
      ['people.csv', 'contacts'],
      ['stock.csv', 'products'],
    ]);
    await waitFor(() => expect(upload).toHaveBeenCalledTimes(2));
    expect(upload.mock.calls.map(([file, fields]) => [file.name, fields.template])).toEqual([
      ['people.csv', 'contacts'],
      ['stock.csv', 'products'],
    ]);

    // Both upload at once, each with its own bar.
    progress.get('people.csv')?.(30, 100);
    progress.get('stock.csv')?.(80, 100);
    const bar = (name: string) => screen.getByRole('progressbar', { name: `Uploading ${name}` });
    await waitFor(() => expect(bar('people.csv').getAttribute('aria-valuenow')).toBe('30'));
    expect(bar('stock.csv').getAttribute('aria-valuenow')).toBe('80');

    answers.get('stock.csv')?.(makeJob({ id: 'job-stock', filename: 'stock.csv', template: 'products' }));
    const link = await within(row('upload-item', 'stock.csv')).findByTestId('upload-job-link');
    expect(link.getAttribute('href')).toBe('/jobs/job-stock');
    expect(row('upload-item', 'people.csv').dataset.state).toBe('uploading');
  });

  it('changes the template of the file being checked: its head is read again for the new one, the focus stays', async () => {
    const upload = vi.fn<Api['upload']>().mockResolvedValue(makeJob());
    const { preview } = renderPage({ upload });
    await ready();
    fireEvent.change(screen.getByTestId('file-input'), { target: { files: [csv('stock.csv')] } });
    const select = (await screen.findByTestId('mapping-template')) as HTMLSelectElement;
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('mapping-import')));
    select.focus();
    fireEvent.change(select, { target: { value: 'products' } });
    await waitFor(() => expect(preview).toHaveBeenLastCalledWith(expect.any(File), { template: 'products', sheet: undefined }));
    await waitFor(() => expect(screen.getAllByTestId('mapping-header').map((h) => h.dataset.header)).toContain('sku'));
    expect(document.activeElement).toBe(select);
    await importCurrent('stock.csv');
    await waitFor(() => expect(upload).toHaveBeenCalledOnce());
    expect(upload.mock.calls[0]?.[1].template).toBe('products');
  });

  it('refuses a file of another type in the browser, with a clear message, and goes on with the others', async () => {
    const { preview } = renderPage();
    await ready();
    fireEvent.change(screen.getByTestId('file-input'), {
      target: {
        files: [
          new File(['%PDF-1.7'], 'invoice.pdf', { type: 'application/pdf' }),
          csv('people.csv'),
          new File(['GIF8'], 'logo.gif'),
          new File(['x'], 'old.xls'),
        ],
      },
    });
    const refusal = within(row('upload-item', 'invoice.pdf')).getByTestId('upload-error');
    expect(refusal.dataset.code).toBe('unsupported_media_type');
    expect(refusal.getAttribute('role')).toBe('alert');
    expect(refusal.textContent).toContain('invoice.pdf is not a table file: choose a .csv, .tsv or .txt file');
    expect((await screen.findByTestId('mapping-step')).dataset.file).toBe('people.csv');
    await waitFor(() => expect(preview).toHaveBeenCalledOnce());
    expect(within(row('upload-item', 'invoice.pdf')).queryByRole('button', { name: 'Retry' })).toBeNull();
    expect(screen.getAllByTestId('upload-error')).toHaveLength(3);
    fireEvent.click(within(row('upload-item', 'invoice.pdf')).getByRole('button', { name: 'Dismiss invoice.pdf' }));
    expect(screen.getAllByTestId('upload-item').map((r) => r.dataset.file)).toEqual(['logo.gif', 'old.xls']);
    fireEvent.click(screen.getByTestId('uploads-clear'));
    expect(screen.queryAllByTestId('upload-item')).toHaveLength(0);
    expect(screen.getAllByTestId('staged-item').map((r) => r.dataset.file)).toEqual(['people.csv']);
  });

  it('refuses a file over the server’s limit, which GET /api/health gave, before sending a byte', async () => {
    const upload = vi.fn<Api['upload']>();
    renderPage({ upload, health: health(1024) });
    await ready();
    await waitFor(() => expect(screen.getByTestId('accepted-files').textContent).toContain('up to 1.0 KB each'));
    fireEvent.change(screen.getByTestId('file-input'), { target: { files: [csv('big.csv', 'x'.repeat(2048))] } });
    const refusal = await screen.findByTestId('upload-error');
    expect(refusal.dataset.code).toBe('payload_too_large');
    expect(refusal.textContent).toBe('big.csv is 2.0 KB, over the server’s limit of 1.0 KB.');
    expect(screen.queryByTestId('mapping-step')).toBeNull();
    expect(upload).not.toHaveBeenCalled();
  });
});
