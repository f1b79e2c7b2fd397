/**
 * The proof that travels with every document (manifest, index, config, blob), at a glance:
 * "✓ sha256:9fab63…04ffa verified in your browser · 718 B · media type matches", unfolding to
 * what was expected and from where, what this browser computed, and whether size and media type
 * agree. A mismatch is red, open, shows both full values and says the content is untrusted.
 */
import type { ExpectedSource, Verification } from '../oci/spec/verify';
import { abbreviateDigest, exactBytes, formatBytes } from './format';
import { CopyButton } from './copy-button';
import { ProofMark, proofStateOf, type ProofState } from './proof-mark';
import { ProofSummary } from './proof-summary';

const sourceLabel: Record<ExpectedSource, string> = {
  url: 'the digest in the link',
  descriptor: 'the parent descriptor',
  header: 'the registry’s Docker-Content-Digest header',
};

/** Verified, mismatch (any check failed), or unverified (nothing to compare the digest with). */
export function documentProofState(v: Verification): Exclude<ProofState, 'pending'> {
  if (!v.trusted) return 'mismatch';
  return v.digest === 'match' ? 'verified' : 'unverified';
}

function headline(v: Verification, state: ProofState, what: string): string {
  const digest = abbreviateDigest(v.computedForExpected);
  if (state === 'mismatch') {
    return v.digest === 'mismatch'
      ? `DIGEST MISMATCH — the bytes received are not the ${what} that was asked for. Content untrusted.`
      : `CHECK FAILED — the ${what} does not match its description. Content untrusted.`;
  }
  const parts = [
    state === 'verified'
      ? `${digest} verified in your browser${v.expectedSource && v.expectedSource !== 'url' ? ` against ${sourceLabel[v.expectedSource]}` : ''}`
      : `${digest} computed in your browser; no expected digest to compare it with`,
    formatBytes(v.receivedSize),
  ];
  if (v.mediaType === 'match') parts.push('media type matches');
  return parts.join(' · ');
}

function ProofTable({ v }: { v: Verification }) {
  return (
    <table className="kv proof-table">
      <tbody>
        <tr>
          <th scope="row">Expected digest</th>
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
          <th scope="row">Computed in this browser</th>
          <td>
            <code data-testid="computed-digest">{v.computedForExpected}</code>
            {v.computedForExpected !== v.computed && (
              <div>
                <code>{v.computed}</code>
              </div>
            )}
          </td>
          <td>
            <ProofMark state={proofStateOf(v.digest)} />
          </td>
        </tr>
        {v.headerDigest && v.expectedSource !== 'header' && (
          <tr>
            <th scope="row">Docker-Content-Digest</th>
            <td>
              <code>{v.headerDigest}</code>
            </td>
            <td>
              <ProofMark state={proofStateOf(v.header)} />
            </td>
          </tr>
        )}
        <tr>
          <th scope="row">Size</th>
          <td data-testid="size-check">
            {exactBytes(v.receivedSize)} received
            {v.expectedSize !== undefined ? `, descriptor says ${exactBytes(v.expectedSize)}` : ', no descriptor size to compare'}
          </td>
          <td>
            <ProofMark state={proofStateOf(v.size)} />
          </td>
        </tr>
        <tr>
          <th scope="row">Media type</th>
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
            <ProofMark state={proofStateOf(v.mediaType)} />
          </td>
        </tr>
      </tbody>
    </table>
  );
}

/** `what` names the document in sentences: "image index", "manifest", "config". */
export function DocumentProof({ verification: v, what }: { verification: Verification; what: string }) {
  const state = documentProofState(v);
  return (
    <ProofSummary
      state={state}
      label={`Proof of this ${what}`}
      testId="verification"
      line={<span className="verification-headline">{headline(v, state, what)}</span>}
      actions={<CopyButton text={v.computed} what="digest" testId="copy-computed-digest" />}
      details={
        <>
          <ProofTable v={v} />
          {v.notes.length > 0 && (
            <ul className="notes">
              {v.notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          )}
        </>
      }
    />
  );
}
