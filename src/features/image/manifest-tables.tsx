/**
 * An image manifest as tables: its config, its layers with sizes and a total, and what OCI 1.1
 * added (subject, artifactType). Foreign-layer `urls` are listed; they link out only if http(s).
 */
import { useSyncExternalStore } from 'react';
import { Link } from 'react-router';
import type { Descriptor } from '../../oci/spec/descriptor';
import { type ImageManifest, totalSize } from '../../oci/spec/manifest';
import { describeMediaType } from '../../oci/spec/media-types';
import { allScansVersion, existingLayerScan, subscribeToAllScans } from '../../lib/layer-pass-store';
import { blobUrl, fsUrl, imageByDigestUrl, referrersUrl, sizesUrl, type RepositoryName, withAbout } from '../../lib/view-urls';
import { isArchiveLayer, isContainerImage } from '../../oci/supply/blob-view';
import { Digest } from '../../ui/digest-value';
import { MediaTypeText } from '../../ui/media-type-text';
import { SizeText } from '../../ui/size-text';
import { LayerSizeBar, UncompressedSize } from './layer-size-bar';
import { safeExternalUrl } from '../../oci/display/external-url';

function ForeignUrls({ urls }: { urls: string[] | undefined }) {
  if (!urls?.length) return null;
  return (
    <ul className="urls">
      {urls.map((u) => {
        const href = safeExternalUrl(u);
        return (
          <li key={u}>
            {href ? (
              <a href={href} target="_blank" rel="noopener noreferrer nofollow">
                {u}
              </a>
            ) : (
              u
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** Uncompressed sizes of layers whose pass has finished on this page; re-read as passes end. */
function useUncompressedSizes(repo: RepositoryName, layers: Descriptor[]): Array<number | undefined> {
  useSyncExternalStore(subscribeToAllScans, allScansVersion);
  return layers.map((l) => existingLayerScan(repo, l.digest)?.getSnapshot().result?.decompressedBytes);
}

/** What makes a manifest an artifact, or about another manifest: `artifactType` and `subject`. */
function ArtifactFacts({ repo, manifest }: { repo: RepositoryName; manifest: ImageManifest }) {
  if (!manifest.artifactType && !manifest.subject) return null;
  return (
    <section>
      <table className="kv">
        <tbody>
          {manifest.artifactType && (
            <tr>
              <th>artifactType</th>
              <td>
                <MediaTypeText mediaType={manifest.artifactType} />
              </td>
            </tr>
          )}
          {manifest.subject && (
            <tr>
              <th>subject</th>
              <td>
                {manifest.subject.digestValid ? (
                  <>
                    <Digest
                      value={manifest.subject.digest}
                      to={imageByDigestUrl(repo, manifest.subject.digest, {
                        mediaType: manifest.subject.mediaType,
                        size: manifest.subject.size,
                      })}
                      linkTestId="subject-link"
                    />{' '}
                    <Link to={referrersUrl(repo, manifest.subject.digest)} className="small" data-testid="subject-referrers-link">
                      its referrers
                    </Link>
                  </>
                ) : (
                  <code>{manifest.subject.digest}</code>
                )}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}

/** The config descriptor; its digest is the image ID. */
function ConfigTable({ repo, config, digest }: { repo: RepositoryName; config: Descriptor; digest: string }) {
  return (
    <section>
      <h3>Config</h3>
      <table className="grid" data-testid="config">
        <thead>
          <tr>
            <th>Media type</th>
            <th className="num">Size</th>
            <th>Digest (the image ID)</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>
              <MediaTypeText mediaType={config.mediaType} />
            </td>
            <td className="num">
              <SizeText bytes={config.size} />
            </td>
            <td>
              <Digest
                value={config.digest}
                to={
                  config.digestValid ? blobUrl(repo, config.digest, { mediaType: config.mediaType, size: config.size }, digest) : undefined
                }
              />
            </td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}

/** The layers with their sizes (uncompressed once a pass has measured them) and links into each. */
/**
 * Where a layer row links: image layers to the layer explorer (with the manifest, for diff_id);
 * an artifact's archives to the explorer without it (they have no diff_ids); every other layer
 * is a document, opened decoded on the blob page, with the image it is about for cross-checks.
 */
function layerUrl(repo: RepositoryName, d: Descriptor, i: number, digest: string, image: boolean, about: string | undefined): string {
  if (image) return fsUrl(repo, d.digest, '', { manifest: digest, index: i, mediaType: d.mediaType, size: d.size });
  if (isArchiveLayer(d)) return fsUrl(repo, d.digest, '', { mediaType: d.mediaType, size: d.size });
  return withAbout(blobUrl(repo, d.digest, { mediaType: d.mediaType, size: d.size }, digest), about);
}

function LayersTable({ repo, manifest, digest, about }: { repo: RepositoryName; manifest: ImageManifest; digest: string; about?: string }) {
  const { config, layers } = manifest;
  // Only an image's layers stack into a filesystem; a signature's or an SBOM's do not.
  const image = isContainerImage(manifest);
  const aboutImage = about ?? (manifest.subject?.digestValid ? manifest.subject.digest : undefined);
  const layerBytes = totalSize(layers);
  const uncompressed = useUncompressedSizes(repo, layers);
  const maxBytes = Math.max(0, ...layers.map((l, i) => Math.max(Number.isFinite(l.size) ? l.size : 0, uncompressed[i] ?? 0)));
  const uncompressedTotal = uncompressed.every((u) => u !== undefined) ? uncompressed.reduce<number>((a, b) => a + (b ?? 0), 0) : undefined;
  return (
    <section>
      <h3>
        Layers <span className="count">{layers.length}</span>{' '}
        {image && (
          <Link to={fsUrl(repo, digest, '', { mediaType: manifest.mediaType })} data-testid="merged-fs-link" className="small">
            browse the image’s merged filesystem
          </Link>
        )}{' '}
        {image && (
          <Link to={sizesUrl(repo, digest, { context: { mediaType: manifest.mediaType } })} data-testid="sizes-link" className="small">
            see where its bytes go
          </Link>
        )}
      </h3>
      <table className="grid" data-testid="layers">
        <thead>
          <tr>
            <th className="num">#</th>
            <th>Media type</th>
            <th className="num">Compressed</th>
            <th className="num">Uncompressed</th>
            <th className="bar-cell">Weight</th>
            <th>Digest</th>
          </tr>
        </thead>
        <tbody>
          {layers.map((d, i) => (
            <tr key={`${d.digest}-${i}`} data-testid="layer-row">
              <td className="num">{i + 1}</td>
              <td>
                <MediaTypeText mediaType={d.mediaType} />
                <div className="muted small">{describeMediaType(d.mediaType)}</div>
                <ForeignUrls urls={d.urls} />
              </td>
              <td className="num">
                <SizeText bytes={d.size} />
              </td>
              <td className="num" data-testid="uncompressed-size">
                <UncompressedSize bytes={uncompressed[i]} />
              </td>
              <td className="bar-cell">
                <LayerSizeBar compressed={Number.isFinite(d.size) ? d.size : 0} uncompressed={uncompressed[i]} max={maxBytes} />
              </td>
              <td>
                <Digest
                  value={d.digest}
                  to={d.digestValid ? layerUrl(repo, d, i, digest, image, aboutImage) : undefined}
                  linkTitle={image || isArchiveLayer(d) ? 'Browse this layer’s files' : 'Open this document'}
                  linkTestId="layer-link"
                />
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td />
            <th>
              Total ({layers.length} layers{config ? ' + config' : ''})
            </th>
            <td className="num" data-testid="total-size">
              <SizeText bytes={layerBytes + (config && Number.isFinite(config.size) ? config.size : 0)} />
            </td>
            <td className="num">{uncompressedTotal !== undefined && <SizeText bytes={uncompressedTotal} />}</td>
            <td />
            <td />
          </tr>
        </tfoot>
      </table>
    </section>
  );
}

/** A manifest's artifact facts, config and layers. */
export function ManifestTables({
  repo,
  manifest,
  digest,
  about,
}: {
  repo: RepositoryName;
  manifest: ImageManifest;
  digest: string;
  about?: string;
}) {
  return (
    <>
      <ArtifactFacts repo={repo} manifest={manifest} />
      {manifest.config && <ConfigTable repo={repo} config={manifest.config} digest={digest} />}
      <LayersTable repo={repo} manifest={manifest} digest={digest} about={about} />
    </>
  );
}
