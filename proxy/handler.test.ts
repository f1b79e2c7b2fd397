import { describe, expect, it } from 'vitest';
import { BlockedAddressError, UpstreamUnreachableError } from './errors.ts';
import { createProxyHandler, type ProxyHandlerOptions } from './handler.ts';
import type { UpstreamFetch } from './upstream-fetch.ts';
import { scriptedUpstream, type UpstreamRoute } from '../src/test-support/upstream.ts';

const SHA256 = `sha256:${'a'.repeat(64)}`;
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const MANIFEST = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}';

function proxy(fetch: UpstreamFetch, options: Omit<ProxyHandlerOptions, 'fetch'> = {}) {
  const handler = createProxyHandler({ fetch, ...options });
  return (path: string, init?: RequestInit) => handler(new Request(`http://proxy.test${path}`, init));
}

const bearer = (params: string) =>
  new Response('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}', {
    status: 401,
    headers: { 'content-type': 'application/json', 'www-authenticate': `Bearer ${params}` },
  });

const json = (body: unknown, init: ResponseInit = {}) =>
  new Response(JSON.stringify(body), { ...init, headers: { 'content-type': 'application/json', ...init.headers } });

const manifest = (extraHeaders: Record<string, string> = {}) =>
  new Response(MANIFEST, { headers: { 'content-type': OCI_MANIFEST, ...extraHeaders } });

const redirect = (location: string, status = 307) => new Response(null, { status, headers: { location } });

const errorBody = async (response: Response) =>
  ((await response.json()) as { errors: { code: string; detail: Record<string, unknown> }[] }).errors[0];

const GHCR_MANIFEST = 'https://ghcr.io/v2/foo/bar/manifests/v1';
const GHCR_CHALLENGE = 'realm="https://ghcr.io/token",service="ghcr.io",scope="repository:foo/bar:pull"';
const GHCR_TOKEN = 'https://ghcr.io/token?service=ghcr.io&scope=repository%3Afoo%2Fbar%3Apull';

/** ghcr.io-like: every request needs a Bearer token that the realm hands out. */
function tokenRegistry(tokenAnswer: () => Response, valid: (authorization: string | null) => boolean) {
  return scriptedUpstream({
    [GHCR_MANIFEST]: ({ headers }) => (valid(headers.get('authorization')) ? manifest() : bearer(GHCR_CHALLENGE)),
    [GHCR_TOKEN]: tokenAnswer,
  });
}

describe('anonymous Bearer token flow', () => {
  it('answers a challenge with a token and retries once', async () => {
    const registry = tokenRegistry(
      () => json({ token: 't1', expires_in: 300 }),
      (auth) => auth === 'Bearer t1',
    );
    const response = await proxy(registry.fetch)('/registry/ghcr.io/v2/foo/bar/manifests/v1');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(MANIFEST);
    expect(registry.urls()).toEqual([GHCR_MANIFEST, GHCR_TOKEN, GHCR_MANIFEST]);
    expect(registry.calls[0]!.headers.get('authorization')).toBeNull();
    expect(registry.calls[1]!.headers.get('authorization')).toBeNull();
    expect(registry.calls[2]!.headers.get('authorization')).toBe('Bearer t1');
  });

  it('reuses a cached token: the second request makes no token call', async () => {
    const registry = tokenRegistry(
      () => json({ token: 't1', expires_in: 300 }),
      (auth) => auth === 'Bearer t1',
    );
    const get = proxy(registry.fetch);
    await (await get('/registry/ghcr.io/v2/foo/bar/manifests/v1')).text();
    const second = await get('/registry/ghcr.io/v2/foo/bar/manifests/v1');
    expect(second.status).toBe(200);
    expect(registry.urls().filter((url) => url === GHCR_TOKEN)).toHaveLength(1);
  });

  it('fetches a new token when the cached one is about to expire', async () => {
    let clock = 1_000_000;
    let issued = 0;
    const registry = tokenRegistry(
      () => json({ token: `t${++issued}` }),
      (auth) => auth === `Bearer t${issued}`,
    );
    const get = proxy(registry.fetch, { now: () => clock });
    await get('/registry/ghcr.io/v2/foo/bar/manifests/v1');
    clock += 45_000; // expires_in defaults to 60 s; still fresh
    await get('/registry/ghcr.io/v2/foo/bar/manifests/v1');
    expect(issued).toBe(1);
    clock += 10_000; // within the renewal margin
    const response = await get('/registry/ghcr.io/v2/foo/bar/manifests/v1');
    expect(issued).toBe(2);
    expect(response.status).toBe(200);
    expect(registry.calls.at(-1)!.headers.get('authorization')).toBe('Bearer t2');
  });

  it('accepts access_token (OAuth2 form) in the token answer', async () => {
    const registry = tokenRegistry(
      () => json({ access_token: 'a1' }),
      (auth) => auth === 'Bearer a1',
    );
    expect((await proxy(registry.fetch)('/registry/ghcr.io/v2/foo/bar/manifests/v1')).status).toBe(200);
  });

  it('omits an absent service and derives the scope from the path when the challenge has none', async () => {
    const registry = scriptedUpstream({
      'https://registry.example/v2/team/app/manifests/v1': ({ headers }) =>
        headers.get('authorization') === 'Bearer s1' ? manifest() : bearer('realm="https://auth.example/token"'),
      'https://auth.example/token?scope=repository%3Ateam%2Fapp%3Apull': () => json({ token: 's1' }),
    });
    const response = await proxy(registry.fetch)('/registry/registry.example/v2/team/app/manifests/v1');
    expect(response.status).toBe(200);
  });

  it('shares one token call between concurrent requests', async () => {
    const registry = tokenRegistry(
      () => json({ token: 't1' }),
      (auth) => auth === 'Bearer t1',
    );
    const get = proxy(registry.fetch);
    const responses = await Promise.all([1, 2, 3].map(() => get('/registry/ghcr.io/v2/foo/bar/manifests/v1')));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(registry.urls().filter((url) => url === GHCR_TOKEN)).toHaveLength(1);
  });

  it('passes a second 401 through with WWW-Authenticate readable by the page', async () => {
    const registry = tokenRegistry(
      () => json({ token: 'useless' }),
      () => false,
    );
    const response = await proxy(registry.fetch)('/registry/ghcr.io/v2/foo/bar/manifests/v1');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(`Bearer ${GHCR_CHALLENGE}`);
    expect(response.headers.get('access-control-expose-headers')).toContain('www-authenticate');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-ociscope-proxy')).toBeNull();
    expect(registry.urls()).toEqual([GHCR_MANIFEST, GHCR_TOKEN, GHCR_MANIFEST]);
  });

  it('passes a Basic 401 through without a token call, minus the challenge that would make the browser prompt', async () => {
    const registry = scriptedUpstream({
      'https://private.example/v2/': () =>
        new Response(null, { status: 401, headers: { 'www-authenticate': 'Basic realm="Registry Realm"' } }),
    });
    const response = await proxy(registry.fetch)('/registry/private.example/v2/');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBeNull();
    expect(registry.calls).toHaveLength(1);
  });

  it('drops a challenge list that mixes Bearer with a scheme browsers answer themselves', async () => {
    const registry = scriptedUpstream({
      'https://private.example/v2/': () =>
        new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer service="x", Basic realm="r"' } }),
    });
    const response = await proxy(registry.fetch)('/registry/private.example/v2/');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBeNull();
  });

  it('reports a failing token endpoint as PROXY_AUTH_FAILED with its status', async () => {
    const registry = tokenRegistry(
      () => new Response('nope', { status: 503 }),
      () => false,
    );
    const response = await proxy(registry.fetch)('/registry/ghcr.io/v2/foo/bar/manifests/v1');
    expect(response.status).toBe(502);
    expect(response.headers.get('x-ociscope-proxy')).toBe('error');
    expect(await errorBody(response)).toMatchObject({
      code: 'PROXY_AUTH_FAILED',
      detail: { realm: 'https://ghcr.io/token', status: 503 },
    });
  });

  it.each([
    ['no token', () => json({ expires_in: 300 })],
    ['not JSON', () => new Response('<html>')],
    ['a header-breaking token', () => json({ token: 'a\r\nx-evil: 1' })],
    ['over 64 KiB', () => json({ token: 't', padding: 'x'.repeat(64 * 1024) })],
  ])('reports a token answer with %s as PROXY_AUTH_FAILED', async (_, answer) => {
    const registry = tokenRegistry(answer, () => false);
    const response = await proxy(registry.fetch)('/registry/ghcr.io/v2/foo/bar/manifests/v1');
    expect(response.status).toBe(502);
    expect((await errorBody(response))?.code).toBe('PROXY_AUTH_FAILED');
  });

  it('refuses a realm on a blocked address without contacting it', async () => {
    const registry = scriptedUpstream({
      [GHCR_MANIFEST]: () => bearer('realm="http://169.254.169.254/latest/meta-data/"'),
    });
    const response = await proxy(registry.fetch)('/registry/ghcr.io/v2/foo/bar/manifests/v1');
    expect(response.status).toBe(403);
    expect(await errorBody(response)).toMatchObject({
      code: 'PROXY_BLOCKED_ADDRESS',
      detail: { host: '169.254.169.254', address: '169.254.169.254' },
    });
    expect(registry.calls).toHaveLength(1);
  });

  it('refuses a realm that is not http(s)', async () => {
    const registry = scriptedUpstream({ [GHCR_MANIFEST]: () => bearer('realm="file:///etc/passwd"') });
    const response = await proxy(registry.fetch)('/registry/ghcr.io/v2/foo/bar/manifests/v1');
    expect(response.status).toBe(502);
    expect((await errorBody(response))?.code).toBe('PROXY_AUTH_FAILED');
  });
});

describe('redirects', () => {
  const BLOB = `https://ghcr.io/v2/foo/bar/blobs/${SHA256}`;
  const BLOB_PATH = `/registry/ghcr.io/v2/foo/bar/blobs/${SHA256}`;

  it('follows a redirect to another host and drops the Authorization header', async () => {
    const registry = scriptedUpstream({
      [BLOB]: ({ headers }) =>
        headers.get('authorization') === 'Bearer t1' ? redirect('https://cdn.example/blobs/abc?sig=1') : bearer(GHCR_CHALLENGE),
      [GHCR_TOKEN]: () => json({ token: 't1' }),
      'https://cdn.example/blobs/abc?sig=1': () => new Response('layer bytes'),
    });
    const response = await proxy(registry.fetch)(BLOB_PATH);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('layer bytes');
    expect(registry.urls()).toEqual([BLOB, GHCR_TOKEN, BLOB, 'https://cdn.example/blobs/abc?sig=1']);
    expect(registry.calls[3]!.headers.get('authorization')).toBeNull();
    expect(registry.calls[3]!.headers.get('accept-encoding')).toBe('identity');
  });

  it('resolves a relative Location against the hop and keeps the token on the same origin', async () => {
    const registry = scriptedUpstream({
      [BLOB]: ({ headers }) => (headers.get('authorization') === 'Bearer t1' ? redirect('../storage/abc', 302) : bearer(GHCR_CHALLENGE)),
      [GHCR_TOKEN]: () => json({ token: 't1' }),
      'https://ghcr.io/v2/foo/bar/storage/abc': ({ headers }) =>
        new Response(headers.get('authorization') === 'Bearer t1' ? 'ok' : 'no token', { status: 200 }),
    });
    const response = await proxy(registry.fetch)(BLOB_PATH);
    expect(await response.text()).toBe('ok');
  });

  it('gets a redirect target its own token when it challenges for itself', async () => {
    const registry = scriptedUpstream({
      [BLOB]: ({ headers }) =>
        headers.get('authorization') === 'Bearer t1' ? redirect('https://blobs.example/abc') : bearer(GHCR_CHALLENGE),
      [GHCR_TOKEN]: () => json({ token: 't1' }),
      'https://blobs.example/abc': ({ headers }) =>
        headers.get('authorization') === 'Bearer cdn'
          ? new Response('from cdn')
          : bearer('realm="https://auth.blobs.example/token",service="blobs"'),
      'https://auth.blobs.example/token?service=blobs&scope=repository%3Afoo%2Fbar%3Apull': () => json({ token: 'cdn' }),
    });
    const response = await proxy(registry.fetch)(BLOB_PATH);
    expect(await response.text()).toBe('from cdn');
    expect(registry.calls[3]!.headers.get('authorization')).toBeNull();
  });

  const chain = (hops: number) => {
    const routes: Record<string, UpstreamRoute> = {};
    for (let hop = 0; hop < hops; hop++) {
      routes[`https://r${hop}.example/next`] = () => redirect(`https://r${hop + 1}.example/next`, 301);
    }
    routes[`https://r${hops}.example/next`] = () => new Response('end');
    routes[BLOB] = () => redirect('https://r0.example/next');
    return scriptedUpstream(routes);
  };

  it('follows five redirects', async () => {
    const response = await proxy(chain(4).fetch)(BLOB_PATH);
    expect(await response.text()).toBe('end');
  });

  it('gives up after five redirects with PROXY_TOO_MANY_REDIRECTS', async () => {
    const registry = chain(5);
    const response = await proxy(registry.fetch)(BLOB_PATH);
    expect(response.status).toBe(502);
    expect(await errorBody(response)).toMatchObject({
      code: 'PROXY_TOO_MANY_REDIRECTS',
      detail: { host: 'ghcr.io', limit: 5 },
    });
    expect(registry.calls).toHaveLength(6);
  });

  it.each(['file:///etc/passwd', 'ftp://ghcr.io/x', 'javascript:alert(1)', 'https://user:pw@cdn.example/x'])(
    'refuses to follow Location %s',
    async (location) => {
      const registry = scriptedUpstream({ [BLOB]: () => redirect(location) });
      const response = await proxy(registry.fetch)(BLOB_PATH);
      expect(response.status).toBe(502);
      expect((await errorBody(response))?.code).toBe('PROXY_UNREACHABLE');
      expect(registry.calls).toHaveLength(1);
    },
  );

  it.each(['http://169.254.169.254/latest/meta-data/', 'http://[::1]:5000/', 'http://localhost/', 'http://0x7f.1/'])(
    'refuses a redirect to the blocked address %s',
    async (location) => {
      const registry = scriptedUpstream({ [BLOB]: () => redirect(location) });
      const response = await proxy(registry.fetch)(BLOB_PATH);
      expect(response.status).toBe(403);
      expect((await errorBody(response))?.code).toBe('PROXY_BLOCKED_ADDRESS');
      expect(registry.calls).toHaveLength(1);
    },
  );

  it('never passes a Location header to the browser', async () => {
    const registry = scriptedUpstream({ [BLOB]: () => new Response(null, { status: 302 }) });
    const response = await proxy(registry.fetch)(BLOB_PATH);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBeNull();
  });
});

describe('address policy on the registry host', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['10.1.2.3', '10.1.2.3'],
    ['169.254.169.254', '169.254.169.254'],
    ['[::1]', '::1'],
    ['[::ffff:127.0.0.1]', '::ffff:7f00:1'],
    ['0x7f.1', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['017700000001', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['localhost:5000', '127.0.0.1'],
    ['registry.localhost', '127.0.0.1'],
  ])('blocks %s without contacting it', async (host, address) => {
    const registry = scriptedUpstream({});
    const response = await proxy(registry.fetch)(`/registry/${host}/v2/`);
    expect(response.status).toBe(403);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await errorBody(response)).toMatchObject({ code: 'PROXY_BLOCKED_ADDRESS', detail: { address } });
    expect(registry.calls).toHaveLength(0);
  });

  it.each([
    ['127.0.0.1:5000', 'http://127.0.0.1:5000/v2/'],
    ['localhost:5000', 'http://localhost:5000/v2/'],
    ['[::1]:5000', 'http://[::1]:5000/v2/'],
    ['10.1.2.3:5000', 'https://10.1.2.3:5000/v2/'],
  ])('contacts %s when it is in allowHosts', async (host, upstream) => {
    const registry = scriptedUpstream({ [upstream]: () => json({}) });
    const response = await proxy(registry.fetch, { allowHosts: [host] })(`/registry/${host}/v2/`);
    expect(response.status).toBe(200);
    expect(registry.urls()).toEqual([upstream]);
  });

  it('allows a host only on the allowlisted port', async () => {
    const registry = scriptedUpstream({});
    const response = await proxy(registry.fetch, { allowHosts: ['127.0.0.1:5000'] })('/registry/127.0.0.1:5001/v2/');
    expect(response.status).toBe(403);
  });

  it('maps typed errors from the upstream fetch', async () => {
    const blocked: UpstreamFetch = () => Promise.reject(new BlockedAddressError({ host: 'rebind.example', address: '10.0.0.7' }));
    const response = await proxy(blocked)('/registry/rebind.example/v2/');
    expect(response.status).toBe(403);
    expect(await errorBody(response)).toMatchObject({ detail: { host: 'rebind.example', address: '10.0.0.7' } });
  });
});

describe('network failures', () => {
  it('reports a typed unreachable error with its cause', async () => {
    const failing: UpstreamFetch = () => Promise.reject(new UpstreamUnreachableError({ host: 'nx.example', cause: 'ENOTFOUND' }));
    const response = await proxy(failing)('/registry/nx.example/v2/');
    expect(response.status).toBe(502);
    expect(await errorBody(response)).toMatchObject({
      code: 'PROXY_UNREACHABLE',
      detail: { host: 'nx.example', cause: 'ENOTFOUND' },
    });
  });

  it('reports an untyped fetch failure (a plain platform fetch) as unreachable', async () => {
    const failing: UpstreamFetch = () => Promise.reject(new TypeError('fetch failed'));
    const response = await proxy(failing)('/registry/nx.example/v2/');
    expect(await errorBody(response)).toMatchObject({ code: 'PROXY_UNREACHABLE', detail: { cause: 'network' } });
  });

  it('passes the browser request signal upstream and lets an abort propagate', async () => {
    const controller = new AbortController();
    const seen: AbortSignal[] = [];
    const hanging: UpstreamFetch = (_, init) =>
      new Promise((_, reject) => {
        seen.push(init.signal!);
        init.signal!.addEventListener('abort', () => reject(init.signal!.reason));
      });
    const pending = proxy(hanging)('/registry/ghcr.io/v2/', { signal: controller.signal });
    await Promise.resolve();
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect(seen[0]!.aborted).toBe(true);
  });
});

describe('request headers', () => {
  it('forwards only the allowlist and adds identity encoding and the user agent', async () => {
    const registry = scriptedUpstream({ 'https://ghcr.io/v2/foo/bar/manifests/v1': () => manifest() });
    await proxy(registry.fetch)('/registry/ghcr.io/v2/foo/bar/manifests/v1', {
      headers: {
        accept: OCI_MANIFEST,
        range: 'bytes=0-99',
        'if-none-match': '"etag"',
        'if-modified-since': 'Wed, 21 Oct 2015 07:28:00 GMT',
        cookie: 'session=secret',
        host: 'internal.example',
        authorization: 'Basic dXNlcjpwYXNz',
        'x-forwarded-for': '203.0.113.9',
        'x-forwarded-host': 'evil.example',
        'accept-encoding': 'gzip, br',
        'user-agent': 'Mozilla/5.0',
        origin: 'http://proxy.test',
      },
    });
    expect(Object.fromEntries(registry.calls[0]!.headers)).toEqual({
      accept: OCI_MANIFEST,
      range: 'bytes=0-99',
      'if-none-match': '"etag"',
      'if-modified-since': 'Wed, 21 Oct 2015 07:28:00 GMT',
      'accept-encoding': 'identity',
      'user-agent': 'ociscope-proxy',
    });
  });
});

describe('response headers', () => {
  it('passes the allowlist, exposes it, and drops everything else', async () => {
    const registry = scriptedUpstream({
      'https://ghcr.io/v2/foo/bar/manifests/v1': () =>
        manifest({
          'docker-content-digest': SHA256,
          'docker-distribution-api-version': 'registry/2.0',
          etag: `"${SHA256}"`,
          'ratelimit-remaining': '99;w=21600',
          'set-cookie': 'tracking=1',
          location: 'https://elsewhere.example/',
          server: 'nginx/1.0',
          'strict-transport-security': 'max-age=1',
          'x-internal': 'secret',
        }),
    });
    const response = await proxy(registry.fetch)('/registry/ghcr.io/v2/foo/bar/manifests/v1');
    expect(response.headers.get('docker-content-digest')).toBe(SHA256);
    expect(response.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    expect(response.headers.get('etag')).toBe(`"${SHA256}"`);
    expect(response.headers.get('ratelimit-remaining')).toBe('99;w=21600');
    expect(response.headers.get('content-type')).toBe(OCI_MANIFEST);
    for (const dropped of ['set-cookie', 'location', 'server', 'strict-transport-security', 'x-internal']) {
      expect(response.headers.get(dropped)).toBeNull();
    }
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const exposed = response.headers.get('access-control-expose-headers')!.split(', ');
    expect(exposed).toEqual(expect.arrayContaining(['docker-content-digest', 'link', 'www-authenticate', 'ratelimit-remaining', 'etag']));
  });

  it('drops Content-Length when the registry sent an encoding anyway (fetch decodes it)', async () => {
    const registry = scriptedUpstream({
      [`https://ghcr.io/v2/a/blobs/${SHA256}`]: () =>
        new Response('decoded', { headers: { 'content-encoding': 'gzip', 'content-length': '3' } }),
    });
    const response = await proxy(registry.fetch)(`/registry/ghcr.io/v2/a/blobs/${SHA256}`);
    expect(response.headers.get('content-length')).toBeNull();
    expect(await response.text()).toBe('decoded');
  });
});

describe('bodies', () => {
  it('streams blobs without waiting for the end', async () => {
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('first chunk'));
      },
      cancel() {
        cancelled = true;
      },
    });
    const registry = scriptedUpstream({ [`https://ghcr.io/v2/a/blobs/${SHA256}`]: () => new Response(endless) });
    const response = await proxy(registry.fetch)(`/registry/ghcr.io/v2/a/blobs/${SHA256}`);
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('first chunk');
    await reader.cancel();
    expect(cancelled).toBe(true);
  });

  it('answers HEAD with headers only', async () => {
    const registry = scriptedUpstream({
      'https://ghcr.io/v2/a/manifests/v1': ({ method }) =>
        new Response(null, {
          headers: { 'content-type': OCI_MANIFEST, 'content-length': '1234', 'docker-content-digest': SHA256 },
          status: method === 'HEAD' ? 200 : 500,
        }),
    });
    const response = await proxy(registry.fetch)('/registry/ghcr.io/v2/a/manifests/v1', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.body).toBeNull();
    expect(response.headers.get('content-length')).toBe('1234');
    expect(response.headers.get('docker-content-digest')).toBe(SHA256);
  });

  it('passes a manifest under the cap with an exact Content-Length', async () => {
    const registry = scriptedUpstream({ 'https://ghcr.io/v2/a/manifests/v1': () => manifest() });
    const response = await proxy(registry.fetch)('/registry/ghcr.io/v2/a/manifests/v1');
    expect(response.headers.get('content-length')).toBe(String(MANIFEST.length));
    expect(await response.text()).toBe(MANIFEST);
  });

  it('refuses a manifest whose Content-Length is over 4 MiB before reading it', async () => {
    let pulled = false;
    const body = new ReadableStream(
      {
        pull() {
          pulled = true;
        },
      },
      { highWaterMark: 0 },
    );
    const registry = scriptedUpstream({
      'https://ghcr.io/v2/a/manifests/v1': () => new Response(body, { headers: { 'content-length': String(4 * 1024 * 1024 + 1) } }),
    });
    const response = await proxy(registry.fetch)('/registry/ghcr.io/v2/a/manifests/v1');
    expect(response.status).toBe(502);
    expect(await errorBody(response)).toMatchObject({
      code: 'PROXY_TOO_LARGE',
      detail: { host: 'ghcr.io', limit: 4 * 1024 * 1024 },
    });
    expect(pulled).toBe(false);
  });

  it('counts manifest bytes as they arrive when there is no Content-Length', async () => {
    const MiB = new Uint8Array(1024 * 1024);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent++;
        controller.enqueue(MiB);
      },
    });
    const registry = scriptedUpstream({ 'https://ghcr.io/v2/a/manifests/v1': () => new Response(body) });
    const response = await proxy(registry.fetch)('/registry/ghcr.io/v2/a/manifests/v1');
    expect(response.status).toBe(502);
    expect((await errorBody(response))?.code).toBe('PROXY_TOO_LARGE');
    expect(sent).toBeLessThanOrEqual(6);
  });

  it.each([
    ['breaks off', Object.assign(new TypeError('terminated'), { cause: { code: 'UND_ERR_SOCKET' } }), 'truncated'],
    ['goes idle', Object.assign(new TypeError('terminated'), { cause: { code: 'UND_ERR_BODY_TIMEOUT' } }), 'timeout'],
  ])('a manifest body that %s is the registry being unreachable, not a crash', async (_what, failure, cause) => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"schemaVersion":'));
        controller.error(failure);
      },
    });
    const registry = scriptedUpstream({
      'https://ghcr.io/v2/a/manifests/v1': () => new Response(body, { headers: { 'content-type': OCI_MANIFEST } }),
    });
    const response = await proxy(registry.fetch)('/registry/ghcr.io/v2/a/manifests/v1');
    expect(response.status).toBe(502);
    expect(await errorBody(response)).toMatchObject({ code: 'PROXY_UNREACHABLE', detail: { host: 'ghcr.io', cause } });
  });

  it('honours a configured manifest limit', async () => {
    const registry = scriptedUpstream({ 'https://ghcr.io/v2/a/manifests/v1': () => manifest() });
    const response = await proxy(registry.fetch, { limits: { maxManifestBytes: 10 } })('/registry/ghcr.io/v2/a/manifests/v1');
    expect(response.status).toBe(502);
  });
});

describe('Cache-Control', () => {
  const ok = () => new Response('{}', { headers: { 'content-type': 'application/json' } });
  it.each([
    [`/registry/ghcr.io/v2/a/manifests/${SHA256}`, `https://ghcr.io/v2/a/manifests/${SHA256}`, 'public, max-age=31536000, immutable'],
    [`/registry/ghcr.io/v2/a/blobs/${SHA256}`, `https://ghcr.io/v2/a/blobs/${SHA256}`, 'public, max-age=31536000, immutable'],
    ['/registry/ghcr.io/v2/a/manifests/latest', 'https://ghcr.io/v2/a/manifests/latest', 'no-cache'],
    ['/registry/ghcr.io/v2/a/tags/list?n=10', 'https://ghcr.io/v2/a/tags/list?n=10', 'no-cache'],
    [`/registry/ghcr.io/v2/a/referrers/${SHA256}`, `https://ghcr.io/v2/a/referrers/${SHA256}`, 'no-cache'],
    ['/registry/ghcr.io/v2/', 'https://ghcr.io/v2/', 'no-cache'],
  ])('%s -> %s', async (path, upstream, expected) => {
    const registry = scriptedUpstream({ [upstream]: ok });
    const response = await proxy(registry.fetch)(path);
    expect(response.headers.get('cache-control')).toBe(expected);
  });

  it('never lets caches store registry errors, even for digests', async () => {
    const registry = scriptedUpstream({
      [`https://ghcr.io/v2/a/manifests/${SHA256}`]: () => json({ errors: [{ code: 'MANIFEST_UNKNOWN' }] }, { status: 404 }),
    });
    const response = await proxy(registry.fetch)(`/registry/ghcr.io/v2/a/manifests/${SHA256}`);
    expect(response.status).toBe(404);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await errorBody(response)).toMatchObject({ code: 'MANIFEST_UNKNOWN' });
  });

  it('marks manifests, and only manifests, as varying by Accept, whatever the registry said', async () => {
    const registry = scriptedUpstream({
      'https://ghcr.io/v2/a/manifests/latest': () => manifest({ vary: 'Cookie' }),
      [`https://ghcr.io/v2/a/blobs/${SHA256}`]: ok,
    });
    expect((await proxy(registry.fetch)('/registry/ghcr.io/v2/a/manifests/latest')).headers.get('vary')).toBe('Accept');
    expect((await proxy(registry.fetch)(`/registry/ghcr.io/v2/a/blobs/${SHA256}`)).headers.get('vary')).toBeNull();
  });

  it('ignores the registry’s own Cache-Control', async () => {
    const registry = scriptedUpstream({
      'https://ghcr.io/v2/a/manifests/latest': () => manifest({ 'cache-control': 'public, max-age=99999' }),
    });
    const response = await proxy(registry.fetch)('/registry/ghcr.io/v2/a/manifests/latest');
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });
});

describe('upstream URL', () => {
  it.each([
    ['/registry/docker.io/v2/library/alpine/manifests/latest', 'https://registry-1.docker.io/v2/library/alpine/manifests/latest'],
    ['/registry/quay.io/v2/a/tags/list?n=5000&last=v1', 'https://quay.io/v2/a/tags/list?n=1000&last=v1'],
    ['/registry/localhost:5000/v2/', 'http://localhost:5000/v2/'],
    ['/registry/127.0.0.1:5000/v2/', 'http://127.0.0.1:5000/v2/'],
    ['/registry/[::1]:5000/v2/', 'http://[::1]:5000/v2/'],
    ['/registry/registry.example:5000/v2/', 'https://registry.example:5000/v2/'],
  ])('%s -> %s', async (path, upstream) => {
    const registry = scriptedUpstream({ [upstream]: () => json({}) });
    const response = await proxy(registry.fetch, {
      allowHosts: ['localhost:5000', '127.0.0.1:5000', '[::1]:5000'],
    })(path);
    expect(response.status).toBe(200);
    expect(registry.urls()).toEqual([upstream]);
  });
});

describe('request validation', () => {
  it.each([
    ['/registry/docker.io/v2/library/alpine/../../../../etc/passwd', 'path'],
    ['/registry/docker.io/v2/library%2falpine/manifests/latest', 'path'],
    ['/registry/docker.io/v2/Library/Alpine/manifests/latest', 'repository'],
    ['/registry/docker.io/v2/library/alpine/manifests/sha256:1234', 'digest'],
    ['/registry/docker.io/v2/library/alpine/blobs/uploads/', 'path'],
    ['/registry/docker.io/v2/library/alpine/tags/list?x=1', 'query'],
  ])('%s -> 400 naming the %s', async (path, part) => {
    const registry = scriptedUpstream({});
    const response = await proxy(registry.fetch)(path);
    expect(response.status).toBe(400);
    expect(response.headers.get('x-ociscope-proxy')).toBe('error');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-expose-headers')).toContain('X-Ociscope-Proxy');
    const error = await errorBody(response);
    expect(error).toMatchObject({ code: 'PROXY_BAD_REQUEST', detail: { part } });
    expect(registry.calls).toHaveLength(0);
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('refuses %s with 405 and Allow', async (method) => {
    const registry = scriptedUpstream({});
    const response = await proxy(registry.fetch)('/registry/docker.io/v2/', { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect((await errorBody(response))?.code).toBe('PROXY_METHOD_NOT_ALLOWED');
    expect(registry.calls).toHaveLength(0);
  });

  it('answers a CORS preflight locally', async () => {
    const registry = scriptedUpstream({});
    const response = await proxy(registry.fetch)('/registry/docker.io/v2/library/alpine/manifests/latest', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, HEAD, OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toBe('accept, range, if-none-match, if-modified-since');
    expect(registry.calls).toHaveLength(0);
  });
});
