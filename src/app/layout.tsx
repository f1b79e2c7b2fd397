/** The frame around every view: the name, and the reference box prefilled with what is shown. */
import type { ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ReferenceForm } from '../features/search/reference-form';

export function Layout({ children }: { children: ReactNode }) {
  const [params] = useSearchParams();
  const current = params.get('image') ?? params.get('repo') ?? '';
  const onLanding = !params.has('image') && !params.has('repo') && !params.has('blob');
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
