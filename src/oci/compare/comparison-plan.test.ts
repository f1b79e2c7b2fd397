import { describe, expect, it } from 'vitest';
import { type ImageManifest, type RegistryDocument, readRegistryDocument } from '../spec/manifest';
import { configSection, filesystemSection, planComparison } from './comparison-plan';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

function doc(json: object): RegistryDocument {
  return readRegistryDocument(json, undefined);
}
const index = doc({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] });
const image = doc({
  schemaVersion: 2,
  mediaType: OCI_MANIFEST,
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: d('c'), size: 2 },
  layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: d('1'), size: 3 }],
}) as ImageManifest;
const sbom = doc({
  schemaVersion: 2,
  mediaType: OCI_MANIFEST,
  artifactType: 'application/vnd.example.sbom.v1+json',
  config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: d('e'), size: 2 },
  layers: [{ mediaType: 'application/spdx+json', digest: d('2'), size: 3 }],
}) as ImageManifest;

describe('planComparison', () => {
  it('calls two references to the same digest identical, whatever the documents are', () => {
    expect(planComparison({ digest: d('a'), document: image }, { digest: d('a'), document: image })).toEqual({
      kind: 'identical',
      digest: d('a'),
    });
  });

  it('compares indexes with indexes, manifests with manifests, and an index with a manifest through its platform', () => {
    expect(planComparison({ digest: d('a'), document: index }, { digest: d('b'), document: index }).kind).toBe('indexes');
    expect(planComparison({ digest: d('a'), document: image }, { digest: d('b'), document: sbom }).kind).toBe('manifests');
    expect(planComparison({ digest: d('a'), document: image }, { digest: d('b'), document: index })).toEqual({
      kind: 'index-and-manifest',
      index: 'b',
    });
  });

  it('compares only the JSON of a schema 1 manifest, and says why', () => {
    const schema1 = doc({ schemaVersion: 1, name: 'x', tag: 'y', fsLayers: [] });
    expect(planComparison({ digest: d('a'), document: schema1 }, { digest: d('b'), document: image })).toEqual({
      kind: 'documents',
      reason: 'A is a Docker schema 1 manifest, so only the JSON is compared.',
    });
  });
});

describe('sections of two manifests', () => {
  it('compares configs and filesystems of two images', () => {
    expect(configSection(image, image)).toEqual({ available: true });
    expect(filesystemSection(image, image)).toEqual({ available: true });
  });

  it('says why an artifact has neither settings nor a filesystem to compare', () => {
    expect(configSection(image, sbom)).toEqual({
      available: false,
      reason: 'B has no image config (artifacts carry their own kind of config), so there are no settings to compare.',
    });
    expect(filesystemSection(sbom, image)).toEqual({
      available: false,
      reason: 'A has 1 blob that is not a tar layer, so there is no filesystem to rebuild from its layers.',
    });
  });
});
