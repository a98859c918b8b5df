import { onCleanup } from 'solid-js';

/**
 * Keeps the row of `element` under the mouse pointer where it is on screen while the list changes above it (new jobs arrive at
 * the top, the newest job's summary opens by itself): its position is remembered on every move of the pointer and scroll,
 * and whenever the list's size changes the page scrolls by however far the row moved. Browsers' own scroll
 * anchoring does not act at the very top of a page, which is where a person watching new imports is. Call it
 * from the list's `ref`.
 */
export function keepPointedRowInPlace(element: HTMLElement): void {
  let pointed: HTMLElement | null = null;
  let top = 0;
  const measure = () => {
    if (pointed) top = pointed.getBoundingClientRect().top;
  };
  const point = (event: Event) => {
    pointed = event.target instanceof Element ? event.target.closest<HTMLElement>('tr') : null;
    measure();
  };
  const leave = () => {
    pointed = null;
  };
  // Where our own scrollBy left the page: its scroll event arrives later, perhaps after the rows moved again.
  let ownScrollY: number | null = null;
  const scrolled = () => {
    if (window.scrollY === ownScrollY) return;
    ownScrollY = null;
    measure();
  };
  const holdStill = () => {
    if (!pointed?.isConnected) return;
    const moved = pointed.getBoundingClientRect().top - top;
    if (moved === 0) return;
    window.scrollBy(0, moved);
    ownScrollY = window.scrollY;
  };
  // A real move of the pointer, not the hover change a browser reports when the rows moved under a still pointer.
  element.addEventListener('pointermove', point);
  element.addEventListener('pointerleave', leave);
  window.addEventListener('scroll', scrolled, { passive: true });
  // Runs after layout and before paint: the person never sees the row jump.
  const resized = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(holdStill);
  resized?.observe(element);
  onCleanup(() => {
    resized?.disconnect();
    element.removeEventListener('pointermove', point);
    element.removeEventListener('pointerleave', leave);
    window.removeEventListener('scroll', scrolled);
  });
}
