/**
 * The main-thread side of a ranged file read: plans it from a verified pass (its entry, its
 * checkpoints) and runs it in its own worker (src/workers/file-read-worker.ts), with the
 * credentials the user entered for the registry, as the layer pass does.
 */
import type { StreamCheckpoint } from '../../oci/layer/checkpoints';
import type { Compression } from '../../oci/layer/events';
import { planFileRead, type FileReadEvent } from '../../oci/layer/file-read';
import type { TarEntry } from '../../oci/layer/tar-entry';
import type { ToFileReadWorker } from '../../workers/file-read-worker';
import { storedAuthorizationForProxyUrl } from '../registry-credentials';

/** What a verified pass knows that a read of one of its files needs. */
export interface IndexedFile {
  url: string;
  compression: Compression;
  checkpoints: readonly StreamCheckpoint[];
  blobSize?: number;
  entry: TarEntry;
}

/** Reads the first `limit` bytes of one file (all of it when small enough to verify); never rejects. */
export function readIndexedFile(file: IndexedFile, limit: number, signal: AbortSignal): Promise<FileReadEvent> {
  const { entry } = file;
  const plan = planFileRead(
    {
      compression: file.compression,
      checkpoints: file.checkpoints,
      blobSize: file.blobSize,
      dataOffset: entry.dataOffset,
      size: entry.size,
      contentDigest: entry.contentDigest,
    },
    limit,
  );
  const authorization = storedAuthorizationForProxyUrl(file.url);
  const worker = new Worker(new URL('../../workers/file-read-worker.ts', import.meta.url), { type: 'module' });
  const send = (message: ToFileReadWorker) => worker.postMessage(message);
  return new Promise<FileReadEvent>((resolve) => {
    const finish = (event: FileReadEvent) => {
      worker.terminate();
      resolve(event);
    };
    worker.onmessage = (message: MessageEvent<FileReadEvent>) => finish(message.data);
    worker.onerror = (event) => {
      event.preventDefault();
      finish({ type: 'error', kind: 'network', message: `the file reader failed: ${event.message || 'its script did not load'}` });
    };
    signal.addEventListener('abort', () => send({ type: 'cancel' }));
    send({ type: 'read', request: { url: file.url, plan, ...(authorization !== undefined && { authorization }) } });
  });
}
