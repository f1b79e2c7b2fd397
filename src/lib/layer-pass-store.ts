/**
 * Layer passes that outlive the component that started them: one streaming pass per layer
 * (digest, decompression, diff_id, file index), kept for the life of the page so moving between
 * directories, the file view and the merged view never downloads a layer twice. Components
 * read a pass with useSyncExternalStore; they never talk to the worker themselves.
 *
 * Across visits, the browser's store (layer-store/) stands in for the pass: a layer verified
 * before is listed from there with its proof and date and nothing is fetched; a pass that ends
 * verified is written there, with the checkpoints that let a file be read on its own later.
 * Every view that reads passes through here (layer, merged, compare, sizes) gets that for free.
 */
import { FileIndex } from '../oci/fs/file-tree';
import { startLayerScan, type LayerScanHandle } from './layer-worker-client';
import type { RepositoryName } from './view-urls';
import type { LayerScanEvent } from '../oci/layer/events';
import type { TarEntry } from '../oci/layer/tar-entry';
import { blobProxyUrl } from '../oci/registry/proxy-url';
import type { StreamCheckpoint } from '../oci/layer/checkpoints';
import { keptLayerStore, type KeepOutcome, type KeptLayers, type StorageUnavailable } from './layer-store/kept-layers';
import type { KeptLayer } from './layer-store/kept-record';

export interface LayerScanTarget {
  repo: RepositoryName;
  digest: string;
  mediaType?: string;
  size?: number;
}

export type DoneEvent = Extract<LayerScanEvent, { type: 'done' }>;
export type ErrorEvent = Extract<LayerScanEvent, { type: 'error' }>;

export interface LayerScanState {
  status: 'running' | 'done' | 'error' | 'cancelled';
  /** Running, but queued behind other passes (MAX_CONCURRENT_PASSES); nothing fetched yet. */
  waiting?: boolean;
  compressedBytes: number;
  decompressedBytes: number;
  total?: number;
  startedAt: number;
  updatedAt: number;
  entryCount: number;
  result?: DoneEvent;
  error?: ErrorEvent;
  /** Looking in this browser's store before anything is fetched. */
  lookingUp?: boolean;
  /** Listed from this browser's store: what a full pass verified then; nothing was read now. */
  kept?: { verifiedAt: number };
  /** A stored index of this layer failed its checks and was deleted: why (the pass rebuilds it). */
  discarded?: string;
  /** What keeping this pass came to, or why nothing can be kept; for a note on the page. */
  storage?: StorageNote;
}

/** What the browser's store did with a pass, or why it could not be used. */
export type StorageNote =
  { kind: 'kept'; evicted: number } | { kind: 'not-kept'; reason: string; evicted: number } | { kind: 'unavailable'; reason: string };

/**
 * Passes allowed to stream at once. A merged view of a 40-layer image would otherwise start 80
 * workers, each with its own fetch, decompressor and buffers, all splitting the same cores and
 * connection; later layers wait their turn in manifest order instead.
 */
export const MAX_CONCURRENT_PASSES = 3;
const runningPasses = new Set<LayerScan>();
const waitingPasses: LayerScan[] = [];

function admit(scan: LayerScan): void {
  if (runningPasses.size < MAX_CONCURRENT_PASSES) {
    runningPasses.add(scan);
    scan.begin();
  } else {
    waitingPasses.push(scan);
  }
}

function release(scan: LayerScan): void {
  runningPasses.delete(scan);
  const queued = waitingPasses.indexOf(scan);
  if (queued >= 0) waitingPasses.splice(queued, 1);
  while (runningPasses.size < MAX_CONCURRENT_PASSES) {
    const next = waitingPasses.shift();
    if (next === undefined) break;
    runningPasses.add(next);
    next.begin();
  }
}

export class LayerScan {
  readonly index = new FileIndex();
  readonly entries: TarEntry[] = [];
  private state: LayerScanState;
  private readonly listeners = new Set<() => void>();
  private handle?: LayerScanHandle;
  /** Which run events belong to: a restarted pass ignores its predecessor's late events. */
  private run = 0;
  private started = false;

  constructor(
    readonly target: LayerScanTarget,
    /** Told of every change, for the page-wide version (subscribeToAllScans). */
    private readonly onChange: () => void,
  ) {
    this.state = this.initialState();
  }

  /**
   * Queues the pass, once. Called from a subscription (React's commit phase) or by a caller that
   * needs the result; never from render, where React may run a component and throw it away.
   */
  start() {
    if (this.started) return;
    this.started = true;
    const store = keptLayerStore();
    if (store === undefined) {
      this.state = { ...this.state, storage: { kind: 'unavailable', reason: 'this browser offers no IndexedDB' } };
      admit(this);
      return;
    }
    this.update({ lookingUp: true, waiting: false });
    const run = this.run;
    void store.then((opened) => this.afterLookup(run, opened));
  }

  /** The store answered (or could not be opened): list what it kept, or queue the pass. */
  private async afterLookup(run: number, store: KeptLayers | StorageUnavailable): Promise<void> {
    const stillWanted = () => run === this.run && this.state.status === 'running' && this.state.lookingUp === true;
    if ('unavailable' in store) {
      if (!stillWanted()) return;
      this.update({ lookingUp: false, waiting: true, storage: { kind: 'unavailable', reason: store.unavailable } });
      admit(this);
      return;
    }
    let found: Awaited<ReturnType<KeptLayers['read']>>;
    try {
      found = await store.read(this.target.digest);
    } catch (error) {
      found = {
        kind: 'discarded',
        reason: `the stored index could not be read (${error instanceof Error ? error.message : String(error)})`,
      };
    }
    if (!stillWanted()) return;
    if (found.kind === 'found') {
      this.listKept(found.layer);
      return;
    }
    this.update({ lookingUp: false, waiting: true, ...(found.kind === 'discarded' && { discarded: found.reason }) });
    admit(this);
  }

  /** A kept index stands in for the pass: same entries, same proof, its date. */
  private listKept(layer: KeptLayer): void {
    for (const entry of layer.entries) this.entries.push(entry);
    this.index.add(layer.entries);
    const { proof } = layer;
    this.update({
      status: 'done',
      lookingUp: false,
      waiting: false,
      kept: { verifiedAt: layer.verifiedAt },
      result: { type: 'done', ...proof, checkpoints: layer.checkpoints },
      compressedBytes: proof.compressedBytes,
      decompressedBytes: proof.decompressedBytes,
      total: proof.compressedBytes,
      entryCount: this.entries.length,
    });
  }

  /** Writes a verified pass to the store, and says how that went. */
  private async keepVerified(run: number, result: DoneEvent): Promise<void> {
    const store = await keptLayerStore();
    if (store === undefined || 'unavailable' in store) return;
    const checkpoints: StreamCheckpoint[] = result.checkpoints ?? [];
    const { type: _type, kept: _kept, checkpoints: _checkpoints, ...proof } = result;
    const layer: KeptLayer = { digest: this.target.digest, verifiedAt: Date.now(), proof, entries: this.entries, checkpoints };
    const source = `${this.target.repo.registry}/${this.target.repo.repository}`;
    let outcome: KeepOutcome;
    try {
      outcome = await store.keep(layer, { source, mediaType: this.target.mediaType });
    } catch (error) {
      outcome = { kind: 'not-kept', reason: error instanceof Error ? error.message : String(error), evicted: [] };
    }
    if (run !== this.run) return;
    this.update({
      storage:
        outcome.kind === 'kept'
          ? { kind: 'kept', evicted: outcome.evicted.length }
          : { kind: 'not-kept', reason: outcome.reason, evicted: outcome.evicted.length },
    });
  }

  private initialState(): LayerScanState {
    const now = Date.now();
    return {
      status: 'running',
      waiting: true,
      compressedBytes: 0,
      decompressedBytes: 0,
      total: this.target.size,
      startedAt: now,
      updatedAt: now,
      entryCount: 0,
    };
  }

  private update(patch: Partial<LayerScanState>) {
    this.state = { ...this.state, ...patch, updatedAt: Date.now() };
    this.notify();
  }

  private notify() {
    for (const listener of this.listeners) listener();
    this.onChange();
  }

  private onEvent = (event: LayerScanEvent) => {
    switch (event.type) {
      case 'progress':
        this.update({
          compressedBytes: event.compressedBytes,
          decompressedBytes: event.decompressedBytes,
          total: event.total ?? this.state.total,
        });
        break;
      case 'entries':
        for (const entry of event.entries) this.entries.push(entry);
        this.index.add(event.entries);
        this.update({ entryCount: this.entries.length });
        break;
      case 'done':
        release(this);
        this.update({
          status: 'done',
          result: event,
          compressedBytes: event.compressedBytes,
          decompressedBytes: event.decompressedBytes,
          entryCount: this.entries.length,
        });
        // Only a pass that read the whole layer and matched its digest is ever kept.
        if (event.digest.ok && event.checkpoints !== undefined) void this.keepVerified(this.run, event);
        break;
      case 'error':
        release(this);
        this.update(event.kind === 'aborted' ? { status: 'cancelled' } : { status: 'error', error: event });
        break;
      case 'file':
        break;
    }
  };

  /** Called by the scheduler when this pass's turn comes. */
  begin() {
    const run = ++this.run;
    const { repo, digest, mediaType, size } = this.target;
    this.update({ waiting: false, startedAt: Date.now() });
    const request = { url: blobProxyUrl(repo, digest), expectedDigest: digest, mediaType, size, checkpoints: true };
    this.handle = startLayerScan(request, (event) => {
      if (run === this.run) this.onEvent(event);
    });
  }

  /** Starts over from nothing: after a cancel or a failure, a partial listing must not linger. */
  restart() {
    this.stop();
    this.entries.length = 0;
    this.index.clear();
    this.state = { ...this.initialState(), ...(this.state.storage?.kind === 'unavailable' && { storage: this.state.storage }) };
    this.started = true;
    admit(this);
    this.notify();
  }

  cancel() {
    if (this.state.status !== 'running') return;
    // A pass cancelled before it started stays cancelled when someone subscribes later.
    this.started = true;
    if (this.state.waiting || this.state.lookingUp) {
      release(this);
      this.update({ status: 'cancelled', waiting: false, lookingUp: false });
    } else {
      this.handle?.cancel();
    }
  }

  /** Ends the current run, if any, without waiting for its terminal event. */
  private stop() {
    this.run++;
    this.handle?.cancel();
    this.handle = undefined;
    release(this);
  }

  getSnapshot = (): LayerScanState => this.state;

  /** Subscribing starts the pass: whoever watches a pass wants its result. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    this.start();
    return () => this.listeners.delete(listener);
  };
}

const scans = new Map<string, LayerScan>();
const registryListeners = new Set<() => void>();
let scansVersion = 0;

function scanKey(target: LayerScanTarget): string {
  return `${target.repo.registry}/${target.repo.repository}@${target.digest}`;
}

function scansChanged(): void {
  scansVersion++;
  registryListeners.forEach((l) => l());
}

/** The pass over this layer, one per layer for the page's life; it starts once subscribed to or `start`ed. */
export function layerScan(target: LayerScanTarget): LayerScan {
  const key = scanKey(target);
  let scan = scans.get(key);
  if (!scan) {
    scan = new LayerScan(target, scansChanged);
    scans.set(key, scan);
  }
  return scan;
}

/** A pass that has already been started, without starting one (for sizes on the manifest page). */
export function existingLayerScan(repo: RepositoryName, digest: string): LayerScan | undefined {
  return scans.get(scanKey({ repo, digest }));
}

/** Notified whenever any pass changes: the manifest page shows sizes as they become known. */
export function subscribeToAllScans(listener: () => void): () => void {
  registryListeners.add(listener);
  return () => registryListeners.delete(listener);
}

/** Changes whenever any pass does; the snapshot for useSyncExternalStore over all passes. */
export function allScansVersion(): number {
  return scansVersion;
}
