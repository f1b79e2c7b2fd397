/**
 * What a tag pointed at when it was read, in one line: the digest (short, unfolding, copyable),
 * the permalink by digest for anything worth sharing (tags move, digests do not), and the pull
 * commands by tag and by digest, each one click from the clipboard.
 */
import { Link } from 'react-router';
import { type ImageReference, formatReference, formatRepository } from '../../oci/spec/reference';
import { imageByDigestUrl } from '../../lib/view-urls';
import { CopyButton } from '../../ui/copy-button';
import { Digest } from '../../ui/digest-value';
import type { FetchedDocument } from '../../oci/registry/document';

export function ResolvedTag({ ref, fetched }: { ref: ImageReference; fetched: FetchedDocument }) {
  if (fetched.fetchedBy !== 'tag') return null;
  const digest = fetched.verification.computed;
  const permalink = imageByDigestUrl(ref, digest);
  const byTag = `docker pull ${formatReference({ ...ref, digest: undefined })}`;
  const byDigest = `docker pull ${formatRepository(ref)}@${digest}`;
  return (
    <section className="resolved" data-testid="resolved-tag">
      <p>
        Tag <code>{ref.tag}</code> points to <Digest value={digest} testId="resolved-digest" />{' '}
        <Link to={permalink} data-testid="permalink">
          Permalink by digest
        </Link>{' '}
        <span className="muted">(stays the same when the tag moves)</span>
      </p>
      <p className="pull-commands">
        <CopyButton text={byTag} what="pull command by tag" label="Copy docker pull by tag" testId="copy-pull-tag" />{' '}
        <CopyButton text={byDigest} what="pull command by digest" label="Copy docker pull by digest" testId="copy-pull-digest" />
      </p>
      {!fetched.headerDigest && (
        <p className="muted" data-testid="no-header-digest">
          The registry sent no Docker-Content-Digest header: the digest computed here is the only identity.
        </p>
      )}
    </section>
  );
}
