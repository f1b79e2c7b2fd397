/**
 * The check marks of the verification panel (src/ui/verification-panel.tsx), same glyphs, classes
 * and labels, for cross-checks and signature checks: ✓ compared and equal, ✗ compared and
 * different, – not compared. Replaced by src/ui's shared mark once it exists.
 */
import type { CheckStatus } from '../../oci/spec/verify';

const LABELS: Record<CheckStatus, { glyph: string; className: string; label: string }> = {
  match: { glyph: '✓', className: 'mark ok', label: 'matches' },
  mismatch: { glyph: '✗', className: 'mark bad', label: 'does not match' },
  unchecked: { glyph: '–', className: 'mark none', label: 'not checked' },
};

export function StatusMark({ status }: { status: CheckStatus }) {
  const { glyph, className, label } = LABELS[status];
  return (
    <span className={className} aria-label={label}>
      {glyph}
    </span>
  );
}
