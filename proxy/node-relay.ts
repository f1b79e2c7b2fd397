/**
 * The Node fast path for proxied bodies: upstream socket to browser socket without Web streams.
 *
 * The handler is Web-standard (it must run unmodified on workerd), so a body crosses it as a
 * `ReadableStream`. In Node 20 every chunk through a Web stream costs promises, microtasks and
 * a reader hop on each side, which on a 100 MB blob is most of the proxy's CPU. So the Node
 * upstream fetch (node-fetch.ts) hands the handler a Web stream that is only a façade over the
 * undici body (a Node Readable): it pulls nothing until someone reads it. When the Response the
 * handler returns still carries that façade untouched (never read, locked or cancelled), the Node
 * server takes the Node Readable back out (`takeNodeBody`) and pipes it into the ServerResponse
 * (`relayToNode`) with Node's own backpressure. Anything that does read the façade — the handler
 * buffering a manifest or a token answer, or a runtime without this module — gets ordinary
 * Web-stream semantics, so the handler's contract is unchanged.
 *
 * The guarantees of the Web path hold on the fast path too: a client that goes away destroys the
 * upstream body (which aborts the upstream request), and an upstream body that fails or stops
 * short destroys the client response, so the browser sees a broken transfer, never a clean end.
 */
import type { ServerResponse } from 'node:http';
import { pipeline, type Readable } from 'node:stream';

interface Facade {
  readonly body: Readable;
  /** 'fresh' until the Web side reads or cancels it, or the Node side takes the body. */
  state: 'fresh' | 'web' | 'taken';
}

/** Façade stream → its Node body. Weak, so an abandoned response is collected with its body. */
const facades = new WeakMap<ReadableStream<Uint8Array>, Facade>();

/**
 * A Web ReadableStream over `body` that reads it lazily (high-water mark 0: nothing is pulled
 * before the first read), registered so `takeNodeBody` can recognise it. Cancelling it destroys
 * `body`; an error of `body` errors the stream.
 */
export function relayableStream(body: Readable): ReadableStream<Uint8Array> {
  const facade: Facade = { body, state: 'fresh' };
  // undici's body emits 'error' even when destroyed on purpose (cancel, abort); a listener must
  // exist until a consumer (the Web reader or the pipe) attaches its own, or that error would be
  // an uncaught exception. Consumers still see every error through their own listeners.
  body.on('error', ignore);
  let chunks: AsyncIterator<Uint8Array> | undefined;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        facade.state = 'web';
        chunks ??= body[Symbol.asyncIterator]();
        // The iterator rejects when `body` errors or closes before its end, erroring the stream.
        const next = await chunks.next();
        if (next.done === true) controller.close();
        else controller.enqueue(next.value);
      },
      cancel(reason) {
        facade.state = 'web';
        body.destroy(reason instanceof Error ? reason : undefined);
      },
    },
    { highWaterMark: 0 },
  );
  facades.set(stream, facade);
  return stream;
}

/**
 * The Node body behind `stream` when it is an untouched façade, else undefined. Taking it locks
 * the façade (a reader is acquired and never used), so the bytes have exactly one consumer.
 */
export function takeNodeBody(stream: ReadableStream<Uint8Array> | null): Readable | undefined {
  if (stream === null) return undefined;
  const facade = facades.get(stream);
  if (facade === undefined || facade.state !== 'fresh' || stream.locked) return undefined;
  facade.state = 'taken';
  stream.getReader();
  return facade.body;
}

function ignore(): void {}

/** hono's fallback when a body has no Content-Type, kept so both paths send the same headers. */
const DEFAULT_CONTENT_TYPE = 'text/plain; charset=UTF-8';

/**
 * Writes `status` and `headers` (as a Web Headers, so names and joined values are exactly what
 * the Web path sends) and pipes `body` into `outgoing`. Resolves when the transfer is over,
 * either way: errors are handled here by destroying the other side, never thrown.
 */
export function relayToNode(status: number, headers: Headers, body: Readable, outgoing: ServerResponse): Promise<void> {
  const record: Record<string, string | string[]> = {};
  for (const [name, value] of headers) record[name] = value;
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) record['set-cookie'] = cookies;
  record['content-type'] ??= DEFAULT_CONTENT_TYPE;
  outgoing.writeHead(status, record);
  // Send the head now, not with the first body chunk: a registry that stalls after its headers
  // must look like that to the browser ("did not finish sending"), not like one that never answered.
  outgoing.flushHeaders();
  return new Promise((resolve) => {
    // pipeline destroys both streams on failure: an upstream error (truncation, idle timeout)
    // destroys the response, so the client's transfer breaks instead of ending cleanly; a client
    // that goes away (premature close) destroys the upstream body, which aborts its request.
    pipeline(body, outgoing, () => resolve());
  });
}
