/** A digest shown short in tables, whole on hover and when copied. */
import { useState } from 'react';
import { shortDigest } from '../oci/spec/digest';

export function DigestText({ digest, full = false }: { digest: string; full?: boolean }) {
  return (
    <code className="digest" title={digest}>
      {full ? digest : shortDigest(digest)}
    </code>
  );
}

export function CopyButton({ text, label = 'copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="copy"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => setCopied(true));
      }}
    >
      {copied ? 'copied' : label}
    </button>
  );
}
