import { fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory } from '@solidjs/router';
import { BUILT_IN_TEMPLATES, type Job } from '@docprocessor/contracts';
import type { Api } from './api/http';
import { ApiError } from './api/errors';
import { App } from './app';
import { StoreProvider } from './stores/context';
import { KEY_REFUSED } from './stores/app';
import { FakeSocket } from './testing/fake-socket';
import { fakeApi, makeJob, makeMe } from './testing/factories';
import { renderAppAt } from './testing/render';

const unauthorized = () => new ApiError(401, 'unauthorized', 'Sign in or give an API key');
/** As the server answers GET /api/me: the key in sessionStorage is the development key; without one, nobody. */
const meOfStoredKey: Api['me'] = async () => {
  if (sessionStorage.getItem('docprocessor.apiKey')) return makeMe();
  throw unauthorized();
};

function renderApp(api: Api = fakeApi({ me: meOfStoredKey })) {
  return render(() => (
    <StoreProvider deps={{ api, storage: sessionStorage, WebSocket: FakeSocket }}>
      <App />
    </StoreProvider>
  ));
}

async function signIn(key = 'dev-key') {
  fireEvent.input(await screen.findByTestId('api-key-input'), { target: { value: key } });
  fireEvent.click(screen.getByTestId('api-key-submit'));
}

const event = (type: string, job: Job) => ({ type, jobId: job.id, at: job.updatedAt, job });

beforeEach(() => {
  sessionStorage.clear();
  FakeSocket.reset();
});

describe('App', () => {
  it('asks for the key, keeps it for the session and subscribes with it', async () => {
    renderApp();
    expect(screen.queryByTestId('drop-zone')).toBeNull();
    await signIn('my key');
    expect(sessionStorage.getItem('docprocessor.apiKey')).toBe('my key');
    await screen.findByTestId('drop-zone');
    expect(FakeSocket.last.url).toMatch(/\/ws\?apiKey=my%20key$/);
    expect(screen.getByTestId('connection-status').dataset.state).toBe('connecting');
    FakeSocket.last.open();
    expect(FakeSocket.last.sent).toEqual(['{"op":"subscribe"}']);
  });

  it('renders the snapshot and follows events without counts going backwards', async () => {
    sessionStorage.setItem('docprocessor.apiKey', 'dev-key');
    renderApp();
    const job = makeJob({ id: 'j1', status: 'processing', processedRows: 10, progress: 0.1, updatedAt: '2025-01-01T10:00:01Z' });
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: 'snapshot', jobs: [job, makeJob({ id: 'j0', createdAt: '2024-12-31T00:00:00Z' })] });
    const rows = await screen.findAllByTestId('job-row');
    expect(rows.map((r) => r.dataset.jobId)).toEqual(['j1', 'j0']);
    expect(screen.getByTestId('connection-status').dataset.state).toBe('connected');

    FakeSocket.last.receive(
      event('progress', { ...job, processedRows: 50, progress: 0.5, rowsPerSecond: 40, etaSeconds: 2, updatedAt: '2025-01-01T10:00:02Z' }),
    );
    FakeSocket.last.receive(event('progress', { ...job, processedRows: 30, progress: 0.3, updatedAt: '2025-01-01T10:00:01.5Z' }));
    const row = screen.getAllByTestId('job-row')[0]!;
    expect(within(row).getByTestId('job-progress').getAttribute('aria-valuenow')).toBe('50');
    expect(row.textContent).toContain('40 rows/s');
    expect(row.textContent).toContain('ETA 2 s');
    FakeSocket.last.receive(
      event('progress', { ...job, processedRows: 90, progress: 0.9, rowsPerSecond: 40, etaSeconds: 0, updatedAt: '2025-01-01T10:00:03Z' }),
    );
    expect(row.textContent).toContain('ETA < 1 s');
  });

  it('opens the newest job’s summary when it completes', async () => {
    sessionStorage.setItem('docprocessor.apiKey', 'dev-key');
    renderApp();
    const job = makeJob({ id: 'j1', status: 'processing', updatedAt: '2025-01-01T10:00:01Z' });
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: 'snapshot', jobs: [job] });
    await screen.findByTestId('job-row');
    expect(screen.queryByTestId('job-summary')).toBeNull();
    FakeSocket.last.receive(
      event('completed', {
        ...job,
        status: 'completed',
        totalRows: 5,
        processedRows: 5,
        successRows: 5,
        progress: 1,
        updatedAt: '2025-01-01T10:00:02Z',
      }),
    );
    const summary = await screen.findByTestId('job-summary');
    expect(within(summary).getByTestId('summary-processed').textContent).toBe('5');
    expect(screen.getByTestId('job-row').dataset.status).toBe('completed');
    expect(screen.getByTestId('announcer').textContent).toBe('contacts.csv: Completed');
  });

  it('shows resumed and duplicate notes', async () => {
    sessionStorage.setItem('docprocessor.apiKey', 'dev-key');
    renderApp();
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: 'snapshot', jobs: [makeJob({ attempt: 2, resumedFromRow: 4000, duplicateOf: 'abcdef12-3456' })] });
    expect((await screen.findByTestId('job-resumed')).textContent).toBe('Resumed at row 4000 (attempt 2)');
    expect(screen.getByTestId('job-duplicate').textContent).toBe('Same file as job abcdef12');
  });

  it('asks for the key again when the socket is refused and the key turns out to be wrong', async () => {
    sessionStorage.setItem('docprocessor.apiKey', 'wrong');
    // Accepted at start-up, revoked by the time the socket is refused.
    const me = vi
      .fn<Api['me']>()
      .mockResolvedValueOnce(makeMe())
      .mockRejectedValue(new ApiError(401, 'unauthorized', 'Unknown API key'));
    renderApp(fakeApi({ me }));
    await waitFor(() => expect(me).toHaveBeenCalledOnce());
    FakeSocket.last.drop();
    expect((await screen.findByRole('alert')).textContent).toBe(KEY_REFUSED);
    expect(sessionStorage.getItem('docprocessor.apiKey')).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 700)); // past the first backoff
    expect(FakeSocket.instances).toHaveLength(1);
  });

  it('keeps the key and reconnects when the server is only unreachable', async () => {
    sessionStorage.setItem('docprocessor.apiKey', 'dev-key');
    const me = vi
      .fn<Api['me']>()
      .mockResolvedValueOnce(makeMe())
      .mockRejectedValue(new ApiError(0, 'network_error', 'down'));
    renderApp(fakeApi({ me }));
    await waitFor(() => expect(me).toHaveBeenCalledOnce());
    FakeSocket.last.drop();
    await waitFor(() => expect(me).toHaveBeenCalledTimes(2));
    expect(screen.getByTestId('connection-status').dataset.state).toBe('reconnecting');
    expect(screen.getByTestId('jobs-empty').textContent).toContain('Waiting for the server');
    fireEvent.click(screen.getByRole('button', { name: 'Retry now' }));
    expect(FakeSocket.instances).toHaveLength(2);
  });

  it('signs out on “Sign out” and on an unauthorized error frame, forgetting the jobs', async () => {
    sessionStorage.setItem('docprocessor.apiKey', 'dev-key');
    renderApp();
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: 'snapshot', jobs: [makeJob()] });
    await screen.findByTestId('job-row');
    fireEvent.click(screen.getByTestId('sign-out'));
    expect(screen.getByTestId('sign-in-page')).toBeTruthy();
    expect(sessionStorage.getItem('docprocessor.apiKey')).toBeNull();
    await signIn('other');
    expect(screen.queryByTestId('job-row')).toBeNull();
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: 'error', error: { code: 'unauthorized', message: 'no' } });
    expect((await screen.findByRole('alert')).textContent).toBe(KEY_REFUSED);
  });

  it('marks a dry run, and the import made of it', async () => {
    sessionStorage.setItem('docprocessor.apiKey', 'dev-key');
    renderApp();
    FakeSocket.last.open();
    FakeSocket.last.receive({
      type: 'snapshot',
      jobs: [
        makeJob({ id: 'dry-12345678', dryRun: true }),
        makeJob({ id: 'real', dryRunOf: 'dry-12345678', createdAt: '2025-01-01T11:00:00.000Z' }),
      ],
    });
    expect((await screen.findByTestId('job-dry-run')).textContent).toBe('Dry run');
    expect(screen.getByTestId('job-dry-run-of').textContent).toBe('Import of dry run dry-1234');
  });
});

describe('App navigation', () => {
  it('moves between Imports and Templates with real URLs, the back button and the focus on the new page', async () => {
    const { history } = renderAppAt('/', fakeApi({ listTemplates: async () => [...BUILT_IN_TEMPLATES] }));
    await screen.findByTestId('drop-zone');
    expect(screen.getByTestId('nav-imports').getAttribute('aria-current')).toBe('page');
    fireEvent.click(screen.getByTestId('nav-templates'));
    await waitFor(() => expect(history.get()).toBe('/templates'));
    expect(await screen.findAllByTestId('template-row')).toHaveLength(2);
    expect(document.title).toBe('Templates · DocProcessor');
    await waitFor(() => expect(document.activeElement?.tagName).toBe('H1'));
    expect(screen.queryByTestId('drop-zone')).toBeNull();

    history.back();
    await screen.findByTestId('drop-zone');
    expect(history.get()).toBe('/');
    expect(document.title).toBe('Imports · DocProcessor');
  });

  it('asks for the key before any page, then shows the one asked for', async () => {
    const history = createMemoryHistory();
    history.set({ value: '/templates/products', replace: true, scroll: false });
    const api = fakeApi({
      me: meOfStoredKey,
      listTemplates: async () => [...BUILT_IN_TEMPLATES],
      getTemplate: async () => BUILT_IN_TEMPLATES[1]!,
    });
    render(() => (
      <StoreProvider deps={{ api, storage: sessionStorage, WebSocket: FakeSocket }}>
        <App history={history} />
      </StoreProvider>
    ));
    expect(screen.queryByTestId('nav-templates')).toBeNull();
    await signIn();
    expect((await screen.findByTestId('template-view')).dataset.template).toBe('products');
  });

  it('says when a path is no page', async () => {
    renderAppAt('/nowhere', fakeApi());
    expect((await screen.findByTestId('not-found')).textContent).toContain('No page here');
  });
});
