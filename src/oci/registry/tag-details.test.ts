import { describe, expect, it } from 'vitest';
import { readRegistryDocument } from '../spec/manifest';
import { readImageConfig } from '../spec/image-config';
import { OCI_CONFIG, OCI_INDEX, OCI_LAYER_GZIP, OCI_MANIFEST } from '../spec/media-types';
import { readTagDetail, sortTags, tagsSharingDigests, type TagDetail } from './tag-details';

const d = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const doc = (json: unknown) => readRegistryDocument(json, undefined);

const image = doc({
  schemaVersion: 2,
  mediaType: OCI_MANIFEST,
  config: { mediaType: OCI_CONFIG, digest: d(1), size: 100 },
  layers: [{ mediaType: OCI_LAYER_GZIP, digest: d(2), size: 1000 }],
  annotations: { 'org.opencontainers.image.created': '2020-01-01T00:00:00Z' },
});
const config = readImageConfig({ created: '2024-05-01T10:00:00Z', os: 'linux', architecture: 'arm64', variant: 'v8' });

describe('readTagDetail', () => {
  it('an image: platform and date from its config, size of config and layers', () => {
    expect(readTagDetail('v1', d(9), image, config)).toEqual({
      tag: 'v1',
      digest: d(9),
      kind: 'manifest',
      platforms: ['linux/arm64/v8'],
      created: '2024-05-01T10:00:00Z',
      createdFrom: 'config',
      size: 1100,
      artifactType: undefined,
    });
  });

  it('an image whose config has no date: the created annotation', () => {
    expect(readTagDetail('v1', d(9), image, readImageConfig({ os: 'linux', architecture: 'amd64' }))).toMatchObject({
      created: '2020-01-01T00:00:00Z',
      createdFrom: 'annotation',
    });
  });

  it('an index: its platforms, not the entries that describe other entries', () => {
    const index = doc({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        { mediaType: OCI_MANIFEST, digest: d(3), size: 10, platform: { os: 'linux', architecture: 'amd64' } },
        {
          mediaType: OCI_MANIFEST,
          digest: d(4),
          size: 10,
          platform: { os: 'unknown', architecture: 'unknown' },
          annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': d(3) },
        },
        {
          mediaType: OCI_MANIFEST,
          digest: d(5),
          size: 10,
          platform: { os: 'unknown', architecture: 'unknown' },
          annotations: { 'vnd.docker.reference.type': 'builder', 'vnd.docker.reference.digest': d(3) },
        },
      ],
    });
    expect(readTagDetail('multi', d(8), index, config)).toMatchObject({
      kind: 'index',
      platforms: ['linux/amd64'],
      created: '2024-05-01T10:00:00Z',
      createdFrom: 'platform config',
    });
    expect(readTagDetail('multi', d(8), index).size).toBeUndefined();
  });

  it('an artifact: named by its type, dated by its annotation', () => {
    const artifact = doc({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: 'application/vnd.example.sbom',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: d(1), size: 2 },
      layers: [{ mediaType: 'application/json', digest: d(2), size: 50 }],
      annotations: { 'org.opencontainers.image.created': '2023-03-03T00:00:00Z' },
    });
    expect(readTagDetail('sbom', d(7), artifact)).toMatchObject({
      kind: 'artifact',
      artifactType: 'application/vnd.example.sbom',
      created: '2023-03-03T00:00:00Z',
      platforms: [],
      size: 52,
    });
  });
});

describe('sortTags and tagsSharingDigests', () => {
  const row = (tag: string, digest: string, created?: string): TagDetail => ({ tag, digest, kind: 'manifest', platforms: [], created });
  const details = new Map(
    [
      row('b', d(1), '2024-01-01T00:00:00Z'),
      row('a', d(1), '2024-01-01T00:00:00Z'),
      row('c', d(2), '2025-01-01T00:00:00Z'),
      row('d', d(3), 'not a date'),
    ].map((r) => [r.tag, r]),
  );

  it('by name, and by date newest first with undated tags last in name order', () => {
    expect(sortTags(['d', 'c', 'e', 'b', 'a'], 'name', details)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(sortTags(['d', 'c', 'e', 'b', 'a'], 'date', details)).toEqual(['c', 'a', 'b', 'd', 'e']);
  });

  it('groups tags pointing at one digest', () => {
    expect(tagsSharingDigests(details.values())).toEqual(new Map([[d(1), ['a', 'b']]]));
  });
});
