/**
 * The browser's store of verified layer indexes (IndexedDB through idb), keyed by layer digest:
 * a layer read once lists again, in any repository, image, comparison or sizes view, without a
 * byte of network. Only verified full passes are written (kept-record.ts refuses others), a
 * record is used only for the digest it was made from, and one that fails its checks is deleted
 * on the spot so the next pass rebuilds it.
 *
 * Two object stores: `records` holds the packed indexes, `catalog` one small row per record for
 * the storage page and for eviction, so listing what is kept never loads an index.
 *
 * Space: records are evicted oldest first when the browser refuses a write (QuotaExceededError)
 * or when the total would pass `budgetBytes`, and the caller is told which went. Without
 * IndexedDB at all, or when the browser refuses to open it (private windows in some browsers),
 * `openKeptLayers` says why and callers carry on as if nothing were kept.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { decodeKeptLayer, encodeKeptLayer, KeptRecordError, recordBytes, type KeptLayer, type KeptLayerRecord } from './kept-record';

/** One kept index as the storage page lists it. */
export interface KeptLayerSummary {
  digest: string;
  /** Where it was read from (`registry/repository`), for people; the record serves any repository. */
  source: string;
  mediaType?: string;
  compressedBytes: number;
  decompressedBytes: number;
  entryCount: number;
  /** Bytes the record takes in storage. */
  storedBytes: number;
  verifiedAt: number;
}

/** What a lookup found: a usable index, nothing, or a record that failed its checks and was deleted. */
export type KeptLookup = { kind: 'found'; layer: KeptLayer } | { kind: 'none' } | { kind: 'discarded'; reason: string };

/** What became of a write. */
export type KeepOutcome = { kind: 'kept'; evicted: KeptLayerSummary[] } | { kind: 'not-kept'; reason: string; evicted: KeptLayerSummary[] };

interface KeptLayersSchema extends DBSchema {
  records: { key: string; value: KeptLayerRecord };
  catalog: { key: string; value: KeptLayerSummary; indexes: { verifiedAt: number } };
}

const DB_NAME = 'ociscope-layer-indexes';
const DB_VERSION = 1;
/** The most this store keeps by default, whatever the browser would allow: ~30 indexes of 1 GB layers. */
export const DEFAULT_BUDGET_BYTES = 512 << 20;

export class KeptLayers {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly db: IDBPDatabase<KeptLayersSchema>,
    private readonly budgetBytes = DEFAULT_BUDGET_BYTES,
  ) {}

  /** The index kept for `digest`; a record failing its checks is deleted and reported as discarded. */
  async read(digest: string): Promise<KeptLookup> {
    const record = await this.db.get('records', digest);
    if (record === undefined) return { kind: 'none' };
    try {
      return { kind: 'found', layer: await decodeKeptLayer(record, digest) };
    } catch (error) {
      if (!(error instanceof KeptRecordError)) throw error;
      await this.remove(digest);
      return { kind: 'discarded', reason: error.message };
    }
  }

  /** Keeps a verified index, evicting the oldest others when space runs out. */
  async keep(layer: KeptLayer, about: { source: string; mediaType?: string }): Promise<KeepOutcome> {
    const record = await encodeKeptLayer(layer);
    const summary: KeptLayerSummary = {
      digest: layer.digest,
      source: about.source,
      ...(about.mediaType !== undefined && { mediaType: about.mediaType }),
      compressedBytes: layer.proof.compressedBytes,
      decompressedBytes: layer.proof.decompressedBytes,
      entryCount: layer.entries.length,
      storedBytes: recordBytes(record),
      verifiedAt: layer.verifiedAt,
    };
    const evicted: KeptLayerSummary[] = [];
    if (summary.storedBytes > this.budgetBytes) {
      return { kind: 'not-kept', reason: `its index (${summary.storedBytes} bytes) is larger than the space set aside`, evicted };
    }
    for (;;) {
      const others = (await this.list()).filter((kept) => kept.digest !== layer.digest);
      const used = others.reduce((sum, kept) => sum + kept.storedBytes, 0);
      if (used + summary.storedBytes > this.budgetBytes) {
        evicted.push(await this.evictOldest(others));
        continue;
      }
      try {
        await this.write(record, summary);
        this.changed();
        return { kind: 'kept', evicted };
      } catch (error) {
        if (!isQuotaError(error)) throw error;
        if (others.length === 0) return { kind: 'not-kept', reason: 'the browser’s storage quota is full', evicted };
        evicted.push(await this.evictOldest(others));
      }
    }
  }

  /** Every kept index, newest first. */
  async list(): Promise<KeptLayerSummary[]> {
    const rows = await this.db.getAllFromIndex('catalog', 'verifiedAt');
    return rows.reverse();
  }

  async remove(digest: string): Promise<void> {
    const tx = this.db.transaction(['records', 'catalog'], 'readwrite');
    await Promise.all([tx.objectStore('records').delete(digest), tx.objectStore('catalog').delete(digest), tx.done]);
    this.changed();
  }

  async clear(): Promise<void> {
    const tx = this.db.transaction(['records', 'catalog'], 'readwrite');
    await Promise.all([tx.objectStore('records').clear(), tx.objectStore('catalog').clear(), tx.done]);
    this.changed();
  }

  /** Told after every change this tab makes (the storage page re-lists). */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The write itself, one transaction for both stores; separate so tests can make it fail as a full disk does. */
  protected async write(record: KeptLayerRecord, summary: KeptLayerSummary): Promise<void> {
    const tx = this.db.transaction(['records', 'catalog'], 'readwrite');
    await Promise.all([tx.objectStore('records').put(record), tx.objectStore('catalog').put(summary), tx.done]);
  }

  private async evictOldest(others: KeptLayerSummary[]): Promise<KeptLayerSummary> {
    const oldest = others.reduce((a, b) => (b.verifiedAt < a.verifiedAt ? b : a));
    await this.remove(oldest.digest);
    return oldest;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/** Storage that cannot be used, and why, in words for a note. */
export interface StorageUnavailable {
  unavailable: string;
}

/** Opens the store; resolves to why not when the browser has no IndexedDB or refuses it. */
export async function openKeptLayers(options: { budgetBytes?: number } = {}): Promise<KeptLayers | StorageUnavailable> {
  if (typeof indexedDB === 'undefined') return { unavailable: 'this browser offers no IndexedDB' };
  try {
    const db = await openDB<KeptLayersSchema>(DB_NAME, DB_VERSION, {
      upgrade(database) {
        database.createObjectStore('records', { keyPath: 'digest' });
        database.createObjectStore('catalog', { keyPath: 'digest' }).createIndex('verifiedAt', 'verifiedAt');
      },
    });
    return new KeptLayers(db, options.budgetBytes);
  } catch (error) {
    return { unavailable: `the browser refused its storage (${error instanceof Error ? error.message : String(error)})` };
  }
}

function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException
    ? error.name === 'QuotaExceededError'
    : (error as { name?: string } | null)?.name === 'QuotaExceededError';
}

let shared: Promise<KeptLayers | StorageUnavailable> | undefined;

/**
 * The page's store, opened once; undefined, synchronously, where there is no IndexedDB at all, so
 * a pass there starts at once as it always did.
 */
export function keptLayerStore(): Promise<KeptLayers | StorageUnavailable> | undefined {
  if (typeof indexedDB === 'undefined') return undefined;
  shared ??= openKeptLayers();
  return shared;
}
