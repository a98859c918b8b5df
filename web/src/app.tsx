import { createEffect, Match, on, onCleanup, onMount, Show, Switch, type ParentProps } from 'solid-js';
import { A, MemoryRouter, Router, useLocation, type MemoryHistory, type RouteDefinition } from '@solidjs/router';
import { useStore } from './stores/context';
import { createTheme } from './stores/theme';
import { ThemeToggle } from './components/theme-toggle';
import { ConnectionStatus } from './components/connection-status';
import { Account } from './components/account';
import { SignInPage } from './components/sign-in-page';
import { ImportsPage } from './pages/imports-page';
import { JobPage } from './pages/job-page';
import { TemplatesPage } from './pages/templates-page';
import { TemplatePage } from './pages/template-page';
import { TemplateEditPage } from './pages/template-edit-page';
import { NotFoundPage } from './pages/not-found-page';
import { AuditPage } from './pages/audit-page';

/** Every page has a real URL; the gateway answers index.html for any path that is not a file, the API or /ws. */
export const ROUTES: RouteDefinition[] = [
  { path: '/', component: ImportsPage },
  { path: '/jobs/:id', component: JobPage },
  { path: '/templates', component: TemplatesPage },
  { path: '/templates/:name', component: TemplatePage },
  { path: '/templates/:name/edit', component: TemplateEditPage },
  { path: '/audit', component: AuditPage },
  { path: '*404', component: NotFoundPage },
];

/** The browser's router; a test passes a memory history instead. */
export function App(props: { history?: MemoryHistory }) {
  return (
    <Show when={props.history} fallback={<Router root={Shell}>{ROUTES}</Router>}>
      {(history) => (
        <MemoryRouter history={history()} root={Shell}>
          {ROUTES}
        </MemoryRouter>
      )}
    </Show>
  );
}

/** The frame of every page: brand, navigation, connection and who is signed in; the sign-in page until someone is. */
function Shell(props: ParentProps) {
  const store = useStore();
  const location = useLocation();
  const theme = createTheme();
  let main: HTMLElement | undefined;
  // Back online: skip whatever backoff wait is left.
  onMount(() => {
    const online = () => store.reconnectNow();
    window.addEventListener('online', online);
    onCleanup(() => window.removeEventListener('online', online));
  });
  // A new page: put the focus on its heading, so a screen reader says where it is and Tab starts there.
  createEffect(
    on(
      () => location.pathname,
      () => queueMicrotask(() => main?.querySelector<HTMLElement>('h1')?.focus()),
      { defer: true },
    ),
  );

  return (
    <div class="app">
      <header class="topbar">
        <div class="brand">
          <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
            <rect width="32" height="32" rx="7" />
            <path d="M9 8h9l5 5v11H9z" />
          </svg>
          <span class="brand-name">DocProcessor</span>
          <span class="brand-tag">CSV imports</span>
        </div>
        <ThemeToggle theme={theme} />
        <Show when={store.session.state() === 'signed-in'}>
          <nav class="nav" aria-label="Main">
            <A href="/" end data-testid="nav-imports">
              Imports
            </A>
            <A href="/templates" data-testid="nav-templates">
              Templates
            </A>
            {/* Only admins may read the audit log, so only they are offered it. */}
            <Show when={store.session.can('readAudit').allowed}>
              <A href="/audit" data-testid="nav-audit">
                Audit
              </A>
            </Show>
          </nav>
          <div class="topbar-actions">
            <ConnectionStatus />
            <Account />
          </div>
        </Show>
      </header>
      <main class="main" ref={main}>
        <Switch>
          <Match when={store.session.state() === 'signed-in'}>{props.children}</Match>
          <Match when={store.session.state() === 'signed-out'}>
            <SignInPage />
          </Match>
          <Match when={store.session.state() === 'checking'}>
            <p class="muted" data-testid="session-checking">
              Checking whether you are signed in…
            </p>
          </Match>
        </Switch>
      </main>
      <div class="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {store.announcement()}
      </div>
    </div>
  );
}
