/**
 * Layer passes that outlive the component that started them: one streaming pass per layer
 * (digest, decompression, diff_id, file index), kept for the life of the page so moving between
 * directories, the file view and the merged view never downloads a layer twice. Components
 * read a pass with useSyncExternalStore; they never talk to the worker themselves.
 */
import { FileIndex } from '../oci/file-tree';
import type { LayerScanEvent } from '../oci/layer-scan';
import type { TarEntry } from '../oci/tar';
import { startLayerScan, type LayerScanHandle } from './layer-scanner';
import type { RepositoryName } from './view-urls';

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
  compressedBytes: number;
  decompressedBytes: number;
  total?: number;
  startedAt: number;
  updatedAt: number;
  entryCount: number;
  result?: DoneEvent;
  error?: ErrorEvent;
}

export function blobProxyUrl(repo: RepositoryName, digest: string): string {
  return `/registry/${repo.registry}/v2/${repo.repository}/blobs/${digest}`;
}

export class LayerScan {
  readonly index = new FileIndex();
  readonly entries: TarEntry[] = [];
  private state: LayerScanState;
  private readonly listeners = new Set<() => void>();
  private handle?: LayerScanHandle;

  constructor(readonly target: LayerScanTarget) {
    this.state = this.initialState();
    this.start();
  }

  private initialState(): LayerScanState {
    const now = Date.now();
    return { status: 'running', compressedBytes: 0, decompressedBytes: 0, total: this.target.size, startedAt: now, updatedAt: now, entryCount: 0 };
  }

  private update(patch: Partial<LayerScanState>) {
    this.state = { ...this.state, ...patch, updatedAt: Date.now() };
    for (const listener of this.listeners) listener();
  }

  private onEvent = (event: LayerScanEvent) => {
    switch (event.type) {
      case 'progress':
        this.update({ compressedBytes: event.compressedBytes, decompressedBytes: event.decompressedBytes, total: event.total ?? this.state.total });
        break;
      case 'entries':
        for (const entry of event.entries) this.entries.push(entry);
        this.index.add(event.entries);
        this.update({ entryCount: this.entries.length });
        break;
      case 'done':
        this.update({
          status: 'done',
          result: event,
          compressedBytes: event.compressedBytes,
          decompressedBytes: event.decompressedBytes,
          entryCount: this.entries.length,
        });
        break;
      case 'error':
        this.update(event.kind === 'aborted' ? { status: 'cancelled' } : { status: 'error', error: event });
        break;
      case 'file':
        break;
    }
  };

  private start() {
    const { repo, digest, mediaType, size } = this.target;
    this.handle = startLayerScan({ url: blobProxyUrl(repo, digest), expectedDigest: digest, mediaType, size }, this.onEvent);
  }

  /** Starts over from nothing: after a cancel or a failure, a partial listing must not linger. */
  restart() {
    this.handle?.cancel();
    this.entries.length = 0;
    this.index.clear();
    this.state = this.initialState();
    this.start();
    for (const listener of this.listeners) listener();
  }

  cancel() {
    this.handle?.cancel();
  }

  getSnapshot = (): LayerScanState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

const scans = new Map<string, LayerScan>();
const registryListeners = new Set<() => void>();
let scansVersion = 0;

function scanKey(target: LayerScanTarget): string {
  return `${target.repo.registry}/${target.repo.repository}@${target.digest}`;
}

/** The pass over this layer, started on first request. */
export function layerScan(target: LayerScanTarget): LayerScan {
  const key = scanKey(target);
  let scan = scans.get(key);
  if (!scan) {
    scan = new LayerScan(target);
    scans.set(key, scan);
    scan.subscribe(() => {
      scansVersion++;
      registryListeners.forEach((l) => l());
    });
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
