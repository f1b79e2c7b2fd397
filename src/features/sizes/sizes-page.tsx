/**
 * `/sizes/REPO@MANIFEST` (an image: every layer read and merged) and `/size/REPO@LAYER` (one
 * layer on its own): where the bytes are, what later layers waste and what is stored twice.
 * Layers are read through the shared pass store, so a layer read by any view before costs
 * nothing. An index asks for a platform, as the merged filesystem does.
 */
import { useQuery } from '@tanstack/react-query';
import { type ComponentType, useMemo } from 'react';
import { Link } from 'react-router';
import type { LayerScan } from '../../lib/layer-pass-store';
import { jsonBlobQuery } from '../../lib/queries/blob-query';
import { manifestQuery } from '../../lib/queries/manifest-query';
import { fsUrl, imageByDigestUrl, repoUrl, sizesUrl, type FsContext, type RepositoryName } from '../../lib/view-urls';
import { readImageConfig } from '../../oci/spec/image-config';
import { formatRepository } from '../../oci/spec/reference';
import { isContainerImage } from '../../oci/supply/blob-view';
import { DocumentHeader } from '../../ui/document-header';
import { PlatformPicker } from '../../ui/platform-picker';
import { ErrorPanel } from '../../ui/error-panel';
import { ProofMark } from '../../ui/proof-mark';
import { TrustedContent } from '../../ui/trusted-content';
import { countOf } from '../../ui/format';
import { SizesView } from './sizes-view';
import { type PassLayer, useLayerPasses } from './use-layer-passes';

/** Shows one pass's progress (the layer explorer's, handed in by the route). */
export type PassProgress = ComponentType<{ scan: LayerScan }>;

interface SizesProps {
  repo: RepositoryName;
  digest: string;
  context: FsContext;
  Progress: PassProgress;
}

function Passes({ scans, Progress }: { scans: LayerScan[]; Progress: PassProgress }) {
  return (
    <ol className="layer-list" data-testid="sizes-layers">
      {scans.map((scan, i) => (
        <li key={i}>
          L{i + 1} <Progress scan={scan} />
        </li>
      ))}
    </ol>
  );
}

function Analysis({
  repo,
  layers,
  diffIds,
  Progress,
  layerContext,
  zoomHref,
}: {
  repo: RepositoryName;
  layers: readonly PassLayer[];
  diffIds?: readonly string[];
  Progress: PassProgress;
  layerContext: (i: number) => FsContext;
  zoomHref: (dir: string) => string;
}) {
  const { scans, allDone, untrusted, analysis } = useLayerPasses(repo, layers, diffIds);
  const layerHref = (i: number, path: string, isDir: boolean) => fsUrl(repo, layers[i]!.digest, path, layerContext(i), isDir);
  return (
    <>
      {!allDone && <Passes scans={scans} Progress={Progress} />}
      {untrusted && (
        <section className="verification mismatch" data-testid="sizes-untrusted" data-status="mismatch">
          <h2 className="verification-headline">
            <ProofMark state="mismatch" /> A layer failed verification: the sizes below are untrusted.
          </h2>
        </section>
      )}
      <TrustedContent trusted={!untrusted}>
        {analysis ? (
          <SizesView analysis={analysis} layerHref={layerHref} zoomHref={zoomHref} />
        ) : (
          <p className="loading" role="status">
            The sizes appear when {countOf(layers.length, 'layer has', 'layers have')} been read.
          </p>
        )}
      </TrustedContent>
    </>
  );
}

export function ImageSizesPage({ repo, digest, context, Progress }: SizesProps) {
  const query = useQuery(manifestQuery({ ...repo, digest }, { mediaType: context.mediaType }));
  const document = query.data?.document;
  const trusted = query.data?.fetched.verification.trusted;
  const image = trusted && document?.kind === 'manifest' && isContainerImage(document) ? document : undefined;
  const config = useQuery({
    ...jsonBlobQuery(repo, image?.config?.digest ?? '', { mediaType: image?.config?.mediaType, size: image?.config?.size }),
    enabled: Boolean(image?.config?.digestValid),
  });
  const diffIds = config.data?.verification.trusted ? readImageConfig(config.data.json)?.diffIds : undefined;
  const layers = useMemo(() => image?.layers.filter((l) => l.digestValid), [image]);
  return (
    <article className="document" data-testid="sizes-page">
      <DocumentHeader
        context={
          <>
            <Link to={repoUrl(repo)}>{formatRepository(repo)}</Link> · <Link to={imageByDigestUrl(repo, digest)}>manifest</Link> ·{' '}
            <Link to={fsUrl(repo, digest)}>merged filesystem</Link>
          </>
        }
        title={`${formatRepository(repo)}@${digest}`}
        kind="image sizes"
      />
      {query.isPending && <p className="loading">Fetching and verifying the manifest…</p>}
      {query.isError && <ErrorPanel error={query.error} />}
      {query.data && !trusted && (
        <section className="verification mismatch" data-testid="verification" data-status="mismatch">
          <h2 className="verification-headline">
            <ProofMark state="mismatch" /> The manifest failed verification; its layers are not opened.
          </h2>
        </section>
      )}
      {trusted && document?.kind === 'manifest' && !image && (
        <p data-testid="no-sizes">An artifact, not a container image: its layers are not a filesystem to size.</p>
      )}
      {layers && (
        <Analysis
          repo={repo}
          layers={layers}
          diffIds={diffIds}
          Progress={Progress}
          layerContext={(i) => ({ manifest: digest, index: i, mediaType: layers[i]?.mediaType, size: layers[i]?.size })}
          zoomHref={(dir) => sizesUrl(repo, digest, { context: { mediaType: context.mediaType }, dir })}
        />
      )}
      {trusted && document?.kind === 'index' && (
        <PlatformPicker index={document} hrefFor={(d) => sizesUrl(repo, d.digest, { context: { mediaType: d.mediaType } })} />
      )}
    </article>
  );
}

export function LayerSizesPage({ repo, digest, context, Progress }: SizesProps) {
  const layers = useMemo(() => [{ digest, mediaType: context.mediaType, size: context.size }], [digest, context.mediaType, context.size]);
  return (
    <article className="document" data-testid="sizes-page">
      <DocumentHeader
        context={
          <>
            <Link to={repoUrl(repo)}>{formatRepository(repo)}</Link> · <Link to={fsUrl(repo, digest, '', context)}>the layer’s files</Link>
            {context.manifest && (
              <>
                {' · '}
                <Link to={sizesUrl(repo, context.manifest)}>the whole image’s sizes</Link>
              </>
            )}
          </>
        }
        title={`${formatRepository(repo)}@${digest}`}
        kind="layer sizes"
      />
      <Analysis
        repo={repo}
        layers={layers}
        Progress={Progress}
        layerContext={() => context}
        zoomHref={(dir) => sizesUrl(repo, digest, { layer: true, context, dir })}
      />
    </article>
  );
}
