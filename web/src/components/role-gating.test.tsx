import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_TEMPLATES, type JobDeliveryList, type Template } from '@docprocessor/contracts';
import { fakeApi, makeJob, makeMe } from '../testing/factories';
import { renderLiveJob } from '../testing/live-jobs';
import { renderAppAt } from '../testing/render';

const running = makeJob({ id: 'run', status: 'processing', startedAt: '2025-01-01T10:00:00.000Z' });
const withErrors = makeJob({
  id: 'done',
  status: 'completed',
  totalRows: 10,
  processedRows: 10,
  successRows: 8,
  failedRows: 2,
  progress: 1,
  finishedAt: '2025-01-01T10:00:03.000Z',
});
const deliveries: JobDeliveryList = {
  items: [
    {
      id: '1',
      jobId: 'run',
      webhookId: 'w1',
      url: 'https://hooks.example.com/in',
      event: 'started',
      status: 'delivered',
      createdAt: '2025-01-01T10:00:00.100Z',
      deliveredAt: '2025-01-01T10:00:00.200Z',
      nextAttemptAt: null,
      attemptCount: 1,
      attempts: [{ at: '2025-01-01T10:00:00.150Z', responseStatus: 200, error: null, durationMs: 12 }],
    },
  ],
};
const own: Template = { ...BUILT_IN_TEMPLATES[0]!, name: 'people', builtIn: false };
const button = (id: string) => screen.getByTestId(id) as HTMLButtonElement;

describe('what each role is offered', () => {
  it('a viewer follows a running import but cannot cancel it: the button is disabled with the reason', async () => {
    await renderLiveJob(running, fakeApi({ listWebhookDeliveries: async () => deliveries }), [], makeMe('viewer'));
    const cancel = button('job-cancel');
    expect(cancel.disabled).toBe(true);
    expect(cancel.title).toBe('Needs the importer role (you are a viewer)');
    const reason = screen.getByTestId('job-cancel-role');
    expect(reason.textContent).toBe('Needs the importer role (you are a viewer)');
    expect(cancel.getAttribute('aria-describedby')).toBe(reason.id);
    fireEvent.click(cancel);
    expect(screen.queryByTestId('job-cancel-confirm')).toBeNull();
    // Reading stays: the webhook deliveries are there for every role.
    expect(await screen.findAllByTestId('webhook-delivery')).toHaveLength(1);
  });

  it('a viewer sees no upload panel, only why', async () => {
    renderAppAt('/', fakeApi(), makeMe('viewer'));
    expect(screen.getByTestId('upload-role').textContent).toBe('Needs the importer role (you are a viewer)');
    expect(screen.queryByTestId('drop-zone')).toBeNull();
  });

  it('an importer mends a job (fixes, cancel) but may not revert it', async () => {
    await renderLiveJob(withErrors, fakeApi(), [], makeMe('importer'));
    expect(button('fixes-upload').disabled).toBe(false);
    expect(screen.queryByTestId('fixes-upload-role')).toBeNull();
    expect(button('download-errors').disabled).toBe(false);
    expect(button('job-revert').disabled).toBe(true);
    expect(screen.getByTestId('job-revert-role').textContent).toBe('Needs the admin role (you are an importer)');
  });

  it('a viewer may download the errors but not upload fixes', async () => {
    await renderLiveJob(withErrors, fakeApi(), [], makeMe('viewer'));
    expect(button('download-errors').disabled).toBe(false);
    expect(button('fixes-upload').disabled).toBe(true);
    expect(screen.getByTestId('fixes-upload-role').textContent).toBe('Needs the importer role (you are a viewer)');
  });

  it('an admin is offered everything, the Audit screen included', async () => {
    await renderLiveJob(withErrors, fakeApi(), [], makeMe('admin'));
    expect(button('job-revert').disabled).toBe(false);
    expect(button('fixes-upload').disabled).toBe(false);
    expect(screen.getByTestId('nav-audit')).toBeTruthy();
  });

  it('only an admin creates, edits or deletes templates', async () => {
    const api = fakeApi({ listTemplates: async () => [...BUILT_IN_TEMPLATES, own], getTemplate: async () => own });
    const { unmount } = renderAppAt('/templates/people', api, makeMe('importer'));
    expect((await screen.findByTestId('template-change-role')).textContent).toBe('Needs the admin role (you are an importer)');
    expect(screen.queryByTestId('template-edit')).toBeNull();
    expect(screen.queryByTestId('template-delete')).toBeNull();
    expect(screen.queryByTestId('nav-audit')).toBeNull();
    fireEvent.click(screen.getByTestId('nav-templates'));
    await screen.findByTestId('template-create-role');
    expect(screen.queryByTestId('template-new-sample')).toBeNull();
    unmount();

    renderAppAt('/templates/people', api, makeMe('admin'));
    await screen.findByTestId('template-edit');
    expect(screen.getByTestId('template-delete')).toBeTruthy();
    fireEvent.click(screen.getByTestId('nav-templates'));
    await waitFor(() => expect(screen.getByTestId('template-new-sample')).toBeTruthy());
    expect(within(document.body).queryByTestId('template-create-role')).toBeNull();
  });
});
