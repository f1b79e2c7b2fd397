/**
 * Wraps what was read from bytes that may have failed verification: when they did, the whole
 * section is outlined in red under a banner, so nothing untrusted passes for verified.
 */
import type { ReactNode } from 'react';

export function TrustedContent({ trusted, children }: { trusted: boolean; children: ReactNode }) {
  return (
    <div className={trusted ? 'content' : 'content untrusted'} data-testid="content">
      {!trusted && <p className="untrusted-banner">Untrusted: what follows was read from bytes that failed verification.</p>}
      {children}
    </div>
  );
}
