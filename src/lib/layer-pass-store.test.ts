import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { LayerScanEvent, LayerScanRequest } from '../oci/layer/events';

/** The passes the scheduler started, each with a way to end it as the worker would. */
const started: { request: LayerScanRequest; emit: (event: LayerScanEvent) => void; cancelled: boolean }[] = [];

vi.mock('./layer-worker-client', () => ({
  startLayerScan: (request: LayerScanRequest, onEvent: (event: LayerScanEvent) => void) => {
    const pass = { request, emit: onEvent, cancelled: false };
    started.push(pass);
    return {
      cancel: () => {
        pass.cancelled = true;
        onEvent({ type: 'error', kind: 'aborted', message: 'cancelled' });
      },
      done: Promise.resolve(),
    };
  },
}));

const { layerScan, MAX_CONCURRENT_PASSES } = await import('./layer-pass-store');

const repo = { registry: 'registry.test', repository: 'app' };
let image = 0;
const digestOf = (layer: number) => `sha256:${String(image).padStart(4, '0')}${String(layer).padStart(60, '0')}`;
const done = (digest: string): LayerScanEvent => ({
  type: 'done',
  compression: 'gzip',
  compressedBytes: 1,
  decompressedBytes: 1,
  entryCount: 0,
  digest: { expected: digest, computed: digest, ok: true },
  diffId: { computed: digest },
  endMarker: true,
});
const startedDigests = () => started.map((pass) => pass.request.expectedDigest);
const started_ = <T extends { start(): void }>(scan: T): T => {
  scan.start();
  return scan;
};

beforeEach(() => {
  started.length = 0;
  image++;
});

describe('a layer pass starts when watched or asked for, not when looked up', () => {
  it('looking a pass up starts nothing; the first subscription starts it, once', () => {
    const scan = layerScan({ repo, digest: digestOf(0) });
    expect(startedDigests()).toEqual([]);
    const stop = scan.subscribe(() => {});
    scan.subscribe(() => {})();
    expect(startedDigests()).toEqual([digestOf(0)]);
    stop();
    started[0]!.emit(done(digestOf(0)));
  });

  it('a pass cancelled before anyone watched it stays cancelled', () => {
    const scan = layerScan({ repo, digest: digestOf(1) });
    scan.cancel();
    scan.subscribe(() => {})();
    expect(scan.getSnapshot().status).toBe('cancelled');
    expect(startedDigests()).toEqual([]);
  });
});

describe('layer passes run at most MAX_CONCURRENT_PASSES at once, in the order asked', () => {
  it('queues the rest and starts each as a slot frees', () => {
    const scans = Array.from({ length: MAX_CONCURRENT_PASSES + 2 }, (_, i) => started_(layerScan({ repo, digest: digestOf(i) })));
    expect(startedDigests()).toEqual(scans.slice(0, MAX_CONCURRENT_PASSES).map((s) => s.target.digest));
    expect(scans.map((s) => s.getSnapshot().waiting)).toEqual([...Array(MAX_CONCURRENT_PASSES).fill(false), true, true]);

    started[0]!.emit(done(digestOf(0)));
    expect(scans[0]!.getSnapshot().status).toBe('done');
    expect(startedDigests()).toEqual(scans.slice(0, MAX_CONCURRENT_PASSES + 1).map((s) => s.target.digest));

    // A failure frees its slot too.
    started[1]!.emit({ type: 'error', kind: 'network', message: 'gone' });
    expect(startedDigests()).toHaveLength(MAX_CONCURRENT_PASSES + 2);
    expect(scans.every((s) => !s.getSnapshot().waiting)).toBe(true);
    for (const pass of started.slice(2)) pass.emit(done(pass.request.expectedDigest));
  });

  it('cancels a waiting pass without starting it, and a restart queues it again', () => {
    const scans = Array.from({ length: MAX_CONCURRENT_PASSES + 1 }, (_, i) => started_(layerScan({ repo, digest: digestOf(i) })));
    const last = scans.at(-1)!;
    last.cancel();
    expect(last.getSnapshot()).toMatchObject({ status: 'cancelled', waiting: false });
    started[0]!.emit(done(digestOf(0)));
    expect(startedDigests()).not.toContain(last.target.digest);

    last.restart();
    expect(last.getSnapshot()).toMatchObject({ status: 'running', waiting: false });
    expect(startedDigests()).toContain(last.target.digest);
    for (const pass of started.slice(1)) pass.emit(done(pass.request.expectedDigest));
  });

  it('ignores late events of a run that was restarted', () => {
    const scan = started_(layerScan({ repo, digest: digestOf(0) }));
    const first = started[0]!;
    scan.restart();
    expect(first.cancelled).toBe(true);
    first.emit(done(digestOf(0)));
    expect(scan.getSnapshot().status).toBe('running');
    started[1]!.emit(done(digestOf(0)));
    expect(scan.getSnapshot().status).toBe('done');
  });
});
