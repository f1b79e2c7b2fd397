import { describe, expect, it } from 'vitest';
import { BadRequestError } from './errors.ts';
import { parseProxyRoute } from './proxy-route.ts';

const SHA256 = `sha256:${'a'.repeat(64)}`;
const SHA512 = `sha512:${'b'.repeat(128)}`;

const route = (pathAndQuery: string) => {
  const [pathname = '', query = ''] = pathAndQuery.split('?');
  return parseProxyRoute(pathname, new URLSearchParams(query));
};

const rejection = (pathAndQuery: string): BadRequestError => {
  try {
    route(pathAndQuery);
  } catch (error) {
    if (error instanceof BadRequestError) return error;
    throw error;
  }
  throw new Error(`${pathAndQuery} was accepted`);
};

describe('parseProxyRoute: accepted paths', () => {
  it.each([
    ['/registry/docker.io/v2/', 'https://registry-1.docker.io/v2/', 'ping'],
    ['/registry/docker.io/v2', 'https://registry-1.docker.io/v2/', 'ping'],
    ['/registry/ghcr.io/v2/_catalog', 'https://ghcr.io/v2/_catalog', 'catalog'],
    [
      '/registry/docker.io/v2/library/alpine/manifests/latest',
      'https://registry-1.docker.io/v2/library/alpine/manifests/latest',
      'manifest',
    ],
    [
      '/registry/quay.io/v2/openshift-examples/multi-arch/manifests/kcdmunich2023',
      'https://quay.io/v2/openshift-examples/multi-arch/manifests/kcdmunich2023',
      'manifest',
    ],
    [
      `/registry/ghcr.io/v2/iximiuz/labs/oci/cli/manifests/${SHA256}`,
      `https://ghcr.io/v2/iximiuz/labs/oci/cli/manifests/${SHA256}`,
      'manifest',
    ],
    [`/registry/ghcr.io/v2/a/blobs/${SHA512}`, `https://ghcr.io/v2/a/blobs/${SHA512}`, 'blob'],
    ['/registry/ghcr.io/v2/a/tags/list', 'https://ghcr.io/v2/a/tags/list', 'tags'],
    [`/registry/ghcr.io/v2/a/referrers/${SHA256}`, `https://ghcr.io/v2/a/referrers/${SHA256}`, 'referrers'],
    ['/registry/localhost:5000/v2/', 'http://localhost:5000/v2/', 'ping'],
    ['/registry/127.0.0.1:5000/v2/', 'http://127.0.0.1:5000/v2/', 'ping'],
    ['/registry/[::1]:5000/v2/', 'http://[::1]:5000/v2/', 'ping'],
    ['/registry/0x7f.1:5000/v2/', 'http://127.0.0.1:5000/v2/', 'ping'],
    ['/registry/registry.example:8443/v2/', 'https://registry.example:8443/v2/', 'ping'],
    ['/registry/Registry.Example/v2/', 'https://registry.example/v2/', 'ping'],
    ['/registry/docker.io/v2/a/tags/list/manifests/v1', 'https://registry-1.docker.io/v2/a/tags/list/manifests/v1', 'manifest'],
    [
      '/registry/docker.io/v2/a.b/c__d/e---f/g_h/manifests/V1.0-rc_1',
      'https://registry-1.docker.io/v2/a.b/c__d/e---f/g_h/manifests/V1.0-rc_1',
      'manifest',
    ],
  ])('%s -> %s', (path, upstream, kind) => {
    const parsed = route(path);
    expect(parsed.upstream.href).toBe(upstream);
    expect(parsed.kind).toBe(kind);
  });

  it('names repository, reference and whether the content is digest-addressed', () => {
    expect(route(`/registry/docker.io/v2/library/alpine/manifests/${SHA256}`)).toMatchObject({
      host: 'docker.io',
      repository: 'library/alpine',
      reference: SHA256,
      digestAddressed: true,
    });
    expect(route('/registry/docker.io/v2/library/alpine/manifests/3.20').digestAddressed).toBe(false);
    expect(route(`/registry/docker.io/v2/library/alpine/blobs/${SHA256}`).digestAddressed).toBe(true);
    expect(route(`/registry/docker.io/v2/library/alpine/referrers/${SHA256}`).digestAddressed).toBe(false);
  });

  it.each([
    ['/registry/ghcr.io/v2/a/tags/list?n=50&last=v1.2', '?n=50&last=v1.2'],
    ['/registry/ghcr.io/v2/a/tags/list?last=v1&n=0', '?n=1&last=v1'],
    ['/registry/ghcr.io/v2/a/tags/list?n=5000', '?n=1000'],
    ['/registry/ghcr.io/v2/_catalog?n=10&last=library/alpine', '?n=10&last=library%2Falpine'],
    [
      `/registry/ghcr.io/v2/a/referrers/${SHA256}?artifactType=application/vnd.dev.cosign.artifact.sig.v1%2Bjson`,
      '?artifactType=application%2Fvnd.dev.cosign.artifact.sig.v1%2Bjson',
    ],
    [`/registry/ghcr.io/v2/a/referrers/${SHA256}?n=50&last=${SHA256}`, `?n=50&last=${encodeURIComponent(SHA256)}`],
  ])('passes documented query parameters: %s', (path, search) => {
    expect(route(path).upstream.search).toBe(search);
  });
});

describe('parseProxyRoute: refused paths', () => {
  it.each([
    ['/registry/docker.io/v2/library/../alpine/manifests/latest', 'Dot segments'],
    ['/registry/docker.io/v2/./a/manifests/latest', 'Dot segments'],
    ['/registry/docker.io/v2/a%2fb/manifests/latest', 'Percent-encoded slashes'],
    ['/registry/docker.io/v2/a%5Cb/manifests/latest', 'Percent-encoded slashes'],
    ['/registry/docker.io/v2/a%41/manifests/latest', 'Percent-encoding'],
    ['/registry/docker.io/v2/a\\b/manifests/latest', 'Backslashes'],
    ['/registry/user:pass@docker.io/v2/', 'userinfo'],
    ['/registry/docker.io/v2/Library/alpine/manifests/latest', 'lowercase'],
    ['/registry/docker.io/v2/a-/manifests/latest', 'each component'],
    ['/registry/docker.io/v2/a___b/manifests/latest', 'each component'],
    [`/registry/docker.io/v2/${'a'.repeat(256)}/manifests/latest`, 'longer than 255'],
    ['/registry/docker.io/v2/a/manifests/.hidden', 'Tag'],
    [`/registry/docker.io/v2/a/manifests/${'t'.repeat(129)}`, 'Tag'],
    ['/registry/docker.io/v2/a/manifests/sha256:abc', 'Digest'],
    [`/registry/docker.io/v2/a/manifests/sha256:${'A'.repeat(64)}`, 'Digest'],
    [`/registry/docker.io/v2/a/blobs/sha512:${'a'.repeat(64)}`, 'Digest'],
    ['/registry/docker.io/v2/a/blobs/latest', 'Digest'],
    ['/registry/docker.io/v2/a/referrers/latest', 'Digest'],
    ['/registry/docker.io/v2/a/blobs/uploads/', 'Empty path segments'],
    ['/registry/docker.io/v2/a//manifests/latest', 'Empty path segments'],
    ['/registry/docker.io/v2/a/manifests/latest/', 'Empty path segments'],
    ['/registry/docker.io/v2/a/blobs/uploads/abc', 'not a registry API path'],
    ['/registry/docker.io/v2/a/tags', 'not a registry API path'],
    ['/registry/docker.io/v2/a/wat/latest', 'not a registry API path'],
    ['/registry/docker.io/v1/_ping', 'under /v2/'],
    ['/registry/docker.io', 'under /v2/'],
    ['/registry//v2/', 'not a registry host'],
    ['/registry/bad_host/v2/', 'not a registry host'],
    ['/registry/host:99999/v2/', 'not a registry host'],
    ['/registry/foo.123/v2/', 'not a registry host'],
    ['/registry/[fe80::1%25eth0]/v2/', 'Percent-encoding'],
    ['/elsewhere/docker.io/v2/', 'start with /registry/'],
    ['/registry/docker.io/v2/a/manifests/latest?n=1', 'not accepted'],
    ['/registry/docker.io/v2/a/tags/list?n=1&n=2', 'more than once'],
    ['/registry/docker.io/v2/a/tags/list?n=ten', 'not a number'],
    ['/registry/docker.io/v2/a/tags/list?last=-x', 'Tag'],
    ['/registry/docker.io/v2/_catalog?last=UPPER', 'lowercase'],
    [`/registry/docker.io/v2/a/referrers/${SHA256}?artifactType=nonsense`, 'not a media type'],
    [`/registry/docker.io/v2/a/referrers/${SHA256}?last=a%20b`, 'not a page cursor'],
    [`/registry/docker.io/v2/a/referrers/${SHA256}?last=${'x'.repeat(257)}`, 'not a page cursor'],
  ])('%s -> 400 (%s)', (path, message) => {
    const error = rejection(path);
    expect(error.status).toBe(400);
    expect(error.message).toContain(message);
  });
});
