/**
 * Module worker for one ranged file read (src/oci/layer/file-read.ts), started by
 * src/lib/layer-store/file-read-client.ts: `{type:'read', request}` starts it, `{type:'cancel'}`
 * aborts the download; the one FileReadEvent is posted back, its bytes transferred. Off the main
 * thread because decoding from a checkpoint can mean up to 4 MiB of tar and hashing up to 16 MiB.
 */
import { readFileRange, type FileReadEvent, type FileReadRequest } from '../oci/layer/file-read';

export type ToFileReadWorker = { type: 'read'; request: FileReadRequest } | { type: 'cancel' };

let cancel: AbortController | undefined;

function post(event: FileReadEvent): void {
  self.postMessage(event, { transfer: event.type === 'read' ? [event.bytes.buffer] : [] });
}

self.onmessage = (message: MessageEvent<ToFileReadWorker>) => {
  const data = message.data;
  if (data.type === 'read') {
    cancel = new AbortController();
    void readFileRange(data.request, { signal: cancel.signal }).then(post);
  } else {
    cancel?.abort();
  }
};
