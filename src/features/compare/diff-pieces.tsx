/**
 * The small pieces every section of the comparison is made of: a byte delta with its sign, an
 * A/B value row, and a table of keyed changes (annotations, labels, env) that lists what changed
 * and folds what did not. Values are registry-controlled text and are rendered as text.
 */
import { type ReactNode, useState } from 'react';
import { exactBytes, formatBytes } from '../../ui/format';
import type { ValuePair } from '../../oci/compare/index-diff';
import type { ChangeStatus, KeyedChange } from '../../oci/compare/keyed-diff';

/** "+4.2 MiB", "−3.0 KiB", "±0 B": the sign says which way B went. */
export function signedBytes(bytes: number): string {
  if (bytes === 0) return '±0 B';
  return `${bytes > 0 ? '+' : '−'}${formatBytes(Math.abs(bytes))}`;
}

export function SignedBytes({ bytes }: { bytes: number }) {
  return (
    <span className={bytes > 0 ? 'grew' : bytes < 0 ? 'shrank' : 'muted'} title={`${bytes > 0 ? '+' : ''}${exactBytes(bytes)}`}>
      {signedBytes(bytes)}
    </span>
  );
}

export const changeStatusText: Record<ChangeStatus, string> = {
  same: 'same',
  added: 'added in B',
  removed: 'removed in B',
  changed: 'changed',
};

export function ChangeMark({ status }: { status: ChangeStatus }) {
  return <span className={`change ${status}`}>{changeStatusText[status]}</span>;
}

/** One property of both sides in a row: A's value, B's value, and whether they agree. */
export function ValuePairRow<T>({ label, pair, render }: { label: string; pair: ValuePair<T>; render: (value: T) => ReactNode }) {
  return (
    <tr data-testid="value-pair" data-label={label} data-same={pair.same}>
      <th>{label}</th>
      <td>{pair.a === undefined ? <span className="muted">none</span> : render(pair.a)}</td>
      <td>{pair.b === undefined ? <span className="muted">none</span> : render(pair.b)}</td>
      <td>{pair.same ? <span className="change same">same</span> : <span className="change changed">differs</span>}</td>
    </tr>
  );
}

function valueText(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Keyed changes, changed ones first in key order; unchanged ones folded behind a button. */
export function KeyedChangesTable({
  title,
  changes,
  testId,
  render = valueText,
}: {
  title: string;
  changes: readonly KeyedChange<unknown>[];
  testId: string;
  render?: (value: unknown) => ReactNode;
}) {
  const [showSame, setShowSame] = useState(false);
  if (changes.length === 0) return null;
  const differing = changes.filter((c) => c.status !== 'same');
  const same = changes.length - differing.length;
  const shown = showSame ? changes : differing;
  return (
    <section data-testid={testId}>
      <h3>
        {title} <span className="count">{differing.length === 0 ? 'all the same' : `${differing.length} of ${changes.length} differ`}</span>
      </h3>
      {shown.length > 0 && (
        <table className="grid compare-grid keyed">
          <thead>
            <tr>
              <th>Key</th>
              <th />
              <th>A</th>
              <th>B</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((change) => (
              <tr
                key={change.key}
                className={`status-${change.status}`}
                data-testid="keyed-change"
                data-key={change.key}
                data-status={change.status}
              >
                <th scope="row">{change.key}</th>
                <td>
                  <ChangeMark status={change.status} />
                </td>
                <td className="value">{'a' in change ? render(change.a) : <span className="muted">—</span>}</td>
                <td className="value">{'b' in change ? render(change.b) : <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {same > 0 && (
        <button type="button" className="link-button" onClick={() => setShowSame(!showSame)}>
          {showSame ? 'Hide' : 'Show'} {same} unchanged
        </button>
      )}
    </section>
  );
}
