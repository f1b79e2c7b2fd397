/** A key/value table of decoded facts; absent values are left out, values are text or links. */
import type { ReactNode } from 'react';

export type Fact = [label: string, value: ReactNode | undefined];

export function FactsTable({ facts, testId }: { facts: Fact[]; testId?: string }) {
  const shown = facts.filter(([, value]) => value !== undefined && value !== null && value !== '');
  if (shown.length === 0) return null;
  return (
    <table className="kv supply-facts" data-testid={testId}>
      <tbody>
        {shown.map(([label, value]) => (
          <tr key={label}>
            <th>{label}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
