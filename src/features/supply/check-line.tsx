/**
 * One cross-check or signature check as a line: its mark, what was checked, and the sentence that
 * says what matched, what differed, or why nothing was compared. A mismatch is red and loud.
 */
import type { CheckStatus } from '../../oci/spec/verify';
import { StatusMark } from './status-mark';

export function CheckLine({ status, title, note, testId }: { status: CheckStatus; title: string; note: string; testId?: string }) {
  return (
    <div
      className={`supply-check ${status}`}
      data-testid={testId ?? 'supply-check'}
      data-status={status}
      role={status === 'mismatch' ? 'alert' : undefined}
    >
      <StatusMark status={status} /> <strong>{title}</strong> <span className="supply-check-note">{note}</span>
    </div>
  );
}
