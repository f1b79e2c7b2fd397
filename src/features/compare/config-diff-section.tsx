/**
 * Two image configs: what a container of each starts with. Fields, environment, labels, ports
 * and volumes say added / removed / changed; history is lined up step by step, so the steps of a
 * shared base image sit side by side and the derived image's own steps stand out.
 */
import { useState } from 'react';
import type { ConfigDiff, FieldChange, HistoryRow } from '../../oci/compare/config-diff';
import { shortDigest } from '../../oci/spec/digest';
import { ChangeMark, KeyedChangesTable } from './diff-pieces';

function FieldValue({ field, value }: { field: FieldChange['field']; value: FieldChange['a'] }) {
  if (value === undefined) return <span className="muted">not set</span>;
  if (typeof value === 'string') return <code>{value}</code>;
  if (field === 'diffIds')
    return (
      <ol className="compact-list">
        {value.map((id, i) => (
          <li key={i}>
            <code title={id}>{shortDigest(id)}</code>
          </li>
        ))}
      </ol>
    );
  return <code>{JSON.stringify(value)}</code>;
}

function HistoryStep({ row, side }: { row: HistoryRow; side: 'a' | 'b' }) {
  const entry = row[side];
  if (!entry) return <td className="muted">—</td>;
  return (
    <td>
      <code className="created-by">{entry.createdBy ?? '(no created_by)'}</code>
      <div className="small muted">
        {entry.created ?? 'no date'}
        {entry.emptyLayer ? ' · no layer' : ''}
        {row.createdChanged ? ' · run at another time' : ''}
      </div>
    </td>
  );
}

export function ConfigDiffSection({ diff }: { diff: ConfigDiff }) {
  const [allFields, setAllFields] = useState(false);
  // Fields neither side sets say nothing; fields both set alike fold behind a button.
  const setFields = diff.fields.filter((f) => f.a !== undefined || f.b !== undefined);
  const fields = allFields ? setFields : setFields.filter((f) => f.status !== 'same');
  const sameFields = setFields.length - setFields.filter((f) => f.status !== 'same').length;
  const historyChanged = diff.history.filter((row) => row.status !== 'same').length;
  return (
    <section className="compare-section" data-testid="config-diff">
      <h2>Config</h2>
      <p data-testid="config-summary">
        {diff.changedCount === 0
          ? 'The two configs set the same things.'
          : `${diff.changedCount} setting${diff.changedCount === 1 ? '' : 's'} differ.`}
      </p>
      {fields.length > 0 && (
        <table className="grid compare-grid" data-testid="config-fields">
          <thead>
            <tr>
              <th>Field</th>
              <th />
              <th>A</th>
              <th>B</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((field) => (
              <tr
                key={field.field}
                className={`status-${field.status}`}
                data-testid="config-field"
                data-field={field.field}
                data-status={field.status}
              >
                <th scope="row">
                  <code>{field.label}</code>
                </th>
                <td>
                  <ChangeMark status={field.status} />
                </td>
                <td className="value">
                  <FieldValue field={field.field} value={field.a} />
                </td>
                <td className="value">
                  <FieldValue field={field.field} value={field.b} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {sameFields > 0 && (
        <button type="button" className="link-button" onClick={() => setAllFields(!allFields)} data-testid="config-show-same">
          {allFields ? 'Hide' : 'Show'} {sameFields} field{sameFields === 1 ? '' : 's'} set alike
        </button>
      )}
      <KeyedChangesTable title="Environment" changes={diff.env} testId="config-env" />
      <KeyedChangesTable title="Labels" changes={diff.labels} testId="config-labels" />
      <KeyedChangesTable title="Exposed ports" changes={diff.exposedPorts} testId="config-ports" render={() => '✓'} />
      <KeyedChangesTable title="Volumes" changes={diff.volumes} testId="config-volumes" render={() => '✓'} />
      {diff.history.length > 0 && (
        <section data-testid="config-history">
          <h3>
            History <span className="count">{historyChanged === 0 ? 'the same steps' : `${historyChanged} steps differ`}</span>
          </h3>
          <table className="grid compare-grid">
            <thead>
              <tr>
                <th />
                <th>A</th>
                <th>B</th>
              </tr>
            </thead>
            <tbody>
              {diff.history.map((row, i) => (
                <tr key={i} className={`status-${row.status}`} data-testid="history-row" data-status={row.status}>
                  <td>
                    <ChangeMark status={row.status} />
                  </td>
                  <HistoryStep row={row} side="a" />
                  <HistoryStep row={row} side="b" />
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}
