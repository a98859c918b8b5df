import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import type { Api } from '../api/http';
import { ApiError } from '../api/errors';
import { eventOf } from '../testing/live-jobs';
import { FakeSocket } from '../testing/fake-socket';
import { fakeApi, makeJob } from '../testing/factories';
import { renderAppAt } from '../testing/render';

const resumed = makeJob({
  id: 'j7',
  filename: 'customers-march.csv',
  status: 'processing',
  attempt: 2,
  resumedFromRow: 4000,
  processedRows: 4500,
  successRows: 4490,
  failedRows: 10,
  progress: 0.45,
  rowsPerSecond: 1500,
  etaSeconds: 4,
  startedAt: '2025-01-01T10:00:01.000Z',
  updatedAt: '2025-01-01T10:00:05.000Z',
});

describe('JobPage (/jobs/:id)', () => {
  it('opens a shared link: asks for the job, shows its live bar, summary and timeline with the resume after a crash', async () => {
    const getJob = vi.fn<Api['getJob']>().mockResolvedValue(resumed);
    renderAppAt('/jobs/j7', fakeApi({ getJob }));
    expect(await screen.findByTestId('job-page-title')).toHaveProperty('textContent', 'customers-march.csv');
    expect(getJob).toHaveBeenCalledWith('j7');
    expect(screen.getByTestId('live-percent').textContent).toBe('45%');
    expect(screen.getByTestId('live-rate').textContent).toBe('1,500 rows/s');
    expect(screen.getByTestId('live-eta').textContent).toBe('4 s');
    expect(screen.getByTestId('job-summary').dataset.jobId).toBe('j7');
    const kinds = screen.getAllByTestId('timeline-entry').map((entry) => entry.dataset.kind);
    expect(kinds).toEqual(['created', 'started', 'resumed', 'running']);
    expect(screen.getByTestId('job-timeline').textContent).toContain('Resumed after a restart at row 4,000 (attempt 2)');
    expect(document.title).toBe('customers-march.csv · DocProcessor');
  });

  it('follows the job live from the socket until it completes', async () => {
    renderAppAt('/jobs/j7', fakeApi({ getJob: () => Promise.resolve(resumed) }));
    await screen.findByTestId('job-page-title');
    FakeSocket.last.open();
    const done = {
      ...resumed,
      status: 'completed' as const,
      processedRows: 10000,
      successRows: 9990,
      totalRows: 10000,
      progress: 1,
      etaSeconds: null,
      finishedAt: '2025-01-01T10:00:09.000Z',
      updatedAt: '2025-01-01T10:00:09.000Z',
    };
    FakeSocket.last.receive(eventOf('completed', done));
    await waitFor(() => expect(screen.getByTestId('job-page').dataset.status).toBe('completed'));
    expect(screen.getByTestId('live-percent').textContent).toBe('100%');
    expect(screen.getByTestId('summary-success').textContent).toBe('9990');
    expect(screen.getAllByTestId('timeline-entry').at(-1)?.textContent).toContain('Completed: 9,990 rows imported, 10 failed');
  });

  it('says when there is no such job for this key, with a way back', async () => {
    renderAppAt('/jobs/nope', fakeApi({ getJob: () => Promise.reject(new ApiError(404, 'not_found', 'No import nope')) }));
    const missing = await screen.findByTestId('job-not-found');
    expect(within(missing).getByRole('link').getAttribute('href')).toBe('/');
  });

  it('is reached from the jobs table by the row’s link, and Back returns to the table', async () => {
    const job = makeJob({ id: 'j9', filename: 'list.csv', status: 'completed', progress: 1 });
    const { history } = renderAppAt('/', fakeApi({ getJob: () => Promise.resolve(job) }));
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: 'snapshot', jobs: [job] });
    fireEvent.click(await screen.findByTestId('job-link'));
    await screen.findByTestId('job-page');
    expect(history.get()).toBe('/jobs/j9');
    history.back();
    await screen.findByTestId('jobs-table');
  });
});
