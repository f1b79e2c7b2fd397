/**
 * After in-app navigation, what a reload would have done for keyboard and screen-reader users:
 * focus moves to the new view's heading (or the main region when it has none yet) and the new
 * view is announced by its title. Without it, focus stays on the link that was clicked, now
 * gone, and nothing says the page changed. The first render is left alone: the browser itself
 * starts a freshly loaded page at the top.
 */
import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router';
import { announce } from '../ui/announcer';

/** Waits a frame so the new view's own effects (its document title) have run. */
export function useFocusOnNavigation(mainId: string): void {
  const location = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const frame = requestAnimationFrame(() => {
      const main = document.getElementById(mainId);
      if (!main) return;
      const heading = main.querySelector<HTMLElement>('h1') ?? main;
      if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
      heading.focus();
      announce(document.title);
    });
    return () => cancelAnimationFrame(frame);
  }, [location.pathname, location.search, mainId]);
}
