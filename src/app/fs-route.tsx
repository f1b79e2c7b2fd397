/**
 * The `/fs/…` route: a layer's files, or the merged filesystem when the digest names a manifest.
 * The link's `mt` says which; without it, the registry is asked for a manifest by that digest
 * and a layer is assumed when it has none.
 */
import { useQuery } from '@tanstack/react-query';
import { useLocation, useSearchParams } from 'react-router';
import { LayerPage } from '../features/layer/layer-page';
import { MergedPage } from '../features/layer/merged-page';
import { manifestQuery } from '../lib/queries/manifest-query';
import { isRegistryError } from '../oci/registry/errors';
import { isManifestType } from '../oci/spec/media-types';
import { formatRepository } from '../oci/spec/reference';
import { ErrorPanel } from '../ui/error-panel';
import { parseFsView } from './fs-params';

export function FsRoute() {
  const location = useLocation();
  const [params] = useSearchParams();
  const view = parseFsView(location.pathname, params);
  const known = view.kind === 'fs' && view.context.mediaType !== undefined;
  const probe = useQuery({
    ...manifestQuery(view.kind === 'fs' ? { ...view.repo, digest: view.digest } : { registry: '', repository: '', digest: '' }),
    enabled: view.kind === 'fs' && !known,
    retry: false,
  });
  if (view.kind === 'invalid') {
    return (
      <section className="error-panel" role="alert" data-testid="error" data-kind="invalid-reference">
        <h2>Not a valid filesystem link</h2>
        <p>
          <code>{view.input}</code>
        </p>
        <p data-testid="error-message">{view.message}</p>
      </section>
    );
  }
  const key = `${formatRepository(view.repo)}@${view.digest}`;
  let manifest: boolean;
  if (known) manifest = isManifestType(view.context.mediaType);
  else if (probe.isPending) return <p className="loading">Finding out what {view.digest.slice(0, 19)} is…</p>;
  else if (probe.isError && !(isRegistryError(probe.error) && probe.error.kind === 'manifest-unknown'))
    return <ErrorPanel error={probe.error} />;
  else manifest = probe.isSuccess;
  return manifest ? (
    <MergedPage key={key} repo={view.repo} digest={view.digest} path={view.path} context={view.context} />
  ) : (
    <LayerPage key={key} repo={view.repo} digest={view.digest} path={view.path} context={view.context} />
  );
}
