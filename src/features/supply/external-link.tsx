/**
 * Text from a decoded document that may be a URL: it becomes a link only when it is http(s)
 * (`safeExternalUrl`); `javascript:`, `data:` and everything else stays inert text.
 */
import { safeExternalUrl } from '../../oci/display/external-url';

export function MaybeLink({ text, className }: { text: string | undefined; className?: string }) {
  if (text === undefined) return null;
  const href = safeExternalUrl(text);
  if (!href) return <span className={className}>{text}</span>;
  return (
    <a href={href} className={className} target="_blank" rel="noopener noreferrer nofollow">
      {text}
    </a>
  );
}
