/**
 * A digest as a person handles it: short on screen (`sha256:9fab63…04ffa`, both ends, which is
 * what eyes compare), the full value one tap away and one click from the clipboard. Tables of
 * digests fit a phone this way, and nothing is lost: the full value is the title, the
 * `data-digest` attribute, what the copy button copies and what a tap unfolds.
 *
 * As a link (`to`), the short text navigates and the copy button carries the full value; as
 * text, tapping the short form shows the whole digest in place (and tapping again folds it).
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { CopyButton } from './copy-button';
import { abbreviateDigest } from './format';
import './ui.css';

export function Digest({
  value,
  to,
  copy = true,
  full = false,
  testId,
  linkTestId,
  linkTitle,
}: {
  value: string;
  /** An in-app URL: the digest becomes a link to what it names. */
  to?: string;
  /** A copy button beside it (default). */
  copy?: boolean;
  /** Start unfolded (a page's own identity, where there is room). */
  full?: boolean;
  testId?: string;
  /** Test id and title of the link itself, when there is one. */
  linkTestId?: string;
  linkTitle?: string;
}) {
  const [open, setOpen] = useState(full);
  const short = abbreviateDigest(value);
  const shortened = short !== value;
  const text = (
    <code className="digest" title={value}>
      {open || !shortened ? value : short}
    </code>
  );
  let body;
  if (to !== undefined) {
    body = (
      <Link to={to} data-testid={linkTestId} title={linkTitle}>
        {text}
      </Link>
    );
  } else if (shortened) {
    body = (
      <button
        type="button"
        className="digest-toggle"
        aria-expanded={open}
        aria-label={open ? value : `${short}: show the whole digest`}
        onClick={() => setOpen(!open)}
      >
        {text}
      </button>
    );
  } else {
    body = text;
  }
  return (
    <span className={`digest-value${open ? ' open' : ''}`} data-digest={value} data-testid={testId}>
      {body}
      {copy && <CopyButton text={value} what="digest" />}
    </span>
  );
}
