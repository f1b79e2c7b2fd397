import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlockedAddressError, UpstreamUnreachableError } from './errors.ts';
import { createGuardedLookup, createNodeFetch, type Resolver } from './node-fetch.ts';

const resolver =
  (table: Record<string, LookupAddress[]>): Resolver =>
  async (hostname) => {
    const addresses = table[hostname];
    if (addresses === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses;
  };

const v4 = (address: string): LookupAddress => ({ address, family: 4 });
const v6 = (address: string): LookupAddress => ({ address, family: 6 });

const DNS = resolver({
  'public.test': [v4('93.184.216.34'), v6('2606:2800:220:1:248:1893:25c8:1946')],
  'private.test': [v4('10.0.0.1')],
  'metadata.test': [v4('169.254.169.254')],
  'mixed.test': [v4('93.184.216.34'), v4('192.168.1.10')],
  'mapped.test': [v6('::ffff:127.0.0.1')],
  'loopback.test': [v4('127.0.0.1')],
  'v6only.test': [v6('2606:4700::1')],
});

/** Calls the lookup the way `net.connect` does and reports what it answered. */
function lookup(hostname: string, options: { all?: boolean; family?: number } = {}) {
  return new Promise<{ error: unknown; address: unknown; family: unknown }>((resolve) => {
    createGuardedLookup(DNS)(hostname, options, (error, address, family) => resolve({ error, address, family }));
  });
}

describe('createGuardedLookup', () => {
  it.each(['private.test', 'metadata.test', 'mapped.test', 'loopback.test'])(
    'refuses %s, which resolves to a blocked address',
    async (hostname) => {
      const { error } = await lookup(hostname, { all: true });
      expect(error).toBeInstanceOf(BlockedAddressError);
    },
  );

  it('refuses a name when any one of its addresses is blocked', async () => {
    const { error } = await lookup('mixed.test', { all: true });
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect((error as BlockedAddressError).detail).toEqual({ host: 'mixed.test', address: '192.168.1.10' });
  });

  it('hands back exactly the checked addresses for a public name (all: true, as Happy Eyeballs asks)', async () => {
    expect(await lookup('public.test', { all: true })).toEqual({
      error: null,
      address: [v4('93.184.216.34'), v6('2606:2800:220:1:248:1893:25c8:1946')],
      family: undefined,
    });
  });

  it('answers a single address when not asked for all', async () => {
    expect(await lookup('public.test')).toEqual({ error: null, address: '93.184.216.34', family: 4 });
  });

  it('honours a requested address family', async () => {
    expect(await lookup('public.test', { family: 6 })).toMatchObject({
      address: '2606:2800:220:1:248:1893:25c8:1946',
      family: 6,
    });
    expect(((await lookup('v6only.test', { family: 4 })).error as NodeJS.ErrnoException).code).toBe('ENOTFOUND');
  });

  it('passes resolver errors on unchanged', async () => {
    expect(((await lookup('nx.test')).error as NodeJS.ErrnoException).code).toBe('ENOTFOUND');
  });
});

describe('createNodeFetch (no connection is made: each request fails at lookup)', () => {
  const upstream = createNodeFetch({ resolve: DNS });
  afterAll(() => upstream.close());

  it('refuses a hostname that resolves to a private address, naming the hop', async () => {
    const error = await upstream.fetch('https://private.test:8443/v2/', { method: 'GET' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect((error as BlockedAddressError).detail).toEqual({ host: 'private.test:8443', address: '10.0.0.1' });
  });

  it('refuses literal blocked addresses itself, without DNS', async () => {
    const error = await upstream.fetch('http://[::1]:5000/v2/', { method: 'GET' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlockedAddressError);
  });

  it('maps NXDOMAIN to PROXY_UNREACHABLE with cause ENOTFOUND', async () => {
    const error = await upstream.fetch('https://nx.test/v2/', { method: 'GET' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamUnreachableError);
    expect((error as UpstreamUnreachableError).detail).toEqual({ host: 'nx.test', cause: 'ENOTFOUND' });
  });
});

describe('createNodeFetch against a local server (the one place a socket is needed)', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(`hello ${request.headers['user-agent']}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses the loopback server by default', async () => {
    const upstream = createNodeFetch({ resolve: DNS });
    const error = await upstream.fetch(`http://loopback.test:${port}/`, { method: 'GET' }).catch((e: unknown) => e);
    await upstream.close();
    expect(error).toBeInstanceOf(BlockedAddressError);
  });

  it('connects when the host:port is allowlisted', async () => {
    const upstream = createNodeFetch({ resolve: DNS, allowHosts: [`loopback.test:${port}`] });
    const response = await upstream.fetch(`http://loopback.test:${port}/`, {
      method: 'GET',
      headers: { 'user-agent': 'ociscope-proxy' },
    });
    expect(await response.text()).toBe('hello ociscope-proxy');
    await upstream.close();
  });

  it('still refuses other ports of an allowlisted host', async () => {
    const upstream = createNodeFetch({ resolve: DNS, allowHosts: [`loopback.test:${port}`] });
    const error = await upstream.fetch(`http://loopback.test:${port + 1}/`, { method: 'GET' }).catch((e: unknown) => e);
    await upstream.close();
    expect(error).toBeInstanceOf(BlockedAddressError);
  });

  it('maps a refused connection to PROXY_UNREACHABLE with cause ECONNREFUSED', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const upstream = createNodeFetch({ allowHosts: [`127.0.0.1:${closedPort}`] });
    const error = await upstream.fetch(`http://127.0.0.1:${closedPort}/`, { method: 'GET' }).catch((e: unknown) => e);
    await upstream.close();
    expect((error as UpstreamUnreachableError).detail).toEqual({ host: `127.0.0.1:${closedPort}`, cause: 'ECONNREFUSED' });
  });
});

describe('createNodeFetch timeouts (a stalled registry frees the proxy quickly)', () => {
  let server: Server;
  let port: number;
  /** Sockets left open on purpose by the stalling routes, destroyed when the suite ends. */
  const held: Socket[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      held.push(request.socket);
      if (request.url === '/no-headers') return;
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.write('first chunk');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('gives up on a connection that cannot be made within connectMs (DNS that never answers included)', async () => {
    const upstream = createNodeFetch({ resolve: () => new Promise(() => {}), timeouts: { connectMs: 100 } });
    const error = await upstream.fetch('https://stalled-dns.test/v2/', { method: 'GET' }).catch((e: unknown) => e);
    await upstream.close();
    expect(error).toBeInstanceOf(UpstreamUnreachableError);
    expect((error as UpstreamUnreachableError).detail).toEqual({ host: 'stalled-dns.test', cause: 'timeout' });
  });

  it('gives up when response headers do not arrive within headersMs', async () => {
    const upstream = createNodeFetch({ allowHosts: [`127.0.0.1:${port}`], timeouts: { headersMs: 100 } });
    const error = await upstream.fetch(`http://127.0.0.1:${port}/no-headers`, { method: 'GET' }).catch((e: unknown) => e);
    await upstream.close();
    expect(error).toBeInstanceOf(UpstreamUnreachableError);
    expect((error as UpstreamUnreachableError).detail).toEqual({ host: `127.0.0.1:${port}`, cause: 'timeout' });
  });

  it('breaks off a body that pauses longer than bodyIdleMs', async () => {
    const upstream = createNodeFetch({ allowHosts: [`127.0.0.1:${port}`], timeouts: { bodyIdleMs: 100 } });
    const response = await upstream.fetch(`http://127.0.0.1:${port}/stall-body`, { method: 'GET' });
    const error = await response.arrayBuffer().catch((e: unknown) => e);
    await upstream.close();
    expect(error).toBeInstanceOf(TypeError);
    expect(((error as TypeError).cause as NodeJS.ErrnoException).code).toBe('UND_ERR_BODY_TIMEOUT');
  });
});
