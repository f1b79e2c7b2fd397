/**
 * Module worker for one layer pass (src/oci/layer-scan.ts), started by src/lib/layer-scanner.ts:
 * `{type:'scan', request}` starts it, `{type:'cancel'}` aborts the download; every
 * LayerScanEvent is posted back (a 'file' event's bytes are transferred).
 *
 * Two threads: this one fetches, hashes the compressed bytes and decompresses; a nested worker
 * (tar-index-worker.ts) hashes the decompressed bytes and parses the tar. Measured with
 * `npm run bench` (bench/layer-bench.ts) on a 2-core machine, 1.2 GB tar of /usr/lib, gzip -6 to
 * 435 MB, Chromium 156:
 * - one thread doing everything: 11.1 s (109 MB/s of tar): hash-wasm's SHA-256 runs at
 *   ~300 MB/s (no SHA extensions in WebAssembly), inflate at ~215 MB/s, and they add up;
 * - two threads, split as here: 7.6 s (160 MB/s), against 7.9 s for
 *   `curl | gzip -dc | sha256sum`. Moving the compressed digest to the second thread or to a
 *   third one measured the same or slower: both cores are busy either way.
 * Digest-only passes (`parseTar: false`) need no second thread and do not start one.
 */
import { scanLayer, type LayerScanEvent, type LayerScanRequest } from '../oci/layer-scan';
import { connectTarIndexWorker } from './tar-index-protocol';

export type ToLayerWorker = { type: 'scan'; request: LayerScanRequest } | { type: 'cancel' };

let cancel: AbortController | undefined;

function post(event: LayerScanEvent): void {
  self.postMessage(event, { transfer: event.type === 'file' ? [event.bytes.buffer] : [] });
}

self.onmessage = (message: MessageEvent<ToLayerWorker>) => {
  const data = message.data;
  if (data.type === 'scan') {
    cancel = new AbortController();
    void scanLayer(data.request, post, { signal: cancel.signal, createIndex: connectTarIndexWorker });
  } else {
    cancel?.abort();
  }
};
