/**
 * Where a view sits in the chain (registry › repository › tag › platform › layer › path): a
 * navigation landmark with one link per step back and the current step marked for assistive
 * technology. The words come from the caller, which builds them from the URL's context, so the
 * same step is called the same on every page.
 */
import { Link } from 'react-router';
import './ui.css';

export interface Crumb {
  /** What the step is called on screen: "alpine", "3.20", "linux/arm64", "layer 2", "etc". */
  label: string;
  /** In-app URL of that step; the current step has none. */
  to?: string;
  /** What kind of step it is, for styling and tests: registry, repository, tag, digest, platform, config, layer, path. */
  kind: string;
  /** Full value when the label is shortened (a digest). */
  title?: string;
}

export function Breadcrumbs({ crumbs }: { crumbs: readonly Crumb[] }) {
  if (crumbs.length === 0) return null;
  return (
    <nav className="crumbs" aria-label="Breadcrumb" data-testid="breadcrumbs">
      <ol>
        {crumbs.map((crumb, i) => {
          const last = i === crumbs.length - 1;
          return (
            <li key={`${crumb.kind}-${i}`} data-kind={crumb.kind}>
              {crumb.to !== undefined && !last ? (
                <Link to={crumb.to} title={crumb.title}>
                  {crumb.label}
                </Link>
              ) : (
                <span aria-current={last ? 'page' : undefined} title={crumb.title}>
                  {crumb.label}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
