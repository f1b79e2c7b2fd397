/**
 * Two indexes, platform by platform: same manifest, another manifest, or only on one side; the
 * attestations BuildKit stores beside them, by the platform they describe; and a link to compare
 * the two manifests of any platform both have.
 */
import { Link } from 'react-router';
import { compareUrl, imageByDigestUrl, type RepositoryName } from '../../lib/view-urls';
import type { EntryPair, EntryStatus, IndexDiff } from '../../oci/compare/index-diff';
import type { ImageReference } from '../../oci/spec/reference';
import { Digest } from '../../ui/digest-value';
import { MediaTypeText } from '../../ui/media-type-text';
import { KeyedChangesTable, SignedBytes, ValuePairRow } from './diff-pieces';

export const entryStatusText: Record<EntryStatus, string> = {
  same: 'same',
  changed: 'changed',
  'only-a': 'only in A',
  'only-b': 'only in B',
};

function EntryCell({ repo, entry }: { repo: RepositoryName; entry: EntryPair['a'] }) {
  if (!entry) return <td className="muted">—</td>;
  return (
    <td>
      {entry.digestValid ? (
        <Link to={imageByDigestUrl(repo, entry.digest, { mediaType: entry.mediaType, size: entry.size })}>
          <Digest value={entry.digest} />
        </Link>
      ) : (
        <Digest value={entry.digest} />
      )}
    </td>
  );
}

function EntryRows({
  title,
  pairs,
  refA,
  refB,
  platformLinks,
  testId,
}: {
  title: string;
  pairs: EntryPair[];
  refA: ImageReference;
  refB: ImageReference;
  platformLinks: boolean;
  testId: string;
}) {
  if (pairs.length === 0) return null;
  return (
    <section>
      <h3>
        {title} <span className="count">{pairs.length}</span>
      </h3>
      <table className="grid compare-grid" data-testid={testId}>
        <thead>
          <tr>
            <th>{platformLinks ? 'Platform' : 'Entry'}</th>
            <th>A → B</th>
            <th>A</th>
            <th>B</th>
            <th className="num">Size Δ</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {pairs.map((pair, i) => (
            <tr key={i} className={`status-${pair.status}`} data-testid="entry-pair" data-status={pair.status} data-label={pair.label}>
              <th scope="row">{pair.label}</th>
              <td>
                <span className={`change ${pair.status}`}>{entryStatusText[pair.status]}</span>
                {pair.mediaTypeChanged && (
                  <div className="small">
                    <MediaTypeText mediaType={pair.a?.mediaType} /> → <MediaTypeText mediaType={pair.b?.mediaType} />
                  </div>
                )}
              </td>
              <EntryCell repo={refA} entry={pair.a} />
              <EntryCell repo={refB} entry={pair.b} />
              <td className="num">{pair.sizeDelta !== undefined && <SignedBytes bytes={pair.sizeDelta} />}</td>
              <td>
                {platformLinks && pair.status === 'changed' && (
                  <Link to={compareUrl(refA, refB, { platform: pair.label })} data-testid="compare-platform">
                    compare this platform
                  </Link>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function IndexDiffSection({ diff, refA, refB }: { diff: IndexDiff; refA: ImageReference; refB: ImageReference }) {
  const { counts } = diff;
  return (
    <section className="compare-section" data-testid="index-diff">
      <h2>Index</h2>
      <p data-testid="index-summary">
        {diff.platforms.length} platform{diff.platforms.length === 1 ? '' : 's'}: {countOf(diff.platforms, 'same')} same,{' '}
        {countOf(diff.platforms, 'changed')} changed, {countOf(diff.platforms, 'only-a')} only in A, {countOf(diff.platforms, 'only-b')}{' '}
        only in B.
        {counts.changed === 0 && counts['only-a'] === 0 && counts['only-b'] === 0 && ' Every entry points at the same manifest.'}
      </p>
      <table className="kv">
        <tbody>
          <ValuePairRow label="mediaType" pair={diff.mediaType} render={(v) => <MediaTypeText mediaType={v} />} />
          {(diff.artifactType.a || diff.artifactType.b) && (
            <ValuePairRow label="artifactType" pair={diff.artifactType} render={(v) => <code>{v}</code>} />
          )}
          {(diff.subject.a || diff.subject.b) && <ValuePairRow label="subject" pair={diff.subject} render={(v) => <Digest value={v} />} />}
        </tbody>
      </table>
      <EntryRows title="Platforms" pairs={diff.platforms} refA={refA} refB={refB} platformLinks testId="platform-pairs" />
      <EntryRows title="Attestations" pairs={diff.attestations} refA={refA} refB={refB} platformLinks={false} testId="attestation-pairs" />
      <EntryRows title="Other entries" pairs={diff.others} refA={refA} refB={refB} platformLinks={false} testId="other-pairs" />
      <KeyedChangesTable title="Annotations" changes={diff.annotations} testId="index-annotations" />
    </section>
  );
}

function countOf(pairs: EntryPair[], status: EntryStatus): number {
  return pairs.filter((p) => p.status === status).length;
}
