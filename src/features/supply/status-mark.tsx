/**
 * A cross-check's or signature check's status drawn with the app's one proof vocabulary
 * (src/ui/proof-mark.tsx): ✓ compared and equal, ✗ compared and different, – not compared.
 */
import type { CheckStatus } from '../../oci/spec/verify';
import { ProofMark, proofStateOf } from '../../ui/proof-mark';

export function StatusMark({ status }: { status: CheckStatus }) {
  return <ProofMark state={proofStateOf(status)} />;
}
