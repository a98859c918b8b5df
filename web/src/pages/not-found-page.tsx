import { A } from '@solidjs/router';
import { usePageTitle } from '../lib/page-title';

export function NotFoundPage() {
  usePageTitle(() => 'Not found');
  return (
    <section class="card page-message" data-testid="not-found">
      <h1 tabindex="-1">No page here</h1>
      <p class="muted">
        This address is not a page of DocProcessor. <A href="/">Go to the imports</A>.
      </p>
    </section>
  );
}
