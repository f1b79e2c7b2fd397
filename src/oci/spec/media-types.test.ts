import { describe, expect, it } from 'vitest';
import {
  DOCKER_CONFIG,
  DOCKER_LAYER,
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  MANIFEST_ACCEPT,
  OCI_CONFIG,
  OCI_INDEX,
  OCI_LAYER_GZIP,
  OCI_LAYER_ZSTD,
  OCI_MANIFEST,
  describeMediaType,
  essence,
  isManifestType,
  kindOf,
  specUrl,
} from './media-types';

describe('kindOf', () => {
  it.each([
    [OCI_INDEX, 'index'],
    [DOCKER_MANIFEST_LIST, 'index'],
    [OCI_MANIFEST, 'manifest'],
    [DOCKER_MANIFEST, 'manifest'],
    ['application/vnd.docker.distribution.manifest.v1+prettyjws', 'schema1'],
    [OCI_CONFIG, 'config'],
    [DOCKER_CONFIG, 'config'],
    [OCI_LAYER_GZIP, 'layer'],
    [OCI_LAYER_ZSTD, 'layer'],
    [DOCKER_LAYER, 'layer'],
    ['application/vnd.in-toto+json', 'json'],
    ['application/vnd.dev.cosign.simplesigning.v1+json', 'json'],
    ['application/octet-stream', 'other'],
    [undefined, 'other'],
    ['Application/VND.OCI.image.manifest.v1+json; charset=utf-8', 'manifest'],
  ] as const)('%s is a %s', (mediaType, kind) => {
    expect(kindOf(mediaType)).toBe(kind);
  });
});

describe('media type helpers', () => {
  it('strips parameters and case', () => {
    expect(essence(' application/JSON ; charset=utf-8')).toBe('application/json');
  });
  it('asks for every manifest format so registries do not down-convert', () => {
    for (const mt of [OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST]) {
      expect(MANIFEST_ACCEPT).toContain(mt);
    }
  });
  it('knows which types live under /manifests/', () => {
    expect(isManifestType(OCI_INDEX)).toBe(true);
    expect(isManifestType(OCI_CONFIG)).toBe(false);
  });
  it('links OCI and Docker types to their specifications', () => {
    expect(specUrl(OCI_MANIFEST)).toMatch(/image-spec\/blob\/main\/manifest\.md$/);
    expect(specUrl(DOCKER_MANIFEST_LIST)).toMatch(/manifest-v2-2/);
    expect(specUrl(OCI_LAYER_GZIP)).toMatch(/layer\.md$/);
    expect(specUrl('application/x-unknown')).toBeUndefined();
  });
  it('describes layers by their compression', () => {
    expect(describeMediaType(OCI_LAYER_ZSTD)).toBe('layer (tar+zstd)');
    expect(describeMediaType(DOCKER_LAYER)).toBe('layer (tar+gzip)');
    expect(describeMediaType(OCI_INDEX)).toBe('OCI image index');
  });
});
