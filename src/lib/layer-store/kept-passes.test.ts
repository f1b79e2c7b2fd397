/** Layer passes and the browser's store together: verified passes are kept, and stand in for the next pass. */
import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import type { LayerScanEvent, LayerScanRequest } from '../../oci/layer/events';
import type { TarEntry } from '../../oci/layer/tar-entry';
import { tarEntry } from '../../test-support/tar-entries';

const started: { request: LayerScanRequest; emit: (event: LayerScanEvent) => void }[] = [];

vi.mock('../layer-worker-client', () => ({
  startLayerScan: (request: LayerScanRequest, onEvent: (event: LayerScanEvent) => void) => {
    started.push({ request, emit: onEvent });
    return { cancel: () => onEvent({ type: 'error', kind: 'aborted', message: 'cancelled' }), done: Promise.resolve() };
  },
}));

const { layerScan } = await import('../layer-pass-store');
const { keptLayerStore } = await import('./kept-layers');

const digestOf = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const repoA = { registry: 'registry.test', repository: 'a' };
const repoB = { registry: 'other.test', repository: 'b' };
const entry: TarEntry = tarEntry('hello', 'file', 6, { dataOffset: 512 });

function finish(pass: (typeof started)[number], ok = true): void {
  const digest = pass.request.expectedDigest;
  pass.emit({ type: 'entries', entries: [entry] });
  pass.emit({
    type: 'done',
    compression: 'gzip',
    compressedBytes: 100,
    decompressedBytes: 2048,
    entryCount: 1,
    digest: { expected: digest, computed: ok ? digest : digestOf(999), ok },
    diffId: { computed: digestOf(1000) },
    endMarker: true,
    checkpoints: [],
  });
}

/** Waits for a condition the store brings about asynchronously. */
const until = (predicate: () => boolean) => vi.waitFor(() => expect(predicate()).toBe(true));

describe('a verified pass is kept and lists again without a download', () => {
  it('in another repository, the next time, with its proof and date', async () => {
    const first = layerScan({ repo: repoA, digest: digestOf(1) });
    first.start();
    await until(() => started.length === 1);
    expect(started[0]!.request.checkpoints).toBe(true);
    finish(started[0]!);
    await until(() => first.getSnapshot().storage?.kind === 'kept');

    const again = layerScan({ repo: repoB, digest: digestOf(1) });
    again.start();
    await until(() => again.getSnapshot().status === 'done');
    expect(started).toHaveLength(1);
    const state = again.getSnapshot();
    expect(state.kept?.verifiedAt).toBeGreaterThan(0);
    expect(state.result?.digest).toEqual({ expected: digestOf(1), computed: digestOf(1), ok: true });
    expect(again.entries).toEqual([entry]);
    expect(again.index.get('hello')?.entry?.size).toBe(6);
  });

  it('is not kept when its digest did not match, so the next visit reads it again', async () => {
    const first = layerScan({ repo: repoA, digest: digestOf(2) });
    first.start();
    await until(() => started.length === 2);
    finish(started[1]!, false);
    const again = layerScan({ repo: repoB, digest: digestOf(2) });
    again.start();
    await until(() => started.length === 3);
    expect(again.getSnapshot().kept).toBeUndefined();
    finish(started[2]!);
  });

  it('a damaged kept index is discarded, said so, and the pass runs', async () => {
    const store = await keptLayerStore()!;
    if ('unavailable' in store) throw new Error(store.unavailable);
    const { openDB } = await import('idb');
    const db = await openDB('ociscope-layer-indexes', 1);
    const record = await db.get('records', digestOf(1));
    await db.put('records', { ...record, integrity: '00'.repeat(32) });
    db.close();
    const scan = layerScan({ repo: { registry: 'third.test', repository: 'c' }, digest: digestOf(1) });
    const before = started.length;
    scan.start();
    await until(() => started.length === before + 1);
    expect(scan.getSnapshot().discarded).toMatch(/damaged/);
    finish(started[before]!);
    await until(() => scan.getSnapshot().storage?.kind === 'kept');
  });
});
