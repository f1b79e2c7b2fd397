import { describe, expect, it } from 'vitest';
import { basicAuthorization, parseDockerConfig, type RegistryCredential, type RegistryCredentials } from './credentials.ts';
import { createProxyHandler } from './handler.ts';
import { cacheControlFor } from './header-policy.ts';
import { createTokenSource } from './token-auth.ts';
import type { UpstreamFetch } from './upstream-fetch.ts';
import { scriptedUpstream } from '../src/test-support/upstream.ts';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const MANIFEST = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}';
const SHA256 = `sha256:${'b'.repeat(64)}`;

const manifest = () => new Response(MANIFEST, { headers: { 'content-type': OCI_MANIFEST } });
const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
const challenge = (value: string) =>
  new Response('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}', {
    status: 401,
    headers: { 'content-type': 'application/json', 'www-authenticate': value },
  });
const redirect = (location: string) => new Response(null, { status: 307, headers: { location } });

const b64 = (text: string) => btoa(text);
const ALICE = basicAuthorization('alice', 's3cret');

async function credentialsFor(auths: Record<string, unknown>): Promise<ReadonlyMap<string, RegistryCredential>> {
  return parseDockerConfig(JSON.stringify({ auths }));
}

function proxy(fetch: UpstreamFetch, credentials?: RegistryCredentials, now?: () => number) {
  const handler = createProxyHandler({
    fetch,
    ...(credentials === undefined ? {} : { credentials }),
    ...(now === undefined ? {} : { now }),
  });
  return (path: string) => handler(new Request(`http://proxy.test${path}`));
}

describe('parseDockerConfig', () => {
  it('reads auth, username/password and identitytoken entries, keyed by lowercased host', async () => {
    const credentials = await credentialsFor({
      'Registry.Example:5000': { auth: b64('alice:pa:ss') },
      'https://ghcr.io': { username: 'bob', password: 'pw' },
      'quay.io': { identitytoken: 'refresh-me' },
      'empty.example': {},
    });
    expect(credentials.get('registry.example:5000')).toMatchObject({ kind: 'basic', username: 'alice', password: 'pa:ss' });
    expect(credentials.get('ghcr.io')).toMatchObject({ kind: 'basic', username: 'bob', password: 'pw' });
    expect(credentials.get('quay.io')).toMatchObject({ kind: 'identitytoken', token: 'refresh-me' });
    expect(credentials.has('empty.example')).toBe(false);
  });

  it("maps Docker's own Hub key to the Hub API host only", async () => {
    const credentials = await credentialsFor({ 'https://index.docker.io/v1/': { auth: b64('u:p') } });
    expect([...credentials.keys()]).toEqual(['registry-1.docker.io']);
  });

  it('gives each credential an id that names its host but never holds its secret', async () => {
    const credentials = await credentialsFor({ 'a.example': { auth: b64('alice:s3cret') }, 'b.example': { auth: b64('alice:other') } });
    const a = credentials.get('a.example')!;
    expect(a.id).toMatch(/^a\.example#[0-9a-f]{16}$/);
    expect(a.id).not.toContain('s3cret');
    expect(a.id).not.toContain(b64('alice:s3cret'));
    expect(credentials.get('b.example')!.id).not.toBe(a.id);
  });

  it('refuses malformed files without echoing secrets', async () => {
    await expect(parseDockerConfig('nope')).rejects.toThrow('not JSON');
    await expect(parseDockerConfig('{}')).rejects.toThrow('no "auths"');
    await expect(credentialsFor({ 'a.example': { auth: '!!!' } })).rejects.toThrow('not base64');
    await expect(credentialsFor({ 'a.example': { auth: b64('nocolon') } })).rejects.toThrow('user:password');
    await expect(credentialsFor({ 'a.example': { username: 'u', password: 'p\r\nX-Evil: 1' } })).rejects.toThrow(/control characters$/);
  });
});

describe('server-side credentials', () => {
  const PRIVATE = 'https://private.example/v2/team/app/manifests/v1';

  it('answers a Basic challenge with Basic credentials for that host and marks the response private', async () => {
    const registry = scriptedUpstream({
      [PRIVATE]: ({ headers }) => (headers.get('authorization') === ALICE ? manifest() : challenge('Basic realm="Registry"')),
    });
    const credentials = await credentialsFor({ 'private.example': { auth: b64('alice:s3cret') } });
    const response = await proxy(registry.fetch, credentials)('/registry/private.example/v2/team/app/manifests/v1');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(MANIFEST);
    expect(registry.authorizations(PRIVATE)).toEqual([null, ALICE]);
    expect(response.headers.get('cache-control')).toBe('private, no-cache');
  });

  it('without credentials for the host, passes the Basic challenge through as 401 (no-store)', async () => {
    const registry = scriptedUpstream({ [PRIVATE]: () => challenge('Basic realm="Registry"') });
    const credentials = await credentialsFor({ 'other.example': { auth: b64('alice:s3cret') } });
    const response = await proxy(registry.fetch, credentials)('/registry/private.example/v2/team/app/manifests/v1');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBeNull();
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(registry.authorizations(PRIVATE)).toEqual([null]);
  });

  it('returns the second 401 when the registry rejects the configured credentials (no loop)', async () => {
    const registry = scriptedUpstream({ [PRIVATE]: () => challenge('Basic realm="Registry"') });
    const credentials = await credentialsFor({ 'private.example': { auth: b64('alice:wrong') } });
    const response = await proxy(registry.fetch, credentials)('/registry/private.example/v2/team/app/manifests/v1');
    expect(response.status).toBe(401);
    expect(registry.calls).toHaveLength(2);
  });

  const TOKEN_REALM = 'https://private.example/token';
  const CHALLENGE = `Bearer realm="${TOKEN_REALM}",service="private.example",scope="repository:team/app:pull"`;
  const TOKEN_URL = `${TOKEN_REALM}?service=private.example&scope=repository%3Ateam%2Fapp%3Apull`;

  it('fetches a Bearer token at a same-host realm with Basic credentials (docker token spec)', async () => {
    const registry = scriptedUpstream({
      [PRIVATE]: ({ headers }) => (headers.get('authorization') === 'Bearer private-t' ? manifest() : challenge(CHALLENGE)),
      [`${TOKEN_URL}&account=alice`]: ({ headers }) =>
        headers.get('authorization') === ALICE ? json({ token: 'private-t', expires_in: 300 }) : new Response(null, { status: 401 }),
    });
    const credentials = await credentialsFor({ 'private.example': { auth: b64('alice:s3cret') } });
    const response = await proxy(registry.fetch, credentials)('/registry/private.example/v2/team/app/manifests/v1');
    expect(response.status).toBe(200);
    expect(registry.authorizations(PRIVATE)).toEqual([null, 'Bearer private-t']);
    expect(response.headers.get('cache-control')).toBe('private, no-cache');
  });

  it('uses an identity token as the OAuth2 refresh_token grant, POSTed to the realm', async () => {
    const registry = scriptedUpstream({
      [PRIVATE]: ({ headers }) => (headers.get('authorization') === 'Bearer oauth-t' ? manifest() : challenge(CHALLENGE)),
      [TOKEN_REALM]: ({ method, body, headers }) => {
        const form = new URLSearchParams(body);
        const ok =
          method === 'POST' &&
          headers.get('authorization') === null &&
          form.get('grant_type') === 'refresh_token' &&
          form.get('refresh_token') === 'refresh-me' &&
          form.get('service') === 'private.example' &&
          form.get('scope') === 'repository:team/app:pull';
        return ok ? json({ access_token: 'oauth-t', expires_in: 300 }) : new Response(null, { status: 400 });
      },
    });
    const credentials = await credentialsFor({ 'private.example': { identitytoken: 'refresh-me' } });
    const response = await proxy(registry.fetch, credentials)('/registry/private.example/v2/team/app/manifests/v1');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-cache');
  });

  it('logs in at the realm its own challenge names, on another host, with its credentials (docker token spec)', async () => {
    const realm = 'https://auth.elsewhere.example/token';
    const registry = scriptedUpstream({
      [PRIVATE]: ({ headers }) =>
        headers.get('authorization') === 'Bearer alice-t'
          ? manifest()
          : challenge(`Bearer realm="${realm}",service="private.example",scope="repository:team/app:pull"`),
      [`${realm}?service=private.example&scope=repository%3Ateam%2Fapp%3Apull&account=alice`]: ({ headers }) =>
        headers.get('authorization') === ALICE ? json({ token: 'alice-t' }) : new Response(null, { status: 401 }),
    });
    const credentials = await credentialsFor({ 'private.example': { auth: b64('alice:s3cret') } });
    const response = await proxy(registry.fetch, credentials)('/registry/private.example/v2/team/app/manifests/v1');
    expect(response.status).toBe(200);
    // The registry itself only ever sees the token, never the password.
    expect(registry.authorizations(PRIVATE)).toEqual([null, 'Bearer alice-t']);
    expect(response.headers.get('cache-control')).toBe('private, no-cache');
  });

  it('sends the registry credentials to no realm over plain http to a public host', async () => {
    const realm = 'http://auth.elsewhere.example/token';
    const registry = scriptedUpstream({
      [PRIVATE]: ({ headers }) =>
        headers.get('authorization') === 'Bearer anon-t'
          ? manifest()
          : challenge(`Bearer realm="${realm}",service="private.example",scope="repository:team/app:pull"`),
      [`${realm}?service=private.example&scope=repository%3Ateam%2Fapp%3Apull`]: () => json({ token: 'anon-t' }),
    });
    const credentials = await credentialsFor({ 'private.example': { auth: b64('alice:s3cret') } });
    const response = await proxy(registry.fetch, credentials)('/registry/private.example/v2/team/app/manifests/v1');
    expect(response.status).toBe(200);
    for (const call of registry.calls) expect(call.headers.get('authorization')).not.toBe(ALICE);
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it("answers a redirect target's challenge only with credentials configured for its realm's host", async () => {
    const BLOB = `https://private.example/v2/team/app/blobs/${SHA256}`;
    const CDN = 'https://cdn.example/blob';
    const realm = 'https://auth.cdn.example/token';
    const BOB = basicAuthorization('bob', 'pw');
    const registry = scriptedUpstream({
      [BLOB]: ({ headers }) => (headers.get('authorization') === ALICE ? redirect(CDN) : challenge('Basic realm="r"')),
      [CDN]: ({ headers }) =>
        headers.get('authorization') === 'Bearer bob-t' ? new Response('bytes') : challenge(`Bearer realm="${realm}"`),
      [`${realm}?scope=repository%3Ateam%2Fapp%3Apull&account=bob`]: ({ headers }) =>
        headers.get('authorization') === BOB ? json({ token: 'bob-t' }) : new Response(null, { status: 401 }),
    });
    const credentials = await credentialsFor({
      'private.example': { auth: b64('alice:s3cret') },
      'auth.cdn.example': { auth: b64('bob:pw') },
    });
    const response = await proxy(registry.fetch, credentials)(`/registry/private.example/v2/team/app/blobs/${SHA256}`);
    expect(response.status).toBe(200);
    for (const call of registry.calls.filter((c) => !c.url.startsWith('https://private.example/'))) {
      expect(call.headers.get('authorization')).not.toBe(ALICE);
    }
  });

  it('fetches a new token once when the registry rejects a cached one before its stated expiry', async () => {
    const realm = 'https://private.example/token';
    let issued = 0;
    let accepted = 'Bearer alice-1';
    const registry = scriptedUpstream({
      [PRIVATE]: ({ headers }) =>
        headers.get('authorization') === accepted ? manifest() : challenge(`Bearer realm="${realm}",service="s"`),
      [`${realm}?service=s&scope=repository%3Ateam%2Fapp%3Apull&account=alice`]: () =>
        json({ token: `alice-${++issued}`, expires_in: 3600 }),
    });
    const get = proxy(registry.fetch, await credentialsFor({ 'private.example': { auth: b64('alice:s3cret') } }));
    expect((await get('/registry/private.example/v2/team/app/manifests/v1')).status).toBe(200);
    accepted = 'Bearer alice-2'; // revoked at the registry: alice-1 is still cached by the proxy
    expect((await get('/registry/private.example/v2/team/app/manifests/v1')).status).toBe(200);
    expect(registry.authorizations(PRIVATE)).toEqual([null, 'Bearer alice-1', null, 'Bearer alice-1', 'Bearer alice-2']);
    accepted = 'nothing any more';
    // A fresh token refused on its merits is not retried in a loop.
    expect((await get('/registry/private.example/v2/team/app/manifests/v1')).status).toBe(401);
    expect(issued).toBe(3);
  });

  it('sends no Authorization to a redirect target on another host, and re-challenges there', async () => {
    const BLOB = `https://private.example/v2/team/app/blobs/${SHA256}`;
    const CDN = 'https://cdn.example/blob?sig=1';
    const registry = scriptedUpstream({
      [BLOB]: ({ headers }) => (headers.get('authorization') === ALICE ? redirect(CDN) : challenge('Basic realm="r"')),
      [CDN]: ({ headers }) => (headers.get('authorization') === null ? challenge('Basic realm="cdn"') : new Response('leaked')),
    });
    const credentials = await credentialsFor({ 'private.example': { auth: b64('alice:s3cret') } });
    const response = await proxy(registry.fetch, credentials)(`/registry/private.example/v2/team/app/blobs/${SHA256}`);
    // The CDN's own Basic challenge is not answered with the registry's credentials.
    expect(response.status).toBe(401);
    expect(registry.authorizations(CDN)).toEqual([null]);
  });

  it('sends no credentials over plain http to a non-loopback host (a downgrade redirect)', async () => {
    const HTTP = 'http://private.example/v2/team/app/manifests/v1';
    const registry = scriptedUpstream({
      [PRIVATE]: () => redirect(HTTP),
      [HTTP]: () => challenge('Basic realm="r"'),
    });
    const credentials = await credentialsFor({ 'private.example': { auth: b64('alice:s3cret') } });
    const response = await proxy(registry.fetch, credentials)('/registry/private.example/v2/team/app/manifests/v1');
    expect(response.status).toBe(401);
    expect(registry.authorizations(HTTP)).toEqual([null]);
  });

  it('marks a digest-addressed response made with credentials private, never public or immutable', async () => {
    const BLOB = `https://private.example/v2/team/app/blobs/${SHA256}`;
    const registry = scriptedUpstream({
      [BLOB]: ({ headers }) => (headers.get('authorization') === ALICE ? new Response('bytes') : challenge('Basic realm="r"')),
    });
    const credentials = await credentialsFor({ 'private.example': { auth: b64('alice:s3cret') } });
    const response = await proxy(registry.fetch, credentials)(`/registry/private.example/v2/team/app/blobs/${SHA256}`);
    expect(response.status).toBe(200);
    const cacheControl = response.headers.get('cache-control')!;
    expect(cacheControl).toBe('private, max-age=31536000');
    expect(cacheControl).not.toMatch(/public|immutable/);
  });

  it('refreshes a credentialed token on expiry', async () => {
    const PUBLIC = 'https://open.example/v2/team/app/manifests/v1';
    const realm = 'https://open.example/token';
    let issued = 0;
    const registry = scriptedUpstream({
      [PUBLIC]: ({ headers }) =>
        headers.get('authorization')?.startsWith('Bearer ') ? manifest() : challenge(`Bearer realm="${realm}",service="s"`),
      [`${realm}?service=s&scope=repository%3Ateam%2Fapp%3Apull&account=alice`]: () => json({ token: `alice-${++issued}`, expires_in: 60 }),
    });
    let now = 0;
    const get = proxy(registry.fetch, await credentialsFor({ 'open.example': { auth: b64('alice:s3cret') } }), () => now);
    await get('/registry/open.example/v2/team/app/manifests/v1');
    await get('/registry/open.example/v2/team/app/manifests/v1');
    now = 60_000;
    await get('/registry/open.example/v2/team/app/manifests/v1');
    const bearers = registry.authorizations(PUBLIC).filter((auth) => auth?.startsWith('Bearer '));
    expect(bearers).toEqual(['Bearer alice-1', 'Bearer alice-1', 'Bearer alice-2']);
  });
});

describe('token cache keyed by credential identity', () => {
  it('never hands an anonymous token to a credentialed request, or the other way round', async () => {
    const realm = 'https://open.example/token';
    const tokenUrl = `${realm}?service=s&scope=repository%3Ateam%2Fapp%3Apull`;
    let issued = 0;
    const registry = scriptedUpstream({
      [tokenUrl]: () => json({ token: `anon-${++issued}`, expires_in: 300 }),
      [`${tokenUrl}&account=alice`]: () => json({ token: `alice-${++issued}`, expires_in: 300 }),
      [`${tokenUrl}&account=bob`]: () => json({ token: `bob-${++issued}`, expires_in: 300 }),
    });
    const alice = await credentialsFor({ 'open.example': { auth: b64('alice:s3cret') } });
    const bob = await credentialsFor({ 'open.example': { auth: b64('bob:pw') } });
    let current: ReadonlyMap<string, RegistryCredential> = new Map();
    const tokens = createTokenSource({ fetch: registry.fetch, now: () => 0, maxTokenBytes: 4096, maxCachedTokens: 10 });
    const ask = () =>
      tokens.tokenFor({ realm, service: 's' }, 'repository:team/app:pull', {
        assertHostAllowed: () => {},
        credentialFor: async (url) => {
          const credential = current.get(url.host);
          return credential === undefined ? undefined : { credential, use: 'server' };
        },
      });
    expect(await ask()).toMatchObject({ token: 'anon-1', credentials: 'none', reused: false });
    current = alice;
    expect(await ask()).toMatchObject({ token: 'alice-2', credentials: 'server', reused: false });
    current = bob;
    expect(await ask()).toMatchObject({ token: 'bob-3', credentials: 'server' });
    current = new Map();
    expect(await ask()).toMatchObject({ token: 'anon-1', credentials: 'none', reused: true });
    current = alice;
    expect(await ask()).toMatchObject({ token: 'alice-2', credentials: 'server', reused: true });
    expect(registry.calls).toHaveLength(3);
  });
});

describe('per-request user credentials (X-Ociscope-Registry-Authorization)', () => {
  const PRIVATE = 'https://private.example/v2/team/app/manifests/v1';
  const PATH = '/registry/private.example/v2/team/app/manifests/v1';
  const CAROL = basicAuthorization('carol', 'c-pass');
  const userProxy = (fetch: UpstreamFetch, credentials?: RegistryCredentials) => {
    const handler = createProxyHandler({ fetch, ...(credentials === undefined ? {} : { credentials }) });
    return (path: string, user?: string) =>
      handler(
        new Request(`http://proxy.test${path}`, user === undefined ? {} : { headers: { 'x-ociscope-registry-authorization': user } }),
      );
  };

  it('answers a Basic challenge with the user credentials, over the server ones, and the answer is private, no-store', async () => {
    const registry = scriptedUpstream({
      [PRIVATE]: ({ headers }) => (headers.get('authorization') === CAROL ? manifest() : challenge('Basic realm="r"')),
    });
    const get = userProxy(registry.fetch, await credentialsFor({ 'private.example': { auth: b64('alice:s3cret') } }));
    const response = await get(PATH, CAROL);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(registry.authorizations(PRIVATE)).toEqual([null, CAROL]);
    for (const call of registry.calls) expect(call.headers.has('x-ociscope-registry-authorization')).toBe(false);
  });

  it('asks a same-host realm with them and never caches or shares that token', async () => {
    const realm = 'https://private.example/token';
    let issued = 0;
    const registry = scriptedUpstream({
      [PRIVATE]: ({ headers }) =>
        headers.get('authorization')?.startsWith('Bearer ') ? manifest() : challenge(`Bearer realm="${realm}",service="s"`),
      [`${realm}?service=s&scope=repository%3Ateam%2Fapp%3Apull&account=carol`]: ({ headers }) =>
        headers.get('authorization') === CAROL
          ? json({ token: `carol-${++issued}`, expires_in: 300 })
          : new Response(null, { status: 401 }),
      [`${realm}?service=s&scope=repository%3Ateam%2Fapp%3Apull`]: () => json({ token: `anon-${++issued}`, expires_in: 300 }),
    });
    const get = userProxy(registry.fetch);
    expect((await get(PATH, CAROL)).headers.get('cache-control')).toBe('private, no-store');
    await get(PATH, CAROL);
    const anonymous = await get(PATH);
    expect(anonymous.headers.get('cache-control')).toBe('no-cache');
    expect(registry.authorizations(PRIVATE).filter((a) => a !== null)).toEqual(['Bearer carol-1', 'Bearer carol-2', 'Bearer anon-3']);
  });

  it('log in at the realm the registry names on another host, and that token is not cached', async () => {
    const realm = 'https://auth.elsewhere.example/token';
    let issued = 0;
    const registry = scriptedUpstream({
      [PRIVATE]: ({ headers }) =>
        headers.get('authorization')?.startsWith('Bearer carol-') ? manifest() : challenge(`Bearer realm="${realm}",service="s"`),
      [`${realm}?service=s&scope=repository%3Ateam%2Fapp%3Apull&account=carol`]: ({ headers }) =>
        headers.get('authorization') === CAROL
          ? json({ token: `carol-${++issued}`, expires_in: 300 })
          : new Response(null, { status: 401 }),
      [`${realm}?service=s&scope=repository%3Ateam%2Fapp%3Apull`]: () => json({ token: 'anonymous', expires_in: 300 }),
    });
    const get = userProxy(registry.fetch);
    expect((await get(PATH, CAROL)).status).toBe(200);
    expect((await get(PATH, CAROL)).headers.get('cache-control')).toBe('private, no-store');
    expect((await get(PATH)).status).toBe(401);
    expect(issued).toBe(2);
  });

  it('are sent to no other host: neither a redirect target nor the realm a redirect target names', async () => {
    const BLOB = `https://private.example/v2/team/app/blobs/${SHA256}`;
    const CDN = 'https://cdn.example/blob';
    const realm = 'https://auth.elsewhere.example/token';
    const registry = scriptedUpstream({
      [BLOB]: ({ headers }) => (headers.get('authorization') === CAROL ? redirect(CDN) : challenge('Basic realm="r"')),
      [CDN]: () => challenge(`Bearer realm="${realm}"`),
      [`${realm}?scope=repository%3Ateam%2Fapp%3Apull`]: () => json({ token: 'cdn-anon' }),
    });
    const response = await userProxy(registry.fetch)(`/registry/private.example/v2/team/app/blobs/${SHA256}`, CAROL);
    expect(response.status).toBe(401);
    for (const call of registry.calls.filter((c) => !c.url.startsWith('https://private.example/'))) {
      expect(call.headers.get('authorization')).not.toBe(CAROL);
    }
    expect(registry.authorizations(`${realm}?scope=repository%3Ateam%2Fapp%3Apull`)).toEqual([null]);
  });

  it.each(['Bearer abc', 'Basic !!!', `Basic ${b64('nocolon')}`, `Basic ${b64('u:p\r\nX: y')}`])(
    'refuses a malformed header (%s) without echoing it',
    async (value) => {
      const registry = scriptedUpstream({});
      const response = await userProxy(registry.fetch)(PATH, value);
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(text).not.toContain(value.slice(6));
      expect(registry.calls).toHaveLength(0);
    },
  );

  it('is not allowed cross-origin: the preflight does not list the header', async () => {
    const handler = createProxyHandler({ fetch: scriptedUpstream({}).fetch });
    const response = await handler(new Request(`http://proxy.test${PATH}`, { method: 'OPTIONS' }));
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).not.toContain('x-ociscope-registry-authorization');
  });
});

describe('cacheControlFor', () => {
  it('is private for credentialed answers and never public', () => {
    expect(cacheControlFor(200, true, 'server')).toBe('private, max-age=31536000');
    expect(cacheControlFor(200, false, 'server')).toBe('private, no-cache');
    expect(cacheControlFor(401, true, 'server')).toBe('no-store');
    expect(cacheControlFor(200, true)).toBe('public, max-age=31536000, immutable');
    expect(cacheControlFor(200, true, 'user')).toBe('private, no-store');
  });
});
