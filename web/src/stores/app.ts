import { createEffect, createSignal, on, onCleanup, type Accessor } from 'solid-js';
import { isTerminal, type Job, type ServerFrame } from '@docprocessor/contracts';
import { createHttp, isApiError, type Api } from '../api/http';
import { connectSocket, socketUrl, type LiveSocket, type SocketConstructor } from '../api/socket';
import { statusLabel } from '../lib/format';
import { createConnection, type Connection } from './connection';
import { createHistory, type History } from './history';
import { createJobs, type JobChange, type Jobs } from './jobs';
import { createSelection, type Selection } from './selection';
import { createSession, type Session } from './session';
import { createStaging, type Staging } from './staging';
import { createTemplates, type Templates } from './templates';
import { createUploads, type Uploads } from './uploads';

export { KEY_REFUSED, SESSION_ENDED } from './session';

export interface AppStore {
  session: Session;
  api: Api;
  jobs: Jobs;
  /** The tenant's whole history, paged from the API and filtered; its jobs live in `jobs`. */
  history: History;
  connection: Connection;
  uploads: Uploads;
  selection: Selection;
  templates: Templates;
  /** Files waiting for their mapping step. */
  staging: Staging;
  /** The latest status change, read out by an aria-live region. */
  announcement: Accessor<string>;
  reconnectNow(): void;
  cancel(id: string): Promise<void>;
  retry(id: string): Promise<void>;
  /** Imports a completed dry run for real. */
  commit(id: string): Promise<void>;
  /** Takes a final import back; its progress then arrives as events. */
  revert(id: string): Promise<void>;
  /** Sends a corrected errors.csv into the same job. */
  uploadFixes(id: string, file: File): Promise<void>;
}

export interface AppDeps {
  api?: Api;
  storage?: Storage | null;
  WebSocket?: SocketConstructor;
  /** The /ws address for a key, or for the session cookie (null). */
  socketUrl?: (key: string | null) => string;
}

/** Composes the small stores and wires them to the network. Call inside a reactive owner (the provider). */
export function createAppStore(deps: AppDeps = {}): AppStore {
  // The HTTP client asks the session for the key on each call, and tells it when the server refused it.
  const api = deps.api ?? createHttp({ getKey: () => session.key(), onUnauthorized: () => session.ended() });
  const session = createSession(api, deps.storage);
  const jobs = createJobs();
  const history = createHistory(api, jobs, (error) => messageOf(error));
  const connection = createConnection();
  const selection = createSelection();
  const templates = createTemplates(api);
  const staging = createStaging();
  const [announcement, setAnnouncement] = createSignal('');
  let socket: LiveSocket | null = null;
  const signOutIfRefused = (error: unknown) => {
    if (isApiError(error) && error.unauthorized) session.ended();
  };

  function noticeChange({ previous, job }: JobChange, fromEvent: boolean): void {
    if (previous ? previous.status !== job.status : fromEvent) setAnnouncement(`${job.filename}: ${statusLabel(job.status)}`);
    const finishedNow = isTerminal(job.status) && (previous ? !isTerminal(previous.status) : fromEvent);
    if (finishedNow && jobs.list()[0]?.id === job.id) selection.follow(job.id);
  }

  const take = (job: Job, fromEvent: boolean) => {
    const change = jobs.upsert(job);
    if (change) noticeChange(change, fromEvent);
  };

  function onFrame(frame: ServerFrame): void {
    if (frame.type === 'snapshot') {
      for (const change of jobs.applySnapshot(frame.jobs)) noticeChange(change, false);
      connection.markSynced();
    } else if (frame.type === 'error') {
      // The key was revoked or the session ended (signed out elsewhere, idle, account disabled).
      if (frame.error.code === 'unauthorized') session.ended();
    } else {
      take(frame.job, true);
    }
  }

  const uploads = createUploads({
    api,
    onUploaded: (job) => {
      selection.release();
      take(job, true);
      // template=auto made a template the list does not have yet.
      if (!templates.get(job.template)) templates.load().catch(signOutIfRefused);
    },
  });

  createEffect(
    on(session.credential, (credential) => {
      jobs.clear();
      history.reset();
      selection.clear();
      connection.reset();
      templates.clear();
      staging.clear();
      if (!credential) return;
      templates.load().catch(signOutIfRefused);
      const key = credential.kind === 'key' ? credential.key : null;
      const live = connectSocket({
        url: () => (deps.socketUrl ?? socketUrl)(key),
        WebSocket: deps.WebSocket,
        onFrame,
        onConnection: connection.update,
        // A browser hides the status of a refused upgrade; ask over HTTP whether it was the key or the session.
        onRefused: () => void api.me().catch(signOutIfRefused),
      });
      socket = live;
      onCleanup(() => {
        live.close();
        if (socket === live) socket = null;
      });
    }),
  );
  void session.start();

  const act = async (call: Promise<Job>) => take(await call, true);

  return {
    session,
    api,
    jobs,
    history,
    connection,
    uploads,
    selection,
    templates,
    staging,
    announcement,
    reconnectNow: () => socket?.reconnectNow(),
    cancel: (id) => act(api.cancel(id)),
    retry: async (id) => {
      selection.release();
      await act(api.retry(id));
    },
    commit: async (id) => {
      selection.release();
      await act(api.commit(id));
    },
    revert: (id) => act(api.revert(id)),
    uploadFixes: (id, file) => act(api.uploadFixes(id, file)),
  };
}

export const messageOf = (error: unknown): string =>
  isApiError(error) || error instanceof Error ? error.message : 'Something went wrong.';
