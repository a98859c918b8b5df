import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import type { RowErrorList } from '@docprocessor/contracts';
import type { Api } from '../api/http';
import { ApiError } from '../api/errors';
import { fakeApi, makeJob } from '../testing/factories';
import { renderSignedIn } from '../testing/render';
import { JobSummary } from './job-summary';

const finished = makeJob({
  id: 'j1',
  status: 'completed',
  filename: 'people.csv',
  sizeBytes: 3 * 1024 * 1024,
  sha256: '0123456789abcdef'.repeat(4),
  totalRows: 1500,
  processedRows: 1500,
  successRows: 1497,
  failedRows: 3,
  progress: 1,
  ignoredColumns: ['nickname'],
  startedAt: '2025-01-01T10:00:00.000Z',
  finishedAt: '2025-01-01T10:00:03.000Z',
});

const page = (rows: number[], nextCursor: string | null): RowErrorList => ({
  items: rows.map((row) => ({ row, column: 'email', value: `bad${row}`, code: 'invalid_email', message: 'Not an email address' })),
  total: 3,
  nextCursor,
});

function renderSummary(api: Api, job = finished) {
  return renderSignedIn(() => <JobSummary job={job} />, api);
}

describe('JobSummary', () => {
  it('shows the counts, timing and file facts', () => {
    renderSummary(fakeApi());
    expect(screen.getByTestId('summary-processed').textContent).toBe('1500');
    expect(screen.getByTestId('summary-success').textContent).toBe('1497');
    expect(screen.getByTestId('summary-failed').textContent).toBe('3');
    expect(screen.getByTestId('summary-total').textContent).toBe('1500');
    const summary = screen.getByTestId('job-summary');
    expect(summary.textContent).toContain('3.0 s');
    expect(summary.textContent).toContain('500 rows/s');
    expect(summary.textContent).toContain('3.0 MB');
    expect(summary.textContent).toContain('0123456789ab');
    expect(summary.textContent).toContain('nickname');
  });

  it('names a CSV file by encoding and delimiter, and a workbook by its sheet', () => {
    const csv = renderSummary(fakeApi(), { ...finished, encoding: 'windows-1252', delimiter: ';' });
    expect(screen.getByTestId('job-summary').textContent).toContain('windows-1252 · delimiter “;”');
    csv.unmount();
    renderSummary(fakeApi(), { ...finished, filename: 'people.xlsx', format: 'xlsx', sheet: 'Contacts' });
    const text = screen.getByTestId('job-summary').textContent;
    expect(text).toContain('Excel workbook · sheet Contacts');
    expect(text).not.toContain('delimiter');
  });

  it('pages through the errors table', async () => {
    const listErrors = vi
      .fn<Api['listErrors']>()
      .mockResolvedValueOnce(page([4, 9], 'next-1'))
      .mockResolvedValueOnce(page([12], null));
    renderSummary(fakeApi({ listErrors }));
    const table = await screen.findByTestId('errors-table');
    expect(listErrors).toHaveBeenCalledWith('j1', null, 50, {});
    expect(within(table).getAllByRole('row')).toHaveLength(3); // header + 2
    expect(within(table).getByText('bad4')).toBeTruthy();

    fireEvent.click(screen.getByTestId('errors-load-more'));
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(4));
    expect(listErrors).toHaveBeenLastCalledWith('j1', 'next-1', 50, {});
    expect(screen.queryByTestId('errors-load-more')).toBeNull();
    expect(screen.getByText('showing 3 of 3')).toBeTruthy();
  });

  it('does not ask for errors when there are none', () => {
    const listErrors = vi.fn<Api['listErrors']>();
    renderSummary(fakeApi({ listErrors }), { ...finished, failedRows: 0, successRows: 1500 });
    expect(listErrors).not.toHaveBeenCalled();
    expect(screen.getByText('No row errors.')).toBeTruthy();
    expect(screen.queryByTestId('download-errors')).toBeNull();
  });

  it('counts the errors per code and column, and shows only one code and column when its count is chosen', async () => {
    const listErrors = vi.fn<Api['listErrors']>().mockResolvedValue(page([2, 5, 9], null));
    const errorSummary = vi.fn<Api['errorSummary']>().mockResolvedValue({
      items: [
        { code: 'invalid_email', column: 'email', count: 2 },
        { code: 'column_count', column: null, count: 1 },
      ],
      total: 3,
    });
    renderSummary(fakeApi({ listErrors, errorSummary }));
    const counts = await screen.findAllByTestId('error-count');
    expect(counts.map((c) => c.textContent)).toEqual(['2 × invalid_email in email', '1 × column_count (whole row)']);
    fireEvent.click(counts[0]!);
    await waitFor(() => expect(listErrors).toHaveBeenLastCalledWith('j1', null, 50, { code: 'invalid_email', column: 'email' }));
    expect(counts[0]!.getAttribute('aria-pressed')).toBe('true');
    fireEvent.change(screen.getByTestId('errors-column-filter'), { target: { value: '' } });
    await waitFor(() => expect(listErrors).toHaveBeenLastCalledWith('j1', null, 50, { code: 'invalid_email', column: undefined }));
    fireEvent.click(screen.getByTestId('errors-filter-clear'));
    await waitFor(() => expect(listErrors).toHaveBeenLastCalledWith('j1', null, 50, {}));
  });

  it('explains a failed job and offers Retry', async () => {
    const failed = makeJob({
      status: 'failed',
      error: { kind: 'validation', code: 'missing_columns', message: 'Missing required columns: email', row: null },
    });
    const retry = vi.fn<Api['retry']>().mockResolvedValue({ ...failed, status: 'pending', attempt: 2 });
    renderSummary(fakeApi({ retry }), failed);
    expect(screen.getByTestId('summary-error').textContent).toContain('Missing required columns: email');
    expect(screen.getByTestId('summary-error').textContent).toContain('missing_columns');
    expect(screen.queryByTestId('job-cancel')).toBeNull();
    fireEvent.click(screen.getByTestId('job-retry'));
    // Nothing runs until the person says yes.
    expect(retry).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId('job-retry-no'));
    expect(screen.queryByTestId('job-retry-confirm')).toBeNull();
    fireEvent.click(screen.getByTestId('job-retry'));
    fireEvent.click(screen.getByTestId('job-retry-yes'));
    await waitFor(() => expect(retry).toHaveBeenCalledWith(failed.id));
  });

  it('offers Cancel while running and shows why it failed', async () => {
    const running = makeJob({ status: 'processing' });
    const cancel = vi.fn<Api['cancel']>().mockRejectedValue(Object.assign(new Error('Already finished'), { name: 'ApiError' }));
    renderSummary(fakeApi({ cancel }), running);
    expect(screen.queryByTestId('job-retry')).toBeNull();
    fireEvent.click(screen.getByTestId('job-cancel'));
    expect(cancel).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId('job-cancel-yes'));
    expect((await screen.findByRole('alert')).textContent).toBe('Already finished');
  });

  it('downloads errors.csv through the API', async () => {
    const downloadErrorsCsv = vi.fn<Api['downloadErrorsCsv']>().mockResolvedValue({ blob: new Blob(['x']), filename: 'e.csv' });
    URL.createObjectURL = vi.fn(() => 'blob:e');
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    renderSummary(fakeApi({ downloadErrorsCsv }));
    fireEvent.click(screen.getByTestId('download-errors'));
    await waitFor(() => expect(click).toHaveBeenCalledOnce());
    expect(downloadErrorsCsv).toHaveBeenCalledWith('j1');
  });

  it('shows a dry run’s plan, and imports it for real once', async () => {
    const plan = { insert: 3, update: 1, unchanged: 2 };
    const dryRun = makeJob({ id: 'dry-1', status: 'completed', dryRun: true, plan, processedRows: 7, failedRows: 1 });
    const commit = vi.fn<Api['commit']>().mockResolvedValue(makeJob({ id: 'real-1', dryRunOf: 'dry-1' }));
    renderSummary(fakeApi({ commit }), dryRun);
    expect(screen.getByTestId('summary-plan').textContent).toBe('Would insert 3, update 1, leave 2 unchanged; 1 row would fail (below).');
    expect(screen.getByTestId('plan-insert').textContent).toBe('3');
    fireEvent.click(screen.getByTestId('job-commit'));
    expect((screen.getByTestId('job-commit') as HTMLButtonElement).disabled).toBe(true);
    expect(commit).toHaveBeenCalledWith('dry-1');
    expect((await screen.findByTestId('job-committed')).textContent).toBe('Imported for real as job real-1 (pending).');
    expect(screen.queryByTestId('job-commit')).toBeNull();
  });

  it('offers no commit while a dry run runs, or for a failed one', () => {
    renderSummary(fakeApi(), makeJob({ status: 'processing', dryRun: true }));
    expect(screen.getByTestId('dry-run-plan').textContent).toContain('The plan is ready when the check finishes.');
    expect(screen.queryByTestId('job-commit')).toBeNull();
  });

  it('says why a commit was refused', async () => {
    const dryRun = makeJob({ status: 'completed', dryRun: true, plan: { insert: 1, update: 0, unchanged: 0 } });
    const commit = vi.fn<Api['commit']>().mockRejectedValue(new ApiError(409, 'invalid_state', 'This dry run was already imported'));
    renderSummary(fakeApi({ commit }), dryRun);
    fireEvent.click(screen.getByTestId('job-commit'));
    expect((await screen.findByRole('alert')).textContent).toBe('This dry run was already imported');
  });

  it('shows the mapping an import was given', () => {
    renderSummary(fakeApi(), { ...finished, mapping: { 'E-mail': 'email', Nick: null } });
    expect(screen.getByTestId('job-summary').textContent).toContain('E-mail → email');
    expect(screen.getByTestId('job-summary').textContent).toContain('Nick → ignored');
  });

  it('explains an import stopped by its threshold, its policy, and that all or nothing left the table as it was', () => {
    const stopped = makeJob({
      status: 'failed',
      maxErrors: 2,
      maxErrorRate: 0.05,
      atomic: true,
      failedRows: 3,
      error: { kind: 'validation', code: 'too_many_errors', message: '3 of 40 rows failed, more than the 2 allowed', row: null },
    });
    renderSummary(fakeApi(), stopped);
    expect(screen.getByTestId('summary-error').textContent).toContain('The import stopped: too many rows failed');
    expect(screen.getByTestId('summary-error').textContent).toContain('3 of 40 rows failed, more than the 2 allowed');
    expect(screen.getByTestId('summary-atomic').textContent).toBe('All or nothing: the table was left as it was.');
    expect(screen.getByTestId('summary-policy').textContent).toBe('stop after 2 failed rows · stop above 5 % failed · all or nothing');
  });
});
