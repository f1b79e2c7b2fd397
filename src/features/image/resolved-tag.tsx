/**
 * What a tag pointed at when it was read. Tags move; the digest does not, so the page offers the
 * permalink by digest for anything worth sharing.
 */
import { Link } from 'react-router';
import type { ImageReference } from '../../oci/spec/reference';
import { imageByDigestUrl } from '../../lib/view-urls';
import { CopyButton } from '../../ui/digest-text';
import type { FetchedDocument } from '../../oci/registry/document';

export function ResolvedTag({ ref, fetched }: { ref: ImageReference; fetched: FetchedDocument }) {
  if (fetched.fetchedBy !== 'tag') return null;
  const permalink = imageByDigestUrl(ref, fetched.verification.computed);
  return (
    <section className="resolved" data-testid="resolved-tag">
      <p>
        Tag <code>{ref.tag}</code> resolved to <code data-testid="resolved-digest">{fetched.verification.computed}</code>{' '}
        <CopyButton text={fetched.verification.computed} />
      </p>
      <p className="muted">
        Docker-Content-Digest header:{' '}
        {fetched.headerDigest ? <code data-testid="header-digest">{fetched.headerDigest}</code> : 'not sent by the registry'}
      </p>
      <p>
        <Link to={permalink} data-testid="permalink">
          Permalink by digest
        </Link>{' '}
        <span className="muted">— stays the same when the tag moves.</span>
      </p>
    </section>
  );
}
