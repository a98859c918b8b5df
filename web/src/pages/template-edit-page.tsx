import { Match, Switch } from 'solid-js';
import { A, useNavigate, useParams } from '@solidjs/router';
import { messageOf } from '../stores/app';
import { useStore } from '../stores/context';
import { usePageTitle } from '../lib/page-title';
import { checkTemplateChange, draftOfTemplate } from '../lib/template-draft';
import { TemplateForm } from '../components/templates/template-form';
import { useTemplate } from './use-template';

/**
 * `/templates/:name/edit`: the whole definition, sent with PUT. The server applies compatible changes to the
 * table (new optional columns, relaxed rules, aliases) and refuses the others with its reasons.
 */
export function TemplateEditPage() {
  const store = useStore();
  const params = useParams<{ name: string }>();
  const navigate = useNavigate();
  const { fresh, notFound } = useTemplate(() => params.name);
  const view = () => `/templates/${encodeURIComponent(params.name)}`;
  usePageTitle(() => `Edit ${params.name}`);

  return (
    <div class="page">
      <p class="crumbs">
        <A href="/templates">Templates</A> / <A href={view()}>{params.name}</A> /
      </p>
      <h1 tabindex="-1">Edit {params.name}</h1>
      <Switch>
        <Match when={!store.session.can('changeTemplate').allowed}>
          <p class="notice notice-error" role="alert" data-testid="template-change-role">
            Changing templates: {store.session.can('changeTemplate').reason}.
          </p>
        </Match>
        <Match when={fresh.state === 'ready' && fresh()} keyed>
          {(template) =>
            template.builtIn ? (
              <p class="notice notice-error" role="alert">
                {template.name} is a built-in template: it cannot be changed.
              </p>
            ) : (
              <section class="card">
                <p class="hint">
                  Rows already in <code>{template.table}</code> must still fit: add optional columns, relax rules, add other header names or
                  formats. The server refuses anything else and says why.
                </p>
                <TemplateForm
                  initial={draftOfTemplate(template)}
                  withName={false}
                  check={(draft) => checkTemplateChange(draft, template.managed)}
                  onSubmit={async (change) => {
                    await store.templates.update(template.name, change);
                    navigate(view());
                  }}
                  submitLabel="Save changes"
                  onCancel={() => navigate(view())}
                  idPrefix="edit"
                />
              </section>
            )
          }
        </Match>
        <Match when={notFound()}>
          <p class="notice notice-error" role="alert" data-testid="template-not-found">
            There is no template named {params.name}.
          </p>
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
