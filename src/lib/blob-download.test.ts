import { describe, expect, it } from 'vitest';
import { blobFileName } from './blob-download';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const BASE = `sha256-${'ab'.repeat(32)}`;

describe('blobFileName', () => {
  it.each([
    ['application/vnd.oci.image.layer.v1.tar+gzip', 'gzip', `${BASE}.tar.gz`],
    // Media types lie: what the bytes showed decides the compression suffix.
    ['application/vnd.docker.image.rootfs.diff.tar.gzip', 'none', `${BASE}.tar`],
    ['application/vnd.oci.image.layer.v1.tar', 'zstd', `${BASE}.tar.zst`],
    ['application/vnd.oci.image.config.v1+json', 'none', `${BASE}.json`],
    ['application/vnd.in-toto+json', 'none', `${BASE}.json`],
    ['application/vnd.cncf.helm.chart.content.v1.tar+gzip', 'gzip', `${BASE}.tar.gz`],
    ['application/octet-stream', 'gzip', `${BASE}.gz`],
    [undefined, 'none', BASE],
  ] as const)('%s with %s bytes → %s', (mediaType, compression, name) => {
    expect(blobFileName(DIGEST, mediaType, compression)).toBe(name);
  });
});
