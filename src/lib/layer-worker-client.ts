/**
 * The main-thread side of a layer pass: one module worker per pass (src/workers/layer-worker.ts),
 * events passed through as they come, the worker terminated after the pass's terminal event —
 * 'done', 'error' (including 'aborted' after cancel()) or, when extracting, 'file'.
 */
import type { ToLayerWorker } from '../workers/layer-worker';
import { layoutBlobOfProxyUrl } from './local-layouts';
import { storedAuthorizationForProxyUrl } from './registry-credentials';
import type { LayerScanEvent, LayerScanRequest } from '../oci/layer/events';

export interface LayerScanHandle {
  /** Aborts the download; the pass then ends with an 'aborted' error event. */
  cancel(): void;
  /** Resolves after the terminal event was delivered. */
  done: Promise<void>;
}

function isTerminal(event: LayerScanEvent): boolean {
  return event.type === 'done' || event.type === 'error' || event.type === 'file';
}

export function startLayerScan(request: LayerScanRequest, onEvent: (event: LayerScanEvent) => void): LayerScanHandle {
  // A worker cannot see this tab's OCI layouts: it gets the blob itself, or the pass ends here.
  const local = layoutBlobOfProxyUrl(request.url);
  if (local !== undefined && !('blob' in local)) {
    const done = Promise.resolve().then(() => onEvent({ type: 'error', kind: 'http', ...local }));
    return { cancel: () => undefined, done };
  }
  const worker = new Worker(new URL('../workers/layer-worker.ts', import.meta.url), { type: 'module' });
  let finished = false;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const deliver = (event: LayerScanEvent) => {
    if (finished) return;
    onEvent(event);
    if (!isTerminal(event)) return;
    finished = true;
    worker.terminate();
    resolveDone();
  };

  worker.onmessage = (message: MessageEvent<LayerScanEvent>) => deliver(message.data);
  // The worker's script failed to load or crashed: nothing else will arrive.
  worker.onerror = (event) => {
    event.preventDefault();
    deliver({ type: 'error', kind: 'network', message: `the layer worker failed: ${event.message || 'its script did not load'}` });
  };
  const send = (message: ToLayerWorker) => worker.postMessage(message);
  // A worker has no sessionStorage: the credentials the user entered for this registry (if any) travel with the request.
  const authorization = request.authorization ?? storedAuthorizationForProxyUrl(request.url);
  if (local) send({ type: 'scan', request: { ...request, blob: local.blob } });
  else send({ type: 'scan', request: authorization === undefined ? request : { ...request, authorization } });

  return {
    cancel: () => {
      if (!finished) send({ type: 'cancel' });
    },
    done,
  };
}
