/**
 * What an artifact manifest is (signature, SBOM, chart, …) with its spec link, and, when the
 * page was opened from an image, whether the artifact is about that image. Artifacts are not
 * runnable images: their layers are documents, so they have no merged filesystem.
 */
import type { ImageManifest } from '../../oci/spec/manifest';
import { identifyArtifact } from '../../oci/supply/artifact-types';
import { isContainerImage } from '../../oci/supply/blob-view';
import type { RepositoryName } from '../../lib/view-urls';
import { CheckLine } from './check-line';
import { MaybeLink } from './external-link';
import { useArtifactCheck } from './use-artifact-check';
import './supply.css';

function AboutCheck({ repo, digest, forDigest }: { repo: RepositoryName; digest: string; forDigest: string }) {
  const { check, pending } = useArtifactCheck(repo, digest, { digest: forDigest, source: 'the image this page was opened from' });
  if (pending || !check) return <p className="loading small">Checking which image it is about…</p>;
  return <CheckLine status={check.status} title="About the image you came from" note={check.note} testId="cross-check" />;
}

export function ArtifactSummary({
  repo,
  digest,
  manifest,
  forDigest,
}: {
  repo: RepositoryName;
  digest: string;
  manifest: ImageManifest;
  forDigest?: string;
}) {
  if (isContainerImage(manifest)) return null;
  const info = identifyArtifact(
    [manifest.artifactType, manifest.config?.mediaType, ...manifest.layers.map((l) => l.mediaType)],
    manifest.annotations,
  );
  return (
    <section className="supply-section" data-testid="artifact-summary" data-category={info?.category ?? 'unknown'}>
      <p>
        <strong data-testid="artifact-name">{info ? info.name : 'An artifact'}</strong>
        {info && (
          <>
            {' '}
            — <MaybeLink text={info.specUrl} />
          </>
        )}
        . Its layers are documents, not a filesystem: each opens decoded, by its type.
      </p>
      {forDigest && <AboutCheck repo={repo} digest={digest} forDigest={forDigest} />}
    </section>
  );
}
