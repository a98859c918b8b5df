import { screen, waitFor } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { eventOf } from '../testing/live-jobs';
import { FakeSocket } from '../testing/fake-socket';
import { fakeApi, makeJob } from '../testing/factories';
import { renderAppAt } from '../testing/render';

const at = (second: number) => `2025-01-01T10:00:${String(second).padStart(2, '0')}.000Z`;

describe('JobPage: the throughput chart', () => {
  it('draws the rates from the job as loaded and the events that follow, up to its end', async () => {
    const loaded = makeJob({ id: 'j1', status: 'processing', processedRows: 1000, startedAt: at(0), updatedAt: at(1) });
    renderAppAt('/jobs/j1', fakeApi({ getJob: () => Promise.resolve(loaded) }));
    await screen.findByTestId('job-page');
    expect(screen.getByTestId('throughput-chart').dataset.kind).toBe('none');
    FakeSocket.last.open();
    FakeSocket.last.receive(eventOf('progress', { ...loaded, processedRows: 4000, updatedAt: at(2) }));
    FakeSocket.last.receive(eventOf('progress', { ...loaded, processedRows: 6000, updatedAt: at(3) }));
    const svg = await screen.findByRole('img', { name: /^Rows per second/ });
    expect(svg.getAttribute('aria-label')).toContain('peak 3,000 rows/s, average 2,500 rows/s');

    const done = { ...loaded, status: 'completed' as const, processedRows: 8000, totalRows: 8000, finishedAt: at(4), updatedAt: at(4) };
    FakeSocket.last.receive(eventOf('completed', done));
    // Once ended, the average is the run's (8,000 rows in 4 s), as the jobs table gives it.
    await waitFor(() => expect(svg.getAttribute('aria-label')).toBe('Rows per second over 3.0 s: peak 3,000 rows/s, average 2,000 rows/s'));
  });

  it('shows the average of a job opened after it ended', async () => {
    const done = makeJob({ id: 'j2', status: 'completed', processedRows: 500, startedAt: at(0), finishedAt: at(5), updatedAt: at(5) });
    renderAppAt('/jobs/j2', fakeApi({ getJob: () => Promise.resolve(done) }));
    const svg = await screen.findByRole('img', { name: /^Average/ });
    expect(svg.getAttribute('aria-label')).toBe('Average 100 rows/s over 5.0 s; the rate over time was not recorded');
  });
});
