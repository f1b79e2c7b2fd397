/**
 * The raw JSON of both documents as a unified line diff: laid out the same way by default (as
 * `jq .` would, every token kept as written), or as received, byte layout and all, for when the
 * layout itself is the question (it changes the digest just the same).
 */
import { useMemo, useState } from 'react';
import { diffJsonTexts } from '../../oci/compare/json-diff';

export function JsonDiffSection({ title, a, b, testId }: { title: string; a: string; b: string; testId: string }) {
  const [layOut, setLayOut] = useState(true);
  const diff = useMemo(() => diffJsonTexts(a, b, { layOut }), [a, b, layOut]);
  const sameBytes = a === b;
  return (
    <section className="compare-section json-diff" data-testid={testId}>
      <h2>{title}</h2>
      <p className="listing-tools">
        <label>
          <input type="checkbox" checked={layOut} onChange={(e) => setLayOut(e.target.checked)} /> lay both out the same way (like{' '}
          <code>jq .</code>)
        </label>
        {layOut && !diff.laidOut && <span className="muted"> — one side is not valid JSON, so both are compared as received.</span>}
      </p>
      <p data-testid={`${testId}-summary`}>
        {sameBytes
          ? 'Byte for byte identical.'
          : diff.identical
            ? 'Identical once laid out the same way: the documents differ only in whitespace, which still gives them different digests.'
            : diff.tooDifferent
              ? 'Too different to line up within the time limit; open each document on its own page.'
              : `${diff.removed} line${diff.removed === 1 ? '' : 's'} only in A, ${diff.added} only in B.`}
      </p>
      {diff.hunks.map((hunk, i) => (
        <pre className="json diff-hunk" key={i} data-testid="diff-hunk">
          <span className="hunk-head">
            @@ −{hunk.aStart},{hunk.aCount} +{hunk.bStart},{hunk.bCount} @@
          </span>
          {hunk.lines.map((line, j) => (
            <span key={j} className={`diff-line ${line.kind}`} data-kind={line.kind}>
              <span className="ln">{line.aLine ?? ''}</span>
              <span className="ln">{line.bLine ?? ''}</span>
              <span className="sign">{line.kind === 'added' ? '+' : line.kind === 'removed' ? '−' : ' '}</span>
              {line.text}
              {'\n'}
            </span>
          ))}
        </pre>
      ))}
    </section>
  );
}
