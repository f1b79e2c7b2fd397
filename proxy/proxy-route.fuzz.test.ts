/**
 * Fuzz battery for the proxy's path parser (proxy-route.ts), on requests generated from the
 * grammar of the proxy URL (`/registry/<host>/v2/<api-path>[?query]`, distribution-spec v1.1
 * "Endpoints" and its name, tag and digest rules) and on hostile variants of them:
 * - every grammar-built request is accepted, and its upstream URL is the same API path on the
 *   registry's host, byte for byte, with only the documented query parameters (`n` clamped);
 * - each hostile form (encoded slashes or backslashes, any percent-encoding, dot segments, empty
 *   segments, CR/LF and other controls, userinfo, bad ports, overlong names and tags, digests of
 *   the wrong shape, unknown or repeated parameters) is refused with a BadRequestError;
 * - random edits are either refused with a BadRequestError or accepted as something the grammar
 *   allows — never another exception;
 * - through the whole handler, with an in-memory registry upstream, no request reaches the
 *   registry except on a grammar path, and no response carries a header outside the allowlist
 *   (CORS, the forwarded registry headers, the safety headers, and the proxy's own Cache-Control,
 *   Vary and Allow).
 */
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { createMemoryRegistry } from '../src/test-support/memory-registry.ts';
import { itFuzzes } from '../src/test-support/fuzz.ts';
import { BadRequestError } from './errors.ts';
import { createProxyHandler } from './handler.ts';
import { CORS_HEADERS, FORWARDED_RESPONSE_HEADERS, PROXY_ERROR_HEADER, PROXY_SAFETY_HEADERS } from './header-policy.ts';
import { parseProxyRoute, type ApiKind } from './proxy-route.ts';

const chars = (alphabet: string, min: number, max: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((c) => c.join(''));
const lowerAlnum = 'abcdefghijklmnopqrstuvwxyz0123456789';
const hex = '0123456789abcdef';

const label = fc.oneof(
  chars(lowerAlnum, 1, 8),
  fc.tuple(chars(lowerAlnum, 1, 4), chars('-', 1, 2), chars(lowerAlnum, 1, 4)).map((p) => p.join('')),
);
/** Hosts as the grammar writes them; public names end in a letter, as registries' do. */
const host = fc
  .tuple(
    fc.oneof(
      {
        weight: 4,
        arbitrary: fc
          .tuple(fc.array(label, { minLength: 1, maxLength: 3 }), chars('abcdefghijklmnopqrstuvwxyz', 2, 5))
          .map(([l, tld]) => [...l, tld].join('.')),
      },
      { weight: 1, arbitrary: fc.constantFrom('docker.io', 'ghcr.io', 'Registry.Example', 'localhost', '127.0.0.1', '[::1]', 'quay.io') },
      { weight: 1, arbitrary: fc.ipV4() },
    ),
    fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  )
  .map(([h, port]) => (port === undefined ? h : `${h}:${port}`));

const separator = fc.oneof(fc.constantFrom('.', '_', '__'), chars('-', 1, 3));
const component = fc
  .tuple(chars(lowerAlnum, 1, 8), fc.array(fc.tuple(separator, chars(lowerAlnum, 1, 5)), { maxLength: 2 }))
  .map(([head, rest]) => head + rest.map(([s, a]) => s + a).join(''));
const repository = fc
  .array(component, { minLength: 1, maxLength: 4 })
  .map((c) => c.join('/'))
  .filter((name) => name.length <= 255);
const wordChars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_';
const tag = fc.tuple(chars(wordChars, 1, 1), chars(`${wordChars}.-`, 0, 20)).map((p) => p.join(''));
const digest = fc.oneof(
  chars(hex, 64, 64).map((h) => `sha256:${h}`),
  chars(hex, 128, 128).map((h) => `sha512:${h}`),
);
const mediaType = fc.constantFrom('application/vnd.dev.cosign.artifact.sig.v1+json', 'application/spdx+json', 'text/plain');

interface Request {
  host: string;
  kind: ApiKind;
  apiPath: string;
  repository?: string;
  reference?: string;
  query: [string, string][];
}

const request: fc.Arbitrary<Request> = fc
  .tuple(
    host,
    repository,
    fc.oneof(tag, digest),
    digest,
    fc.option(fc.integer({ min: 0, max: 99_999 }), { nil: undefined }),
    tag,
    mediaType,
  )
  .chain(([h, repo, reference, dgst, n, last, type]) => {
    const withN = n === undefined ? [] : ([['n', String(n)]] as [string, string][]);
    const choices: Request[] = [
      { host: h, kind: 'ping', apiPath: '', query: [] },
      { host: h, kind: 'catalog', apiPath: '_catalog', query: [...withN, ['last', repo]] },
      { host: h, kind: 'tags', apiPath: `${repo}/tags/list`, repository: repo, query: [...withN, ['last', last]] },
      { host: h, kind: 'manifest', apiPath: `${repo}/manifests/${reference}`, repository: repo, reference, query: [] },
      { host: h, kind: 'blob', apiPath: `${repo}/blobs/${dgst}`, repository: repo, reference: dgst, query: [] },
      {
        host: h,
        kind: 'referrers',
        apiPath: `${repo}/referrers/${dgst}`,
        repository: repo,
        reference: dgst,
        query: [['artifactType', type], ...withN],
      },
    ];
    return fc.constantFrom(...choices);
  });

const pathOf = (r: Request) => `/registry/${r.host}/v2/${r.apiPath}`;

function parse(
  pathname: string,
  query: readonly [string, string][] = [],
): { ok: true; route: ReturnType<typeof parseProxyRoute> } | { ok: false; error: BadRequestError } {
  try {
    return { ok: true, route: parseProxyRoute(pathname, new URLSearchParams(query.map(([k, v]) => [k, v]))) };
  } catch (error) {
    if (!(error instanceof BadRequestError)) throw error;
    expect(error.status).toBe(400);
    expect(error.message.length).toBeGreaterThan(0);
    return { ok: false, error };
  }
}

/** The grammar, written once more apart from the parser, for what may reach a registry. */
const NAME = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*';
const DIGEST = '(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128}|[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+)';
const API_PATH = new RegExp(
  `^/v2/(?:|_catalog|${NAME}/(?:tags/list|manifests/(?:\\w[\\w.-]{0,127}|${DIGEST})|blobs/${DIGEST}|referrers/${DIGEST}))$`,
);

function expectGrammatical(route: ReturnType<typeof parseProxyRoute>): void {
  expect(route.upstream.pathname).toMatch(API_PATH);
  expect(route.repository === undefined || route.repository.length <= 255).toBe(true);
  expect(route.upstream.username + route.upstream.password).toBe('');
  expect(['http:', 'https:']).toContain(route.upstream.protocol);
  expect(route.upstream.hash).toBe('');
}

/** One hostile change to a valid request path. */
const hostile = fc.tuple(request, fc.nat(), fc.nat()).map(([r, i, j]) => {
  const path = pathOf(r);
  const after = '/registry/'.length + r.host.length + '/v2/'.length;
  const at = after + (r.apiPath.length === 0 ? 0 : i % (r.apiPath.length + 1));
  const insert = (s: string) => path.slice(0, at) + s + path.slice(at);
  const forms = [
    insert(['%2f', '%2F', '%5c', '%5C'][j % 4]!),
    insert(['%41', '%2e', '%00', '%0d%0a', '%25'][j % 5]!),
    insert(['/../', '/./', '/..', '/.'][j % 4]!),
    `${path.slice(0, after)}..${path.slice(after - 1)}`,
    insert('\\'),
    insert(['\r\n', '\n', '\r', '\t', '\u0000', ' ', '\u007f'][j % 7]!),
    `/registry/${['user@', 'user:pass@', ':@'][j % 3]}${r.host}/v2/${r.apiPath}`,
    `/registry/${r.host.replace(/:\d+$/, '')}:${[0, 65536, 99_999, 123_456][j % 4]}/v2/${r.apiPath}`,
    `/registry/${r.host}/v2/${'a'.repeat(256)}/manifests/latest`,
    `/registry/${r.host}/v2/a/manifests/${['.', '-'][j % 2]}tag`,
    `/registry/${r.host}/v2/a/manifests/t${'1'.repeat(128)}`,
    `/registry/${r.host}/v2/A${j % 10}/manifests/latest`,
    `/registry/${r.host}/v2/a/blobs/sha256:${'A'.repeat(64)}`,
    `/registry/${r.host}/v2/a/blobs/sha256:${'a'.repeat(63 - (j % 20))}`,
    `/registry/${r.host}/v2/a/referrers/${['latest', 'sha512:abc', 'sha256'][j % 3]}`,
    `/registry/${r.host}/v2/${r.apiPath}/`,
    `/registry/${r.host}/v2//${r.apiPath}`,
    `/registry/${r.host}/v1/${r.apiPath}`,
    `/registry/${r.host}/v2/a/blobs/uploads/${j}`,
    `/registry/${r.host}\\/v2/`,
    `/registry/${'h'.repeat(64)}.${'x'.repeat(j % 3)}a_b/v2/`,
  ];
  return forms[(i + j) % forms.length]!;
});

const hostileQuery = fc.tuple(request, fc.nat()).map(([r, j]) => {
  const allowed = r.kind === 'tags' || r.kind === 'catalog' ? ['n', 'last'] : r.kind === 'referrers' ? ['artifactType', 'n', 'last'] : [];
  const forms: [string, string][][] = [
    [['unknown', 'x']],
    [['N', '1']],
    ...allowed.map((name): [string, string][] => [
      [name, 'v1'],
      [name, 'v2'],
    ]),
  ];
  if (allowed.includes('n')) forms.push([['n', ['ten', '-1', '1e3', '', '1234567890', '0x10'][j % 6]!]]);
  if (allowed.includes('artifactType')) forms.push([['artifactType', ['nonsense', 'a/b/c', '/x', `x/${'y'.repeat(200)}`][j % 4]!]]);
  if (r.kind === 'tags') forms.push([['last', ['-x', '.x', 'a/b', 'a b', 'x'.repeat(129)][j % 5]!]]);
  return { path: pathOf(r), query: forms[j % forms.length]! };
});

const editAlphabet = [
  '/',
  '.',
  '..',
  '%',
  '%2f',
  '\\',
  ':',
  '@',
  '?',
  '#',
  '[',
  ']',
  'A',
  '_',
  '-',
  '\r',
  '\n',
  ' ',
  '\u0000',
  'é',
  'sha256:',
  '//',
];
const edited = fc.tuple(
  request,
  fc.array(fc.record({ at: fc.nat(), op: fc.constantFrom('insert', 'delete', 'replace'), text: fc.constantFrom(...editAlphabet) }), {
    minLength: 1,
    maxLength: 3,
  }),
);

describe('parseProxyRoute on generated requests', () => {
  itFuzzes('proxy route: grammar-built requests', { runs: 1000 }, () =>
    fc.property(request, (r) => {
      let valid = true;
      try {
        new URL(`http://${r.host}/`);
      } catch {
        valid = false; // a name the WHATWG URL parser refuses, such as a number too large for IPv4
      }
      const result = parse(pathOf(r), r.query);
      expect(result.ok, result.ok ? '' : result.error.message).toBe(valid);
      if (!result.ok) return;
      const { route } = result;
      expect(route.kind).toBe(r.kind);
      expect(route.host).toBe(r.host.toLowerCase());
      expect(route.repository).toBe(r.repository);
      expect(route.reference).toBe(r.reference);
      expect(route.upstream.pathname).toBe(`/v2/${r.apiPath}`);
      const authority = route.host === 'docker.io' ? 'registry-1.docker.io' : route.host;
      expect(route.upstream.host).toBe(new URL(`http://${authority}/`).host);
      expect(route.digestAddressed).toBe(r.kind === 'blob' || (r.kind === 'manifest' && r.reference!.includes(':')));
      const sent = Object.fromEntries(route.upstream.searchParams);
      const given = Object.fromEntries(r.query);
      if (given.n !== undefined) given.n = String(Math.min(Math.max(Number(given.n), 1), 1000));
      expect(sent).toEqual(given);
      expectGrammatical(route);
    }),
  );

  itFuzzes('proxy route: hostile paths', { runs: 2000 }, () =>
    fc.property(hostile, (path) => {
      expect(parse(path)).toMatchObject({ ok: false });
    }),
  );

  itFuzzes('proxy route: hostile queries', { runs: 1000 }, () =>
    fc.property(hostileQuery, ({ path, query }) => {
      expect(parse(path, query)).toMatchObject({ ok: false });
    }),
  );

  itFuzzes('proxy route: random edits', { runs: 2000 }, () =>
    fc.property(edited, ([r, edits]) => {
      let path = pathOf(r);
      for (const { at, op, text } of edits) {
        const k = at % (path.length + 1);
        path =
          op === 'insert'
            ? path.slice(0, k) + text + path.slice(k)
            : op === 'delete'
              ? path.slice(0, k) + path.slice(k + 1)
              : path.slice(0, k) + text + path.slice(k + 1);
      }
      const result = parse(path, r.query);
      if (result.ok) {
        expectGrammatical(result.route);
        // What was accepted goes upstream as written: nothing was decoded or normalised.
        expect(`/registry/${result.route.host}${result.route.upstream.pathname}`).toBe(
          path.replace(/^\/registry\/[^/]*/, (m) => m.toLowerCase()).replace(/\/v2$/, '/v2/'),
        );
      }
    }),
  );
});

describe('the proxy handler on generated requests', () => {
  const registry = createMemoryRegistry();
  const manifest = registry.putManifest(
    'team/app',
    '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{},"layers":[]}',
    'application/vnd.oci.image.manifest.v1+json',
    ['v1'],
  );
  const upstreamPaths: string[] = [];
  const handler = createProxyHandler({
    fetch: async (url, init) => {
      const target = new URL(url);
      upstreamPaths.push(target.pathname);
      return registry.handle(init.method ?? 'GET', target.pathname + target.search);
    },
    allowHosts: ['localhost:5000', '127.0.0.1:5000'],
  });
  const allowedHeaders = new Set(
    [
      ...Object.keys(CORS_HEADERS),
      ...FORWARDED_RESPONSE_HEADERS,
      ...Object.keys(PROXY_SAFETY_HEADERS),
      PROXY_ERROR_HEADER,
      'cache-control',
      'content-type',
      'vary',
      'allow',
    ].map((h) => h.toLowerCase()),
  );

  const target = fc.oneof(
    request.map((r) => `${pathOf(r)}${r.query.length === 0 ? '' : `?${new URLSearchParams(r.query)}`}`),
    fc.constant(`/registry/localhost:5000/v2/team/app/manifests/v1`),
    fc.constant(`/registry/127.0.0.1:5000/v2/team/app/manifests/${manifest.digest}`),
    hostile,
    edited.map(([r, edits]) =>
      edits.reduce((p, { at, text }) => p.slice(0, at % (p.length + 1)) + text + p.slice(at % (p.length + 1)), pathOf(r)),
    ),
  );

  itFuzzes('proxy handler: what reaches the registry', { runs: 600, timeoutMs: 60_000 }, () =>
    fc.asyncProperty(target, fc.constantFrom('GET', 'HEAD'), async (path, method) => {
      let url: URL;
      try {
        url = new URL(`http://proxy.test${path}`);
      } catch {
        return; // not a URL a browser could send
      }
      upstreamPaths.length = 0;
      const response = await handler(new Request(url, { method }));
      for (const sent of upstreamPaths) expect(sent).toMatch(API_PATH);
      for (const name of response.headers.keys()) expect(allowedHeaders.has(name), `response header ${name}`).toBe(true);
      if (response.status === 400) expect(response.headers.get(PROXY_ERROR_HEADER)).not.toBeNull();
      expect(response.status === 400 ? upstreamPaths.length : 0).toBe(0);
      await response.body?.cancel();
    }),
  );
});
