/**
 * The path-form routes — `/fs/…`, `/layers/…`, `/blob/…` — read by fs-params.ts (`/size/…`
 * and `/sizes/…` are sizes-route.tsx). `/fs/` shows a layer's files, or the merged filesystem
 * when the digest names a manifest. The link's `mt` says which; without it the blob's own first
 * bytes decide (digest-target-query.ts), never the manifests endpoint's error for a layer's
 * digest (the distribution registry answers that with HTTP 500). `/layers/` is always the merged filesystem.
 */
import { Navigate, useLocation, useSearchParams } from 'react-router';
import { LayerPage } from '../features/layer/layer-page';
import { MergedPage } from '../features/layer/merged-page';
import { blobUrl, imageByDigestUrl, type FsContext, type RepositoryName } from '../lib/view-urls';
import { type DigestTarget, targetOfMediaType } from '../oci/registry/digest-target';
import { formatRepository } from '../oci/spec/reference';
import { DigestPointer, DigestTargetProbe } from './digest-pointer';
import { InvalidLinkPanel } from './invalid-link';
import { parseFsView } from './fs-params';

interface Located {
  repo: RepositoryName;
  digest: string;
  path: string;
  context: FsContext;
}

/** `/fs/` without `mt`: finds out what the digest names first. */
function ResolvedFs(props: Located) {
  return (
    <DigestTargetProbe repo={props.repo} digest={props.digest}>
      {({ target, size }) => <FsTarget {...props} target={target} size={size} />}
    </DigestTargetProbe>
  );
}

/** Shows what the digest names, or points to the view that shows it. */
function FsTarget({ repo, digest, path, context, target, size }: Located & { target: DigestTarget; size?: number }) {
  const name = `${formatRepository(repo)}@${digest}`;
  switch (target.kind) {
    case 'layer':
    case 'other':
      return <LayerPage repo={repo} digest={digest} path={path} context={context} />;
    case 'manifest':
      return <MergedPage repo={repo} digest={digest} path={path} context={context} />;
    case 'index':
      return (
        <DigestPointer
          title="An image index has no filesystem of its own"
          what="index"
          links={[{ to: imageByDigestUrl(repo, digest, { mediaType: target.mediaType, size }), label: 'Choose a platform in the index' }]}
        >
          <p>
            <code>{name}</code> is an image index: each of its platforms has a filesystem.
          </p>
        </DigestPointer>
      );
    case 'config':
    case 'document':
      return (
        <DigestPointer
          title="A document, not a filesystem"
          what={target.kind}
          links={[{ to: blobUrl(repo, digest, { mediaType: target.mediaType, size }), label: 'Open the document' }]}
        >
          <p>
            <code>{name}</code> is a JSON {target.kind === 'config' ? 'image config' : 'document'}, not a layer archive.
          </p>
        </DigestPointer>
      );
  }
}

export function FsRoute() {
  const location = useLocation();
  const [params] = useSearchParams();
  const view = parseFsView(location.pathname, params);
  if (view.kind === 'invalid') {
    return <InvalidLinkPanel title="Not a valid filesystem link" input={view.input} message={view.message} />;
  }
  const { form, repo, digest, path, context } = view;
  const key = `${formatRepository(repo)}@${digest}`;
  if (form === 'blob') return <Navigate replace to={blobUrl(repo, digest, { mediaType: context.mediaType, size: context.size })} />;
  if (form === 'layers') return <MergedPage key={key} repo={repo} digest={digest} path={path} context={context} />;
  if (context.mediaType === undefined) return <ResolvedFs key={key} {...{ repo, digest, path, context }} />;
  return <FsTarget key={key} {...{ repo, digest, path, context }} target={targetOfMediaType(context.mediaType)} size={context.size} />;
}
