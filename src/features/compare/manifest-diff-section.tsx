/**
 * Two manifests side by side: media types (OCI against Docker v2.2), the config blob, every layer
 * paired — shared by digest, or the same tar recompressed, said plainly with the compression of
 * each side — sizes with their delta, and annotations. Each layer links to its files, verified
 * against the diff_id its own manifest's config names.
 */
import { Link } from 'react-router';
import { formatBytes } from '../../ui/format';
import { blobUrl, fsUrl, type RepositoryName } from '../../lib/view-urls';
import { type LayerFacts, type LayerPair, compressionName } from '../../oci/compare/layer-diff';
import type { ManifestDiff } from '../../oci/compare/manifest-diff';
import type { Descriptor } from '../../oci/spec/descriptor';
import { shortDigest } from '../../oci/spec/digest';
import { Digest } from '../../ui/digest-value';
import { MediaTypeText } from '../../ui/media-type-text';
import { SizeText } from '../../ui/size-text';
import { KeyedChangesTable, SignedBytes } from './diff-pieces';
import { entryStatusText } from './index-diff-section';

export interface ManifestPlace {
  repo: RepositoryName;
  /** The manifest's digest, for links that verify a layer against this manifest's config. */
  digest: string;
}

const layerStatusText: Record<LayerPair['status'], string> = {
  shared: 'shared',
  recompressed: 'recompressed',
  'only-a': 'only in A',
  'only-b': 'only in B',
};

function compressionOf(facts: LayerFacts): string {
  if (!facts.compression) return 'an unknown compression';
  const how = facts.compressionSource === 'bytes' ? 'read from its bytes' : 'as its media type says';
  return `${compressionName(facts.compression)} (${formatBytes(facts.descriptor.size)}, ${how})`;
}

/** The sentence that explains a row, the way the seed articles had to explain it by hand. */
export function layerSentence(pair: LayerPair): string {
  const { a, b } = pair;
  const moved = pair.moved && a && b ? ` It is layer ${a.index + 1} of A and layer ${b.index + 1} of B.` : '';
  switch (pair.status) {
    case 'shared':
      return `The same blob in both images.${pair.mediaTypeChanged ? ' The bytes are identical; only the media type naming them differs.' : ''}${moved}`;
    case 'recompressed': {
      const same = a!.compression !== undefined && a!.compression === b!.compression;
      return (
        `The same content compressed differently: both decompress to the diff_id ${shortDigest(a!.diffId ?? '')}, ` +
        `but A stores it as ${compressionOf(a!)} and B as ${compressionOf(b!)}, so the digests differ.` +
        (same ? ' Both use the same format: another compressor or compression level made other bytes.' : '') +
        (a!.compression === 'none' || b!.compression === 'none' ? ' An uncompressed layer’s digest is its diff_id.' : '') +
        moved
      );
    }
    case 'only-a':
      return 'Only in A: B has no layer with this digest or this diff_id.';
    case 'only-b':
      return 'Only in B: A has no layer with this digest or this diff_id.';
  }
}

function LayerCell({ place, facts }: { place: ManifestPlace; facts: LayerFacts | undefined }) {
  if (!facts) return <td className="muted">—</td>;
  const d = facts.descriptor;
  return (
    <td>
      <span className="muted">L{facts.index + 1}</span>{' '}
      {d.digestValid ? (
        <Link to={fsUrl(place.repo, d.digest, '', { manifest: place.digest, index: facts.index, mediaType: d.mediaType, size: d.size })}>
          <Digest value={d.digest} />
        </Link>
      ) : (
        <Digest value={d.digest} />
      )}{' '}
      <SizeText bytes={d.size} />
      <div className="small">
        <MediaTypeText mediaType={d.mediaType} />
      </div>
    </td>
  );
}

function ConfigCell({ place, config }: { place: ManifestPlace; config: Descriptor | undefined }) {
  if (!config) return <td className="muted">none</td>;
  return (
    <td>
      <Link to={blobUrl(place.repo, config.digest, { mediaType: config.mediaType, size: config.size }, place.digest)}>
        <Digest value={config.digest} />
      </Link>{' '}
      <SizeText bytes={config.size} />
      <div className="small">
        <MediaTypeText mediaType={config.mediaType} />
      </div>
    </td>
  );
}

function LayersTable({ diff, a, b }: { diff: ManifestDiff; a: ManifestPlace; b: ManifestPlace }) {
  return (
    <table className="grid compare-grid" data-testid="layer-pairs">
      <thead>
        <tr>
          <th>A → B</th>
          <th>A</th>
          <th>B</th>
          <th className="num">Size Δ</th>
        </tr>
      </thead>
      <tbody>
        {diff.layers.map((pair, i) => (
          <tr key={i} className={`status-${pair.status}`} data-testid="layer-pair" data-status={pair.status}>
            <td className="explain">
              <span className={`change ${pair.status}`}>{layerStatusText[pair.status]}</span>
              <div className="small" data-testid="layer-explanation">
                {layerSentence(pair)}
              </div>
            </td>
            <LayerCell place={a} facts={pair.a} />
            <LayerCell place={b} facts={pair.b} />
            <td className="num">{pair.sizeDelta !== undefined && pair.sizeDelta !== 0 && <SignedBytes bytes={pair.sizeDelta} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MediaTypesTable({ diff }: { diff: ManifestDiff }) {
  return (
    <table className="grid compare-grid" data-testid="media-types">
      <thead>
        <tr>
          <th>Media type of</th>
          <th>A</th>
          <th>B</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {diff.mediaTypes.map((row) => (
          <tr key={row.part} data-testid="media-type-row" data-part={row.part} data-same={row.same}>
            <th scope="row">{row.part}</th>
            {[row.a, row.b].map((types, i) => (
              <td key={i}>
                {types.length === 0 ? (
                  <span className="muted">none</span>
                ) : (
                  types.map((t) => (
                    <div key={t}>
                      <MediaTypeText mediaType={t === '(none)' ? undefined : t} />
                    </div>
                  ))
                )}
              </td>
            ))}
            <td>{row.same ? <span className="change same">same</span> : <span className="change changed">differs</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function summary(diff: ManifestDiff): string {
  const c = diff.layerCounts;
  const parts = [
    `${c.shared} shared${c.shared > 0 ? ` (${formatBytes(diff.sharedBytes)})` : ''}`,
    `${c.recompressed} recompressed`,
    `${c['only-a']} only in A`,
    `${c['only-b']} only in B`,
  ];
  return `Layers: ${parts.join(', ')}.`;
}

export function ManifestDiffSection({ diff, a, b }: { diff: ManifestDiff; a: ManifestPlace; b: ManifestPlace }) {
  const blind = [!diff.diffIdsKnown.a && 'A', !diff.diffIdsKnown.b && 'B'].filter(Boolean);
  return (
    <section className="compare-section" data-testid="manifest-diff">
      <h2>Manifest</h2>
      <p data-testid="manifest-summary">
        {summary(diff)} Config {entryStatusText[diff.config.status]}
        {diff.config.mediaTypeChanged ? ' (other media type)' : ''}. Download size {formatBytes(diff.sizes.a.total)} →{' '}
        {formatBytes(diff.sizes.b.total)} (<SignedBytes bytes={diff.sizes.delta} />
        ).
      </p>
      {blind.length > 0 && diff.layers.some((p) => p.status === 'only-a' || p.status === 'only-b') && (
        <p className="warning" data-testid="diff-ids-unknown">
          The diff_ids of {blind.join(' and ')} are not known (no verified image config lists one per layer), so a layer recompressed in one
          image cannot be told apart from a changed one; such layers show as only in A and only in B.
        </p>
      )}
      <h3>Media types</h3>
      <MediaTypesTable diff={diff} />
      <h3>Config</h3>
      <table className="grid compare-grid" data-testid="config-pair" data-status={diff.config.status}>
        <tbody>
          <tr>
            <th scope="row">{entryStatusText[diff.config.status]}</th>
            <ConfigCell place={a} config={diff.config.a} />
            <ConfigCell place={b} config={diff.config.b} />
          </tr>
        </tbody>
      </table>
      <h3>
        Layers <span className="count">{diff.layers.length} rows</span>
      </h3>
      <LayersTable diff={diff} a={a} b={b} />
      <KeyedChangesTable title="Annotations" changes={diff.annotations} testId="manifest-annotations" />
    </section>
  );
}
