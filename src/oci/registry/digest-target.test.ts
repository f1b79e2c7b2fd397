import { describe, expect, it } from 'vitest';
import { targetOfDocument, targetOfMediaType, targetOfStart } from './digest-target';
import { DOCKER_CONFIG, DOCKER_LAYER, DOCKER_MANIFEST, OCI_INDEX, OCI_LAYER_ZSTD, OCI_MANIFEST } from '../spec/media-types';

const text = (s: string) => new TextEncoder().encode(s);

function tarHeader(): Uint8Array {
  const block = new Uint8Array(512);
  block.set(text('etc/os-release'), 0);
  block.set(text('ustar\u000000'), 257);
  return block;
}

describe('targetOfStart: the first bytes of a blob', () => {
  it.each([
    ['gzip', Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0), { kind: 'layer', sniffed: 'gzip' }],
    ['zstd', Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0, 0), { kind: 'layer', sniffed: 'zstd' }],
    ['a tar header', tarHeader(), { kind: 'layer', sniffed: 'tar' }],
    ['JSON', text('  {"schemaVersion": 2'), 'json'],
    ['text', text('hello\n'), { kind: 'other', sniffed: 'text' }],
    ['an ELF binary', Uint8Array.of(0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0), { kind: 'other', sniffed: 'binary' }],
  ])('%s', (_name, sample, expected) => {
    expect(targetOfStart(sample, false)).toEqual(expected);
  });
});

describe('targetOfDocument: a whole JSON document', () => {
  it.each([
    ['an OCI index', { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] }, 'index'],
    ['an OCI manifest', { schemaVersion: 2, mediaType: OCI_MANIFEST, config: {}, layers: [] }, 'manifest'],
    ['a Docker manifest', { schemaVersion: 2, mediaType: DOCKER_MANIFEST, config: {}, layers: [] }, 'manifest'],
    ['an index without mediaType', { schemaVersion: 2, manifests: [] }, 'index'],
    ['a manifest without mediaType', { schemaVersion: 2, config: { digest: 'x' }, layers: [] }, 'manifest'],
    ['schema1', { schemaVersion: 1, fsLayers: [], history: [] }, 'manifest'],
    ['an image config', { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }, 'config'],
    ['an in-toto statement', { _type: 'https://in-toto.io/Statement/v1', subject: [] }, 'document'],
    ['a JSON array', [1, 2], 'document'],
  ])('%s', (_name, json, kind) => {
    expect(targetOfDocument(json).kind).toBe(kind);
  });
});

describe('targetOfMediaType: a link’s mt= hint', () => {
  it.each([
    [OCI_INDEX, 'index'],
    [OCI_MANIFEST, 'manifest'],
    [DOCKER_CONFIG, 'config'],
    [DOCKER_LAYER, 'layer'],
    [OCI_LAYER_ZSTD, 'layer'],
    ['application/vnd.cncf.helm.chart.content.v1.tar+gzip', 'layer'],
  ])('%s → %s', (mediaType, kind) => {
    expect(targetOfMediaType(mediaType).kind).toBe(kind);
  });
});
