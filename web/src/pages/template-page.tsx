import { Match, Show, Switch } from 'solid-js';
import { A, useNavigate, useParams } from '@solidjs/router';
import { messageOf } from '../stores/app';
import { usePageTitle } from '../lib/page-title';
import { TemplateView } from '../components/templates/template-view';
import { DeleteTemplate } from '../components/templates/delete-template';
import { useTemplate } from './use-template';
import { RoleReason } from '../components/role-reason';
import { useStore } from '../stores/context';

/** `/templates/:name`: one template's columns and rules, with Edit and Delete for the tenant's own. */
export function TemplatePage() {
  const store = useStore();
  const canChange = () => store.session.can('changeTemplate');
  const params = useParams<{ name: string }>();
  const navigate = useNavigate();
  const { template, fresh, notFound } = useTemplate(() => params.name);
  usePageTitle(() => `Template ${params.name}`);

  return (
    <div class="page">
      <p class="crumbs">
        <A href="/templates">Templates</A> /
      </p>
      <div class="page-head">
        <h1 tabindex="-1">{params.name}</h1>
        <Show when={template() && !template()!.builtIn}>
          <div class="page-actions">
            <Show when={canChange().allowed} fallback={<RoleReason permission={canChange()} testId="template-change-role" />}>
              <A href={`/templates/${encodeURIComponent(params.name)}/edit`} class="button-secondary" data-testid="template-edit">
                Edit
              </A>
            </Show>
            <Show when={store.session.can('deleteTemplate').allowed}>
              <DeleteTemplate name={params.name} onDeleted={() => navigate('/templates')} />
            </Show>
          </div>
        </Show>
      </div>
      <Switch>
        <Match when={template()}>
          {(t) => (
            <section class="card">
              <Show when={t().builtIn}>
                <p class="hint built-in-hint">A built-in template: it can be used by everyone, and changed or deleted by no one.</p>
              </Show>
              <TemplateView template={t()} />
            </section>
          )}
        </Match>
        <Match when={notFound()}>
          <section class="card page-message" data-testid="template-not-found">
            <p>There is no template named {params.name}.</p>
          </section>
        </Match>
        <Match when={fresh.error}>
          <p class="notice notice-error" role="alert">
            {messageOf(fresh.error)}
          </p>
        </Match>
        <Match when={true}>
          <p class="muted">Loading…</p>
        </Match>
      </Switch>
    </div>
  );
}
