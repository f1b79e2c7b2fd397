/**
 * Proof that a document is what it claims to be, computed from the exact bytes received.
 *
 * Follows the verification rules of the distribution spec and image-spec descriptor.md: a
 * document fetched by digest must hash to that digest (a `Docker-Content-Digest` header is
 * never a substitute), its length must equal the descriptor's `size`, and a manifest's own
 * `mediaType` must agree with the `Content-Type` it was served with (CVE-2021-41190, the
 * ambiguous-manifest advisory). Fetched by tag, the computed digest is the identity and the
 * header is only compared with it.
 */
import { type DigestAlgorithm, digestBytes, parseDigest } from './digest';
import { essence } from './media-types';

/** Where the digest we compare against came from, strongest first. */
export type ExpectedSource = 'url' | 'descriptor' | 'header';

/** What a document is supposed to be, and where that claim came from. */
export interface Expectations {
  digest?: string;
  digestSource?: ExpectedSource;
  size?: number;
  /** The media type the parent descriptor (or the link) said this document has. */
  mediaType?: string;
}

/** The outcome of one check. */
export type CheckStatus = 'match' | 'mismatch' | 'unchecked';

/** Every check made on a document, with notes in words: the proof the pages show. */
export interface Verification {
  /** sha256 of the bytes: the document's identity. */
  computed: string;
  /** Computed in the expected digest's algorithm when that is not sha256 (e.g. sha512). */
  computedForExpected: string;
  expected?: string;
  expectedSource?: ExpectedSource;
  digest: CheckStatus;
  /** The registry's `Docker-Content-Digest`, compared when present. */
  headerDigest?: string;
  header: CheckStatus;
  receivedSize: number;
  expectedSize?: number;
  size: CheckStatus;
  contentType?: string;
  declaredMediaType?: string;
  mediaType: CheckStatus;
  /** Why a check could not be made or failed, in words a person reads. */
  notes: string[];
  /** False when any check failed: the content must be shown as untrusted. */
  trusted: boolean;
}

/** The bytes received and what came with them. */
export interface VerifyInput {
  bytes: Uint8Array;
  /** What the digest covers when it is not the whole body (signed schema 1: the JWS payload). */
  digestedBytes?: Uint8Array;
  expect: Expectations;
  headerDigest?: string;
  contentType?: string;
  /** `mediaType` read from inside the document, when it is JSON and has one. */
  declaredMediaType?: string;
  /** Blobs are served as octet-stream by design, so their Content-Type says nothing. */
  compareContentType: boolean;
}

async function digestIn(bytes: Uint8Array, algorithm: DigestAlgorithm, sha256: string): Promise<string> {
  return algorithm === 'sha256' ? sha256 : digestBytes(bytes, algorithm);
}

/** Checks bytes against their expectations; never throws for a mismatch, it reports it. */
export async function verifyBytes(input: VerifyInput): Promise<Verification> {
  const { bytes, expect, headerDigest, contentType, declaredMediaType } = input;
  const digested = input.digestedBytes ?? bytes;
  const notes: string[] = [];
  const computed = await digestBytes(digested, 'sha256');

  let computedForExpected = computed;
  let digest: CheckStatus = 'unchecked';
  if (expect.digest) {
    const parsed = parseDigest(expect.digest);
    if (parsed) {
      computedForExpected = await digestIn(digested, parsed.algorithm, computed);
      digest = computedForExpected === expect.digest ? 'match' : 'mismatch';
    } else {
      notes.push(`Cannot verify ${expect.digest}: only sha256 and sha512 digests are supported.`);
    }
  } else {
    notes.push('No digest to compare with: the registry sent no Docker-Content-Digest. The computed digest is this document’s identity.');
  }

  let header: CheckStatus = 'unchecked';
  if (headerDigest) {
    const parsed = parseDigest(headerDigest);
    const mine = parsed ? await digestIn(digested, parsed.algorithm, computed) : undefined;
    header = mine === headerDigest ? 'match' : 'mismatch';
    if (header === 'mismatch') notes.push('The registry’s Docker-Content-Digest header does not match the bytes it sent.');
  }

  let size: CheckStatus = 'unchecked';
  if (expect.size !== undefined) {
    size = expect.size === bytes.byteLength ? 'match' : 'mismatch';
    if (size === 'mismatch') notes.push(`The descriptor says ${expect.size} bytes but ${bytes.byteLength} arrived.`);
  }

  let mediaType: CheckStatus = 'unchecked';
  const served = contentType ? essence(contentType) : undefined;
  if (input.compareContentType) {
    const claimed = declaredMediaType ?? expect.mediaType;
    if (claimed && served) {
      mediaType = essence(claimed) === served ? 'match' : 'mismatch';
      if (mediaType === 'mismatch') {
        notes.push(
          `Served as ${served} but the ${declaredMediaType ? 'document declares' : 'descriptor says'} ${claimed}: a client trusting either could be shown a different image (CVE-2021-41190).`,
        );
      }
    }
    if (declaredMediaType && expect.mediaType && essence(declaredMediaType) !== essence(expect.mediaType)) {
      mediaType = 'mismatch';
      notes.push(`The parent descriptor says ${expect.mediaType} but the document declares ${declaredMediaType}.`);
    }
  }

  const failed = [digest, header, size, mediaType].includes('mismatch');
  return {
    computed,
    computedForExpected,
    expected: expect.digest,
    expectedSource: expect.digest ? expect.digestSource : undefined,
    digest,
    headerDigest,
    header,
    receivedSize: bytes.byteLength,
    expectedSize: expect.size,
    size,
    contentType,
    declaredMediaType,
    mediaType,
    notes,
    trusted: !failed,
  };
}
