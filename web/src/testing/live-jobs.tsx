import { fireEvent, screen, within } from '@solidjs/testing-library';
import type { Job, Me } from '@docprocessor/contracts';
import type { Api } from '../api/http';
import { FakeSocket } from './fake-socket';
import { renderAppAt } from './render';

/** An event frame for `job`, as the gateway sends it. */
export const eventOf = (type: string, job: Job) => ({ type, jobId: job.id, at: job.updatedAt, job });

/**
 * The imports page (its job table) fed by a fake socket holding `job`, its summary open: what a person (signed in as
 * `me`, an admin key by default) sees, with events to push.
 */
export async function renderLiveJob(job: Job, api: Api, others: Job[] = [], me?: Me) {
  const result = renderAppAt('/', api, me);
  FakeSocket.last.open();
  FakeSocket.last.receive({ type: 'snapshot', jobs: [job, ...others] });
  const row = (await screen.findAllByTestId('job-row')).find((r) => r.dataset.jobId === job.id)!;
  fireEvent.click(within(row).getAllByRole('button')[0]!);
  await screen.findByTestId('job-summary');
  return { ...result, row, push: (type: string, next: Job) => FakeSocket.last.receive(eventOf(type, next)) };
}
