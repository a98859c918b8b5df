import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import type { Api } from '../api/http';
import { ApiError } from '../api/errors';
import { FakeSocket } from '../testing/fake-socket';
import { eventOf } from '../testing/live-jobs';
import { fakeApi, makeAuditEntry, makeJob, makeMe } from '../testing/factories';
import { renderAppAt } from '../testing/render';
import { AUDIT_PAGE_SIZE } from './audit-page';

const cells = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map((cell) => cell.textContent);

describe('the Audit screen (/audit)', () => {
  it('lists who did what, newest first, and pages on with More by the cursor', async () => {
    const listAudit = vi
      .fn<Api['listAudit']>()
      .mockResolvedValueOnce({
        items: [
          makeAuditEntry({ actor: 'ann@example.com', action: 'import.revert', target: 'job:0a1b2c3d-4e5f' }),
          makeAuditEntry({
            actor: 'vic@example.com',
            action: 'import.cancel',
            target: 'job:0a1b2c3d-4e5f',
            outcome: 'refused',
            detail: { code: 'forbidden' },
          }),
        ],
        nextCursor: 'c2',
      })
      .mockResolvedValueOnce({
        items: [makeAuditEntry({ actor: 'key:ci', action: 'template.create', target: 'template:people', detail: { columns: 3 } })],
        nextCursor: null,
      });
    renderAppAt('/audit', fakeApi({ listAudit }));
    expect(await screen.findAllByTestId('audit-row')).toHaveLength(2);
    expect(listAudit).toHaveBeenCalledWith(null, AUDIT_PAGE_SIZE);
    const [first, second] = screen.getAllByTestId('audit-row');
    expect(cells(first!).slice(1, 4)).toEqual(['ann@example.com', 'Reverted', 'job 0a1b2c3d']);
    expect(within(first!).getByRole('link').getAttribute('href')).toBe('/jobs/0a1b2c3d-4e5f');
    expect(cells(second!).slice(1, 5)).toEqual(['vic@example.com', 'Tried to cancel (refused: forbidden)', 'job 0a1b2c3d', '']);

    fireEvent.click(screen.getByTestId('audit-more'));
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(3));
    expect(listAudit).toHaveBeenLastCalledWith('c2', AUDIT_PAGE_SIZE);
    expect(cells(screen.getAllByTestId('audit-row')[2]!).slice(1, 5)).toEqual([
      'API key ci',
      'Template created',
      'template people',
      'columns=3',
    ]);
    expect(screen.queryByTestId('audit-more')).toBeNull();
  });

  it('is linked from the top bar for admins only, and says so to anyone else who opens it', async () => {
    const listAudit = vi.fn<Api['listAudit']>().mockResolvedValue({ items: [], nextCursor: null });
    renderAppAt('/audit', fakeApi({ listAudit }), makeMe('importer'));
    expect((await screen.findByTestId('audit-not-allowed')).textContent).toContain('Needs the admin role (you are an importer)');
    expect(screen.queryByTestId('nav-audit')).toBeNull();
    expect(listAudit).not.toHaveBeenCalled();
  });

  it('says when the log could not be read, and tries again', async () => {
    const listAudit = vi
      .fn<Api['listAudit']>()
      .mockRejectedValueOnce(new ApiError(0, 'network_error', 'Cannot reach the server.'))
      .mockResolvedValueOnce({ items: [], nextCursor: null });
    renderAppAt('/audit', fakeApi({ listAudit }));
    expect((await screen.findByRole('alert')).textContent).toContain('Cannot reach the server.');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('audit-empty')).toBeTruthy();
  });
});

describe('a job’s History', () => {
  it('says who started and changed the job, and asks again when its status changes, not on progress', async () => {
    const job = makeJob({ id: 'j9', status: 'processing', updatedAt: '2025-01-01T12:03:01.000Z' });
    const started = makeAuditEntry({ actor: 'ann@example.com', action: 'import.create', target: 'job:j9' });
    const cancelled = makeAuditEntry({
      actor: 'bob@example.com',
      action: 'import.cancel',
      target: 'job:j9',
      at: '2025-01-01T12:05:00.000Z',
    });
    const jobAudit = vi
      .fn<Api['jobAudit']>()
      .mockResolvedValueOnce({ items: [started], nextCursor: null })
      .mockResolvedValueOnce({ items: [cancelled, started], nextCursor: null });
    renderAppAt('/jobs/j9', fakeApi({ getJob: async () => job, jobAudit }), makeMe('viewer'));
    const [entry] = await screen.findAllByTestId('job-audit-entry');
    expect(entry!.textContent).toMatch(/^Started by ann@example\.com · /);
    expect(jobAudit).toHaveBeenCalledWith('j9');

    FakeSocket.last.receive(eventOf('progress', { ...job, processedRows: 5, updatedAt: '2025-01-01T12:03:02.000Z' }));
    FakeSocket.last.receive(eventOf('cancelled', { ...job, status: 'cancelled', updatedAt: '2025-01-01T12:05:00.000Z' }));
    await waitFor(() => expect(screen.getAllByTestId('job-audit-entry')).toHaveLength(2));
    expect(jobAudit).toHaveBeenCalledTimes(2);
    expect(screen.getAllByTestId('job-audit-entry')[0]!.textContent).toMatch(/^Cancelled by bob@example\.com · /);
  });
});
