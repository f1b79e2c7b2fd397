/**
 * Where a link should have gone, when its digest names something the link's form does not show
 * (an index opened as a filesystem, a config opened as a layer, a layer opened as a document):
 * what the digest is, how that was found out, and the view that shows it, one click away.
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router';

export interface PointerLink {
  to: string;
  label: string;
}

export function DigestPointer({
  title,
  what,
  links,
  children,
}: {
  title: string;
  what: string;
  links: PointerLink[];
  children?: ReactNode;
}) {
  return (
    <article className="document" data-testid="digest-pointer" data-target={what}>
      <h2>{title}</h2>
      {children}
      <ul data-testid="pointer-links">
        {links.map((link) => (
          <li key={link.to}>
            <Link to={link.to}>{link.label}</Link>
          </li>
        ))}
      </ul>
    </article>
  );
}
