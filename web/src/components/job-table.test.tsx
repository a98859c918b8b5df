import { fireEvent, screen, waitFor } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import type { Job } from '@docprocessor/contracts';
import type { Api } from '../api/http';
import { eventOf } from '../testing/live-jobs';
import { FakeSocket } from '../testing/fake-socket';
import { fakeApi, makeJob } from '../testing/factories';
import { renderAppAt } from '../testing/render';

/** Job n was created n minutes after 09:00; higher n is newer. */
const at = (n: number) => new Date(Date.UTC(2025, 0, 1, 9, n)).toISOString();
const job = (n: number, overrides: Partial<Job> = {}) =>
  makeJob({ id: `j${String(n).padStart(3, '0')}`, filename: `file-${n}.csv`, createdAt: at(n), updatedAt: at(n), ...overrides });
const shownIds = () => screen.queryAllByTestId('job-row').map((row) => row.dataset.jobId);

describe('JobTable', () => {
  it('pages the whole history with the cursor, older pages below, and never shows a job past the last page', async () => {
    const listJobs = vi.fn<Api['listJobs']>(async (_query, cursor) =>
      cursor ? { items: [job(2), job(1)], nextCursor: null } : { items: [job(5), job(4)], nextCursor: 'c1' },
    );
    renderAppAt('/', fakeApi({ listJobs }));
    FakeSocket.last.open();
    await waitFor(() => expect(shownIds()).toEqual(['j005', 'j004']));
    // An older job the socket happened to bring waits for its page: no gap between j004 and it.
    FakeSocket.last.receive(eventOf('progress', job(3)));
    expect(shownIds()).toEqual(['j005', 'j004']);
    fireEvent.click(screen.getByTestId('jobs-load-more'));
    await waitFor(() => expect(shownIds()).toEqual(['j005', 'j004', 'j003', 'j002', 'j001']));
    expect(listJobs).toHaveBeenLastCalledWith({}, 'c1', 50);
    expect(screen.queryByTestId('jobs-load-more')).toBeNull();
  });

  it('reads the filters from the URL, asks the API with them, and takes live jobs that match at the top', async () => {
    const listJobs = vi.fn<Api['listJobs']>().mockResolvedValue({ items: [job(4, { status: 'failed' })], nextCursor: null });
    renderAppAt('/?status=failed&q=file&from=2025-01-01&to=2025-01-01', fakeApi({ listJobs }));
    FakeSocket.last.open();
    await waitFor(() => expect(shownIds()).toEqual(['j004']));
    const [query] = listJobs.mock.calls[0]!;
    expect(query).toMatchObject({ status: 'failed', q: 'file' });
    expect(Date.parse(query.to!) - Date.parse(query.from!)).toBe(24 * 3600 * 1000);
    expect((screen.getByTestId('filter-status') as HTMLSelectElement).value).toBe('failed');

    FakeSocket.last.receive(eventOf('failed', job(9, { status: 'failed' })));
    FakeSocket.last.receive(eventOf('completed', job(8, { status: 'completed' })));
    await waitFor(() => expect(shownIds()).toEqual(['j009', 'j004']));
    // A shown job that stops matching stays in place: no row vanishes under the person's pointer.
    FakeSocket.last.receive(eventOf('created', job(4, { status: 'pending', attempt: 2 })));
    await waitFor(() => expect(screen.getAllByTestId('job-row')[1]?.dataset.status).toBe('pending'));
  });

  it('changes the URL when a filter changes, and says when nothing matches', async () => {
    const listJobs = vi.fn<Api['listJobs']>().mockResolvedValue({ items: [], nextCursor: null });
    const { history } = renderAppAt('/', fakeApi({ listJobs }));
    FakeSocket.last.open();
    fireEvent.change(await screen.findByTestId('filter-status'), { target: { value: 'cancelled' } });
    await waitFor(() => expect(history.get()).toBe('/?status=cancelled'));
    await waitFor(() => expect(listJobs).toHaveBeenLastCalledWith({ status: 'cancelled' }, null, 50));
    expect((await screen.findByTestId('jobs-empty')).textContent).toContain('No imports match these filters');
    fireEvent.click(screen.getByTestId('filter-clear'));
    await waitFor(() => expect(history.get()).toBe('/'));
  });
});
