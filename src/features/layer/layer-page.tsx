/**
 * `/fs/REPO@LAYER/path`: one layer, streamed once through a worker — digest and diff_id
 * verified, files listed while the bytes arrive, any file or directory one link away.
 */
import { Link } from 'react-router';
import { blobUrl, fsUrl, imageByDigestUrl, repoUrl, sizesUrl, type FsContext, type RepositoryName } from '../../lib/view-urls';
import { NOT_A_TAR } from '../../oci/layer/events';
import { describeMediaType } from '../../oci/spec/media-types';
import { formatRepository } from '../../oci/spec/reference';
import { DocumentHeader } from '../../ui/document-header';
import { SectionBoundary } from '../../ui/section-boundary';
import { TrustedContent } from '../../ui/trusted-content';
import { DirectoryListing } from './directory-listing';
import { FileView } from './file-view';
import { LargestFiles } from './largest-files';
import { KeptNote } from './kept-note';
import { CompressionNote, LayerVerification, layerStatus } from './layer-verification';
import { ScanProgress } from './scan-progress';
import { useExpectedDiffId } from './use-expected-diff-id';
import { useLayerScan } from './use-layer-pass';
import { countOf } from '../../ui/format';

export interface LayerPageProps {
  repo: RepositoryName;
  digest: string;
  path: string;
  context: FsContext;
}

export function LayerPage({ repo, digest, path, context }: LayerPageProps) {
  const { state } = useLayerScan({ repo, digest, mediaType: context.mediaType, size: context.size });

  return (
    <article className="document" data-testid="layer-page">
      <DocumentHeader
        context={
          <>
            <Link to={repoUrl(repo)}>{formatRepository(repo)}</Link>
            {context.manifest && (
              <>
                {' · '}
                {context.index !== undefined ? `layer ${context.index + 1} of ` : 'a layer of '}
                <Link to={imageByDigestUrl(repo, context.manifest)}>manifest {context.manifest.slice(0, 19)}</Link>
                {' · '}
                <Link to={fsUrl(repo, context.manifest)}>merged filesystem</Link>
              </>
            )}
            {' · '}
            <Link to={sizesUrl(repo, digest, { layer: true, context })} data-testid="layer-sizes-link">
              sizes
            </Link>
          </>
        }
        title={`${formatRepository(repo)}@${digest}`}
        kind={context.mediaType ? describeMediaType(context.mediaType) : 'layer'}
      />
      {state.error?.code === NOT_A_TAR ? (
        <NotATar repo={repo} digest={digest} context={context} />
      ) : (
        <LayerContent {...{ repo, digest, path, context }} />
      )}
    </article>
  );
}

/**
 * Bytes that are not a tar from their first header on are a document, not a damaged layer:
 * said plainly, with the page that shows documents by type, which verifies their digest.
 */
function NotATar({ repo, digest, context }: Omit<LayerPageProps, 'path'>) {
  return (
    <section className="verification unverified" data-testid="not-a-tar" data-status="unverified">
      <h2 className="verification-headline">Not a tar archive: this blob has no files to list.</h2>
      <p>
        Its first bytes are not a tar header, so it is a document or a file, not a filesystem layer (artifact tools often label files as
        layers). That is not damage, and nothing here claims it was verified.{' '}
        <Link
          to={blobUrl(repo, digest, { mediaType: context.mediaType, size: context.size }, context.manifest)}
          data-testid="open-as-document"
        >
          Open it as a document
        </Link>{' '}
        to have its digest checked and its content shown by type.
      </p>
    </section>
  );
}

function LayerContent({ repo, digest, path, context }: LayerPageProps) {
  const target = { repo, digest, mediaType: context.mediaType, size: context.size };
  const { scan, state } = useLayerScan(target);
  const expectedDiffId = useExpectedDiffId(repo, digest, context);
  const hrefFor = (p: string, isDir: boolean) => fsUrl(repo, digest, p, context, isDir);
  const node = path ? scan.index.get(path) : undefined;
  const status = layerStatus(state, expectedDiffId);
  const untrusted = status.digest === 'mismatch' || status.diffId === 'mismatch' || state.status === 'error';
  return (
    <>
      {!state.kept && <ScanProgress state={state} onCancel={() => scan.cancel()} onRestart={() => scan.restart()} />}
      <LayerVerification digest={digest} state={state} expectedDiffId={expectedDiffId} />
      <KeptNote state={state} onReadAgain={() => scan.restart()} />
      <CompressionNote state={state} mediaType={context.mediaType} />
      <TrustedContent trusted={!untrusted}>
        <SectionBoundary name="The files">
          {node && !node.isDir ? (
            <FileView target={target} node={node} hrefFor={hrefFor} />
          ) : path && !node ? (
            state.status === 'running' ? (
              <p className="loading" role="status">
                Looking for /{path}… ({countOf(state.entryCount, 'entry', 'entries')} read so far)
              </p>
            ) : (
              <section className="error-panel" role="alert" data-testid="error" data-kind="no-such-path">
                <h2>No such path</h2>
                <p>
                  /{path} is not in this layer{state.status === 'done' ? '' : ' (the layer was not read to the end)'}.
                </p>
              </section>
            )
          ) : (
            <DirectoryListing index={scan.index} version={scan.index.version} dir={path} hrefFor={hrefFor} />
          )}
        </SectionBoundary>
        {state.status === 'done' && (
          <LargestFiles
            files={scan.index.largest(20).map((n) => ({ path: n.path, size: n.entry?.size ?? 0, href: hrefFor(n.path, false) }))}
          />
        )}
      </TrustedContent>
    </>
  );
}
