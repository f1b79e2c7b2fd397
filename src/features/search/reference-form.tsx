/**
 * The one input of ociscope: paste an image or repository reference. It parses as you type
 * with the docker reference grammar, always shows the fully normalised form, and names the
 * broken rule when the input is not a reference. Nothing is fetched until it is valid.
 */
import { type FormEvent, useId, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { InvalidReferenceError, formatReference, formatRepository, parseReference } from '../../oci/spec/reference';
import { imageUrl, repoUrl } from '../../lib/view-urls';

function parse(input: string) {
  if (!input.trim()) return undefined;
  try {
    return { ref: parseReference(input) };
  } catch (error) {
    if (error instanceof InvalidReferenceError) return { error };
    throw error;
  }
}

export function ReferenceForm({ initial = '', autoFocus = false }: { initial?: string; autoFocus?: boolean }) {
  const [input, setInput] = useState(initial);
  const [submitted, setSubmitted] = useState(false);
  const navigate = useNavigate();
  const result = useMemo(() => parse(input), [input]);
  const errorId = useId();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (result?.ref) void navigate(imageUrl(result.ref));
  };

  const showError = result?.error && (submitted || input.length > 0);
  return (
    <form className="reference-form" onSubmit={onSubmit} role="search">
      <div className="reference-row">
        <input
          type="text"
          name="reference"
          aria-label="Image or repository reference"
          placeholder="paste an image or repository reference, e.g. alpine or ghcr.io/owner/repo:tag"
          value={input}
          spellCheck={false}
          autoComplete="off"
          autoCapitalize="off"
          autoFocus={autoFocus}
          aria-invalid={Boolean(showError)}
          aria-describedby={errorId}
          onChange={(e) => {
            setInput(e.target.value);
            setSubmitted(false);
          }}
        />
        <button type="submit" disabled={!result?.ref}>
          Explore
        </button>
      </div>
      <div id={errorId} className="reference-feedback">
        {result?.ref && (
          <p data-testid="normalized-reference">
            <span className="muted">normalised:</span> <code>{formatReference(result.ref)}</code>
            {' · '}
            <Link to={repoUrl(result.ref)}>all tags of {formatRepository(result.ref)}</Link>
          </p>
        )}
        {showError && (
          <p className="inline-error" role="alert" data-testid="reference-error" data-rule={result.error.rule}>
            {result.error.message}
          </p>
        )}
      </div>
    </form>
  );
}
