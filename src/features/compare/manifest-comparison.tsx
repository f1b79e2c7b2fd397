/**
 * Two image manifests compared in full: the manifests themselves, their configs, their raw JSON
 * and their filesystems. Each document is fetched and verified like everywhere else (a manifest
 * already on the page is not fetched again); the proofs are listed, and anything read from a
 * document that failed its proof is shown as untrusted.
 */
import { useQuery } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { allScansVersion, existingLayerScan, subscribeToAllScans } from '../../lib/layer-pass-store';
import { jsonBlobQuery } from '../../lib/queries/blob-query';
import { type ManifestResult, manifestQuery } from '../../lib/queries/manifest-query';
import { diffConfigs } from '../../oci/compare/config-diff';
import { configSection, filesystemSection } from '../../oci/compare/comparison-plan';
import type { ObservedLayer } from '../../oci/compare/layer-diff';
import { diffManifests } from '../../oci/compare/manifest-diff';
import type { FetchedDocument } from '../../oci/registry/document';
import type { Descriptor } from '../../oci/spec/descriptor';
import { readImageConfig } from '../../oci/spec/image-config';
import type { ImageManifest } from '../../oci/spec/manifest';
import type { RepositoryName } from '../../oci/spec/reference';
import { ErrorPanel } from '../../ui/error-panel';
import { SectionBoundary } from '../../ui/section-boundary';
import { TrustedContent } from '../../ui/trusted-content';
import { ConfigDiffSection } from './config-diff-section';
import { FsDiffSection } from './fs-diff-section';
import { IdenticalNotice } from './identical-notice';
import { JsonDiffSection } from './json-diff-section';
import { ManifestDiffSection, type ManifestPlace } from './manifest-diff-section';
import { ProofTable } from './proof-table';
import { useFilesystemDiff } from './use-filesystem-diff';

/** One side: where the manifest lives, and either the manifest itself or the descriptor naming it. */
export interface ManifestInput {
  repo: RepositoryName;
  digest: string;
  /** Already fetched and verified (the page's own reference): not fetched again. */
  result?: ManifestResult;
  /** The index entry that names it, for its media type and size. */
  descriptor?: Descriptor;
  /** What this manifest is to a person: "the manifest", "its linux/amd64 manifest". */
  title: string;
}

export interface FilesystemControls {
  started: boolean;
  onStart: () => void;
  dir: string;
  onDir: (dir: string) => void;
}

function useManifest(input: ManifestInput): { data?: ManifestResult; isError: boolean; error: unknown } {
  const query = useQuery({
    ...manifestQuery({ ...input.repo, digest: input.digest }, { mediaType: input.descriptor?.mediaType, size: input.descriptor?.size }),
    enabled: input.result === undefined,
  });
  return input.result ? { data: input.result, isError: false, error: null } : query;
}

function useConfig(repo: RepositoryName, manifest: ImageManifest | undefined, wanted: boolean) {
  const config = manifest?.config;
  return useQuery({
    ...jsonBlobQuery(repo, config?.digest ?? '', { mediaType: config?.mediaType, size: config?.size }),
    enabled: wanted && Boolean(config?.digestValid),
  });
}

/** Layers whose pass finished with its digest proven: their compression and diff_id are facts. */
function observedLayers(repo: RepositoryName, layers: readonly Descriptor[], fallback: RepositoryName): Map<string, ObservedLayer> {
  const observed = new Map<string, ObservedLayer>();
  for (const layer of layers) {
    const result = (existingLayerScan(repo, layer.digest) ?? existingLayerScan(fallback, layer.digest))?.getSnapshot().result;
    if (result?.digest.ok && result.diffId.computed)
      observed.set(layer.digest, { compression: result.compression, diffId: result.diffId.computed });
  }
  return observed;
}

function trustedDiffIds(fetched: FetchedDocument | undefined): string[] | undefined {
  return fetched?.verification.trusted ? readImageConfig(fetched.json)?.diffIds : undefined;
}

export function ManifestComparison({ a, b, fs }: { a: ManifestInput; b: ManifestInput; fs: FilesystemControls }) {
  const ma = useManifest(a);
  const mb = useManifest(b);
  const docA = ma.data?.document.kind === 'manifest' ? ma.data.document : undefined;
  const docB = mb.data?.document.kind === 'manifest' ? mb.data.document : undefined;
  const configs = docA && docB ? configSection(docA, docB) : undefined;
  const ca = useConfig(a.repo, docA, configs?.available ?? false);
  const cb = useConfig(b.repo, docB, configs?.available ?? false);
  useSyncExternalStore(subscribeToAllScans, allScansVersion);
  const diffIdsA = trustedDiffIds(ca.data);
  const diffIdsB = trustedDiffIds(cb.data);
  const filesystem = docA && docB ? filesystemSection(docA, docB) : undefined;
  const fsState = useFilesystemDiff(
    { repo: a.repo, layers: docA?.layers ?? [], diffIds: diffIdsA, diffIdsPending: ca.isLoading },
    { repo: b.repo, layers: docB?.layers ?? [], diffIds: diffIdsB, diffIdsPending: cb.isLoading },
    fs.started && (filesystem?.available ?? false),
  );

  if (ma.isError || mb.isError) {
    return (
      <section className="compare-section">
        {ma.isError && <ErrorPanel error={ma.error} />}
        {mb.isError && <ErrorPanel error={mb.error} />}
      </section>
    );
  }
  if (!ma.data || !mb.data) return <p className="loading">Fetching and verifying {!ma.data ? a.title : b.title}…</p>;
  if (!docA || !docB)
    return <p className="warning">{!docA ? a.title : b.title} is not an image manifest, so only the index entries above compare.</p>;

  if (ma.data.fetched.digest === mb.data.fetched.digest) {
    return (
      <IdenticalNotice
        digest={ma.data.fetched.digest}
        trusted={ma.data.fetched.verification.trusted && mb.data.fetched.verification.trusted}
      />
    );
  }
  const placeA: ManifestPlace = { repo: a.repo, digest: ma.data.fetched.digest };
  const placeB: ManifestPlace = { repo: b.repo, digest: mb.data.fetched.digest };
  const trusted = ma.data.fetched.verification.trusted && mb.data.fetched.verification.trusted;
  const manifestDiff = diffManifests(
    { manifest: docA, diffIds: diffIdsA, observed: observedLayers(a.repo, docA.layers, a.repo) },
    { manifest: docB, diffIds: diffIdsB, observed: observedLayers(b.repo, docB.layers, a.repo) },
  );
  const configA = ca.data && readImageConfig(ca.data.json);
  const configB = cb.data && readImageConfig(cb.data.json);
  const configsTrusted = Boolean(ca.data?.verification.trusted && cb.data?.verification.trusted);

  return (
    <>
      <ProofTable
        rows={[
          { what: 'manifest', a: ma.data.fetched, b: mb.data.fetched },
          ...(configs?.available ? [{ what: 'config', a: ca.data, b: cb.data, errorA: ca.error, errorB: cb.error }] : []),
        ]}
      />
      <TrustedContent trusted={trusted}>
        <SectionBoundary name="The manifest comparison">
          <ManifestDiffSection diff={manifestDiff} a={placeA} b={placeB} />
        </SectionBoundary>
      </TrustedContent>
      {configs && !configs.available && (
        <p className="muted" data-testid="config-unavailable">
          {configs.reason}
        </p>
      )}
      {configs?.available && docA.config?.digest === docB.config?.digest && (
        <p className="compare-note" data-testid="config-same">
          Both manifests name the same config blob, <code>{docA.config?.digest}</code>: every setting, the history and the diff_ids are the
          same.
        </p>
      )}
      {configA && configB && docA.config?.digest !== docB.config?.digest && (
        <TrustedContent trusted={configsTrusted}>
          <SectionBoundary name="The config comparison">
            <ConfigDiffSection diff={diffConfigs(configA, configB)} />
          </SectionBoundary>
        </TrustedContent>
      )}
      <TrustedContent trusted={trusted}>
        <SectionBoundary name="The manifest JSON">
          <JsonDiffSection title="Manifest JSON" a={ma.data.fetched.text} b={mb.data.fetched.text} testId="manifest-json-diff" />
        </SectionBoundary>
      </TrustedContent>
      {ca.data && cb.data && docA.config?.digest !== docB.config?.digest && (
        <TrustedContent trusted={configsTrusted}>
          <SectionBoundary name="The config JSON">
            <JsonDiffSection title="Config JSON" a={ca.data.text} b={cb.data.text} testId="config-json-diff" />
          </SectionBoundary>
        </TrustedContent>
      )}
      {filesystem?.available ? (
        <TrustedContent trusted={trusted}>
          <SectionBoundary name="The filesystem comparison">
            <FsDiffSection state={fsState} started={fs.started} onStart={fs.onStart} a={placeA} b={placeB} dir={fs.dir} onDir={fs.onDir} />
          </SectionBoundary>
        </TrustedContent>
      ) : (
        <p className="muted" data-testid="fs-unavailable">
          {filesystem && !filesystem.available && filesystem.reason}
        </p>
      )}
    </>
  );
}
