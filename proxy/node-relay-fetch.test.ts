/**
 * The Node fast path end to end: createNodeFetch's `undici.request` path (a local upstream
 * server, since the point is what goes over a socket) and the Node server piping its body.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { UpstreamUnreachableError } from './errors.ts';
import { createProxyHandler } from './handler.ts';
import { createNodeFetch, type NodeUpstream } from './node-fetch.ts';
import * as relay from './node-relay.ts';
import { createApp, startServer, type RunningServer } from './node-server.ts';
import { sha256Digest } from '../src/test-support/digest.ts';

vi.mock('./node-relay.ts', async (importOriginal) => {
  const original = await importOriginal<typeof relay>();
  return { ...original, relayToNode: vi.fn(original.relayToNode) };
});

const BLOB = randomBytes(4 * 1024 * 1024 + 3);
const DIGEST = sha256Digest(BLOB);
const MANUAL = { redirect: 'manual' } as const;
/** Well-formed digests (the proxy validates them) naming the misbehaving upstream routes. */
const TRUNCATED = `sha256:${'1'.repeat(64)}`;
const ENDLESS = `sha256:${'2'.repeat(64)}`;

let upstreamServer: Server;
let host: string;
/** What the upstream saw: request headers, and whether each response was cut off before its end. */
const seen: { headers: IncomingMessage['headers']; closedEarly: Promise<boolean> }[] = [];

function route(request: IncomingMessage, response: ServerResponse): void {
  const path = request.url ?? '';
  if (path === '/headers') {
    response.end(JSON.stringify(request.headers));
  } else if (path.endsWith(`/blobs/${DIGEST}`)) {
    response.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(BLOB.byteLength),
      'docker-content-digest': DIGEST,
      'set-cookie': 'registry=secret',
      server: 'registry/2.8',
    });
    if (request.method === 'HEAD') response.end();
    else response.end(BLOB);
  } else if (path.endsWith(`/blobs/${TRUNCATED}`)) {
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(BLOB.byteLength) });
    response.write(BLOB.subarray(0, 1024 * 1024), () => setTimeout(() => response.socket?.destroy(), 20));
  } else if (path.endsWith(`/blobs/${ENDLESS}`)) {
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
    const more = () => {
      while (response.write(Buffer.alloc(64 * 1024, 7)));
    };
    response.on('drain', more);
    more();
  } else if (path === '/gzip') {
    response.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/json' });
    response.end(gzipSync('{"decoded":true}'));
  } else if (path === '/redirect') {
    response.writeHead(307, { location: '/elsewhere' });
    response.end('moved');
  } else if (path === '/weird-status') {
    response.writeHead(600);
    response.end();
  } else {
    response.writeHead(404);
    response.end();
  }
}

beforeAll(async () => {
  upstreamServer = createServer((request, response) => {
    seen.push({
      headers: request.headers,
      closedEarly: new Promise((resolve) => response.once('close', () => resolve(!response.writableFinished))),
    });
    route(request, response);
  });
  await new Promise<void>((resolve) => upstreamServer.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(upstreamServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  upstreamServer.closeAllConnections();
  await new Promise<void>((resolve) => upstreamServer.close(() => resolve()));
});
beforeEach(() => {
  seen.length = 0;
  vi.mocked(relay.relayToNode).mockClear();
});

describe('createNodeFetch fast path (GET/HEAD, redirect manual)', () => {
  let upstream: NodeUpstream;
  beforeAll(() => {
    upstream = createNodeFetch({ allowHosts: [host] });
  });
  afterAll(() => upstream.close());
  const url = (path: string) => `http://${host}${path}`;

  it('answers with a relayable body of the exact bytes; other requests keep using fetch', async () => {
    const fast = await upstream.fetch(url(`/v2/a/blobs/${DIGEST}`), { method: 'GET', ...MANUAL });
    const taken = relay.takeNodeBody(fast.body);
    expect(taken).toBeDefined();
    taken!.destroy();
    const viaWeb = await upstream.fetch(url(`/v2/a/blobs/${DIGEST}`), { method: 'GET', ...MANUAL });
    expect(Buffer.from(await viaWeb.arrayBuffer()).equals(BLOB)).toBe(true);
    const followed = await upstream.fetch(url(`/v2/a/blobs/${DIGEST}`), { method: 'GET' });
    expect(relay.takeNodeBody(followed.body)).toBeUndefined();
    await followed.body?.cancel();
  });

  it('sends the given headers, and Accept: */* when none is given, as fetch does', async () => {
    const plain = await upstream.fetch(url('/headers'), { method: 'GET', headers: { 'user-agent': 'ociscope-proxy' }, ...MANUAL });
    expect(await plain.json()).toMatchObject({ accept: '*/*', 'user-agent': 'ociscope-proxy' });
    const negotiated = await upstream.fetch(url('/headers'), {
      method: 'GET',
      headers: new Headers({ accept: 'application/json' }),
      ...MANUAL,
    });
    expect(await negotiated.json()).toMatchObject({ accept: 'application/json' });
  });

  it('answers HEAD with no body and the upstream headers', async () => {
    const response = await upstream.fetch(url(`/v2/a/blobs/${DIGEST}`), { method: 'HEAD', ...MANUAL });
    expect(response.body).toBeNull();
    expect(response.headers.get('content-length')).toBe(String(BLOB.byteLength));
    expect(response.headers.get('docker-content-digest')).toBe(DIGEST);
  });

  it('does not follow redirects', async () => {
    const response = await upstream.fetch(url('/redirect'), { method: 'GET', ...MANUAL });
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe('/elsewhere');
    await response.body?.cancel();
  });

  it('decodes a Content-Encoding the registry sent anyway, like fetch', async () => {
    const response = await upstream.fetch(url('/gzip'), { method: 'GET', ...MANUAL });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(await response.json()).toEqual({ decoded: true });
  });

  it('refuses Fetch bad ports without connecting, as fetch does', async () => {
    const smtp = createNodeFetch({ allowHosts: ['127.0.0.1:25'] });
    const error = await smtp.fetch('http://127.0.0.1:25/v2/', { method: 'GET', ...MANUAL }).catch((e: unknown) => e);
    await smtp.close();
    expect((error as UpstreamUnreachableError).detail).toEqual({ host: '127.0.0.1:25', cause: 'bad port' });
  });

  it('reports a status a Response cannot carry as the registry being unreachable', async () => {
    const error = await upstream.fetch(url('/weird-status'), { method: 'GET', ...MANUAL }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamUnreachableError);
    expect((error as UpstreamUnreachableError).detail).toEqual({ host, cause: 'invalid status 600' });
  });

  it('stops the upstream transfer when the signal aborts mid-body', async () => {
    const abort = new AbortController();
    const response = await upstream.fetch(url(`/v2/a/blobs/${ENDLESS}`), { method: 'GET', signal: abort.signal, ...MANUAL });
    const reader = response.body!.getReader();
    await reader.read();
    abort.abort();
    await expect(reader.read().then(() => reader.read())).rejects.toThrow();
    expect(await seen.at(-1)!.closedEarly).toBe(true);
  });
});

describe('the Node server relays proxied blobs over the fast path', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, allowHosts: [host], distDir: '/nonexistent' });
  });
  afterAll(() => server.close());
  const proxied = (digest: string) => `${server.url}/registry/${host}/v2/a/blobs/${digest}`;
  /** Headers that differ per connection or response, not per proxy path. */
  const stable = (headers: Headers) =>
    [...headers].filter(([name]) => !['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(name));

  it('sends the exact bytes with the same headers (CSP, cache-control, CORS) as the Web path', async () => {
    const response = await fetch(proxied(DIGEST));
    expect(Buffer.from(await response.arrayBuffer()).equals(BLOB)).toBe(true);
    expect(relay.relayToNode).toHaveBeenCalledTimes(1);

    // The same handler and upstream, answered through hono without a Node response: the Web path.
    const upstream = createNodeFetch({ allowHosts: [host] });
    const web = await createApp({
      proxy: createProxyHandler({ fetch: upstream.fetch, allowHosts: [host] }),
      distDir: '/nonexistent',
    }).request(`/registry/${host}/v2/a/blobs/${DIGEST}`);
    expect(Buffer.from(await web.arrayBuffer()).equals(BLOB)).toBe(true);
    await upstream.close();
    expect(relay.relayToNode).toHaveBeenCalledTimes(1);

    expect(stable(response.headers)).toEqual(stable(web.headers));
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox; frame-ancestors 'none'");
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('server')).toBeNull();
  });

  it('answers HEAD without the relay', async () => {
    const response = await fetch(proxied(DIGEST), { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(BLOB.byteLength));
    expect(relay.relayToNode).not.toHaveBeenCalled();
  });

  it('breaks the browser response when the upstream body stops short, never a clean end', async () => {
    const response = await fetch(proxied(TRUNCATED));
    expect(response.status).toBe(200);
    await expect(response.arrayBuffer()).rejects.toThrow();
    expect(relay.relayToNode).toHaveBeenCalledTimes(1);
  });

  it('closes the upstream transfer when the browser goes away', async () => {
    const abort = new AbortController();
    const response = await fetch(proxied(ENDLESS), { signal: abort.signal });
    const reader = response.body!.getReader();
    await reader.read();
    abort.abort();
    expect(await seen.at(-1)!.closedEarly).toBe(true);
  });
});
