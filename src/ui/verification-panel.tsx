/**
 * The proof that travels with every document: what was expected, what this browser computed,
 * and whether size and media type agree. A mismatch is red, shows both values, and says the
 * content is untrusted; it is never folded away.
 */
import type { CheckStatus, ExpectedSource, Verification } from '../oci/spec/verify';
import { exactBytes } from './format';

const sourceLabel: Record<ExpectedSource, string> = {
  url: 'the digest in the link',
  descriptor: 'the parent descriptor',
  header: 'the registry’s Docker-Content-Digest header',
};

function Mark({ status }: { status: CheckStatus }) {
  if (status === 'match')
    return (
      <span className="mark ok" aria-label="matches">
        ✓
      </span>
    );
  if (status === 'mismatch')
    return (
      <span className="mark bad" aria-label="does not match">
        ✗
      </span>
    );
  return (
    <span className="mark none" aria-label="not checked">
      –
    </span>
  );
}

export function overallStatus(v: Verification): 'verified' | 'mismatch' | 'unverified' {
  if (!v.trusted) return 'mismatch';
  return v.digest === 'match' ? 'verified' : 'unverified';
}

export function VerificationPanel({ verification: v, what }: { verification: Verification; what: string }) {
  const status = overallStatus(v);
  const headline =
    status === 'verified'
      ? `Verified in your browser: the ${v.receivedSize.toLocaleString('en-US')} bytes received hash to ${sourceLabel[v.expectedSource ?? 'url']}.`
      : status === 'mismatch'
        ? v.digest === 'mismatch'
          ? `DIGEST MISMATCH — the bytes received are not the ${what} that was asked for. Content untrusted.`
          : `CHECK FAILED — the ${what} does not match its description. Content untrusted.`
        : `Not verified against an expected digest — the computed digest below identifies what was received.`;
  return (
    <section className={`verification ${status}`} data-testid="verification" data-status={status} aria-live="polite">
      <h2 className="verification-headline">
        <span className="badge">{status === 'verified' ? '✓ verified' : status === 'mismatch' ? '✗ mismatch' : '? unverified'}</span>{' '}
        {headline}
      </h2>
      <table className="kv">
        <tbody>
          <tr>
            <th>Expected digest</th>
            <td>
              {v.expected ? (
                <>
                  <code data-testid="expected-digest">{v.expected}</code>
                  <span className="muted"> from {sourceLabel[v.expectedSource ?? 'url']}</span>
                </>
              ) : (
                <span className="muted">none</span>
              )}
            </td>
            <td />
          </tr>
          <tr>
            <th>Computed in this browser</th>
            <td>
              <code data-testid="computed-digest">{v.computedForExpected}</code>
              {v.computedForExpected !== v.computed && (
                <div>
                  <code>{v.computed}</code>
                </div>
              )}
            </td>
            <td>
              <Mark status={v.digest} />
            </td>
          </tr>
          {v.headerDigest && v.expectedSource !== 'header' && (
            <tr>
              <th>Docker-Content-Digest</th>
              <td>
                <code>{v.headerDigest}</code>
              </td>
              <td>
                <Mark status={v.header} />
              </td>
            </tr>
          )}
          <tr>
            <th>Size</th>
            <td data-testid="size-check">
              {exactBytes(v.receivedSize)} received
              {v.expectedSize !== undefined ? `, descriptor says ${exactBytes(v.expectedSize)}` : ', no descriptor size to compare'}
            </td>
            <td>
              <Mark status={v.size} />
            </td>
          </tr>
          <tr>
            <th>Media type</th>
            <td data-testid="media-type-check">
              Content-Type <code>{v.contentType ?? 'none'}</code>
              {v.declaredMediaType ? (
                <>
                  , document declares <code>{v.declaredMediaType}</code>
                </>
              ) : v.mediaType === 'unchecked' ? (
                <span className="muted"> (not compared: blobs are served as bytes)</span>
              ) : null}
            </td>
            <td>
              <Mark status={v.mediaType} />
            </td>
          </tr>
        </tbody>
      </table>
      {v.notes.length > 0 && (
        <ul className="notes">
          {v.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
