/**
 * How a file's bytes were had, and what proves them: read on their own with a Range request and
 * matched against the content digest the layer's full pass recorded (the proof that these are
 * the bytes that pass verified), or streamed from the layer's start. A registry that ignored
 * the Range request, a preview too short to check, and bytes that do not match are each said
 * plainly; a mismatch is red and its bytes are not shown.
 */
import type { FileAccess } from '../../lib/queries/layer-file-query';
import { describeDate, exactBytes, formatBytes } from '../../ui/format';
import { ProofMark } from '../../ui/proof-mark';

export function FileAccessNote({ access }: { access: FileAccess }) {
  if (access.kind === 'streamed') {
    return (
      <p className="muted" data-testid="file-access" data-kind="streamed">
        Streamed from the start of the layer: this layer has no verified index yet, so the file cannot be read on its own.
      </p>
    );
  }
  const { content } = access;
  const when =
    access.keptAt === undefined ? '' : ` in this browser on ${describeDate(new Date(access.keptAt).toISOString(), Date.now()).text}`;
  const of = access.blobSize === undefined ? 'of the blob' : `of the ${formatBytes(access.blobSize)} blob`;
  return (
    <div
      data-testid="file-access"
      data-kind="ranged"
      data-range={access.rangeHonoured ? 'honoured' : 'ignored'}
      data-content={content.status}
    >
      {content.status === 'mismatch' ? (
        <section className="verification mismatch" role="alert" data-testid="file-content-mismatch">
          <h3 className="verification-headline">
            <ProofMark state="mismatch" /> CONTENT MISMATCH — these bytes are not the file the layer’s full pass verified.
          </h3>
          <p>
            They hash to <code>{content.computed}</code>; the pass recorded <code>{content.expected}</code>. They are not shown, and the
            index kept for this layer was discarded: reopening the layer reads and verifies it again.
          </p>
        </section>
      ) : (
        <p className="muted" data-testid="file-proof">
          <ProofMark state={content.status === 'match' ? 'verified' : 'unverified'} /> Read on its own: {formatBytes(access.transferred)}{' '}
          {of} fetched{access.rangeHonoured ? ' with a Range request' : ''}, decoded from {exactBytes(access.decodedFrom)} into the tar.{' '}
          {content.status === 'match'
            ? `Its SHA-256 matches the one recorded when the whole layer was verified${when}: these are the bytes that pass verified.`
            : 'Only a preview was read, so its SHA-256 is checked against the layer’s record when all of it is shown.'}
        </p>
      )}
      {!access.rangeHonoured && (
        <p className="warning" data-testid="range-ignored">
          The registry ignored the Range request and sent the whole blob (HTTP 200), so the file was read from the start of the download: it
          works, only slower.
        </p>
      )}
    </div>
  );
}
