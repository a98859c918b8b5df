import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import type { RevertPlan } from '@docprocessor/contracts';
import type { Api } from '../api/http';
import { ApiError } from '../api/errors';
import { fakeApi, makeJob } from '../testing/factories';
import { renderLiveJob } from '../testing/live-jobs';

const done = makeJob({
  id: 'j1',
  status: 'completed',
  filename: 'people.csv',
  totalRows: 1500,
  processedRows: 1500,
  successRows: 1500,
  progress: 1,
  finishedAt: '2025-01-01T10:00:03.000Z',
  updatedAt: '2025-01-01T10:00:03.000Z',
});
const plan: RevertPlan = { toDelete: 1200, toRestore: 300, conflicts: [], expired: false };
const later = (seconds: number) => `2025-01-01T10:01:${String(seconds).padStart(2, '0')}.000Z`;
const button = (id: string) => screen.getByTestId(id) as HTMLButtonElement;

describe('RevertPanel', () => {
  it('says what a revert will do, reverts on confirm, and shows its progress live until the job is reverted', async () => {
    const revertPlan = vi.fn<Api['revertPlan']>().mockResolvedValue(plan);
    const asked = { ...done, revert: { requestedAt: later(0), toDelete: 1200, toRestore: 300, done: 0 }, updatedAt: later(0) };
    const revert = vi.fn<Api['revert']>().mockResolvedValue(asked);
    const { row, push } = await renderLiveJob(done, fakeApi({ revertPlan, revert }));

    fireEvent.click(screen.getByTestId('job-revert'));
    expect(revertPlan).toHaveBeenCalledWith('j1');
    const confirm = await screen.findByTestId('revert-confirm');
    expect(within(confirm).getByTestId('revert-plan').textContent).toBe(
      'Deletes 1,200 rows this import added and restores 300 rows it changed.',
    );
    expect(revert).not.toHaveBeenCalled();
    await waitFor(() => expect(document.activeElement).toBe(button('revert-yes')));

    fireEvent.click(button('revert-yes'));
    await waitFor(() => expect(revert).toHaveBeenCalledWith('j1'));
    expect((await screen.findByTestId('revert-progress-text')).textContent).toBe('Reverting: 0 of 1,500 rows done.');
    expect(screen.queryByTestId('revert-confirm')).toBeNull();
    expect(screen.queryByTestId('job-revert')).toBeNull();

    push('progress', { ...asked, revert: { ...asked.revert, done: 750 }, updatedAt: later(1) });
    expect(screen.getByTestId('revert-progress-text').textContent).toBe('Reverting: 750 of 1,500 rows done.');
    expect(screen.getByTestId('revert-progress').getAttribute('aria-valuenow')).toBe('50');
    expect(within(row).getByTestId('job-reverting').textContent).toBe('Reverting 750 / 1,500 rows');
    expect(row.dataset.status).toBe('completed');

    push('reverted', { ...asked, status: 'reverted', revert: { ...asked.revert, done: 1500 }, updatedAt: later(2) });
    await waitFor(() => expect(row.dataset.status).toBe('reverted'));
    expect(row.querySelector('.badge')?.textContent).toBe('Reverted');
    expect(screen.getByTestId('revert-done').textContent).toContain('Reverted');
    expect(screen.queryByTestId('job-reverting')).toBeNull();
    expect(screen.queryByTestId('job-revert')).toBeNull();
  });

  it('names the later imports in conflict and does not let the revert start', async () => {
    const conflicts = [
      { jobId: 'later-job-1', rows: 2 },
      { jobId: 'unknown-job-2', rows: 1 },
    ];
    const revert = vi.fn<Api['revert']>();
    const api = fakeApi({ revertPlan: async () => ({ ...plan, conflicts }), revert });
    await renderLiveJob(done, api, [makeJob({ id: 'later-job-1', filename: 'march.csv', status: 'completed' })]);
    fireEvent.click(screen.getByTestId('job-revert'));
    const list = await screen.findByTestId('revert-conflicts');
    expect(
      within(list)
        .getAllByTestId('revert-conflict')
        .map((c) => c.textContent),
    ).toEqual(['job later-jo (march.csv): 2 rows', 'job unknown-: 1 row']);
    expect(button('revert-yes').disabled).toBe(true);
    await waitFor(() => expect(document.activeElement).toBe(button('revert-no')));
    fireEvent.click(button('revert-no'));
    expect(screen.queryByTestId('revert-confirm')).toBeNull();
    expect(screen.getByTestId('job-revert')).toBeTruthy();
    expect(revert).not.toHaveBeenCalled();
  });

  it('says when the earlier values are no longer kept', async () => {
    await renderLiveJob(done, fakeApi({ revertPlan: async () => ({ ...plan, expired: true }) }));
    fireEvent.click(screen.getByTestId('job-revert'));
    expect((await screen.findByTestId('revert-expired')).textContent).toContain('no longer kept');
    expect(button('revert-yes').disabled).toBe(true);
  });

  it('shows the server’s refusal as it is, and keeps the confirmation open', async () => {
    const message = '2 rows were changed again by a later import (job 0b7c…)';
    const revert = vi.fn<Api['revert']>().mockRejectedValue(new ApiError(409, 'revert_conflict', message));
    await renderLiveJob(done, fakeApi({ revertPlan: async () => plan, revert }));
    fireEvent.click(screen.getByTestId('job-revert'));
    fireEvent.click(await screen.findByTestId('revert-yes'));
    expect((await screen.findByTestId('revert-error')).textContent).toBe(message);
    expect(screen.getByTestId('revert-confirm')).toBeTruthy();
    expect(button('revert-yes').disabled).toBe(false);
  });

  it('shows why the plan could not be read', async () => {
    await renderLiveJob(
      done,
      fakeApi({ revertPlan: async () => Promise.reject(new ApiError(409, 'invalid_state', 'A dry run wrote nothing to revert')) }),
    );
    fireEvent.click(screen.getByTestId('job-revert'));
    expect((await screen.findByTestId('revert-error')).textContent).toBe('A dry run wrote nothing to revert');
    expect(screen.queryByTestId('revert-confirm')).toBeNull();
  });

  it.each([
    ['a running import', makeJob({ id: 'r', status: 'processing' })],
    ['a dry run', makeJob({ id: 'd', status: 'completed', dryRun: true, plan: { insert: 1, update: 0, unchanged: 0 } })],
  ])('is not offered on %s', async (_what, job) => {
    await renderLiveJob(job, fakeApi());
    expect(screen.queryByTestId('job-revert')).toBeNull();
    expect(screen.queryByTestId('revert-panel')).toBeNull();
  });

  it('is offered on failed and cancelled imports too', async () => {
    await renderLiveJob(makeJob({ id: 'c', status: 'cancelled', updatedAt: later(5) }), fakeApi());
    expect(screen.getByTestId('job-revert')).toBeTruthy();
  });
});
