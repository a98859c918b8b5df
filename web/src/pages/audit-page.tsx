import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { A } from '@solidjs/router';
import type { AuditEntry } from '@docprocessor/contracts';
import { actorName, describeAction, detailText } from '../lib/audit';
import { formatShortTime, formatTime } from '../lib/format';
import { usePageTitle } from '../lib/page-title';
import { jobPath } from '../lib/paths';
import { RoleReason } from '../components/role-reason';
import { messageOf } from '../stores/app';
import { useStore } from '../stores/context';
import { LoadMoreButton } from '../components/load-more-button';

export const AUDIT_PAGE_SIZE = 50;

/** `/audit` (admins): who did what to what, newest first, a page at a time with the log's cursor. */
export function AuditPage() {
  const store = useStore();
  usePageTitle(() => 'Audit log');
  const allowed = () => store.session.can('readAudit');

  return (
    <div class="page">
      <div class="page-head">
        <h1 tabindex="-1">Audit log</h1>
      </div>
      <Show
        when={allowed().allowed}
        fallback={
          <section class="card page-message" data-testid="audit-not-allowed">
            <p>The audit log is for administrators.</p>
            <RoleReason permission={allowed()} />
          </section>
        }
      >
        <AuditTable />
      </Show>
    </div>
  );
}

function AuditTable() {
  const store = useStore();
  const [items, setItems] = createSignal<AuditEntry[]>([]);
  const [nextCursor, setNextCursor] = createSignal<string | null>(null);
  const [loading, setLoading] = createSignal(false);
  const [loaded, setLoaded] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);

  async function load(cursor: string | null): Promise<void> {
    setLoading(true);
    setError(null);
    try {
      const page = await store.api.listAudit(cursor, AUDIT_PAGE_SIZE);
      setItems((shown) => (cursor ? [...shown, ...page.items] : page.items));
      setNextCursor(page.nextCursor);
      setLoaded(true);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setLoading(false);
    }
  }
  // From the top for each sign-in: another admin may be of another tenant.
  createEffect(on(store.session.credential, (credential) => credential && void load(null)));

  return (
    <section class="card" aria-label="Audit log entries">
      <Show
        when={items().length > 0}
        fallback={
          <Show when={loaded()}>
            {
              <p class="muted" data-testid="audit-empty">
                Nothing recorded yet.
              </p>
            }
          </Show>
        }
      >
        <div class="table-scroll">
          <table class="data-table audit-table" data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">On</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              <For each={items()}>
                {(entry) => (
                  <tr data-testid="audit-row" data-action={entry.action} data-outcome={entry.outcome}>
                    <td>
                      <time datetime={entry.at} title={formatTime(entry.at)}>
                        {formatShortTime(entry.at)}
                      </time>
                    </td>
                    <td class="break">{actorName(entry.actor)}</td>
                    <td classList={{ 'audit-refused': entry.outcome !== 'ok' }}>{describeAction(entry)}</td>
                    <td class="break">
                      <Target target={entry.target} />
                    </td>
                    <td class="break muted">{detailText(entry)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
      <Show when={error()}>
        <p class="action-error" role="alert">
          Could not load the audit log: {error()}{' '}
          <Show when={!loaded()}>
            <button type="button" class="link-button" onClick={() => void load(null)}>
              Try again
            </button>
          </Show>
        </p>
      </Show>
      <Show when={nextCursor()}>
        <LoadMoreButton label="Load older entries" testId="audit-more" loading={loading()} onLoad={() => void load(nextCursor())} />
      </Show>
      <Show when={loading() && !loaded()}>
        <p class="muted">Loading…</p>
      </Show>
    </section>
  );
}

/** A job or template target links to its page; any other is shown as written. */
function Target(props: { target: string | null }) {
  const link = () => {
    const [kind, ...rest] = (props.target ?? '').split(':');
    const name = rest.join(':');
    if (kind === 'job' && name) return { href: jobPath(name), text: `job ${name.slice(0, 8)}` };
    if (kind === 'template' && name) return { href: `/templates/${encodeURIComponent(name)}`, text: `template ${name}` };
    return null;
  };
  // A person is named by their email, as in the Who column.
  const plain = () => (props.target?.startsWith('user:') ? props.target.slice(5) : (props.target ?? '—'));
  return (
    <Show when={link()} fallback={plain()}>
      {(l) => (
        <A href={l().href} title={props.target ?? undefined}>
          {l().text}
        </A>
      )}
    </Show>
  );
}
