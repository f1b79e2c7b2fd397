/**
 * Index against index (image-spec image-index.md; Docker manifest list v2.2): which platforms
 * both have and whether each still points at the same manifest, which platforms only one has,
 * and the attestations BuildKit stores beside them (platform unknown/unknown, annotated with the
 * digest of the manifest they describe). Attestations are paired by the platform of the manifest
 * they describe, not by their own digest, which changes whenever that manifest does.
 */
import { type Descriptor, isAttestation } from '../spec/descriptor';
import type { ImageIndex } from '../spec/manifest';
import { type KeyedChange, diffRecords } from './keyed-diff';
import { type MatchedPair, pairByKey, pairByPlatform, platformKey, platformLabel } from './platform-match';

/** How an entry of A relates to its partner in B. */
export type EntryStatus = 'same' | 'changed' | 'only-a' | 'only-b';

export interface EntryPair {
  /** What the row is about: `linux/arm64`, "attestation of linux/amd64", a ref.name or a digest. */
  label: string;
  status: EntryStatus;
  a?: Descriptor;
  b?: Descriptor;
  /** Both sides present and their media types differ (OCI manifest vs Docker v2.2, say). */
  mediaTypeChanged: boolean;
  /** B's size minus A's, when both are known. */
  sizeDelta?: number;
}

export interface ValuePair<T> {
  a?: T;
  b?: T;
  same: boolean;
}

export interface IndexDiff {
  mediaType: ValuePair<string>;
  artifactType: ValuePair<string>;
  platforms: EntryPair[];
  attestations: EntryPair[];
  /** Entries with neither a platform nor an attestation annotation (artifacts, layout entries). */
  others: EntryPair[];
  annotations: KeyedChange<string>[];
  subject: ValuePair<string>;
  counts: Record<EntryStatus, number>;
}

const REFERENCE_DIGEST = 'vnd.docker.reference.digest';
const REF_NAME = 'org.opencontainers.image.ref.name';

/** Same digest, same bytes: that is the only "same" a content-addressed entry can have. */
export function entryPair(label: string, pair: MatchedPair<Descriptor>): EntryPair {
  const { a, b } = pair;
  const status: EntryStatus = a === undefined ? 'only-b' : b === undefined ? 'only-a' : a.digest === b.digest ? 'same' : 'changed';
  const both = a !== undefined && b !== undefined;
  const sizes = both && Number.isFinite(a.size) && Number.isFinite(b.size);
  return {
    label,
    status,
    ...(a && { a }),
    ...(b && { b }),
    mediaTypeChanged: both && a.mediaType !== b.mediaType,
    ...(sizes && { sizeDelta: b.size - a.size }),
  };
}

export function valuePair<T>(a: T | undefined, b: T | undefined): ValuePair<T> {
  return { ...(a !== undefined && { a }), ...(b !== undefined && { b }), same: a === b };
}

/** The platform key of the manifest an attestation describes, found through its subject annotation. */
function describedPlatform(attestation: Descriptor, index: ImageIndex): { key: string; label: string } {
  const subject = attestation.annotations?.[REFERENCE_DIGEST];
  const described = subject === undefined ? undefined : index.manifests.find((d) => d.digest === subject && !isAttestation(d));
  if (described?.platform) return { key: platformKey(described.platform), label: platformLabel(described.platform) };
  // Nothing in this index is the subject: pair with the other side's attestation of the same digest, if any.
  return { key: `subject:${subject ?? ''}`, label: subject ? `a manifest not in this index (${subject})` : 'no named subject' };
}

function attestationPairs(a: ImageIndex, b: ImageIndex): EntryPair[] {
  const left = a.manifests.filter(isAttestation).map((d) => ({ d, ...describedPlatform(d, a) }));
  const right = b.manifests.filter(isAttestation).map((d) => ({ d, ...describedPlatform(d, b) }));
  return pairByKey(left, right, (x) => x.key).map((pair) =>
    entryPair(`attestation of ${(pair.a ?? pair.b)!.label}`, { a: pair.a?.d, b: pair.b?.d }),
  );
}

function countStatuses(pairs: readonly EntryPair[]): Record<EntryStatus, number> {
  const counts: Record<EntryStatus, number> = { same: 0, changed: 0, 'only-a': 0, 'only-b': 0 };
  for (const pair of pairs) counts[pair.status]++;
  return counts;
}

/** Compares two indexes entry by entry. */
export function diffIndexes(a: ImageIndex, b: ImageIndex): IndexDiff {
  const withPlatform = (index: ImageIndex) => index.manifests.filter((d) => d.platform !== undefined && !isAttestation(d));
  const without = (index: ImageIndex) => index.manifests.filter((d) => d.platform === undefined && !isAttestation(d));
  const platforms = pairByPlatform(withPlatform(a), withPlatform(b)).map((pair) =>
    entryPair(platformLabel((pair.a ?? pair.b)!.platform), pair),
  );
  const others = pairByKey(without(a), without(b), (d) => d.annotations?.[REF_NAME] ?? d.digest).map((pair) => {
    const d = (pair.a ?? pair.b)!;
    return entryPair(d.annotations?.[REF_NAME] ?? d.artifactType ?? d.mediaType ?? 'entry', pair);
  });
  const attestations = attestationPairs(a, b);
  return {
    mediaType: valuePair(a.mediaType, b.mediaType),
    artifactType: valuePair(a.artifactType, b.artifactType),
    platforms,
    attestations,
    others,
    annotations: diffRecords(a.annotations, b.annotations),
    subject: valuePair(a.subject?.digest, b.subject?.digest),
    counts: countStatuses([...platforms, ...attestations, ...others]),
  };
}
