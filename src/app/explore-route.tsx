/** The `/` route: shows whichever view the query string names. */
import { Suspense, lazy } from 'react';
import { useSearchParams } from 'react-router';
import { BlobPage } from '../features/blob/blob-page';
import { CompareWith } from '../features/compare/compare-with';
import { ImagePage } from '../features/image/image-page';
import { ReferrersPage } from '../features/referrers/referrers-page';
import { CatalogPage } from '../features/repo/catalog-page';
import { RepoPage } from '../features/repo/repo-page';
import { LandingPage } from '../features/search/landing-page';
import { formatReference, formatRepository } from '../oci/spec/reference';
import { ImageSupply } from '../features/supply/image-supply';
import type { DescriptorHints } from '../lib/view-urls';
import { BlobTarget } from './blob-target';
import { parseView } from './view-params';

// The comparison (and the diff library it uses) loads the first time a comparison is opened.
const ComparePage = lazy(() => import('../features/compare/compare-page').then((module) => ({ default: module.ComparePage })));
// Decoders and their views (SBOM tables, certificates, provenance) load when a document is opened.
const SupplyBlob = lazy(() => import('../features/supply/supply-blob').then((module) => ({ default: module.SupplyBlob })));

export function ExploreRoute() {
  const [params] = useSearchParams();
  const view = parseView(params);
  switch (view.kind) {
    case 'landing':
      return <LandingPage />;
    case 'image':
      return (
        <ImagePage
          key={`${formatReference(view.ref)}#${view.about ?? ''}`}
          reference={view.ref}
          hints={view.hints}
          tools={(document) => <CompareWith reference={view.ref} document={document} />}
          about={view.about}
          supply={(page) => <ImageSupply repo={view.ref} {...page} />}
        />
      );
    case 'blob': {
      const blobPage = (hints: DescriptorHints) => (
        <BlobPage
          key={`${formatRepository(view.repo)}@${view.digest}`}
          repo={view.repo}
          digest={view.digest}
          hints={hints}
          from={view.from}
          about={view.about}
          documentSlot={(blob) => (
            <Suspense
              fallback={
                <p className="loading" role="status">
                  Loading the decoders…
                </p>
              }
            >
              <SupplyBlob {...blob} />
            </Suspense>
          )}
        />
      );
      if (view.hints.mediaType !== undefined) return blobPage(view.hints);
      return (
        <BlobTarget key={`${formatRepository(view.repo)}@${view.digest}`} repo={view.repo} digest={view.digest}>
          {(found) => blobPage({ ...found, size: view.hints.size ?? found.size })}
        </BlobTarget>
      );
    }
    case 'referrers':
      return (
        <ReferrersPage
          key={`${formatRepository(view.repo)}@${view.digest}#${view.artifactType ?? ''}`}
          repo={view.repo}
          digest={view.digest}
          artifactType={view.artifactType}
        />
      );
    case 'repo':
      return <RepoPage key={formatRepository(view.repo)} repo={view.repo} />;
    case 'catalog':
      return <CatalogPage key={view.registry} registry={view.registry} />;
    case 'compare':
      return (
        <ComparePage
          key={`${formatReference(view.a)} ${formatReference(view.b)} ${view.platform ?? ''}`}
          a={view.a}
          b={view.b}
          platform={view.platform}
          filesystem={view.filesystem}
          dir={view.dir}
        />
      );
    case 'invalid':
      return (
        <section className="error-panel" role="alert" data-testid="error" data-kind="invalid-reference">
          <h2>
            Not a valid {view.param === 'repo' ? 'repository' : view.param === 'blob' || view.param === 'referrers' ? view.param : 'image'}{' '}
            reference
          </h2>
          <p>
            <code>{view.input}</code>
          </p>
          <p data-testid="error-message">{view.message}</p>
        </section>
      );
  }
}
