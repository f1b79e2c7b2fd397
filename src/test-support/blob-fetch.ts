/**
 * A `fetch` that serves one scripted body, for the layer pass and verified downloads: chunk by
 * chunk as a network delivers, optionally as a byte stream (what browsers' fetch bodies are), and
 * able to break off or stall at a chosen point. It records how much was pulled and whether the
 * reader stopped the download.
 */
import type { Bytes } from './bytes';

export interface ScriptedBody {
  /** Chunks of the body, in order; `'fail'` errors the stream there; `'hang'` waits forever. */
  chunks: readonly (Bytes | 'fail' | 'hang')[];
  status?: number;
  headers?: Record<string, string>;
  /** A byte stream, as browsers' fetch bodies are: readers may then read into their own buffer. */
  bytes?: boolean;
}

export interface BodyRecord {
  /** Chunks handed to the reader. */
  pulled: number;
  /** The request was aborted or the body cancelled. */
  stopped: boolean;
}

export function scriptedBlobFetch(blob: ScriptedBody): { fetch: typeof fetch; record: BodyRecord } {
  const record: BodyRecord = { pulled: 0, stopped: false };
  const fetchImpl = async (_input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const signal = init?.signal ?? undefined;
    const queue = [...blob.chunks];
    const source: UnderlyingDefaultSource<Uint8Array> = {
      start(controller) {
        signal?.addEventListener('abort', () => {
          record.stopped = true;
          controller.error(new DOMException('The operation was aborted.', 'AbortError'));
        });
      },
      pull(controller) {
        const next = queue.shift();
        if (next === undefined) {
          controller.close();
          // A byte stream closed under a pending BYOB read must answer that read (Streams spec).
          (controller as unknown as ReadableByteStreamController).byobRequest?.respond(0);
        } else if (next === 'fail') controller.error(new TypeError('network connection lost'));
        else if (next === 'hang') return new Promise<void>(() => {});
        else {
          record.pulled++;
          controller.enqueue(next);
        }
        return undefined;
      },
      cancel() {
        record.stopped = true;
      },
    };
    const body = blob.bytes
      ? new ReadableStream({ ...(source as unknown as UnderlyingByteSource), type: 'bytes' })
      : new ReadableStream(source);
    return new Response(body, { status: blob.status ?? 200, headers: blob.headers });
  };
  return { fetch: fetchImpl as typeof fetch, record };
}
