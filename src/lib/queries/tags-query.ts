/**
 * Every tag of a repository (all pages followed), a registry's catalog, and each tag's details
 * for the rows on screen. Tags come and go, so all of this goes stale. Details fan out (a HEAD
 * per tag, then a GET per distinct digest and its config), so they pass one gate per registry:
 * a few at a time, all paused together when the registry rate-limits (request-gate.ts).
 */
import { matchQuery, type QueryClient, queryOptions, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { createRequestGate, type GateSnapshot, type RequestGate } from '../../oci/registry/request-gate';
import { firstPlatformOf, isImageManifest, readTagDetail, type TagDetail } from '../../oci/registry/tag-details';
import type { CallOptions } from '../../oci/registry/transport';
import { readImageConfig } from '../../oci/spec/image-config';
import type { Descriptor } from '../../oci/spec/descriptor';
import { mutable, registryKeys } from '../query-keys';
import { registryClient } from '../registry';
import { withRetryReports } from '../retry-progress';
import type { RepositoryName } from '../view-urls';
import { jsonBlobQuery } from './blob-query';
import { fetchManifest, type ManifestResult, manifestQuery } from './manifest-query';

export function tagsQuery(repo: RepositoryName) {
  return queryOptions({
    queryKey: registryKeys.tags(repo),
    queryFn: (context) => withRetryReports(context, (call) => registryClient.listTags(repo, call)),
    ...mutable,
  });
}

/** Every repository a registry's catalog lists (`/v2/_catalog`), all pages followed; goes stale too. */
export function catalogQuery(registry: string) {
  return queryOptions({
    // '_catalog' can be no repository's name (names start with a letter or digit), so no key collides.
    queryKey: [...registryKeys.all, registry, '_catalog'] as const,
    queryFn: (context) => withRetryReports(context, (call) => registryClient.listCatalog(registry, call)),
    ...mutable,
  });
}

/**
 * Requests at once per registry for tag details. Docker Hub allows 100 anonymous pulls per 6 h
 * (HEADs are free), so a scroll must not be a burst; four keep a screenful arriving in well
 * under a second from a nearby registry.
 */
export const TAG_DETAIL_CONCURRENCY = 4;

const gates = new Map<string, RequestGate>();

/** The one gate for tag details on a registry. */
export function tagDetailGate(registry: string): RequestGate {
  let gate = gates.get(registry);
  if (!gate) {
    gate = createRequestGate({ limit: TAG_DETAIL_CONCURRENCY });
    gates.set(registry, gate);
  }
  return gate;
}

/** What the tag-detail gate of a registry is doing: running, waiting, paused by a rate limit. */
export function useTagDetailGate(registry: string): GateSnapshot {
  const gate = tagDetailGate(registry);
  return useSyncExternalStore(gate.subscribe, gate.snapshot);
}

/** A tag's row, and whether every document it was read from verified. */
export interface TagRow extends TagDetail {
  trusted: boolean;
}

interface DetailContext {
  client: QueryClient;
  repo: RepositoryName;
  gate: RequestGate;
  call: CallOptions;
}

function gated<T>(context: DetailContext, task: () => Promise<T>): Promise<T> {
  return context.gate.run(task, context.call.signal);
}

function manifestByDigest(context: DetailContext, digest: string, d?: Descriptor): Promise<ManifestResult> {
  const hints = d ? { mediaType: d.mediaType, size: d.size } : {};
  return gated(context, () => context.client.fetchQuery(manifestQuery({ ...context.repo, digest }, hints)));
}

/** The config that dates the tag: its own, or for an index its first platform's. */
async function datingConfig(context: DetailContext, manifest: ManifestResult) {
  let image = manifest;
  const platform = firstPlatformOf(manifest.document);
  if (manifest.document.kind === 'index') {
    if (manifest.document.annotations?.['org.opencontainers.image.created'] || !platform) return { config: undefined, trusted: true };
    image = await manifestByDigest(context, platform.digest, platform);
  }
  const config = image.document.kind === 'manifest' && isImageManifest(image.document) ? image.document.config : undefined;
  if (!config?.digestValid) return { config: undefined, trusted: image.fetched.verification.trusted };
  const blob = await gated(context, () =>
    context.client.fetchQuery(jsonBlobQuery(context.repo, config.digest, { mediaType: config.mediaType, size: config.size })),
  );
  return { config: readImageConfig(blob.json), trusted: image.fetched.verification.trusted && blob.verification.trusted };
}

/**
 * HEAD for the digest (the registry's word), then the manifest by that digest, verified and
 * shared by every tag pointing at it; without `Docker-Content-Digest`, a GET by tag says.
 */
async function fetchTagRow(context: DetailContext, tag: string): Promise<TagRow> {
  const ref = { ...context.repo, tag };
  const head = await gated(context, () => registryClient.headManifest(ref, context.call));
  const manifest = head.digest
    ? await manifestByDigest(context, head.digest)
    : await gated(context, () => fetchManifest(ref, {}, context.call));
  const { config, trusted } = await datingConfig(context, manifest);
  const detail = readTagDetail(tag, head.digest ?? manifest.fetched.digest, manifest.document, config);
  return { ...detail, trusted: trusted && manifest.fetched.verification.trusted };
}

export function tagDetailQuery(repo: RepositoryName, tag: string) {
  return queryOptions({
    queryKey: [...registryKeys.tags(repo), 'detail', tag] as const,
    queryFn: ({ client, signal }) => {
      const gate = tagDetailGate(repo.registry);
      // A 429 the transport waits out itself still pauses the other rows, so they do not pile on.
      const onRetry: CallOptions['onRetry'] = (progress) => {
        if (progress.status === 429) gate.pauseUntil(Date.now() + progress.delayMs);
      };
      return fetchTagRow({ client, repo, gate, call: { signal, onRetry } }, tag);
    },
    ...mutable,
  });
}

/**
 * The tag rows of a repository already in the cache (fetched for rows that were on screen),
 * kept current as more arrive: for marking tags that share a digest and for sorting by date.
 */
export function useKnownTagRows(repo: RepositoryName): ReadonlyMap<string, TagRow> {
  const client = useQueryClient();
  const { registry, repository } = repo;
  const prefix = useMemo(() => [...registryKeys.tags({ registry, repository }), 'detail'] as const, [registry, repository]);
  const collect = useCallback(() => {
    const rows = new Map<string, TagRow>();
    for (const [, row] of client.getQueriesData<TagRow>({ queryKey: prefix })) if (row) rows.set(row.tag, row);
    return rows;
  }, [client, prefix]);
  const [rows, setRows] = useState(collect);
  useEffect(() => {
    setRows(collect());
    return client.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'success' && matchQuery({ queryKey: prefix }, event.query)) setRows(collect());
    });
  }, [client, prefix, collect]);
  return rows;
}
