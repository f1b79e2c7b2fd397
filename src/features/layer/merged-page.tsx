/**
 * `/fs/REPO@MANIFEST/path`: the filesystem a container of this image starts with — every layer
 * streamed and verified, then applied in order with whiteouts and opaque directories (OCI
 * layer.md "Applying changesets"). Each file names the layer that added it; files a later layer
 * deleted or overwrote stay visible, struck through.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { Link } from 'react-router';
import { allScansVersion, layerScan, subscribeToAllScans, type LayerScan } from '../../lib/layer-pass-store';
import { layerTrust } from '../../lib/layer-trust';
import { jsonBlobQuery } from '../../lib/queries/blob-query';
import { manifestQuery } from '../../lib/queries/manifest-query';
import { fsUrl, imageByDigestUrl, repoUrl, type FsContext, type RepositoryName } from '../../lib/view-urls';
import { countOf, formatBytes } from '../../ui/format';
import { ProofMark } from '../../ui/proof-mark';
import type { Descriptor } from '../../oci/spec/descriptor';
import { readImageConfig } from '../../oci/spec/image-config';
import { mergeLayers } from '../../oci/fs/merged-fs';
import { isContainerImage } from '../../oci/supply/blob-view';
import { formatRepository } from '../../oci/spec/reference';
import { ErrorPanel } from '../../ui/error-panel';
import { DocumentHeader } from '../../ui/document-header';
import { PlatformPicker } from '../../ui/platform-picker';
import { SectionBoundary } from '../../ui/section-boundary';
import { TrustedContent } from '../../ui/trusted-content';
import { Digest } from '../../ui/digest-value';
import { DirectoryListing, type HrefFor } from './directory-listing';
import { FileView } from './file-view';
import { KeptLabel } from './kept-note';
import { LargestFiles } from './largest-files';

interface MergedProps {
  repo: RepositoryName;
  digest: string;
  path: string;
  context: FsContext;
}

function layerContext(manifest: string, layers: Descriptor[], index: number): FsContext {
  return { manifest, index, mediaType: layers[index]?.mediaType, size: layers[index]?.size };
}

function LayerStatusList({
  repo,
  manifest,
  layers,
  scans,
  diffIds,
}: {
  repo: RepositoryName;
  manifest: string;
  layers: Descriptor[];
  scans: LayerScan[];
  diffIds: string[] | undefined;
}) {
  return (
    <ol className="layer-list" data-testid="merged-layers">
      {scans.map((scan, i) => {
        const state = scan.getSnapshot();
        const result = state.result;
        const trust = layerTrust(state, diffIds?.[i]);
        const status = !result ? state.status : trust.failed ? 'mismatch' : 'verified';
        return (
          <li key={i} data-testid="merged-layer" data-status={status}>
            <ProofMark
              state={
                status === 'verified'
                  ? 'verified'
                  : status === 'mismatch' || status === 'error'
                    ? 'mismatch'
                    : status === 'running'
                      ? 'pending'
                      : 'unverified'
              }
            />{' '}
            L{i + 1} <Digest value={layers[i]!.digest} to={fsUrl(repo, layers[i]!.digest, '', layerContext(manifest, layers, i))} />{' '}
            <span className="muted">
              {state.waiting ? 'waiting its turn' : formatBytes(state.compressedBytes)}
              {!state.waiting && state.total !== undefined && ` of ${formatBytes(state.total)}`}
              {result && ` · ${formatBytes(result.decompressedBytes)} uncompressed · ${countOf(result.entryCount, 'entry', 'entries')}`}
              {state.kept && (
                <>
                  {' · '}
                  <KeptLabel verifiedAt={state.kept.verifiedAt} />, nothing downloaded
                </>
              )}
              {trust.digest === 'mismatch' && ' · DIGEST MISMATCH'}
              {trust.diffId === 'mismatch' && ' · DIFF_ID MISMATCH'}
              {state.error && ` · ${state.error.message}`}
              {state.status === 'cancelled' && ' · cancelled'}
            </span>{' '}
            {(state.status === 'cancelled' || state.status === 'error') && (
              <button type="button" onClick={() => scan.restart()}>
                Start again
              </button>
            )}
          </li>
        );
      })}
    </ol>
  );
}

function MergedFilesystem({
  repo,
  digest,
  path,
  layers,
  configDescriptor,
}: {
  repo: RepositoryName;
  digest: string;
  path: string;
  layers: Descriptor[];
  configDescriptor?: Descriptor;
}) {
  const scans = useMemo(
    () => layers.map((l) => layerScan({ repo, digest: l.digest, mediaType: l.mediaType, size: l.size })),
    [repo, layers],
  );
  useSyncExternalStore(subscribeToAllScans, allScansVersion);
  // Passes start after commit, in manifest order (the scheduler keeps that order for the queue).
  useEffect(() => scans.forEach((scan) => scan.start()), [scans]);
  const config = useQuery({
    ...jsonBlobQuery(repo, configDescriptor?.digest ?? '', { mediaType: configDescriptor?.mediaType, size: configDescriptor?.size }),
    enabled: Boolean(configDescriptor?.digestValid),
  });
  const diffIds = config.data?.verification.trusted ? readImageConfig(config.data.json)?.diffIds : undefined;
  const allDone = scans.every((s) => s.getSnapshot().status === 'done');
  const merged = useMemo(() => (allDone ? mergeLayers(scans.map((s) => s.entries)) : undefined), [allDone, scans]);
  const index = useMemo(() => merged?.toFileIndex(), [merged]);
  const untrusted = scans.some((s, i) => layerTrust(s.getSnapshot(), diffIds?.[i]).failed);

  const hrefFor: HrefFor = (p, isDir, node) =>
    isDir || node?.layerIndex === undefined
      ? fsUrl(repo, digest, p, {}, isDir)
      : fsUrl(repo, layers[node.layerIndex]!.digest, p, layerContext(digest, layers, node.layerIndex), false);
  const node = path && index ? index.get(path) : undefined;

  return (
    <>
      <section
        className={`verification ${untrusted ? 'mismatch' : allDone ? 'verified' : 'pending'}`}
        data-testid="merged-verification"
        data-status={untrusted ? 'mismatch' : allDone ? 'verified' : 'pending'}
      >
        <h2 className="verification-headline">
          <ProofMark state={untrusted ? 'mismatch' : allDone ? 'verified' : 'pending'} />{' '}
          {untrusted
            ? 'A layer failed verification: the merged filesystem below is untrusted.'
            : allDone
              ? `All ${countOf(layers.length, 'layer')} verified in your browser (digest${diffIds ? ' and diff_id' : ''}).`
              : `Streaming ${countOf(layers.length, 'layer')}…`}
        </h2>
        <LayerStatusList repo={repo} manifest={digest} layers={layers} scans={scans} diffIds={diffIds} />
      </section>
      <TrustedContent trusted={!untrusted}>
        {!index ? (
          <p className="loading" role="status">
            The merged view appears when every layer has been read.
          </p>
        ) : node && !node.isDir && node.layerIndex !== undefined ? (
          <FileView
            target={{
              repo,
              digest: layers[node.layerIndex]!.digest,
              mediaType: layers[node.layerIndex]!.mediaType,
              size: layers[node.layerIndex]!.size,
            }}
            node={node}
            hrefFor={hrefFor}
          />
        ) : path && !node ? (
          <section className="error-panel" role="alert" data-testid="error" data-kind="no-such-path">
            <h2>No such path</h2>
            <p>/{path} is not in this image’s filesystem.</p>
          </section>
        ) : (
          <SectionBoundary name="The files">
            <DirectoryListing index={index} version={index.version} dir={path} hrefFor={hrefFor} merged />
          </SectionBoundary>
        )}
        {merged && (
          <LargestFiles
            files={merged.largestFiles(20).map((f) => ({
              path: f.path,
              size: f.entry.size,
              layerIndex: f.layerIndex,
              href: fsUrl(repo, layers[f.layerIndex]!.digest, f.path, layerContext(digest, layers, f.layerIndex), false),
            }))}
          />
        )}
      </TrustedContent>
    </>
  );
}

export function MergedPage({ repo, digest, path, context }: MergedProps) {
  const query = useQuery(manifestQuery({ ...repo, digest }, { mediaType: context.mediaType }));
  const document = query.data?.document;
  return (
    <article className="document" data-testid="merged-page">
      <DocumentHeader
        context={
          <>
            <Link to={repoUrl(repo)}>{formatRepository(repo)}</Link> · <Link to={imageByDigestUrl(repo, digest)}>manifest</Link>
          </>
        }
        title={`${formatRepository(repo)}@${digest}`}
        kind="merged image filesystem"
      />
      {query.isPending && <p className="loading">Fetching and verifying the manifest…</p>}
      {query.isError && <ErrorPanel error={query.error} />}
      {query.data && !query.data.fetched.verification.trusted && (
        <section className="verification mismatch" data-testid="verification" data-status="mismatch">
          <h2 className="verification-headline">
            <ProofMark state="mismatch" /> The manifest failed verification; its layers are not opened.
          </h2>
          <p>
            <Link to={imageByDigestUrl(repo, digest)}>See the manifest’s verification</Link>
          </p>
        </section>
      )}
      {query.data?.fetched.verification.trusted && document?.kind === 'manifest' && !isContainerImage(document) && (
        <section className="verification unverified" data-testid="no-merged-filesystem" data-status="unverified">
          <h2 className="verification-headline">An artifact, not a container image: it has no merged filesystem.</h2>
          <p>
            Its layers are documents or files (a signature, an SBOM, a chart), not filesystem changesets, so they are not stacked.{' '}
            <Link to={imageByDigestUrl(repo, digest)}>Open the artifact</Link> to see each one decoded.
          </p>
        </section>
      )}
      {query.data?.fetched.verification.trusted && document?.kind === 'manifest' && isContainerImage(document) && (
        <MergedFilesystem
          repo={repo}
          digest={digest}
          path={path}
          layers={document.layers.filter((l) => l.digestValid)}
          configDescriptor={document.config}
        />
      )}
      {query.data?.fetched.verification.trusted && document?.kind === 'index' && (
        <PlatformPicker index={document} hrefFor={(d) => fsUrl(repo, d.digest, '', { mediaType: d.mediaType })} />
      )}
    </article>
  );
}
