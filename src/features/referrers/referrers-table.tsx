/**
 * The referrers of a manifest, one row each: what kind of artifact it is (`artifactType`, or
 * the config media type), a link that opens it as a manifest, its size, when it was made
 * (`org.opencontainers.image.created`), its other annotations as text, and where ociscope
 * found it (distribution-spec "Listing Referrers"; cosign's tag convention).
 */
import type { Referrer, ReferrerSource } from '../../oci/registry/referrers';
import { imageByDigestUrl, type RepositoryName, withAbout } from '../../lib/view-urls';
import { Digest } from '../../ui/digest-value';
import { ReferrerChildren } from './referrer-children';
import { MediaTypeText } from '../../ui/media-type-text';
import { SizeText } from '../../ui/size-text';
import { documentProofState } from '../../ui/document-proof';
import { ProofMark } from '../../ui/proof-mark';
import { DateText } from '../../ui/date-text';

const CREATED = 'org.opencontainers.image.created';

function sourceText(source: ReferrerSource): string {
  switch (source.kind) {
    case 'api':
      return 'Referrers API';
    case 'tag-schema':
      return 'referrers tag';
    case 'cosign-tag':
      return `cosign tag .${source.suffix}`;
  }
}

function Sources({ referrer }: { referrer: Referrer }) {
  return (
    <ul className="referrer-sources">
      {referrer.sources.map((source, i) => (
        <li key={i} data-testid="referrer-source" data-source={source.kind}>
          {sourceText(source)}
          {source.kind !== 'api' && <code className="small muted"> {source.tag}</code>}
        </li>
      ))}
      {referrer.verification && (
        <li className="small" data-testid="referrer-verification" data-status={documentProofState(referrer.verification)}>
          <ProofMark state={documentProofState(referrer.verification)} />{' '}
          {documentProofState(referrer.verification) === 'mismatch' ? 'failed verification by tag' : 'fetched by tag and hashed here'}
        </li>
      )}
    </ul>
  );
}

/** Registry-controlled keys and values, shown as text only. */
function OtherAnnotations({ annotations }: { annotations: Record<string, string> | undefined }) {
  const rows = Object.entries(annotations ?? {}).filter(([key]) => key !== CREATED);
  if (rows.length === 0) return null;
  return (
    <dl className="referrer-annotations small">
      {rows.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Newest first by `org.opencontainers.image.created`; entries without a date keep their order, last. */
function byCreated(referrers: Referrer[]): Referrer[] {
  const created = (r: Referrer) => Date.parse(r.descriptor.annotations?.[CREATED] ?? '');
  return [...referrers].sort((a, b) => {
    const [x, y] = [created(a), created(b)];
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
    return y - x;
  });
}

export function ReferrersTable({ repo, subject, referrers }: { repo: RepositoryName; subject: string; referrers: Referrer[] }) {
  return (
    <table className="grid" data-testid="referrers">
      <thead>
        <tr>
          <th>Artifact type</th>
          <th>Digest</th>
          <th className="num">Size</th>
          <th>Created</th>
          <th>Annotations</th>
          <th>Found via</th>
        </tr>
      </thead>
      <tbody>
        {byCreated(referrers).map((r, i) => {
          const d = r.descriptor;
          return (
            <tr
              key={`${d.digest}-${i}`}
              data-testid="referrer-row"
              data-digest={d.digest}
              data-sources={r.sources.map((s) => s.kind).join(' ')}
            >
              <td data-testid="referrer-artifact-type">
                <MediaTypeText mediaType={r.artifactType} />
                <div className="muted small">
                  <MediaTypeText mediaType={d.mediaType} />
                </div>
              </td>
              <td>
                <Digest
                  value={d.digest}
                  to={
                    d.digestValid
                      ? withAbout(imageByDigestUrl(repo, d.digest, { mediaType: d.mediaType, size: d.size }), subject)
                      : undefined
                  }
                  linkTestId="referrer-link"
                />
                {d.digestValid && <ReferrerChildren repo={repo} digest={d.digest} />}
              </td>
              <td className="num">
                <SizeText bytes={d.size} />
              </td>
              <td>{d.annotations?.[CREATED] ? <DateText value={d.annotations[CREATED]} /> : <span className="muted">–</span>}</td>
              <td>
                <OtherAnnotations annotations={d.annotations} />
                {r.problems.length > 0 && (
                  <ul className="warning small" data-testid="referrer-problems">
                    {r.problems.map((p, j) => (
                      <li key={j}>{p}</li>
                    ))}
                  </ul>
                )}
              </td>
              <td>
                <Sources referrer={r} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
