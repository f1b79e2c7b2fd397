/**
 * A link that leaves ociscope, marked as such: an arrow people see, "(opens in a new tab)" that
 * screen readers say, and a new tab without the opener or our URL as referrer. Only http(s)
 * targets become links (registry-written URLs can say `javascript:`); anything else is text.
 */
import type { ReactNode } from 'react';
import { safeExternalUrl } from '../oci/display/external-url';
import './ui.css';

export function ExternalLink({ href, children, title }: { href: string; children: ReactNode; title?: string }) {
  const safe = safeExternalUrl(href);
  if (safe === undefined) return <>{children}</>;
  return (
    <a className="external" href={safe} target="_blank" rel="noopener noreferrer nofollow" title={title}>
      {children}
      <span className="external-mark" aria-hidden="true">
        ↗
      </span>
      <span className="visually-hidden"> (opens in a new tab)</span>
    </a>
  );
}
