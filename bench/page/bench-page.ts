/**
 * The browser half of the layer bench: `window.runLayerScan(request)` runs one pass through the
 * app's own `startLayerScan` (its workers, its proxy URL) and resolves with the wall time from
 * the call to the terminal event. Entries are counted, not kept, so memory is the scanner's.
 */
import { startLayerScan } from '../../src/lib/layer-worker-client';
import type { LayerScanEvent, LayerScanRequest } from '../../src/oci/layer/events';

export interface BenchScanResult {
  seconds: number;
  /** When the first entries reached the page: files appear while the stream runs. */
  firstEntriesSeconds?: number;
  entries: number;
  terminal: Exclude<LayerScanEvent, { type: 'file' | 'entries' | 'progress' }> | { type: 'file'; size: number };
}

declare global {
  interface Window {
    runLayerScan(request: LayerScanRequest): Promise<BenchScanResult>;
  }
}

window.runLayerScan = (request) =>
  new Promise((resolve) => {
    const started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    let entries = 0;
    let firstEntriesSeconds: number | undefined;
    startLayerScan(request, (event) => {
      switch (event.type) {
        case 'progress':
          break;
        case 'entries':
          entries += event.entries.length;
          firstEntriesSeconds ??= elapsed();
          break;
        case 'file':
          resolve({ seconds: elapsed(), firstEntriesSeconds, entries, terminal: { type: 'file', size: event.size } });
          break;
        default:
          resolve({ seconds: elapsed(), firstEntriesSeconds, entries, terminal: event });
      }
    });
  });
