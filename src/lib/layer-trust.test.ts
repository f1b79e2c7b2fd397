import { describe, expect, it } from 'vitest';
import type { LayerScanState } from './layer-pass-store';
import { layerTrust } from './layer-trust';

const DIFF = `sha256:${'d'.repeat(64)}`;
const OTHER = `sha256:${'e'.repeat(64)}`;

function done(digestOk: boolean, diffId = DIFF): Pick<LayerScanState, 'status' | 'result'> {
  return {
    status: 'done',
    result: {
      type: 'done',
      compression: 'gzip',
      compressedBytes: 10,
      decompressedBytes: 20,
      entryCount: 1,
      digest: { expected: 'sha256:a', computed: digestOk ? 'sha256:a' : 'sha256:b', ok: digestOk },
      diffId: { computed: diffId },
      endMarker: true,
    },
  };
}

describe('layerTrust', () => {
  it('is verified only when the digest matches and the diff_id equals the expected one', () => {
    expect(layerTrust(done(true), DIFF)).toEqual({ digest: 'verified', diffId: 'verified', failed: false });
  });

  it('fails on either mismatch', () => {
    expect(layerTrust(done(false), DIFF)).toMatchObject({ digest: 'mismatch', failed: true });
    expect(layerTrust(done(true, OTHER), DIFF)).toMatchObject({ diffId: 'mismatch', failed: true });
  });

  it('leaves the diff_id unverified without an expected value, pending while it loads, and does not fail for that', () => {
    expect(layerTrust(done(true), undefined)).toEqual({ digest: 'verified', diffId: 'unverified', failed: false });
    expect(layerTrust(done(true), undefined, true)).toEqual({ digest: 'verified', diffId: 'pending', failed: false });
  });

  it('proves nothing before the end: pending while running, unverified when cancelled, failed on error', () => {
    expect(layerTrust({ status: 'running' }, DIFF)).toEqual({ digest: 'pending', diffId: 'pending', failed: false });
    expect(layerTrust({ status: 'cancelled' }, DIFF)).toEqual({ digest: 'unverified', diffId: 'unverified', failed: false });
    expect(layerTrust({ status: 'error' }, DIFF)).toEqual({ digest: 'unverified', diffId: 'unverified', failed: true });
  });
});
