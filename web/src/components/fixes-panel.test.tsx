import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import type { JobFix } from '@docprocessor/contracts';
import type { Api } from '../api/http';
import { ApiError } from '../api/errors';
import { fakeApi, makeJob } from '../testing/factories';
import { renderLiveJob } from '../testing/live-jobs';

const withErrors = makeJob({
  id: 'j1',
  status: 'completed',
  filename: 'people.csv',
  totalRows: 10,
  processedRows: 10,
  successRows: 7,
  failedRows: 3,
  progress: 1,
  updatedAt: '2025-01-01T10:00:03.000Z',
});
const at = (seconds: number) => `2025-01-01T10:01:${String(seconds).padStart(2, '0')}.000Z`;
const fix = (overrides: Partial<JobFix> = {}): JobFix => ({
  id: 'f1',
  filename: 'people-errors.csv',
  rows: 3,
  fixed: 0,
  stillFailing: 0,
  status: 'pending',
  error: null,
  at: at(0),
  ...overrides,
});
const fixed = new File(['id,email,_row,_errors\n4,ada@example.com,4,invalid_email\n'], 'people-errors.csv', { type: 'text/csv' });
const counts = () => ['summary-success', 'summary-failed'].map((id) => screen.getByTestId(id).textContent);

describe('FixesPanel', () => {
  it('downloads the errors to fix through the API', async () => {
    const downloadErrorsCsv = vi.fn<Api['downloadErrorsCsv']>().mockResolvedValue({ blob: new Blob(['x']), filename: 'e.csv' });
    URL.createObjectURL = vi.fn(() => 'blob:e');
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    await renderLiveJob(withErrors, fakeApi({ downloadErrorsCsv }));
    const download = within(screen.getByTestId('fixes-panel')).getByRole('button', { name: 'Download errors to fix' });
    fireEvent.click(download);
    await waitFor(() => expect(click).toHaveBeenCalledOnce());
    expect(downloadErrorsCsv).toHaveBeenCalledWith('j1');
    expect(screen.getAllByTestId('download-errors')).toHaveLength(1);
  });

  it('uploads fixes into the same job, shows the counts moving live, the history, and reloads the row errors', async () => {
    const accepted = { ...withErrors, fixes: [fix()], updatedAt: at(0) };
    const uploadFixes = vi.fn<Api['uploadFixes']>().mockResolvedValue(accepted);
    const listErrors = vi.fn<Api['listErrors']>().mockResolvedValue({ items: [], total: 3, nextCursor: null });
    const { row, push } = await renderLiveJob(withErrors, fakeApi({ uploadFixes, listErrors }));
    await waitFor(() => expect(listErrors).toHaveBeenCalledTimes(1));

    fireEvent.change(screen.getByTestId('fixes-file-input'), { target: { files: [fixed] } });
    await waitFor(() => expect(uploadFixes).toHaveBeenCalledWith('j1', fixed));
    expect((await screen.findByTestId('fix-running')).textContent).toBe('Importing the fixes from people-errors.csv…');
    expect((screen.getByTestId('fixes-upload') as HTMLButtonElement).disabled).toBe(true);
    expect(within(row).getByTestId('job-fixing')).toBeTruthy();

    push('progress', { ...accepted, fixes: [fix({ status: 'processing', fixed: 1 })], successRows: 8, failedRows: 2, updatedAt: at(1) });
    expect(counts()).toEqual(['8', '2']);
    push('progress', {
      ...accepted,
      fixes: [fix({ status: 'completed', fixed: 2, stillFailing: 1 })],
      successRows: 9,
      failedRows: 1,
      updatedAt: at(2),
    });
    expect(counts()).toEqual(['9', '1']);
    expect(row.dataset.status).toBe('completed');
    expect(screen.queryByTestId('fix-running')).toBeNull();
    const history = screen.getByTestId('fix-row');
    expect(history.dataset.status).toBe('completed');
    expect(within(history).getByTestId('fix-fixed').textContent).toBe('2');
    expect(within(history).getByTestId('fix-still-failing').textContent).toBe('1');
    expect(history.textContent).toContain('people-errors.csv');
    expect(history.textContent).toContain('Done');
    // The rows still wrong replaced the old errors: the table asks again.
    await waitFor(() => expect(listErrors).toHaveBeenCalledTimes(2));
    expect((screen.getByTestId('fixes-upload') as HTMLButtonElement).disabled).toBe(false);
  });

  it('keeps the history once every row is fixed, without the upload', async () => {
    const repaired = { ...withErrors, successRows: 10, failedRows: 0, fixes: [fix({ status: 'completed', fixed: 3 })] };
    await renderLiveJob(repaired, fakeApi());
    expect(screen.getByTestId('fix-row').dataset.status).toBe('completed');
    expect(screen.queryByTestId('fixes-upload')).toBeNull();
    expect(screen.queryByTestId('download-errors')).toBeNull();
    expect(screen.getByTestId('fixes-panel').textContent).toContain('Fixes uploaded');
  });

  it('shows a fix that failed with its reason', async () => {
    const failedFix = fix({ status: 'failed', error: 'The file could not be read' });
    await renderLiveJob({ ...withErrors, fixes: [failedFix] }, fakeApi());
    expect(screen.getByTestId('fix-row').textContent).toContain('Failed — The file could not be read');
  });

  it('shows the server’s refusal inline', async () => {
    const message = 'Row 12 is not a failed row of this import';
    const uploadFixes = vi.fn<Api['uploadFixes']>().mockRejectedValue(new ApiError(400, 'invalid_request', message));
    await renderLiveJob(withErrors, fakeApi({ uploadFixes }));
    fireEvent.change(screen.getByTestId('fixes-file-input'), { target: { files: [fixed] } });
    expect((await screen.findByTestId('fixes-error')).textContent).toBe(message);
    expect((screen.getByTestId('fixes-upload') as HTMLButtonElement).disabled).toBe(false);
  });

  it.each([
    ['a failed import (download only)', makeJob({ id: 'f', status: 'failed', failedRows: 2 }), true],
    ['a dry run (download only)', makeJob({ id: 'd', status: 'completed', dryRun: true, failedRows: 2 }), true],
    ['an import without failed rows', makeJob({ id: 'ok', status: 'completed', failedRows: 0 }), false],
  ])('offers no fixes on %s', async (_what, job, download) => {
    await renderLiveJob(job, fakeApi());
    expect(screen.queryByTestId('fixes-panel')).toBeNull();
    expect(screen.queryByTestId('download-errors') !== null).toBe(download);
  });
});
