/**
 * The attack battery of issue 4 ("Security"): requests an attacker would send to a public
 * ociscope, and registries an attacker would run, each of which must be refused with a specific
 * status and error code.
 *
 * The handler runs in-process. Its upstream fetch is a scripted public registry for the URLs an
 * attack needs answered (a redirect, a challenge, an oversize body) and the real Node upstream
 * (node-fetch.ts) with an injected resolver for everything else, so a hop the attacker points
 * inward meets the same literal-address check and DNS-answer vetting as in production. No case
 * opens a connection: each is refused before one would be made. The connection-level cases
 * (DNS rebinding, CONNECT, TRACE) follow, with the one socket each needs.
 */
import type { LookupAddress } from 'node:dns';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { BlockedAddressError, type ProxyErrorCode } from './errors.ts';
import { createProxyHandler } from './handler.ts';
import { createGuardedLookup, createNodeFetch, type Resolver } from './node-fetch.ts';
import { startServer } from './node-server.ts';
import type { UpstreamFetch } from './upstream-fetch.ts';

const SHA256 = `sha256:${'a'.repeat(64)}`;
const MANIFEST_URL = 'https://registry.test/v2/app/manifests/v1';
const MANIFEST_PATH = '/registry/registry.test/v2/app/manifests/v1';

const v4 = (address: string): LookupAddress => ({ address, family: 4 });
const v6 = (address: string): LookupAddress => ({ address, family: 6 });

/** Names the attacker controls, resolving inward (or half inward). */
const HOSTILE_DNS: Record<string, LookupAddress[]> = {
  'private.test': [v4('10.0.0.1')],
  'metadata.test': [v4('169.254.169.254')],
  'localtest.test': [v4('127.0.0.1')],
  'mixed.test': [v4('93.184.216.34'), v4('192.168.1.10')],
  'mapped.test': [v6('::ffff:127.0.0.1')],
  'compat.test': [v6('::127.0.0.1')],
  'nat64.test': [v6('64:ff9b::a00:1')],
  'sixtofour.test': [v6('2002:a00:1::')],
  'ula.test': [v6('fd00:ec2::254')],
  'linklocal.test': [v6('fe80::1')],
  'cgnat.test': [v4('100.64.0.1')],
  'zero.test': [v4('0.0.0.0')],
};

const hostileResolver: Resolver = async (hostname) => {
  const addresses = HOSTILE_DNS[hostname];
  if (addresses === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return addresses;
};

type Reply = () => Response;

interface AttackCase {
  readonly attack: string;
  readonly path: string;
  readonly method?: string;
  /** What the attacker's public registry (and its public token endpoint) answers. */
  readonly registry?: Readonly<Record<string, Reply>>;
  readonly status: number;
  readonly code: ProxyErrorCode;
  /** The operator's OCISCOPE_ALLOW_HOSTS; none unless the case is about the allowlist. */
  readonly allowHosts?: readonly string[];
}

/** A self-hosted deployment's local registries, which a public registry must not bounce the proxy into. */
const OPERATOR_ALLOWLIST = ['127.0.0.1:5000', 'private.test:443'];

const redirect =
  (location: string): Reply =>
  () =>
    new Response(null, { status: 307, headers: { location } });
const challenge =
  (params: string): Reply =>
  () =>
    new Response(null, { status: 401, headers: { 'www-authenticate': `Bearer ${params}` } });
const tokenAnswer =
  (body: unknown): Reply =>
  () =>
    new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
const manifestOf =
  (bytes: number, declareLength: boolean): Reply =>
  () =>
    new Response(new Uint8Array(bytes), {
      headers: {
        'content-type': 'application/vnd.oci.image.manifest.v1+json',
        ...(declareLength ? { 'content-length': String(bytes) } : {}),
      },
    });

const host = (registryHost: string, attack: string, status = 403, code: ProxyErrorCode = 'PROXY_BLOCKED_ADDRESS'): AttackCase => ({
  attack: `registry host ${registryHost} (${attack})`,
  path: `/registry/${registryHost}/v2/`,
  status,
  code,
});

const redirectTo = (location: string, attack: string, status: number, code: ProxyErrorCode): AttackCase => ({
  attack: `redirect to ${location} (${attack})`,
  path: MANIFEST_PATH,
  registry: { [MANIFEST_URL]: redirect(location) },
  status,
  code,
});

const realm = (url: string, attack: string, status: number, code: ProxyErrorCode): AttackCase => ({
  attack: `token realm ${url} (${attack})`,
  path: MANIFEST_PATH,
  registry: { [MANIFEST_URL]: challenge(`realm="${url}",service="registry.test"`) },
  status,
  code,
});

const badRequest = (path: string, attack: string): AttackCase => ({ attack, path, status: 400, code: 'PROXY_BAD_REQUEST' });

const TOKEN_URL = 'https://auth.test/token?service=registry.test&scope=repository%3Aapp%3Apull';

const ATTACKS: readonly AttackCase[] = [
  // IPv4 spellings the WHATWG parser turns into loopback or private addresses.
  host('2130706433', 'decimal 127.0.0.1'),
  host('0177.0.0.1', 'octal dotted'),
  host('017700000001', 'octal single number'),
  host('0x7f000001', 'hex single number'),
  host('0x7f.1', 'hex short form'),
  host('0x7f.0x0.0x0.0x1', 'hex dotted'),
  host('127.1', 'short form'),
  host('10.1', 'short form of 10.0.0.1'),
  host('0', 'zero, i.e. 0.0.0.0'),
  host('0.0.0.0', 'this host'),
  host('169.254.169.254', 'cloud metadata'),
  host('100.64.0.1', 'CGNAT'),
  host('192.0.0.170', 'IETF protocol assignments (NAT64 discovery)'),
  host('198.18.0.1', 'benchmarking'),
  host('224.0.0.1', 'multicast'),
  host('localhost:5000', 'loopback by name, RFC 6761'),
  host('registry.localhost', 'loopback by name, RFC 6761'),
  // IPv6 forms, including those that embed an IPv4 address a gateway routes to.
  host('[::1]', 'IPv6 loopback'),
  host('[::]', 'IPv6 unspecified'),
  host('[::ffff:127.0.0.1]', 'v4-mapped, dotted'),
  host('[::ffff:7f00:1]', 'v4-mapped, hex'),
  host('[::127.0.0.1]', 'v4-compatible'),
  host('[64:ff9b::a00:1]', 'NAT64 of 10.0.0.1'),
  host('[2002:a00:1::]', '6to4 of 10.0.0.1'),
  host('[fd00:ec2::254]', 'AWS IPv6 metadata, ULA'),
  host('[fe80::1]', 'IPv6 link-local'),
  host('[ff02::1]', 'IPv6 multicast'),
  host('[fe80::1%25eth0]', 'zone id, percent-encoded', 400, 'PROXY_BAD_REQUEST'),
  host('[fe80::1%eth0]', 'zone id, raw', 400, 'PROXY_BAD_REQUEST'),
  // Names that resolve inward: refused when the answer is vetted, before any connection.
  host('private.test', 'resolves to 10.0.0.1'),
  host('metadata.test', 'resolves to 169.254.169.254'),
  host('localtest.test', 'resolves to 127.0.0.1'),
  host('mixed.test', 'one public and one private address'),
  host('mapped.test', 'resolves to ::ffff:127.0.0.1'),
  host('compat.test', 'resolves to ::127.0.0.1'),
  host('nat64.test', 'resolves to NAT64 64:ff9b::a00:1'),
  host('sixtofour.test', 'resolves to 6to4 2002:a00:1::'),
  host('ula.test', 'resolves to fd00:ec2::254'),
  host('linklocal.test', 'resolves to fe80::1'),
  host('cgnat.test', 'resolves to 100.64.0.1'),
  host('zero.test', 'resolves to 0.0.0.0'),
  // Redirects from a public registry pointing inward or off http(s).
  redirectTo('http://127.0.0.1/', 'loopback literal', 403, 'PROXY_BLOCKED_ADDRESS'),
  redirectTo('http://0x7f.1:5000/v2/', 'hex loopback', 403, 'PROXY_BLOCKED_ADDRESS'),
  redirectTo('http://[::ffff:a9fe:a9fe]/latest/meta-data/', 'v4-mapped metadata', 403, 'PROXY_BLOCKED_ADDRESS'),
  redirectTo('//169.254.169.254/latest/meta-data/', 'scheme-relative metadata', 403, 'PROXY_BLOCKED_ADDRESS'),
  redirectTo('http:\\\\127.0.0.1\\v2\\', 'backslashes, read as slashes', 403, 'PROXY_BLOCKED_ADDRESS'),
  redirectTo('http://localhost./v2/', 'localhost with a trailing dot', 403, 'PROXY_BLOCKED_ADDRESS'),
  redirectTo('https://private.test/blob', 'a name resolving to 10.0.0.1', 403, 'PROXY_BLOCKED_ADDRESS'),
  redirectTo('https://metadata.test/latest/meta-data/', 'a name resolving to metadata', 403, 'PROXY_BLOCKED_ADDRESS'),
  redirectTo('file:///etc/passwd', 'file scheme', 502, 'PROXY_UNREACHABLE'),
  redirectTo('gopher://registry.test:70/_GET%20/', 'gopher scheme', 502, 'PROXY_UNREACHABLE'),
  redirectTo('https://user:secret@cdn.test/blob', 'userinfo', 502, 'PROXY_UNREACHABLE'),
  redirectTo('http://[fe80::1%25eth0]/', 'zone id', 502, 'PROXY_UNREACHABLE'),
  // Token realms pointing inward, off http(s), or trying to smuggle credentials.
  realm('http://127.0.0.1:8080/token', 'loopback', 403, 'PROXY_BLOCKED_ADDRESS'),
  realm('http://[::1]/token', 'IPv6 loopback', 403, 'PROXY_BLOCKED_ADDRESS'),
  realm('http://2852039166/latest/meta-data/', 'decimal 169.254.169.254', 403, 'PROXY_BLOCKED_ADDRESS'),
  realm('https://metadata.test/token', 'a name resolving to metadata', 403, 'PROXY_BLOCKED_ADDRESS'),
  realm('https://mixed.test/token', 'a name with one private address', 403, 'PROXY_BLOCKED_ADDRESS'),
  realm('file:///etc/passwd', 'file scheme', 502, 'PROXY_AUTH_FAILED'),
  realm('gopher://auth.test/', 'gopher scheme', 502, 'PROXY_AUTH_FAILED'),
  realm('https://user:secret@auth.test/token', 'userinfo', 502, 'PROXY_AUTH_FAILED'),
  {
    attack: 'token realm that redirects inward (realms are never followed)',
    path: MANIFEST_PATH,
    registry: {
      [MANIFEST_URL]: challenge('realm="https://auth.test/token",service="registry.test"'),
      [TOKEN_URL]: redirect('http://127.0.0.1/token'),
    },
    status: 502,
    code: 'PROXY_AUTH_FAILED',
  },
  // The operator's allowlist is for browsing those registries, not a door for public ones.
  {
    ...redirectTo('http://127.0.0.1:5000/v2/', 'an allowlisted local registry', 403, 'PROXY_BLOCKED_ADDRESS'),
    allowHosts: OPERATOR_ALLOWLIST,
  },
  {
    ...redirectTo('https://private.test/v2/', 'an allowlisted name resolving to 10.0.0.1', 403, 'PROXY_BLOCKED_ADDRESS'),
    allowHosts: OPERATOR_ALLOWLIST,
  },
  { ...realm('http://127.0.0.1:5000/token', 'an allowlisted local host', 403, 'PROXY_BLOCKED_ADDRESS'), allowHosts: OPERATOR_ALLOWLIST },
  // Header injection: CR/LF wherever a value could end up in a header line.
  {
    attack: 'token with CRLF headed for the Authorization header',
    path: MANIFEST_PATH,
    registry: {
      [MANIFEST_URL]: challenge('realm="https://auth.test/token",service="registry.test"'),
      [TOKEN_URL]: tokenAnswer({ token: 'abc\r\nX-Injected: 1' }),
    },
    status: 502,
    code: 'PROXY_AUTH_FAILED',
  },
  {
    attack: 'token with a space (a second auth parameter)',
    path: MANIFEST_PATH,
    registry: {
      [MANIFEST_URL]: challenge('realm="https://auth.test/token",service="registry.test"'),
      [TOKEN_URL]: tokenAnswer({ access_token: 'abc realm=evil' }),
    },
    status: 502,
    code: 'PROXY_AUTH_FAILED',
  },
  badRequest('/registry/registry.test/v2/app%0d%0aX-Injected:%201/manifests/v1', 'CRLF in the repository'),
  badRequest('/registry/registry.test/v2/app/manifests/v1%0d%0aX-Injected:%201', 'CRLF in the tag'),
  badRequest('/registry/registry.test%0d%0aX-Injected:%201/v2/', 'CRLF in the host'),
  badRequest('/registry/registry.test/v2/app/tags/list?last=v1%0d%0aX-Injected:%201', 'CRLF in last='),
  badRequest('/registry/registry.test/v2/_catalog?last=a%0d%0aHost:%20evil', 'CRLF in catalog last='),
  badRequest('/registry/registry.test/v2/app/tags/list?n=10%0d%0aX-Injected:%201', 'CRLF in n='),
  badRequest(`/registry/registry.test/v2/app/referrers/${SHA256}?artifactType=a/b%0d%0aX:%201`, 'CRLF in artifactType='),
  badRequest('/registry/registry.test/v2/app/tags/list?n=10&evil=%0d%0a', 'an undocumented query parameter'),
  // Path traversal and smuggling.
  badRequest('/registry/registry.test/v2/../../../etc/passwd', 'dot-dot segments'),
  badRequest('/registry/registry.test/v2/app/%2e%2e/%2e%2e/manifests/v1', 'percent-encoded dot-dot'),
  badRequest('/registry/registry.test/v2/app/.%2e/manifests/v1', 'half-encoded dot-dot'),
  badRequest('/registry/registry.test/v2/app/%252e%252e/manifests/v1', 'double-encoded dot-dot'),
  badRequest('/registry/registry.test/v2/app%2fother/manifests/v1', 'encoded slash'),
  badRequest('/registry/registry.test/v2/app%5c..%5cother/manifests/v1', 'encoded backslash'),
  badRequest('/registry/registry.test/v2/app\\..\\..\\manifests/v1', 'raw backslashes'),
  badRequest('/registry/registry.test/v2/app/blobs/uploads/', 'write endpoint (uploads)'),
  badRequest('/registry/user:secret@registry.test/v2/', 'userinfo in the host'),
  badRequest('/registry/registry.test@127.0.0.1/v2/', 'host@host confusion'),
  badRequest('/registry/registry.test%40127.0.0.1/v2/', 'encoded host@host confusion'),
  badRequest('/registry/127.0.0.1%2f@registry.test/v2/', 'encoded slash in the host'),
  // Oversize answers.
  {
    attack: 'manifest declaring 4 MiB + 1',
    path: MANIFEST_PATH,
    registry: { [MANIFEST_URL]: manifestOf(4 * 1024 * 1024 + 1, true) },
    status: 502,
    code: 'PROXY_TOO_LARGE',
  },
  {
    attack: 'manifest of 4 MiB + 1 without Content-Length',
    path: MANIFEST_PATH,
    registry: { [MANIFEST_URL]: manifestOf(4 * 1024 * 1024 + 1, false) },
    status: 502,
    code: 'PROXY_TOO_LARGE',
  },
  {
    attack: 'token answer over 64 KiB',
    path: MANIFEST_PATH,
    registry: {
      [MANIFEST_URL]: challenge('realm="https://auth.test/token",service="registry.test"'),
      [TOKEN_URL]: tokenAnswer({ token: 't', padding: 'x'.repeat(64 * 1024) }),
    },
    status: 502,
    code: 'PROXY_AUTH_FAILED',
  },
  {
    attack: 'redirect loop',
    path: MANIFEST_PATH,
    registry: { [MANIFEST_URL]: redirect(MANIFEST_URL) },
    status: 502,
    code: 'PROXY_TOO_MANY_REDIRECTS',
  },
  // Methods: the proxy only reads.
  ...['POST', 'PUT', 'DELETE', 'PATCH', 'PROPFIND'].map((method): AttackCase => ({
    attack: `${method} method`,
    path: MANIFEST_PATH,
    method,
    status: 405,
    code: 'PROXY_METHOD_NOT_ALLOWED',
  })),
];

const nodeUpstream = createNodeFetch({ resolve: hostileResolver });
// As in production, the Node upstream gets the same allowlist as the handler.
const allowlistedNodeUpstream = createNodeFetch({ resolve: hostileResolver, allowHosts: OPERATOR_ALLOWLIST });
afterAll(() => Promise.all([nodeUpstream.close(), allowlistedNodeUpstream.close()]));

/**
 * Scripted answers for the attacker's public hosts; every other URL goes through the real Node
 * upstream, which must refuse it (a hop that got through would fail the case with ENOTFOUND).
 */
function attackerUpstream(
  registry: Readonly<Record<string, Reply>>,
  allowHosts?: readonly string[],
): { fetch: UpstreamFetch; scripted: string[] } {
  const scripted: string[] = [];
  const node = allowHosts === undefined ? nodeUpstream : allowlistedNodeUpstream;
  return {
    scripted,
    fetch: async (url, init) => {
      const reply = registry[url];
      if (reply === undefined) return node.fetch(url, init);
      scripted.push(url);
      return reply();
    },
  };
}

const errorCode = async (response: Response): Promise<string | undefined> =>
  ((await response.json()) as { errors?: { code?: string }[] }).errors?.[0]?.code;

describe('attack battery: every case refused with a specific status and code', () => {
  it('has at least 40 cases', () => {
    expect(ATTACKS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(ATTACKS.map((attack) => [attack.attack, attack] as const))('%s', async (_name, attack) => {
    const upstream = attackerUpstream(attack.registry ?? {}, attack.allowHosts);
    const handler = createProxyHandler({
      fetch: upstream.fetch,
      ...(attack.allowHosts === undefined ? {} : { allowHosts: attack.allowHosts }),
    });
    const response = await handler(new Request(`http://proxy.test${attack.path}`, { method: attack.method ?? 'GET' }));
    expect({ status: response.status, code: await errorCode(response) }).toEqual({ status: attack.status, code: attack.code });
    expect(response.headers.get('x-ociscope-proxy')).toBe('error');
    // Only the attacker's own public hosts were ever answered; nothing inward was.
    for (const url of upstream.scripted) expect(Object.keys(attack.registry ?? {})).toContain(url);
  });
});

describe('the allowlist applies to the hops of an allowlisted registry', () => {
  it('lets a local registry name a token realm on another allowlisted local host', async () => {
    const local = 'http://127.0.0.1:5000/v2/app/manifests/v1';
    const tokenUrl = 'http://127.0.0.1:5001/token?service=local&scope=repository%3Aapp%3Apull';
    const fetch: UpstreamFetch = async (url, init) => {
      if (url === tokenUrl) return tokenAnswer({ token: 'local-t' })();
      if (url === local && new Headers(init.headers).get('authorization') === 'Bearer local-t') return manifestOf(2, true)();
      if (url === local) return challenge('realm="http://127.0.0.1:5001/token",service="local"')();
      throw new Error(`unexpected ${url}`);
    };
    const handler = createProxyHandler({ fetch, allowHosts: ['127.0.0.1:5000', '127.0.0.1:5001'] });
    const response = await handler(new Request('http://proxy.test/registry/127.0.0.1:5000/v2/app/manifests/v1'));
    expect(response.status).toBe(200);
  });

  it('says which registry was refused the allowlisted hop', async () => {
    const upstream = attackerUpstream({ [MANIFEST_URL]: redirect('http://127.0.0.1:5000/v2/') }, OPERATOR_ALLOWLIST);
    const handler = createProxyHandler({ fetch: upstream.fetch, allowHosts: OPERATOR_ALLOWLIST });
    const response = await handler(new Request(`http://proxy.test${MANIFEST_PATH}`));
    const body = (await response.json()) as { errors: { message: string }[] };
    expect(body.errors[0]?.message).toBe(
      '127.0.0.1:5000 is allowlisted, but only as a registry or as a hop of an allowlisted registry, and registry.test is not one.',
    );
  });
});

describe('values the attacker controls that reach a request line or a header are neutralised', () => {
  it('sends a challenge scope with spaces, escapes and an appended &service= to the realm percent-encoded, as one parameter', async () => {
    const seen: string[] = [];
    const handler = createProxyHandler({
      fetch: async (url) => {
        seen.push(url);
        if (url === MANIFEST_URL) return challenge('realm="https://auth.test/token",scope="repository:app:pull\\r\\nX: 1&service=evil"')();
        return new Response('no', { status: 403 });
      },
    });
    await handler(new Request(`http://proxy.test${MANIFEST_PATH}`));
    const tokenRequest = new URL(seen[1]!);
    expect(tokenRequest.origin + tokenRequest.pathname).toBe('https://auth.test/token');
    expect([...tokenRequest.searchParams.keys()]).toEqual(['scope']);
    expect(seen[1]).not.toMatch(/[\r\n ]/);
  });

  it('clamps n instead of passing an absurd page size on', async () => {
    const seen: string[] = [];
    const handler = createProxyHandler({
      fetch: async (url) => {
        seen.push(url);
        return new Response('{"tags":[]}');
      },
    });
    await handler(new Request('http://proxy.test/registry/registry.test/v2/app/tags/list?n=999999999'));
    expect(seen).toEqual(['https://registry.test/v2/app/tags/list?n=1000']);
  });

  it('never forwards hop-by-hop or identity headers, and never hands back cookies or Location', async () => {
    let forwarded: Headers | undefined;
    const handler = createProxyHandler({
      fetch: async (_url, init) => {
        forwarded = new Headers(init.headers);
        return new Response('{}', {
          headers: {
            'content-type': 'application/vnd.oci.image.manifest.v1+json',
            'set-cookie': 'session=registry',
            location: 'http://127.0.0.1/',
            'content-location': 'http://127.0.0.1/',
            refresh: '0;url=javascript:alert(1)',
            'access-control-allow-credentials': 'true',
            'access-control-allow-origin': 'https://evil.test',
            'content-security-policy': "script-src 'unsafe-inline'",
          },
        });
      },
    });
    const response = await handler(
      new Request(`http://proxy.test${MANIFEST_PATH}`, {
        headers: {
          connection: 'keep-alive, x-secret',
          'keep-alive': 'timeout=5',
          te: 'trailers',
          trailer: 'x-secret',
          upgrade: 'websocket',
          'proxy-authorization': 'Basic cHJveHk6cHc=',
          'proxy-connection': 'keep-alive',
          authorization: 'Bearer user-token',
          cookie: 'session=app',
          forwarded: 'for=10.0.0.1;host=internal',
          'x-forwarded-for': '10.0.0.1',
          'x-real-ip': '10.0.0.1',
          'x-secret': 'hunter2',
        },
      }),
    );
    expect([...forwarded!.keys()].sort()).toEqual(['accept-encoding', 'user-agent']);
    for (const name of ['set-cookie', 'location', 'content-location', 'refresh', 'access-control-allow-credentials']) {
      expect(response.headers.get(name), name).toBeNull();
    }
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox; frame-ancestors 'none'");
  });
});

describe('DNS rebinding: the socket connects to the address that was checked', () => {
  /** Public on the first question, loopback on every later one: a rebinding attacker's DNS. */
  function rebindingResolver() {
    const questions: string[] = [];
    const resolve: Resolver = async (hostname) => {
      questions.push(hostname);
      return questions.length === 1 ? [v4('93.184.216.34')] : [v4('127.0.0.1')];
    };
    return { resolve, questions };
  }

  /** Opens a socket with the guarded lookup and reports where it was about to connect. */
  function connectVia(resolve: Resolver): Promise<{ error: Error | null; address: string }> {
    return new Promise((settle) => {
      const socket = net.connect({ host: 'rebind.test', port: 443, lookup: createGuardedLookup(resolve) });
      socket.once('lookup', (error, address) => {
        socket.destroy();
        settle({ error, address });
      });
    });
  }

  it('asks DNS once per connection and connects to the vetted public answer', async () => {
    const dns = rebindingResolver();
    const first = await connectVia(dns.resolve);
    expect(first).toEqual({ error: null, address: '93.184.216.34' });
    expect(dns.questions).toEqual(['rebind.test']);
  });

  it('refuses the next connection when the name rebinds to loopback', async () => {
    const dns = rebindingResolver();
    await connectVia(dns.resolve);
    const second = await connectVia(dns.resolve);
    expect(second.error).toBeInstanceOf(BlockedAddressError);
    expect((second.error as BlockedAddressError).status).toBe(403);
    expect((second.error as BlockedAddressError).code).toBe('PROXY_BLOCKED_ADDRESS');
    expect(dns.questions).toHaveLength(2);
  });
});

describe('methods a Request object cannot carry, sent to the real server', () => {
  /** Sends one raw HTTP/1.1 request and returns the raw answer. */
  function raw(port: number, requestLine: string): Promise<string> {
    return new Promise((settle, fail) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write(`${requestLine}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
      let answer = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.on('end', () => settle(answer));
      socket.on('error', fail);
    });
  }

  it.each([
    ['TRACE', 'TRACE /registry/registry.test/v2/ HTTP/1.1'],
    ['CONNECT', 'CONNECT 169.254.169.254:80 HTTP/1.1'],
  ])('refuses %s with 405 and PROXY_METHOD_NOT_ALLOWED, never tunnelling', async (_method, requestLine) => {
    const upstreamCalls: string[] = [];
    const server = await startServer({
      port: 0,
      distDir: tmpdir(),
      upstream: async (url) => {
        upstreamCalls.push(url);
        return new Response('reached');
      },
    });
    try {
      const answer = await raw(server.port, requestLine);
      expect(answer).toMatch(/^HTTP\/1\.1 405 /);
      expect(answer).toContain('"code":"PROXY_METHOD_NOT_ALLOWED"');
      expect(upstreamCalls).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
