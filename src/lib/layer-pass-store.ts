/**
 * Layer passes that outlive the component that started them: one streaming pass per layer
 * (digest, decompression, diff_id, file index), kept for the life of the page so moving between
 * directories, the file view and the merged view never downloads a layer twice. Components
 * read a pass with useSyncExternalStore; they never talk to the worker themselves.
 */
import { FileIndex } from '../oci/fs/file-tree';
import { startLayerScan, type LayerScanHandle } from './layer-worker-client';
import type { RepositoryName } from './view-urls';
import type { LayerScanEvent } from '../oci/layer/events';
import type { TarEntry } from '../oci/layer/tar-entry';
import { blobProxyUrl } from '../oci/registry/proxy-url';

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
}

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
    admit(this);
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
    this.handle = startLayerScan({ url: blobProxyUrl(repo, digest), expectedDigest: digest, mediaType, size }, (event) => {
      if (run === this.run) this.onEvent(event);
    });
  }

  /** Starts over from nothing: after a cancel or a failure, a partial listing must not linger. */
  restart() {
    this.stop();
    this.entries.length = 0;
    this.index.clear();
    this.state = this.initialState();
    this.started = true;
    admit(this);
    this.notify();
  }

  cancel() {
    if (this.state.status !== 'running') return;
    // A pass cancelled before it started stays cancelled when someone subscribes later.
    this.started = true;
    if (this.state.waiting) {
      release(this);
      this.update({ status: 'cancelled', waiting: false });
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
