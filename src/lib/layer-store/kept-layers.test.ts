import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TarEntry } from '../../oci/layer/tar-entry';
import { tarEntry } from '../../test-support/tar-entries';
import { KeptLayers, openKeptLayers } from './kept-layers';
import type { KeptLayer, KeptLayerRecord } from './kept-record';

const digestOf = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

function layerOf(n: number, files = 3): KeptLayer {
  const entries: TarEntry[] = Array.from({ length: files }, (_, i) => tarEntry(`file-${i}`, 'file', 10, { dataOffset: 512 + i * 1024 }));
  const digest = digestOf(n);
  return {
    digest,
    verifiedAt: 1_000 + n,
    proof: {
      compression: 'none',
      compressedBytes: 4096,
      decompressedBytes: 4096,
      entryCount: files,
      digest: { expected: digest, computed: digest, ok: true },
      diffId: { computed: digest },
      endMarker: true,
    },
    entries,
    checkpoints: [],
  };
}

async function store(budgetBytes?: number): Promise<KeptLayers> {
  const opened = await openKeptLayers({ budgetBytes });
  if ('unavailable' in opened) throw new Error(opened.unavailable);
  return opened;
}

const about = { source: 'registry.test/app' };

beforeEach(async () => {
  await (await store()).clear();
});

describe('the store of verified layer indexes', () => {
  it('keeps an index under its digest and gives it back, and lists it without loading it', async () => {
    const kept = await store();
    expect(await kept.keep(layerOf(1), about)).toEqual({ kind: 'kept', evicted: [] });
    const found = await kept.read(digestOf(1));
    expect(found).toEqual({ kind: 'found', layer: layerOf(1) });
    expect(await kept.read(digestOf(2))).toEqual({ kind: 'none' });
    const [row] = await kept.list();
    expect(row).toMatchObject({ digest: digestOf(1), source: 'registry.test/app', entryCount: 3, verifiedAt: 1_001 });
    expect(row!.storedBytes).toBeGreaterThan(0);
  });

  it('deletes a damaged record when it is read, so the next pass rebuilds it', async () => {
    const kept = await store();
    await kept.keep(layerOf(1), about);
    const db = await openDB('ociscope-layer-indexes', 1);
    const record = (await db.get('records', digestOf(1))) as KeptLayerRecord;
    const payload = new Uint8Array(record.payload);
    payload[10] = payload[10]! ^ 0x20;
    await db.put('records', { ...record, payload: payload.buffer });
    db.close();
    const found = await kept.read(digestOf(1));
    expect(found.kind).toBe('discarded');
    expect(found.kind === 'discarded' && found.reason).toMatch(/damaged/);
    expect(await kept.read(digestOf(1))).toEqual({ kind: 'none' });
    expect(await kept.list()).toEqual([]);
  });

  it('evicts the oldest indexes when the space set aside would be passed, and says which', async () => {
    const probe = await store();
    await probe.keep(layerOf(1), about);
    const one = (await probe.list())[0]!.storedBytes;
    const kept = await store(one * 2 + 10);
    await kept.keep(layerOf(2), about);
    const outcome = await kept.keep(layerOf(3), about);
    expect(outcome.kind).toBe('kept');
    expect(outcome.evicted.map((e) => e.digest)).toEqual([digestOf(1)]);
    expect((await kept.list()).map((e) => e.digest)).toEqual([digestOf(3), digestOf(2)]);
  });

  it('evicts the oldest when the browser says its quota is full, and gives up when nothing is left', async () => {
    const opened = await store();
    await opened.keep(layerOf(1), about);
    await opened.keep(layerOf(2), about);
    let refusals = 1;
    class FullDisk extends KeptLayers {
      protected override async write(record: KeptLayerRecord, summary: Parameters<KeptLayers['write']>[1]): Promise<void> {
        if (refusals-- > 0) throw new DOMException('quota', 'QuotaExceededError');
        return super.write(record, summary);
      }
    }
    const db = await openDB('ociscope-layer-indexes', 1);
    const full = new FullDisk(db as never);
    const outcome = await full.keep(layerOf(3), about);
    expect(outcome).toMatchObject({ kind: 'kept', evicted: [{ digest: digestOf(1) }] });

    await full.clear();
    refusals = Infinity;
    expect(await full.keep(layerOf(4), about)).toEqual({ kind: 'not-kept', reason: 'the browser’s storage quota is full', evicted: [] });
    db.close();
  });

  it('removes one index or all of them', async () => {
    const kept = await store();
    await kept.keep(layerOf(1), about);
    await kept.keep(layerOf(2), about);
    await kept.remove(digestOf(1));
    expect((await kept.list()).map((e) => e.digest)).toEqual([digestOf(2)]);
    await kept.clear();
    expect(await kept.list()).toEqual([]);
  });
});
