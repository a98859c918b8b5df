import { fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import type { Api } from '../api/http';
import { ApiError } from '../api/errors';
import { StoreProvider } from '../stores/context';
import { fakeApi, makeJob } from '../testing/factories';
import { UploadPanel } from './upload-panel';

const csv = (name: string, body = 'id,email\n1,a@b.c\n') => new File([body], name, { type: 'text/csv' });

function renderPanel(api: Api) {
  return render(() => (
    <StoreProvider deps={{ api, storage: null }}>
      <UploadPanel />
    </StoreProvider>
  ));
}

describe('UploadPanel', () => {
  it('fills the template select from the built-in list', () => {
    renderPanel(fakeApi());
    const select = screen.getByTestId('template-select') as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual(['contacts', 'products']);
  });

  it('uploads a chosen file with the chosen template, duplicate policy and a fresh Idempotency-Key', async () => {
    const upload = vi.fn<Api['upload']>().mockResolvedValue(makeJob());
    renderPanel(fakeApi({ upload }));
    fireEvent.change(screen.getByTestId('template-select'), { target: { value: 'products' } });
    fireEvent.change(screen.getByTestId('on-duplicate-select'), { target: { value: 'last' } });
    const input = screen.getByTestId('file-input') as HTMLInputElement;
    fireEvent.change(input, { target: { files: [csv('a.csv')] } });
    fireEvent.change(input, { target: { files: [csv('a.csv')] } });

    await waitFor(() => expect(upload).toHaveBeenCalledTimes(2));
    const [file, fields, options] = upload.mock.calls[0] ?? [];
    expect(file?.name).toBe('a.csv');
    expect(fields).toEqual({ template: 'products', onDuplicate: 'last' });
    expect(options?.idempotencyKey).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(upload.mock.calls[1]?.[2].idempotencyKey).not.toBe(options?.idempotencyKey);
  });

  it('makes each dropped file its own upload', async () => {
    const upload = vi.fn<Api['upload']>().mockResolvedValue(makeJob());
    renderPanel(fakeApi({ upload }));
    fireEvent.drop(screen.getByTestId('drop-zone'), { dataTransfer: { files: [csv('one.csv'), csv('two.csv')] } });
    await waitFor(() => expect(upload).toHaveBeenCalledTimes(2));
    expect(upload.mock.calls.map(([f]) => f.name).sort()).toEqual(['one.csv', 'two.csv']);
  });

  it('opens the file picker from the keyboard', () => {
    renderPanel(fakeApi());
    const input = screen.getByTestId('file-input') as HTMLInputElement;
    const click = vi.spyOn(input, 'click');
    fireEvent.keyDown(screen.getByTestId('drop-zone'), { key: 'Enter' });
    expect(click).toHaveBeenCalledOnce();
  });

  it('shows the server’s refusal next to the drop zone, without a retry for a 4xx', async () => {
    const upload = vi.fn<Api['upload']>().mockRejectedValue(new ApiError(415, 'unsupported_media_type', 'That file is not a CSV'));
    renderPanel(fakeApi({ upload }));
    fireEvent.change(screen.getByTestId('file-input'), { target: { files: [csv('photo.csv')] } });
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
    renderPanel(fakeApi({ upload }));
    fireEvent.change(screen.getByTestId('file-input'), { target: { files: [csv('a.csv')] } });
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
    renderPanel(fakeApi({ upload }));
    fireEvent.change(screen.getByTestId('file-input'), { target: { files: [csv('big.csv')] } });
    await waitFor(() => expect(report).toBeDefined());
    report?.(25, 100);
    const bar = await screen.findByRole('progressbar', { name: 'Uploading big.csv' });
    await waitFor(() => expect(bar.getAttribute('aria-valuenow')).toBe('25'));
  });
});
