/**
 * Module worker for the second stage of a layer pass (see tar-index-protocol.ts): diff_id and
 * tar index over the decompressed bytes the layer worker sends, one scan per worker.
 */
import type { FromTarIndex, ToTarIndex } from './tar-index-protocol';
import { LayerScanError } from '../oci/layer/events';
import { LocalTarIndex } from '../oci/layer/tar-index';

function post(message: FromTarIndex): void {
  const transfer = message.type === 'event' && message.event.type === 'file' ? [message.event.bytes.buffer] : [];
  self.postMessage(message, { transfer });
}

function failed(error: unknown): FromTarIndex {
  return error instanceof LayerScanError
    ? { type: 'failed', kind: error.kind, message: error.message, ...(error.code !== undefined && { code: error.code }) }
    : { type: 'failed', message: error instanceof Error ? error.message : String(error) };
}

let index: Promise<LocalTarIndex> | undefined;
/** Messages are handled one after another: creating the index is asynchronous. */
let queue = Promise.resolve();

async function handle(message: ToTarIndex): Promise<void> {
  switch (message.type) {
    case 'start':
      index = LocalTarIndex.create(message.options, (event) => post({ type: 'event', event }));
      break;
    case 'chunks': {
      const sink = await index!;
      let bytes = 0;
      for (const chunk of message.chunks) {
        sink.write(chunk);
        bytes += chunk.length;
      }
      post({ type: 'consumed', bytes, wanted: await sink.ready() });
      break;
    }
    case 'end':
      post({ type: 'summary', summary: await (await index!).end() });
      break;
  }
}

self.onmessage = (event: MessageEvent<ToTarIndex>) => {
  queue = queue.then(() => handle(event.data)).catch((error: unknown) => post(failed(error)));
};
