/** The head of every document page: where it lives, what it is called, and what kind it is. */
import type { ReactNode } from 'react';

export function DocumentHeader({
  context,
  title,
  kind,
  kindTestId,
}: {
  context: ReactNode;
  title: string;
  kind?: ReactNode;
  kindTestId?: string;
}) {
  return (
    <header className="doc-header">
      <p className="muted">{context}</p>
      <h1>
        <code data-testid="page-reference">{title}</code>
      </h1>
      {kind !== undefined && (
        <p className="kind" data-testid={kindTestId}>
          {kind}
        </p>
      )}
    </header>
  );
}
