import { createEffect, on, onCleanup, onMount, type Accessor } from 'solid-js';

/**
 * Keeps the row under the mouse pointer where it is on screen when rows are added above it (new jobs arrive at
 * the top): its position is remembered on every pointer move and scroll, and after the list changed the page
 * scrolls by however far the row moved. Browsers' own scroll anchoring does not act at the very top of a page.
 */
export function keepPointedRowInPlace(container: Accessor<HTMLElement | undefined>, rows: Accessor<unknown>): void {
  let pointed: HTMLElement | null = null;
  let top = 0;
  const measure = () => {
    if (pointed) top = pointed.getBoundingClientRect().top;
  };
  const point = (event: Event) => {
    pointed = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-job-id]') : null;
    measure();
  };
  const leave = () => {
    pointed = null;
  };
  onMount(() => {
    const element = container();
    if (!element) return;
    element.addEventListener('pointerover', point);
    element.addEventListener('pointerleave', leave);
    window.addEventListener('scroll', measure, { passive: true });
    onCleanup(() => {
      element.removeEventListener('pointerover', point);
      element.removeEventListener('pointerleave', leave);
      window.removeEventListener('scroll', measure);
    });
  });
  createEffect(
    on(
      rows,
      () => {
        if (!pointed?.isConnected) return;
        const moved = pointed.getBoundingClientRect().top - top;
        if (moved !== 0) window.scrollBy(0, moved);
        measure();
      },
      { defer: true },
    ),
  );
}
