/**
 * What an image page shows about its supply chain: for an artifact (signature, SBOM, chart),
 * what it is and whether it is about the image it was opened from; for every manifest and
 * index, the signatures, attestations and other artifacts that refer to it.
 */
import type { RegistryDocument } from '../../oci/spec/manifest';
import type { RepositoryName } from '../../lib/view-urls';
import { ArtifactSummary } from './artifact-summary';
import { SupplyGlance } from './supply-glance';

export function ImageSupply({
  repo,
  digest,
  document,
  about,
}: {
  repo: RepositoryName;
  digest: string;
  document: RegistryDocument;
  about?: string;
}) {
  return (
    <>
      {document.kind === 'manifest' && <ArtifactSummary repo={repo} digest={digest} manifest={document} forDigest={about} />}
      <SupplyGlance repo={repo} digest={digest} document={document} />
    </>
  );
}
