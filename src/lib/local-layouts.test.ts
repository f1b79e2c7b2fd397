import { describe, expect, it, vi } from 'vitest';
import { createRegistryClient } from '../oci/registry/client';
import { RegistryError } from '../oci/registry/errors';
import { SYNTHESIZED_ANNOTATION } from '../oci/layout/docker-archive';
import { DOCKER_MANIFEST, OCI_CONFIG, OCI_INDEX, OCI_MANIFEST } from '../oci/spec/media-types';
import { openLayoutFromFiles } from '../oci/layout/oci-layout';
import { createLayoutFetch, layoutBlobOfProxyUrl } from './local-layouts';
import { type OciLayout } from '../oci/layout/types';
import { sha256Digest } from '../test-support/digest';

const HOST = '0123abcd.layout.invalid';

const config = JSON.stringify({ architecture: 'amd64', os: 'linux' });
const manifest = JSON.stringify({
  schemaVersion: 2,
  mediaType: OCI_MANIFEST,
  config: { mediaType: OCI_CONFIG, digest: sha256Digest(config), size: config.length },
  layers: [],
});
const index = JSON.stringify({
  schemaVersion: 2,
  manifests: [
    {
      mediaType: OCI_MANIFEST,
      digest: sha256Digest(manifest),
      size: manifest.length,
      annotations: { 'org.opencontainers.image.ref.name': 'v1' },
    },
  ],
});

/** A layout whose config blob can be swapped for other bytes under the same name. */
function layout(configBytes = config): Promise<OciLayout> {
  const files: Record<string, string> = {
    'oci-layout': '{"imageLayoutVersion":"1.0.0"}',
    'index.json': index,
    [`blobs/sha256/${sha256Digest(manifest).slice(7)}`]: manifest,
    [`blobs/sha256/${sha256Digest(config).slice(7)}`]: configBytes,
  };
  return openLayoutFromFiles(
    Object.entries(files).map(([path, text]) => ({ path: `dir/${path}`, file: new Blob([text]) })),
    'dir',
  );
}

async function setup(configBytes?: string) {
  const loaded = await layout(configBytes);
  const next = vi.fn<typeof fetch>(() => Promise.resolve(new Response('real')));
  const layoutFetch = createLayoutFetch((host) => (host === HOST ? loaded : undefined), next);
  const client = createRegistryClient({ fetch: layoutFetch, retry: { maxAttempts: 1, baseDelayMs: 0, maxWaitMs: 0 } });
  const repo = { registry: HOST, repository: 'layout' };
  return { loaded, next, layoutFetch, client, repo };
}

const api = (path: string, host = HOST) => `/registry/${host}/v2/${path}`;

describe('createLayoutFetch', () => {
  it('answers the /v2/ check and lists index.json plus the ref.names as tags', async () => {
    const { layoutFetch, client, repo } = await setup();
    expect((await layoutFetch(api(''))).status).toBe(200);
    expect((await client.listTags(repo)).tags).toEqual(['index.json', 'v1']);
  });

  it('serves manifests and blobs by digest, verified by the client against the file name', async () => {
    const { layoutFetch, client, repo } = await setup();
    const response = await layoutFetch(api(`any/name/manifests/${sha256Digest(manifest)}`));
    expect(response.headers.get('content-type')).toBe(OCI_MANIFEST);
    expect(response.headers.get('content-length')).toBe(String(manifest.length));
    expect(response.headers.get('docker-content-digest')).toBe(sha256Digest(manifest));
    const head = await layoutFetch(api(`layout/blobs/${sha256Digest(config)}`), { method: 'HEAD' });
    expect([head.status, head.headers.get('content-type'), await head.text()]).toEqual([200, OCI_CONFIG, '']);

    const document = await client.fetchJsonBlob(repo, sha256Digest(config), { size: config.length });
    expect([document.verification.digest, document.verification.size, document.verification.trusted]).toEqual(['match', 'match', true]);
    expect(document.text).toBe(config);
  });

  it('serves index.json by tag without a digest, and other tags through ref.name', async () => {
    const { layoutFetch, client, repo } = await setup();
    const response = await layoutFetch(api('layout/manifests/index.json'));
    expect(response.headers.get('content-type')).toBe(OCI_INDEX);
    expect(response.headers.has('docker-content-digest')).toBe(false);
    const fetched = await client.fetchManifest({ ...repo, tag: 'index.json' });
    expect(fetched.fetchedBy).toBe('tag');
    expect(fetched.text).toBe(index);
    expect(fetched.digest).toBe(sha256Digest(index));
    // The page's permalink by that digest opens it, verified.
    const byDigest = await client.fetchManifest({ ...repo, digest: sha256Digest(index) });
    expect(byDigest.verification.digest).toBe('match');

    const v1 = await client.fetchManifest({ ...repo, tag: 'v1' });
    expect(v1.headerDigest).toBe(sha256Digest(manifest));
    expect(v1.verification.digest).toBe('match');
  });

  it('a tampered blob keeps its file name as the digest, so the client reports a mismatch', async () => {
    const { client, repo } = await setup(config.replace('amd64', 'arm64'));
    const document = await client.fetchJsonBlob(repo, sha256Digest(config));
    expect([document.verification.digest, document.verification.trusted]).toEqual(['mismatch', false]);
    expect(document.verification.computed).toBe(sha256Digest(config.replace('amd64', 'arm64')));
  });

  it('answers unknown digests and tags with registry 404s', async () => {
    const { layoutFetch, client, repo } = await setup();
    const blob = await layoutFetch(api(`layout/blobs/${sha256Digest('nothing')}`));
    expect(blob.status).toBe(404);
    expect(await blob.json()).toMatchObject({ errors: [{ code: 'BLOB_UNKNOWN' }] });
    const error = await client.fetchManifest({ ...repo, tag: 'v2' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).detail.code).toBe('MANIFEST_UNKNOWN');
  });

  it('a layout host not loaded in this tab says to open the layout again', async () => {
    const { client } = await setup();
    const error = (await client
      .fetchManifest({ registry: 'ffff0000.layout.invalid', repository: 'layout', tag: 'index.json' })
      .catch((e: unknown) => e)) as RegistryError;
    expect(error.kind).toBe('unreachable');
    expect(error.detail.code).toBe('LAYOUT_NOT_LOADED');
    expect(error.message).toContain('lives only in the tab that opened it');
    expect(error.message).toContain('open it again');
  });

  it('passes requests for other hosts to the real fetch untouched', async () => {
    const { layoutFetch, next } = await setup();
    const init = { headers: { Accept: 'x' } };
    expect(await (await layoutFetch('/registry/127.0.0.1:5000/v2/', init)).text()).toBe('real');
    expect(await (await layoutFetch('/assets/app.js')).text()).toBe('real');
    expect(next.mock.calls).toEqual([
      ['/registry/127.0.0.1:5000/v2/', init],
      ['/assets/app.js', undefined],
    ]);
  });
});

describe('a docker-archive', () => {
  const layer = 'an uncompressed layer tar';
  const archiveConfig = JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256Digest(layer)] } });

  it('serves its synthesized manifest by RepoTag, image-N and digest, verified; it has no index.json', async () => {
    const files: Record<string, string> = {
      [`${sha256Digest(archiveConfig).slice(7)}.json`]: archiveConfig,
      [`${sha256Digest(layer).slice(7)}.tar`]: layer,
      'manifest.json': JSON.stringify([
        {
          Config: `${sha256Digest(archiveConfig).slice(7)}.json`,
          RepoTags: ['ociscope/single:v1'],
          Layers: [`${sha256Digest(layer).slice(7)}.tar`],
        },
      ]),
    };
    const loaded = await openLayoutFromFiles(
      Object.entries(files).map(([path, text]) => ({ path, file: new Blob([text]) })),
      'saved',
    );
    const lookup = (host: string) => (host === HOST ? loaded : undefined);
    const layoutFetch = createLayoutFetch(lookup, vi.fn<typeof fetch>());
    const client = createRegistryClient({ fetch: layoutFetch, retry: { maxAttempts: 1, baseDelayMs: 0, maxWaitMs: 0 } });
    const repo = { registry: HOST, repository: 'layout' };

    expect((await client.listTags(repo)).tags).toEqual(['ociscope_single_v1', 'image-1']);
    const noIndex = await layoutFetch(api('layout/manifests/index.json'));
    expect([noIndex.status, (await noIndex.json()).errors[0].message]).toEqual([404, 'index.json is not a tag of this docker-archive']);

    const digest = loaded.entries[0]!.digest;
    for (const tag of ['ociscope_single_v1', 'image-1']) {
      const fetched = await client.fetchManifest({ ...repo, tag });
      // Synthesized by us: no digest is claimed by tag, the computed one is its identity.
      expect([fetched.headerDigest, fetched.digest, fetched.contentType]).toEqual([undefined, digest, DOCKER_MANIFEST]);
      expect(JSON.parse(fetched.text).annotations[SYNTHESIZED_ANNOTATION]).toContain('synthesized by ociscope');
    }
    expect((await client.fetchManifest({ ...repo, digest })).verification.digest).toBe('match');
    expect((await client.fetchJsonBlob(repo, sha256Digest(archiveConfig))).verification.digest).toBe('match');
    const found = layoutBlobOfProxyUrl(api(`layout/blobs/${sha256Digest(layer)}`), lookup);
    expect(found && 'blob' in found && (await found.blob.text())).toBe(layer);
  });
});

describe('layoutBlobOfProxyUrl', () => {
  it('gives a layer pass the blob, or why there is none; real registries get nothing', async () => {
    const { loaded } = await setup();
    const lookup = (host: string) => (host === HOST ? loaded : undefined);
    const found = layoutBlobOfProxyUrl(api(`layout/blobs/${sha256Digest(config)}`), lookup);
    expect(found && 'blob' in found && (await found.blob.text())).toBe(config);
    expect(layoutBlobOfProxyUrl(api(`layout/blobs/${sha256Digest('nothing')}`), lookup)).toMatchObject({
      status: 404,
      code: 'BLOB_UNKNOWN',
    });
    expect(layoutBlobOfProxyUrl(api('layout/blobs/x', 'ffff0000.layout.invalid'), lookup)).toMatchObject({ code: 'LAYOUT_NOT_LOADED' });
    expect(layoutBlobOfProxyUrl('/registry/docker.io/v2/library/alpine/blobs/sha256:00', lookup)).toBeUndefined();
  });
});
