import { describe, expect, it } from 'vitest';
import { type ImageIndex, readRegistryDocument } from '../spec/manifest';
import { diffIndexes } from './index-diff';

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

const hex = (c: string) => c.repeat(64);
const d = (c: string) => `sha256:${hex(c)}`;

function index(json: object): ImageIndex {
  const doc = readRegistryDocument(json, undefined);
  if (doc.kind !== 'index') throw new Error('not an index');
  return doc;
}

function platformEntry(digest: string, architecture: string, extra: object = {}) {
  return { mediaType: OCI_MANIFEST, digest, size: 776, platform: { architecture, os: 'linux' }, ...extra };
}

function attestationOf(digest: string, subject: string) {
  return {
    mediaType: OCI_MANIFEST,
    digest,
    size: 566,
    platform: { architecture: 'unknown', os: 'unknown' },
    annotations: { 'vnd.docker.reference.digest': subject, 'vnd.docker.reference.type': 'attestation-manifest' },
  };
}

describe('diffIndexes', () => {
  // The multi-arch index of seed 000, rebuilt with a changed amd64 image and a new arm/v7 one.
  const a = index({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [platformEntry(d('b'), 'arm64'), platformEntry(d('d'), 'amd64'), attestationOf(d('1'), d('d'))],
  });
  const b = index({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      platformEntry(d('e'), 'amd64', { size: 800 }),
      platformEntry(d('b'), 'arm64'),
      platformEntry(d('7'), 'arm', { platform: { architecture: 'arm', os: 'linux', variant: 'v7' } }),
      attestationOf(d('2'), d('e')),
    ],
    annotations: { 'org.opencontainers.image.created': '2024-01-01' },
  });

  it('matches platforms by os/arch/variant: same digest, another digest, or on one side only', () => {
    const diff = diffIndexes(a, b);
    expect(diff.platforms.map((p) => [p.label, p.status, p.a?.digest, p.b?.digest])).toEqual([
      ['linux/arm64', 'same', d('b'), d('b')],
      ['linux/amd64', 'changed', d('d'), d('e')],
      ['linux/arm/v7', 'only-b', undefined, d('7')],
    ]);
    expect(diff.platforms[1]!.sizeDelta).toBe(24);
    expect(diff.counts).toEqual({ same: 1, changed: 2, 'only-a': 0, 'only-b': 1 });
  });

  it('pairs attestations by the platform of the manifest they describe, although their subjects differ', () => {
    const diff = diffIndexes(a, b);
    expect(diff.attestations.map((p) => [p.label, p.status, p.a?.digest, p.b?.digest])).toEqual([
      ['attestation of linux/amd64', 'changed', d('1'), d('2')],
    ]);
    // Attestations are not platforms, although BuildKit gives them one (unknown/unknown).
    expect(diff.platforms.some((p) => p.label.startsWith('unknown'))).toBe(false);
  });

  it('says which annotations B added', () => {
    expect(diffIndexes(a, b).annotations).toEqual([{ key: 'org.opencontainers.image.created', status: 'added', b: '2024-01-01' }]);
  });

  it('finds an index identical to itself entry for entry', () => {
    const diff = diffIndexes(a, a);
    expect(diff.platforms.every((p) => p.status === 'same')).toBe(true);
    expect(diff.counts).toEqual({ same: 3, changed: 0, 'only-a': 0, 'only-b': 0 });
    expect(diff.mediaType.same).toBe(true);
  });

  it('sets an OCI index beside its Docker manifest list copy: media types differ, platforms pair up', () => {
    const docker = index({
      schemaVersion: 2,
      mediaType: DOCKER_LIST,
      manifests: [
        { ...platformEntry(d('c'), 'arm64'), mediaType: DOCKER_MANIFEST },
        { ...platformEntry(d('f'), 'amd64'), mediaType: DOCKER_MANIFEST },
      ],
    });
    const diff = diffIndexes(a, docker);
    expect(diff.mediaType).toEqual({ a: OCI_INDEX, b: DOCKER_LIST, same: false });
    expect(diff.platforms.map((p) => [p.label, p.status, p.mediaTypeChanged])).toEqual([
      ['linux/arm64', 'changed', true],
      ['linux/amd64', 'changed', true],
    ]);
    expect(diff.attestations.map((p) => p.status)).toEqual(['only-a']);
  });

  it('pairs entries without a platform (a layout index.json) by ref.name, then by digest', () => {
    const layout = (entries: object[]) => index({ schemaVersion: 2, manifests: entries });
    const named = (digest: string, name: string) => ({
      mediaType: OCI_MANIFEST,
      digest,
      size: 10,
      annotations: { 'org.opencontainers.image.ref.name': name },
    });
    const diff = diffIndexes(
      layout([named(d('a'), 'v1'), named(d('b'), 'v2'), { mediaType: OCI_MANIFEST, digest: d('c'), size: 3 }]),
      layout([named(d('a'), 'v1'), named(d('e'), 'v2'), { mediaType: OCI_MANIFEST, digest: d('c'), size: 3 }]),
    );
    expect(diff.others.map((p) => [p.label, p.status])).toEqual([
      ['v1', 'same'],
      ['v2', 'changed'],
      [OCI_MANIFEST, 'same'],
    ]);
  });

  it('keeps an attestation whose subject is not in its index apart, by that subject', () => {
    const lone = index({ schemaVersion: 2, manifests: [attestationOf(d('9'), d('8'))] });
    const diff = diffIndexes(lone, lone);
    expect(diff.attestations.map((p) => [p.label, p.status])).toEqual([
      [`attestation of a manifest not in this index (${d('8')})`, 'same'],
    ]);
  });
});
