import { Match, Switch } from 'solid-js';
import { A, useNavigate, useSearchParams } from '@solidjs/router';
import type { Template } from '@docprocessor/contracts';
import { usePageTitle } from '../lib/page-title';
import { TemplateList } from '../components/templates/template-list';
import { NewTemplateFromSample } from '../components/templates/new-template';
import { BindTableForm } from '../components/templates/bind-table-form';

/** `/templates`: every template, and the two ways to make one (`?new=sample`, `?new=table`) so Back closes them. */
export function TemplatesPage() {
  const [params, setParams] = useSearchParams<{ new?: string }>();
  const navigate = useNavigate();
  usePageTitle(() => 'Templates');
  const created = (template: Template) => navigate(`/templates/${encodeURIComponent(template.name)}`);
  const close = () => setParams({ new: undefined });

  return (
    <div class="page">
      <div class="page-head">
        <h1 tabindex="-1">Templates</h1>
        <div class="page-actions">
          <A href="/templates?new=sample" class="button-primary" data-testid="template-new-sample">
            New template from a sample file
          </A>
          <A href="/templates?new=table" class="button-secondary" data-testid="template-new-table">
            Bind to an existing table
          </A>
        </div>
      </div>
      <Switch>
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
