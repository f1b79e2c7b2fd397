/**
 * The platforms of an image index, one row each, linking to that platform's manifest.
 * Entries that describe another entry (platform unknown/unknown, any vnd.docker.reference.type:
 * BuildKit's attestation-manifest, other builders' types) are listed apart, labelled by their
 * type and named after the manifest they describe, so nobody mistakes them for a platform.
 */
import { Link } from 'react-router';
import { type Descriptor, formatPlatform, isAttestation, referenceTypeOf } from '../../oci/spec/descriptor';
import type { ImageIndex } from '../../oci/spec/manifest';
import { kindOf } from '../../oci/spec/media-types';
import { imageByDigestUrl, type RepositoryName, withAbout } from '../../lib/view-urls';
import { Digest } from '../../ui/digest-value';
import { abbreviateDigest } from '../../ui/format';
import { MediaTypeText } from '../../ui/media-type-text';
import { SizeText } from '../../ui/size-text';

function descriptorUrl(repo: RepositoryName, d: Descriptor): string {
  return imageByDigestUrl(repo, d.digest, { mediaType: d.mediaType, size: d.size });
}

/** `about`: for an attestation, the platform manifest it describes (its cross-checks compare with it). */
function DescriptorLink({ repo, d, about, children }: { repo: RepositoryName; d: Descriptor; about?: string; children: React.ReactNode }) {
  if (!d.digestValid) return <>{children}</>;
  return <Link to={withAbout(descriptorUrl(repo, d), about)}>{children}</Link>;
}

/** Headings for DescriptorCells, kept beside it so the two tables' columns cannot drift apart. */
function DescriptorHeadings() {
  return (
    <>
      <th className="num">Size</th>
      <th>Digest</th>
      <th>Media type</th>
    </>
  );
}

/** Size, digest and media type: the columns every index entry has. */
function DescriptorCells({ repo, d }: { repo: RepositoryName; d: Descriptor }) {
  return (
    <>
      <td className="num">
        <SizeText bytes={d.size} />
      </td>
      <td>
        <Digest value={d.digest} to={d.digestValid ? descriptorUrl(repo, d) : undefined} />
      </td>
      <td>
        <MediaTypeText mediaType={d.mediaType} />
      </td>
    </>
  );
}

/**
 * What to call an entry: its platform, or for one without (an OCI layout's index.json names
 * whole images, often nested indexes), what it is and the ref.name it is saved under.
 */
function entryName(d: Descriptor): string {
  if (d.platform) return formatPlatform(d.platform);
  const what = kindOf(d.mediaType) === 'index' ? 'image index' : kindOf(d.mediaType) === 'manifest' ? 'image manifest' : 'no platform';
  const refName = d.annotations?.['org.opencontainers.image.ref.name'];
  return refName === undefined ? what : `${what} “${refName}”`;
}

export function IndexTable({ repo, index }: { repo: RepositoryName; index: ImageIndex }) {
  const platforms = index.manifests.filter((d) => !isAttestation(d));
  const attestations = index.manifests.filter(isAttestation);
  const platformOf = new Map(platforms.map((d) => [d.digest, entryName(d)]));
  return (
    <>
      <section>
        <h3>
          Platforms <span className="count">{platforms.length}</span>
        </h3>
        <table className="grid" data-testid="platforms">
          <thead>
            <tr>
              <th>Platform</th>
              <th>os.version</th>
              <DescriptorHeadings />
            </tr>
          </thead>
          <tbody>
            {platforms.map((d, i) => {
              const name = entryName(d);
              return (
                <tr key={`${d.digest}-${i}`} data-testid="platform-row" data-platform={name}>
                  <td>
                    <DescriptorLink repo={repo} d={d}>
                      {name}
                    </DescriptorLink>
                  </td>
                  <td>{d.platform?.osVersion ?? ''}</td>
                  <DescriptorCells repo={repo} d={d} />
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      {attestations.length > 0 && (
        <section>
          <h3>
            Attestations and other references <span className="count">{attestations.length}</span>
          </h3>
          <p className="muted">
            Entries about another entry of this index (<code>vnd.docker.reference.type</code>): BuildKit’s provenance and SBOMs, other
            builders’ metadata. They describe a platform image, they are not one.
          </p>
          <table className="grid" data-testid="attestations">
            <thead>
              <tr>
                <th>Describes</th>
                <th>Type</th>
                <DescriptorHeadings />
              </tr>
            </thead>
            <tbody>
              {attestations.map((d, i) => {
                const subject = d.annotations?.['vnd.docker.reference.digest'];
                const type = referenceTypeOf(d) ?? '';
                const what = type === 'attestation-manifest' ? 'attestation' : type;
                return (
                  <tr key={`${d.digest}-${i}`} data-testid="attestation-row" data-reference-type={type}>
                    <td>
                      <DescriptorLink repo={repo} d={d} about={subject}>
                        {what} for {subject ? (platformOf.get(subject) ?? abbreviateDigest(subject)) : 'unknown manifest'}
                      </DescriptorLink>
                    </td>
                    <td>
                      <code>{type}</code>
                    </td>
                    <DescriptorCells repo={repo} d={d} />
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
