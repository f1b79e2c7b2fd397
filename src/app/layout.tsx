/**
 * The frame around every view: a skip link, the name, the reference box prefilled with what is
 * shown, the theme switch, and the one live region views speak through. Moves focus to the new
 * view after in-app navigation (view-focus.ts).
 */
import type { ReactNode } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { ReferenceForm } from '../features/search/reference-form';
import { LiveAnnouncer } from '../ui/announcer';
import { ThemeSwitch } from '../ui/theme-switch';
import { useFocusOnNavigation } from './view-focus';

const MAIN_ID = 'main';

export function Layout({ children }: { children: ReactNode }) {
  const [params] = useSearchParams();
  const { pathname } = useLocation();
  useFocusOnNavigation(MAIN_ID);
  const current = params.get('image') ?? params.get('repo') ?? '';
  // The landing page has its own big box; every other view (layers, referrers, layouts) gets this one.
  const onLanding = pathname === '/' && !['image', 'repo', 'blob', 'referrers'].some((name) => params.has(name));
  return (
    <div className="app">
      <a
        className="skip-link"
        href={`#${MAIN_ID}`}
        onClick={(event) => {
          // Focus the content without adding #main to the view's URL, which is meant for sharing.
          event.preventDefault();
          document.getElementById(MAIN_ID)?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          ociscope
        </Link>
        {!onLanding && <ReferenceForm key={current} initial={current} />}
        <ThemeSwitch />
      </header>
      <main id={MAIN_ID} tabIndex={-1}>
        {children}
      </main>
      <footer className="muted small">
        Digests are computed in your browser; registries are reached through a stateless proxy that only reads.
      </footer>
      <LiveAnnouncer />
    </div>
  );
}
