/** A media type, linked to its specification when we know the page. */
import { describeMediaType, specUrl } from '../oci/spec/media-types';

export function MediaTypeText({ mediaType }: { mediaType: string | undefined }) {
  if (!mediaType) return <span className="muted">none</span>;
  const href = specUrl(mediaType);
  const label = <code title={describeMediaType(mediaType)}>{mediaType}</code>;
  return href ? (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {label}
    </a>
  ) : (
    label
  );
}
