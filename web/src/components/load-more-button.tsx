/**
 * The button under a paged list (imports, row errors, audit log) that fetches its next page. It stays in place while
 * the page loads, disabled and saying so, so a second click cannot ask for the same page twice.
 */
export function LoadMoreButton(props: { label: string; testId: string; loading: boolean; onLoad: () => void }) {
  return (
    <button
      type="button"
      class="button-secondary load-more"
      data-testid={props.testId}
      disabled={props.loading}
      onClick={() => props.onLoad()}
    >
      {props.loading ? 'Loading…' : props.label}
    </button>
  );
}
