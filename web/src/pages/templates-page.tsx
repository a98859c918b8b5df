import { Match, Show, Switch } from 'solid-js';
import { A, useNavigate, useSearchParams } from '@solidjs/router';
import type { Template } from '@docprocessor/contracts';
import { usePageTitle } from '../lib/page-title';
import { TemplateList } from '../components/templates/template-list';
import { NewTemplateFromSample } from '../components/templates/new-template';
import { BindTableForm } from '../components/templates/bind-table-form';
import { RoleReason } from '../components/role-reason';
import { useStore } from '../stores/context';

/** `/templates`: every template, and the two ways to make one (`?new=sample`, `?new=table`) so Back closes them. */
export function TemplatesPage() {
  const store = useStore();
  const canCreate = () => store.session.can('createTemplate');
  const [params, setParams] = useSearchParams<{ new?: string }>();
  const navigate = useNavigate();
  usePageTitle(() => 'Templates');
  const created = (template: Template) => navigate(`/templates/${encodeURIComponent(template.name)}`);
  const close = () => setParams({ new: undefined });

  return (
    <div class="page">
      <div class="page-head">
        <h1 tabindex="-1">Templates</h1>
        {/* Links cannot be disabled: for a role that may not create, the reason stands in their place. */}
        <Show when={canCreate().allowed} fallback={<RoleReason permission={canCreate()} testId="template-create-role" />}>
          <div class="page-actions">
            <A href="/templates?new=sample" class="button-primary" data-testid="template-new-sample">
              New template from a sample file
            </A>
            <A href="/templates?new=table" class="button-secondary" data-testid="template-new-table">
              Bind to an existing table
            </A>
          </div>
        </Show>
      </div>
      <Switch>
        <Match when={params.new && !canCreate().allowed}>
          <p class="notice notice-error" role="alert">
            Creating templates: {canCreate().reason}.
          </p>
        </Match>
        <Match when={params.new === 'sample'}>
          <NewTemplateFromSample onCreated={created} onCancel={close} />
        </Match>
        <Match when={params.new === 'table'}>
          <BindTableForm onCreated={created} onCancel={close} />
        </Match>
      </Switch>
      <section class="card" aria-label="Template list">
        <TemplateList />
      </section>
    </div>
  );
}
