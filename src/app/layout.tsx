/** The frame around every view: the name, and the reference box prefilled with what is shown. */
import type { ReactNode } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { ReferenceForm } from '../features/search/reference-form';

export function Layout({ children }: { children: ReactNode }) {
  const [params] = useSearchParams();
  const { pathname } = useLocation();
  const current = params.get('image') ?? params.get('repo') ?? '';
  // The landing page has its own big box; every other view (layers, referrers, layouts) gets this one.
  const onLanding = pathname === '/' && !['image', 'repo', 'blob', 'referrers'].some((name) => params.has(name));
  return (
    <div className="app">
      <header className="topbar">
        <Link to="/" className="brand">
          ociscope
        </Link>
        {!onLanding && <ReferenceForm key={current} initial={current} />}
      </header>
      <main>{children}</main>
      <footer className="muted small">
        Digests are computed in your browser with hash-wasm; registries are reached through a stateless proxy that only reads.
      </footer>
    </div>
  );
}
