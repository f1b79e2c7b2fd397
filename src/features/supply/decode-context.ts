/**
 * What a decoded view knows beyond the bytes: where they live, the descriptor that pointed at
 * them (cosign keeps the signature in its annotations), and the image they are supposed to be
 * about, for cross-checks.
 */
import type { Descriptor } from '../../oci/spec/descriptor';
import type { Target } from '../../oci/supply/cross-check';
import type { RepositoryName } from '../../lib/view-urls';

export interface DecodeContext {
  repo: RepositoryName;
  /** The verified digest of the bytes being decoded. */
  digest: string;
  mediaType?: string;
  /** The layer descriptor in the manifest this blob was reached from. */
  layer?: Descriptor;
  target?: Target;
}
