/**
 * Module worker for one layer pass (src/oci/layer-scan.ts), started by src/lib/layer-scanner.ts:
 * `{type:'scan', request}` starts it, `{type:'cancel'}` aborts the download; every
 * LayerScanEvent is posted back (a 'file' event's bytes are transferred).
 *
 * Two threads: this one fetches, hashes the compressed bytes and decompresses; a nested worker
 * (tar-index-worker.ts) hashes the decompressed bytes and parses the tar. Measured with
 * `npm run bench` (bench/layer-bench.ts) on the 2-core dev machine, Chromium 156, a 1092 MB tar
 * of /usr/lib gzipped (-6) to 432 MB, through the app's proxy:
 * - everything on one thread: 10.2–11.1 s (~100 MB/s of tar). hash-wasm's SHA-256 runs at
 *   ~300 MB/s (WebAssembly has no SHA instructions) and Chromium's inflate at ~215 MB/s of
 *   output; on one thread they add up.
 * - two threads, split as here: 6.8–7.3 s (~150 MB/s, medians of four bench runs), against 6.5–6.9 s for
 *   `curl | gzip -dc | sha256sum`. Moving the compressed digest to the second thread or to a
 *   third one measured the same or slower: both cores are busy either way (renderer ~11.5 s of
 *   CPU, the proxy 1–3 s, native tools' CPU is ~12 s for the same work).
 * Digest-only passes (`parseTar: false`) need no second thread and do not start one.
 */
import { scanLayer } from '../oci/layer/scan';
import { connectTarIndexWorker } from './tar-index-protocol';
import { type LayerScanEvent, type LayerScanRequest } from '../oci/layer/events';

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
