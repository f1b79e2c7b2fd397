/**
 * "Compare with…" on every image page: this image against another tag of its repository (the tag
 * list is fetched only when the control is opened), two platforms of this index against each
 * other, or any reference pasted in (another repository, registry, or a layout opened in this
 * tab). Each choice goes to the `/?compare=` deep link. Kept apart from the comparison itself so
 * the image page does not load the diff code until a comparison is opened.
 */
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { tagsQuery } from '../../lib/queries/tags-query';
import { type Descriptor, formatPlatform, isAttestation } from '../../oci/spec/descriptor';
import type { RegistryDocument } from '../../oci/spec/manifest';
import { type ImageReference, InvalidReferenceError, formatReference, parseReference } from '../../oci/spec/reference';
import { compareUrl } from '../../lib/view-urls';
import './compare-with.css';

function OtherTag({ reference }: { reference: ImageReference }) {
  const navigate = useNavigate();
  const tags = useQuery(tagsQuery(reference));
  const others = (tags.data?.tags ?? []).filter((t) => t !== reference.tag).sort();
  const [tag, setTag] = useState('');
  const chosen = tag || others[0] || '';
  if (tags.isPending) return <p className="loading">Listing the tags of this repository…</p>;
  if (tags.isError) return <p className="inline-error">The tags of this repository could not be listed: {tags.error.message}</p>;
  if (others.length === 0) return <p className="muted">This repository has no other tag.</p>;
  return (
    <form
      className="compare-with-row"
      onSubmit={(e) => {
        e.preventDefault();
        void navigate(compareUrl(reference, { registry: reference.registry, repository: reference.repository, tag: chosen }));
      }}
    >
      <label>
        another tag{' '}
        <select value={chosen} onChange={(e) => setTag(e.target.value)} data-testid="compare-tag">
          {others.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" data-testid="compare-tag-go">
        Compare
      </button>
    </form>
  );
}

function TwoPlatforms({ reference, platforms }: { reference: ImageReference; platforms: Descriptor[] }) {
  const navigate = useNavigate();
  const [first, setFirst] = useState(platforms[0]!.digest);
  const [second, setSecond] = useState(platforms[1]!.digest);
  const name = (d: Descriptor) => (d.platform ? formatPlatform(d.platform) : d.digest.slice(0, 19));
  const at = (digest: string) => ({ registry: reference.registry, repository: reference.repository, digest });
  const select = (value: string, set: (v: string) => void, testId: string) => (
    <select value={value} onChange={(e) => set(e.target.value)} data-testid={testId}>
      {platforms.map((d) => (
        <option key={d.digest} value={d.digest}>
          {name(d)}
        </option>
      ))}
    </select>
  );
  return (
    <form
      className="compare-with-row"
      onSubmit={(e) => {
        e.preventDefault();
        void navigate(compareUrl(at(first), at(second)));
      }}
    >
      <label>
        two platforms of this index {select(first, setFirst, 'compare-platform-a')} and {select(second, setSecond, 'compare-platform-b')}
      </label>
      <button type="submit" disabled={first === second} data-testid="compare-platforms-go">
        Compare
      </button>
    </form>
  );
}

function parse(input: string): { ref?: ImageReference; error?: string } {
  if (!input.trim()) return {};
  try {
    return { ref: parseReference(input.trim()) };
  } catch (error) {
    if (error instanceof InvalidReferenceError) return { error: error.message };
    throw error;
  }
}

function AnyReference({ reference }: { reference: ImageReference }) {
  const navigate = useNavigate();
  const [input, setInput] = useState('');
  const result = useMemo(() => parse(input), [input]);
  const errorId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (result.ref) void navigate(compareUrl(reference, result.ref));
  };
  return (
    <form className="compare-with-row" onSubmit={submit}>
      <label>
        any reference{' '}
        <input
          type="text"
          value={input}
          onChange={(e) => setInput(e.target.value)}
          placeholder="e.g. ghcr.io/owner/repo:tag or …@sha256:…"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={Boolean(result.error)}
          aria-describedby={errorId}
          data-testid="compare-reference"
        />
      </label>
      <button type="submit" disabled={!result.ref} data-testid="compare-reference-go">
        Compare
      </button>
      <span id={errorId}>
        {result.error && (
          <span className="inline-error" role="alert" data-testid="compare-reference-error">
            {result.error}
          </span>
        )}
        {result.ref && (
          <span className="muted">
            {' '}
            with <code>{formatReference(result.ref)}</code>
          </span>
        )}
      </span>
    </form>
  );
}

export function CompareWith({ reference, document }: { reference: ImageReference; document: RegistryDocument }) {
  const [open, setOpen] = useState(false);
  const platforms = document.kind === 'index' ? document.manifests.filter((d) => !isAttestation(d) && d.digestValid) : [];
  return (
    <details className="compare-with" data-testid="compare-with" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Compare with…</summary>
      {open && (
        <>
          <OtherTag reference={reference} />
          {platforms.length >= 2 && <TwoPlatforms reference={reference} platforms={platforms} />}
          <AnyReference reference={reference} />
        </>
      )}
    </details>
  );
}
