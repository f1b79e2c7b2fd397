import { randomBytes } from 'node:crypto';
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { relayableStream, relayToNode, takeNodeBody } from './node-relay.ts';

/** A Node body of `total` bytes made on demand, counting what the consumer has pulled so far. */
function generated(total: number, chunk = 64 * 1024): Readable & { produced: number } {
  let produced = 0;
  const body = new Readable({
    read() {
      if (produced >= total) {
        this.push(null);
        return;
      }
      const size = Math.min(chunk, total - produced);
      produced += size;
      this.push(Buffer.alloc(size, produced % 251));
    },
  });
  return Object.defineProperty(body, 'produced', { get: () => produced }) as Readable & { produced: number };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('relayableStream (the Web façade, no socket)', () => {
  it('reads nothing from the Node body before the first Web read', async () => {
    const body = generated(1024 * 1024);
    relayableStream(body);
    await tick();
    await tick();
    expect(body.produced).toBe(0);
  });

  it('gives Web readers the exact bytes', async () => {
    const bytes = randomBytes(300_000);
    const stream = relayableStream(Readable.from([bytes.subarray(0, 100_000), bytes.subarray(100_000)]));
    // Buffer.equals, not toEqual: a deep compare of megabytes element by element takes seconds.
    expect(Buffer.from(await new Response(stream).arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('errors the Web stream when the Node body fails, so a buffered read cannot end cleanly', async () => {
    const body = new Readable({ read() {} });
    body.push(Buffer.from('partial'));
    const reader = relayableStream(body).getReader();
    expect((await reader.read()).value).toEqual(Buffer.from('partial'));
    body.destroy(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }));
    await expect(reader.read()).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
  });

  it('destroys the Node body when the Web stream is cancelled', async () => {
    const body = generated(10 * 1024 * 1024);
    await relayableStream(body).cancel();
    expect(body.destroyed).toBe(true);
  });
});

describe('takeNodeBody', () => {
  it('hands back the Node body of an untouched façade, also through new Response(…).body', () => {
    const body = generated(10);
    const stream = relayableStream(body);
    // What the handler does: the upstream body becomes the browser response's body.
    const response = new Response(stream, { status: 200, headers: { 'content-type': 'application/octet-stream' } });
    expect(takeNodeBody(response.body)).toBe(body);
    expect(stream.locked).toBe(true);
    expect(takeNodeBody(stream)).toBeUndefined();
  });

  it('refuses a façade the Web side has read from', async () => {
    const stream = relayableStream(generated(200_000));
    const reader = stream.getReader();
    await reader.read();
    reader.releaseLock();
    expect(takeNodeBody(stream)).toBeUndefined();
  });

  it('refuses a cancelled or locked façade, a plain Web stream and no body', async () => {
    const cancelled = relayableStream(generated(10));
    await cancelled.cancel();
    const locked = relayableStream(generated(10));
    locked.getReader();
    expect(takeNodeBody(cancelled)).toBeUndefined();
    expect(takeNodeBody(locked)).toBeUndefined();
    expect(takeNodeBody(new Response('plain').body)).toBeUndefined();
    expect(takeNodeBody(null)).toBeUndefined();
  });
});

describe('relayToNode (a real ServerResponse: the point is Node streams)', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
    server = undefined;
  });

  /** Serves every request by relaying `source()` with `headers`; resolves with the base URL. */
  async function relayServer(source: () => Readable, headers: Headers, done?: (body: Readable) => void): Promise<string> {
    server = createServer((_request, response) => {
      const body = source();
      relayToNode(200, headers, body, response).then(() => done?.(body));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }

  const request = (url: string) => new Promise<IncomingMessage>((resolve, reject) => get(url, resolve).on('error', reject));

  it('delivers the exact bytes with the given headers, set-cookie kept apart, default type like hono', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const headers = new Headers({ 'content-length': String(bytes.byteLength), 'x-a': 'one' });
    headers.append('x-a', 'two');
    headers.append('set-cookie', 'a=1');
    headers.append('set-cookie', 'b=2');
    const url = await relayServer(() => Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), headers);
    const response = await fetch(url);
    expect(response.headers.get('x-a')).toBe('one, two');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=UTF-8');
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('sends the head before the first body byte, so a body that stalls is seen as stalled, not as no answer', async () => {
    let body: Readable | undefined;
    const url = await relayServer(() => (body = new Readable({ read() {} })), new Headers({ 'content-length': '10' }));
    const response = await request(url);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-length']).toBe('10');
    response.destroy();
    body!.destroy();
  });

  it('applies backpressure: a client that does not read stops the upstream body being read', async () => {
    const total = 256 * 1024 * 1024;
    let body: (Readable & { produced: number }) | undefined;
    const url = await relayServer(() => (body = generated(total)), new Headers({ 'content-length': String(total) }));
    const response = await request(url);
    response.pause();
    // Long enough for an unbounded relay to read far more than the socket buffers can hold.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const held = body!.produced;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(body!.produced).toBe(held);
    expect(held).toBeLessThan(48 * 1024 * 1024);
    response.destroy();
  });

  it('destroys the upstream body when the client goes away', async () => {
    const total = 256 * 1024 * 1024;
    let body: Readable | undefined;
    const finished = new Promise<Readable>((resolve) => {
      void relayServer(() => (body = generated(total)), new Headers({ 'content-length': String(total) }), resolve).then(async (url) => {
        const response = await request(url);
        response.once('data', () => response.destroy());
      });
    });
    expect(await finished).toBe(body);
    expect(body!.destroyed).toBe(true);
    expect(body!.readableEnded).toBe(false);
  });

  it.each([
    ['with Content-Length', true],
    ['chunked', false],
  ])('breaks the client response when the upstream body fails midway (%s), never a clean end', async (_label, withLength) => {
    const headers = new Headers(withLength ? { 'content-length': '1000000' } : {});
    const url = await relayServer(() => {
      const body = new Readable({ read() {} });
      body.push(Buffer.alloc(100_000, 1));
      setTimeout(() => body.destroy(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' })), 50);
      return body;
    }, headers);
    const response = await fetch(url);
    await expect(response.arrayBuffer()).rejects.toThrow();
  });
});
