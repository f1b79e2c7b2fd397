/**
 * Cross-checks between documents: does this attestation's subject name the image we came from,
 * does this signature sign that manifest? Each is a value like `Verification`
 * (src/oci/spec/verify.ts), with the same three statuses, so the UI shows it with the same marks:
 * 'match' only when the two digests were compared and are equal, 'mismatch' only when they were
 * compared and differ, 'unchecked' (with the reason) whenever there was nothing to compare.
 */
import type { CheckStatus } from '../spec/verify';

export interface CrossCheck {
  status: CheckStatus;
  /** What was compared, in words: "subject digest", "signed docker-manifest-digest". */
  what: string;
  /** The digest it should be (the image we came from), when known. */
  expected?: string;
  /** The digests the document names. */
  found: string[];
  /** A sentence a person reads: what matched, what differed, or why nothing was compared. */
  note: string;
}

/** Where the expected digest came from, said in the note ("the image this link came from"). */
export interface Target {
  digest: string;
  /** "the image index entry's vnd.docker.reference.digest", "the referrer's subject", … */
  source: string;
}

const HEX_DIGEST = /^[a-z0-9]+:[a-f0-9]+$/;

/** `sha256:<hex>` from an in-toto digest set entry, lower-cased as the spec requires. */
export function digestOf(algorithm: string, hex: string): string {
  return `${algorithm.toLowerCase()}:${hex.toLowerCase()}`;
}

/**
 * Compares the digests a document names with the target's. A document that names no digest in
 * the target's algorithm is 'unchecked', not 'mismatch': it may describe the image by sha512 only.
 */
export function compareDigests(what: string, found: string[], target: Target | undefined): CrossCheck {
  const wellFormed = found.filter((d) => HEX_DIGEST.test(d));
  if (!target) {
    return {
      status: 'unchecked',
      what,
      found,
      note: `Not compared: this page was not reached from an image, so there is no digest to compare the ${what} with.`,
    };
  }
  const algorithm = target.digest.slice(0, target.digest.indexOf(':'));
  const comparable = wellFormed.filter((d) => d.startsWith(`${algorithm}:`));
  if (comparable.length === 0) {
    return {
      status: 'unchecked',
      what,
      expected: target.digest,
      found,
      note:
        found.length === 0
          ? `Not compared: the document names no ${what}.`
          : `Not compared: the document names no ${algorithm} digest, only ${found.join(', ')}.`,
    };
  }
  if (comparable.includes(target.digest)) {
    return { status: 'match', what, expected: target.digest, found, note: `The ${what} is ${target.digest}, ${target.source}.` };
  }
  return {
    status: 'mismatch',
    what,
    expected: target.digest,
    found,
    note: `The ${what} is ${comparable.join(', ')}, not ${target.digest} (${target.source}): this document is about another image.`,
  };
}
