/**
 * Proves the e2e infrastructure before any UI spec leans on it: everything the seed script
 * pushed is served byte for byte through the app's proxy, agrees with skopeo (an independent
 * client), the corrupt image really is corrupt, and pagination survives the proxy.
 */
import { gunzipSync } from 'node:zlib';
import { expect, test, type APIRequestContext } from '@playwright/test';
import type { SeedResult, SeededManifest } from './registry/seed.ts';
import { skopeoRawDigest } from './support/skopeo.ts';
import { proxyPath, readE2EState } from './support/state.ts';
import { sha256Digest } from '../src/test-support/digest.ts';

/** Every manifest type we read; without it distribution 2.8 refuses OCI types or down-converts. */
const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

const TAGGED = ['single', 'multi', 'dockerList', 'manyTags', 'corrupt'] as const satisfies readonly (keyof SeedResult)[];

async function getManifest(request: APIRequestContext, repo: string, reference: string) {
  const response = await request.get(proxyPath(`${repo}/manifests/${reference}`), {
    headers: { accept: MANIFEST_ACCEPT },
  });
  expect(response.status(), await response.text()).toBe(200);
  return { response, body: await response.body() };
}

async function getBlob(request: APIRequestContext, repo: string, digest: string): Promise<Buffer> {
  const response = await request.get(proxyPath(`${repo}/blobs/${digest}`));
  expect(response.status()).toBe(200);
  return response.body();
}

/**
 * Follows `Link: <…>; rel="next"` from `firstPage`. The proxy passes the registry's Link through
 * unchanged (.notes/contracts.md), so the target is relative to the registry, not to the proxy.
 */
async function collectPages<K extends string>(
  request: APIRequestContext,
  firstPage: string,
  key: K,
): Promise<{ items: string[]; pages: number }> {
  const { registry } = readE2EState();
  const items: string[] = [];
  let next: string | undefined = proxyPath(firstPage);
  let pages = 0;
  while (next !== undefined) {
    expect(++pages, 'pagination does not end').toBeLessThanOrEqual(20);
    const response = await request.get(next);
    expect(response.status()).toBe(200);
    items.push(...((await response.json()) as Record<K, string[]>)[key]);
    const link = /<([^>]+)>\s*;\s*rel="?next"?/.exec(response.headers()['link'] ?? '');
    if (link === null) {
      next = undefined;
    } else {
      const target = new URL(link[1]!, registry.url);
      expect(target.host, 'Link leaves the registry').toBe(registry.host);
      next = proxyPath(`${target.pathname.replace(/^\/v2\//, '')}${target.search}`);
    }
  }
  return { items, pages };
}

for (const name of TAGGED) {
  test(`${name}: the tag serves the seeded manifest byte for byte, as skopeo sees it`, async ({ request }) => {
    const image = readE2EState().seed[name];
    const { response, body } = await getManifest(request, image.repo, image.tag);
    expect(sha256Digest(body)).toBe(image.digest);
    expect(body.length).toBe(image.size);
    expect(response.headers()['content-type']).toBe(image.mediaType);
    expect(response.headers()['docker-content-digest']).toBe(image.digest);
    expect(await skopeoRawDigest(image.ref)).toBe(image.digest);
  });
}

test('index and list children, and the attestation, are stored by digest', async ({ request }) => {
  const { seed, registry } = readE2EState();
  const children: SeededManifest[] = [
    ...Object.values(seed.multi.platforms),
    ...Object.values(seed.dockerList.platforms),
    seed.multi.attestation,
  ];
  for (const child of children) {
    const { response, body } = await getManifest(request, child.repo, child.digest);
    expect(sha256Digest(body)).toBe(child.digest);
    expect(response.headers()['content-type']).toBe(child.mediaType);
    expect(await skopeoRawDigest(`${registry.host}/${child.repo}@${child.digest}`)).toBe(child.digest);
  }
});

test('multi: the index lists three platforms and a BuildKit attestation for linux/amd64', async ({ request }) => {
  const { multi } = readE2EState().seed;
  const { body } = await getManifest(request, multi.repo, multi.tag);
  const index = JSON.parse(body.toString('utf8')) as {
    manifests: { digest: string; platform: { os: string; architecture: string; variant?: string }; annotations?: Record<string, string> }[];
  };
  const byPlatform = Object.fromEntries(
    index.manifests.map((m) => [[m.platform.os, m.platform.architecture, m.platform.variant].filter(Boolean).join('/'), m]),
  );
  expect(byPlatform['linux/amd64']?.digest).toBe(multi.platforms['linux/amd64'].digest);
  expect(byPlatform['linux/arm64']?.digest).toBe(multi.platforms['linux/arm64'].digest);
  expect(byPlatform['linux/arm/v7']?.digest).toBe(multi.platforms['linux/arm/v7'].digest);
  expect(byPlatform['unknown/unknown']).toMatchObject({
    digest: multi.attestation.digest,
    annotations: {
      'vnd.docker.reference.type': 'attestation-manifest',
      'vnd.docker.reference.digest': multi.platforms['linux/amd64'].digest,
    },
  });
  const statement = JSON.parse((await getBlob(request, multi.repo, multi.attestation.layers[0]!.digest)).toString('utf8'));
  expect(statement).toMatchObject({ predicateType: multi.attestation.predicateType });
});

test('single: config and layers hash to their digests, and layers decompress to their diff_ids', async ({ request }) => {
  const { single } = readE2EState().seed;
  const config = await getBlob(request, single.repo, single.config.digest);
  expect(sha256Digest(config)).toBe(single.config.digest);
  expect(JSON.parse(config.toString('utf8')).rootfs.diff_ids).toEqual(single.layers.map((layer) => layer.diffId));
  for (const layer of single.layers) {
    const gzip = await getBlob(request, single.repo, layer.digest);
    expect(gzip.length).toBe(layer.size);
    expect(sha256Digest(gzip)).toBe(layer.digest);
    expect(sha256Digest(gunzipSync(gzip))).toBe(layer.diffId);
  }
});

test('corrupt: the config blob comes back at its size but not its digest', async ({ request }) => {
  const { corrupt } = readE2EState().seed;
  expect(corrupt.tampered).toBe(true);
  const response = await request.get(proxyPath(`${corrupt.repo}/blobs/${corrupt.corruptedBlob}`));
  expect(response.status()).toBe(200);
  // The registry vouches for the digest it was asked for, which is why the header proves nothing.
  expect(response.headers()['docker-content-digest']).toBe(corrupt.corruptedBlob);
  const body = await response.body();
  expect(body.length).toBe(corrupt.config.size);
  expect(sha256Digest(body)).not.toBe(corrupt.corruptedBlob);
  expect(sha256Digest(body)).toBe(corrupt.servedDigest);
});

test('manytags: following Link from n=50 collects all 131 tags exactly once', async ({ request }) => {
  const { manyTags } = readE2EState().seed;
  const { items, pages } = await collectPages(request, `${manyTags.repo}/tags/list?n=50`, 'tags');
  // distribution 2.8 ignores n and last on tags/list (a single page, unsorted); registries
  // that honour n give 3 pages. Either way the union must be exact.
  test.info().annotations.push({ type: 'tag pages', description: String(pages) });
  expect(items).toHaveLength(manyTags.count);
  expect([...items].sort()).toEqual(manyTags.tags);
});

test('catalog: Link pagination through the proxy visits every seeded repository', async ({ request }) => {
  const { seed } = readE2EState();
  const { items, pages } = await collectPages(request, '_catalog?n=2', 'repositories');
  expect(pages).toBeGreaterThanOrEqual(3);
  expect(items).toEqual(
    expect.arrayContaining([seed.single, seed.multi, seed.dockerList, seed.manyTags, seed.corrupt].map((image) => image.repo)),
  );
  expect(new Set(items).size).toBe(items.length);
});
